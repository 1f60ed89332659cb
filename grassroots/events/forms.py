"""Forms that turn what visitors and organizers type into the data events.actions expects."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.models import EDITOR_ROLES, User
from grassroots.events.actions import EventData, FormData
from grassroots.events.arrivals import Arrival
from grassroots.events.models import Event, FormQuestion, Project, Shift, SignupForm
from grassroots.lib.addresses import AddressError, normalize_address
from grassroots.lib.phones import PhoneError, normalize_phone
from grassroots.places.models import Area

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _aware(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


class ArrivalForm(forms.Form):
    """What a person tells about themselves: on an event page, a form, a petition or at the door."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    address_line = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    consent_email = forms.BooleanField(required=False)
    # The honeypot (events.spam.HONEYPOT_FIELD): hidden from people by CSS, so only a bot fills it.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    email_required = True

    def __init__(self, *args: Any, consent_wording: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_wording = consent_wording
        self.fields["consent_email"].label = consent_wording
        self.fields["email"].required = self.email_required
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs["autocomplete"] = {
                "first_name": "given-name",
                "last_name": "family-name",
            }[name]
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        self.fields["postal_code"].widget.attrs.update(
            {"autocomplete": "postal-code", "inputmode": "numeric"}
        )

    def clean_email(self) -> str:
        return (self.cleaned_data.get("email") or "").strip().lower()

    def clean_phone(self) -> str:
        text = (self.cleaned_data.get("phone") or "").strip()
        if not text:
            return ""
        try:
            return normalize_phone(text)
        except PhoneError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        line1 = (data.get("address_line") or "").strip()
        data["address"] = None
        if line1:
            try:
                data["address"] = normalize_address(line1, "", "", "", data.get("postal_code", ""))
            except AddressError as exc:
                self.add_error("address_line", str(exc))
        return data

    def arrival(self) -> Arrival:
        data = self.cleaned_data
        granted = bool(data.get("consent_email"))
        return Arrival(
            first_name=data["first_name"].strip(),
            last_name=(data.get("last_name") or "").strip(),
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            address=data.get("address"),
            consents={"email": True} if granted else {},
            consent_wording=self.consent_wording if granted else "",
        )


class ShiftChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        start, end = timezone.localtime(obj.starts_at), timezone.localtime(obj.ends_at)
        times = f"{start:%H:%M}–{end:%H:%M}"
        return f"{obj.title} ({times})" if obj.title else times


class RsvpForm(ArrivalForm):
    shift = ShiftChoiceField(
        label=_("Shift"), queryset=Shift.objects.none(), required=False, to_field_name="public_id"
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, consent_wording=event.consent_wording, **kwargs)
        shifts = event.shifts.all()
        self.fields["shift"].queryset = shifts  # type: ignore[attr-defined]
        if shifts.exists():
            self.fields["shift"].required = True
        else:
            del self.fields["shift"]


class KioskForm(ArrivalForm):
    """The door: email is asked, not required (a walk-in without one is still signed in)."""

    email_required = False
    projects = forms.ModelMultipleChoiceField(
        label=_("Projects I want to join"),
        queryset=Project.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    membership = forms.BooleanField(label=_("I want to become a member"), required=False)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, consent_wording=event.consent_wording, **kwargs)
        self.fields["projects"].queryset = event.projects.all()  # type: ignore[attr-defined]
        if event.kind != Event.Kind.ORGANIZING_MEETING:
            del self.fields["membership"]
        for name in ("first_name", "last_name", "email", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"  # a shared tablet remembers nothing


class SheetForm(ArrivalForm):
    """A line of a paper sign-up sheet typed in afterwards."""

    email_required = False


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.kind_label.lower()})"


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Event.Kind.choices)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea({"rows": 4}))
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET)
    online = forms.BooleanField(label=_("Online"), required=False)
    link = forms.URLField(label=_("Link to join (online)"), required=False, assume_scheme="https")
    address = forms.CharField(label=_("Address (in person)"), max_length=300, required=False)
    area = AreaChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Where it happens or whom it is for; empty for a city-wide or online event."),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    capacity = forms.IntegerField(
        label=_("Capacity"), required=False, min_value=1, help_text=_("Empty: no limit.")
    )
    listed = forms.BooleanField(label=_("Listed in the public calendar"), required=False, initial=True)
    hosts = forms.ModelMultipleChoiceField(
        label=_("Hosts"), queryset=User.objects.none(), required=False, to_field_name="username"
    )
    sponsors = forms.CharField(
        label=_("Co-sponsors"), required=False, help_text=_("Organizations, separated by commas.")
    )
    consent_wording = forms.CharField(
        label=_("Consent wording"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("The box people tick to get emails; empty for the standard words."),
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        hosts = User.objects.filter(is_active=True, role__in=EDITOR_ROLES).order_by("username")
        self.fields["hosts"].queryset = hosts  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        return {
            "title": event.title,
            "kind": event.kind,
            "description": event.description,
            "starts_at": timezone.localtime(event.starts_at),
            "ends_at": timezone.localtime(event.ends_at),
            "online": event.online,
            "link": event.link,
            "address": event.address,
            "area": event.area.public_id if event.area else None,
            "lat": event.lat,
            "lon": event.lon,
            "capacity": event.capacity,
            "listed": event.listed,
            "hosts": list(event.hosts.all()),
            "sponsors": ", ".join(s.name for s in event.sponsors.all()),
            "consent_wording": event.consent_wording,
        }

    def event_data(self) -> EventData:
        data = self.cleaned_data
        return EventData(
            title=data["title"],
            kind=data["kind"],
            description=data.get("description") or "",
            starts_at=_aware(data["starts_at"]),
            ends_at=_aware(data["ends_at"]),
            online=bool(data.get("online")),
            link=data.get("link") or "",
            address=data.get("address") or "",
            area=data.get("area"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            capacity=data.get("capacity"),
            listed=bool(data.get("listed")),
            consent_wording=data.get("consent_wording") or "",
            hosts=list(data.get("hosts") or []),
            sponsors=(data.get("sponsors") or "").split(","),
        )


class ShiftForm(forms.Form):
    title = forms.CharField(label=_("Shift"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME_WIDGET)
    capacity = forms.IntegerField(label=_("Capacity"), required=False, min_value=1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("starts_at", "ends_at"):
            if data.get(name):
                data[name] = _aware(data[name])
        return data


class SignupFormForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=SignupForm.Kind.choices)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, widget=forms.Textarea({"rows": 4})
    )
    addressee = forms.CharField(label=_("Addressed to (petitions)"), max_length=200, required=False)
    goal = forms.IntegerField(label=_("Signature goal"), required=False, min_value=1)
    area = AreaChoiceField(
        label=_("Area"), queryset=Area.objects.none(), required=False, to_field_name="public_id"
    )
    consent_wording = forms.CharField(
        label=_("Consent wording"), required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    def form_data(self) -> FormData:
        data = self.cleaned_data
        return FormData(
            title=data["title"],
            kind=data["kind"],
            introduction=data.get("introduction") or "",
            addressee=data.get("addressee") or "",
            goal=data.get("goal"),
            area=data.get("area"),
            consent_wording=data.get("consent_wording") or "",
        )


class QuestionForm(forms.Form):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Answer"), choices=FormQuestion.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        help_text=_("For “one of several”: one per line."),
        widget=forms.Textarea({"rows": 3}),
    )
    required = forms.BooleanField(label=_("Required"), required=False)


class SubmissionForm(ArrivalForm):
    """A public form or petition: who the person is, then the form's own questions, typed."""

    def __init__(self, *args: Any, signup_form: SignupForm, **kwargs: Any) -> None:
        super().__init__(*args, consent_wording=signup_form.consent_wording, **kwargs)
        self.questions = list(signup_form.questions.all())
        for q in self.questions:
            self.fields[f"q_{q.key}"] = _question_field(q)

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers = {}
        for q in self.questions:
            value = data.get(f"q_{q.key}")
            if q.kind == FormQuestion.Kind.YES_NO:
                value = {"yes": True, "no": False}.get(value or "")
            if value not in (None, ""):
                answers[q.key] = value
        return answers


def _question_field(q: FormQuestion) -> forms.Field:
    common: dict[str, Any] = {"label": q.label, "required": q.required}
    if q.kind == FormQuestion.Kind.LONG_TEXT:
        return forms.CharField(max_length=4000, widget=forms.Textarea({"rows": 3}), **common)
    if q.kind == FormQuestion.Kind.YES_NO:
        choices = [("yes", _("Yes")), ("no", _("No"))]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if q.kind == FormQuestion.Kind.CHOICE:
        return forms.ChoiceField(choices=[(c, c) for c in q.choices], widget=forms.RadioSelect, **common)
    if q.kind == FormQuestion.Kind.NUMBER:
        return forms.IntegerField(min_value=-1_000_000, max_value=1_000_000, **common)
    return forms.CharField(max_length=500, **common)
