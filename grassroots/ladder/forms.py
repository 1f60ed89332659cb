"""Forms that turn what organizers type into the data ladder.actions expects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.forms import AreaChoiceField
from grassroots.committees.models import Meeting
from grassroots.committees.models import Role as CommitteeRole
from grassroots.events.models import Event
from grassroots.ladder.actions import StageData
from grassroots.ladder.models import Curriculum, Rule, RuleKind, Stage
from grassroots.places.models import Area


class StageForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=32000, help_text=_("Higher is further up the ladder.")
    )
    match = forms.ChoiceField(label=_("A person reaches it with"), choices=Stage.Match.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    follow_up = forms.BooleanField(label=_("Queue a follow-up when someone reaches it"), required=False)
    active = forms.BooleanField(label=_("Active (a retired stage keeps its history)"), required=False)

    @staticmethod
    def initial_for(stage: Stage | None) -> dict[str, Any]:
        if stage is None:
            top = Stage.objects.order_by("-position").values_list("position", flat=True).first() or 0
            return {"position": top + 10, "match": Stage.Match.ANY, "follow_up": True, "active": True}
        fields = ("name", "position", "match", "description", "follow_up", "active")
        return {name: getattr(stage, name) for name in fields}

    def stage_data(self) -> StageData:
        return StageData(**self.cleaned_data)


class RuleForm(forms.Form):
    """One form for every kind of rule; ``params()`` keeps the fields the chosen kind reads."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RuleKind.choices)
    kinds = forms.CharField(
        label=_("Action kinds"),
        required=False,
        help_text=_("Comma-separated, e.g. meeting_attended, event_attended."),
    )
    count = forms.IntegerField(label=_("At least"), min_value=1, max_value=1000, initial=1, required=False)
    window_days = forms.IntegerField(
        label=_("Within the last (days)"), min_value=0, max_value=3660, initial=0, required=False,
        help_text=_("0: ever."),
    )  # fmt: skip
    result = forms.CharField(label=_("Door result"), required=False, help_text=_("e.g. contact"))
    question = forms.CharField(label=_("Door question (key)"), required=False, help_text=_("e.g. support"))
    at_least = forms.IntegerField(label=_("Answer at least"), required=False)
    equals = forms.CharField(label=_("Answer equals"), required=False, help_text=_("e.g. yes"))
    on_roll = forms.BooleanField(label=_("Only records still on the roll"), required=False, initial=True)
    roles = forms.MultipleChoiceField(
        label=_("Committee roles"), choices=CommitteeRole.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("None ticked: any role."),
    )  # fmt: skip
    curriculum = forms.ModelChoiceField(
        label=_("Curriculum"), queryset=Curriculum.objects.all(), required=False, to_field_name="public_id"
    )

    READS = {
        RuleKind.ACTIONS: ("kinds", "count", "window_days", "result"),
        RuleKind.DOOR_ANSWER: ("question", "at_least", "equals"),
        RuleKind.VOTER_RECORD: ("on_roll",),
        RuleKind.COMMITTEE: ("roles",),
        RuleKind.CURRICULUM: ("curriculum", "count", "window_days"),
        RuleKind.CANVASSED: ("count", "window_days"),
    }

    @staticmethod
    def initial_for(rule: Rule | None) -> dict[str, Any]:
        if rule is None:
            return {"kind": RuleKind.ACTIONS, "count": 1, "window_days": 0, "on_roll": True}
        initial = {"kind": rule.kind, **rule.params}
        if isinstance(initial.get("kinds"), list):
            initial["kinds"] = ", ".join(initial["kinds"])
        return initial

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        params = {name: data.get(name) for name in self.READS.get(data["kind"], ())}
        curriculum = params.get("curriculum")
        if isinstance(curriculum, Curriculum):
            params["curriculum"] = str(curriculum.public_id)
        return params


class CurriculumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Session title"), max_length=200)
    readings = forms.CharField(
        label=_("Readings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.committee.name}: {obj.title} · {timezone.localtime(obj.starts_at):%Y-%m-%d %H:%M}"


class ReadingGroupForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    location = forms.CharField(label=_("Where"), max_length=300, required=False)
    area = AreaChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, to_field_name="public_id"
    )
    meeting = MeetingChoiceField(
        label=_("As a committee meeting"), queryset=Meeting.objects.none(), required=False,
        to_field_name="public_id",
    )  # fmt: skip

    event = forms.ModelChoiceField(
        label=_("As an event"), queryset=Event.objects.none(), required=False, to_field_name="public_id",
        help_text=_("A reading-group event: its public page takes RSVPs and its kiosk signs people in."),
    )  # fmt: skip

    def __init__(
        self,
        *args: Any,
        areas: QuerySet[Area],
        meetings: QuerySet[Meeting],
        events: QuerySet[Event],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["event"].queryset = events  # type: ignore[attr-defined]
