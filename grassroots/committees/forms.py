"""Forms that turn what organizers type into the data committees.actions expects."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.actions import CommitteeData, MeetingData
from grassroots.committees.models import Committee, Role
from grassroots.places.models import Area


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.kind_label.lower()})"


class CommitteeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Committee.Kind.choices, initial=Committee.Kind.AREA)
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_(
            "The building, street, neighborhood or district it organizes, or an issue committee draws from."
        ),
    )
    parent = forms.ModelChoiceField(
        label=_("Belongs to"),
        queryset=Committee.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("The larger committee this one is part of (empty: the nearest one covering its area)."),
    )
    founded_on = forms.DateField(
        label=_("Founded on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, areas: QuerySet[Area], parents: QuerySet[Committee], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def committee_data(self) -> CommitteeData:
        data = self.cleaned_data
        return CommitteeData(
            name=data["name"],
            kind=data["kind"],
            area=data["area"],
            parent=data["parent"],
            founded_on=data["founded_on"],
        )


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)
    joined_on = forms.DateField(
        label=_("Joined on"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    left_on = forms.DateField(
        label=_("Left on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


REPEATS = [
    ("", _("Once")),
    ("FREQ=WEEKLY", _("Every week")),
    ("FREQ=WEEKLY;INTERVAL=2", _("Every two weeks")),
    ("FREQ=MONTHLY", _("Every month, on the same day")),
]


def _repeat_rule(repeat: str, starts_at: datetime.datetime) -> str:
    """The rule of a REPEATS choice for a first meeting at ``starts_at``.

    A monthly meeting on the 29th, 30th or 31st falls on the month's last day in a shorter month:
    a bare FREQ=MONTHLY skips the months without that day (RFC 5545), so the rule takes the last
    of the days from the 28th to the meeting's own that the month has.
    """
    day = timezone.localtime(starts_at).day
    if repeat != "FREQ=MONTHLY" or day <= 28:
        return repeat
    days = ",".join(str(d) for d in range(28, day + 1))
    return f"FREQ=MONTHLY;BYMONTHDAY={days};BYSETPOS=-1"


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes_long = forms.IntegerField(label=_("Length in minutes"), min_value=15, max_value=600, initial=90)
    location = forms.CharField(label=_("Where"), max_length=300, required=False)
    repeat = forms.ChoiceField(label=_("Repeats"), choices=REPEATS, required=False)
    times = forms.IntegerField(
        label=_("How many meetings"), min_value=1, max_value=52, initial=6, required=False,
        help_text=_("For a repeating meeting: how many to schedule now."),
    )  # fmt: skip
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One item per line; every meeting of a series starts with it."),
    )

    def meeting_data(self) -> MeetingData:
        data = self.cleaned_data
        starts_at: datetime.datetime = data["starts_at"]
        if timezone.is_naive(starts_at):
            starts_at = timezone.make_aware(starts_at)
        recurrence = ""
        if data.get("repeat"):
            recurrence = f"{_repeat_rule(data['repeat'], starts_at)};COUNT={data.get('times') or 6}"
        return MeetingData(
            title=data.get("title") or "",
            starts_at=starts_at,
            duration=datetime.timedelta(minutes=data["minutes_long"]),
            location=data.get("location") or "",
            recurrence=recurrence,
            agenda=[line for line in (data.get("agenda") or "").splitlines() if line.strip()],
        )
