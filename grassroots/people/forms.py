"""Forms that turn what people type into validated PersonData for people.actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from grassroots.lib.addresses import AddressError, normalize_address
from grassroots.lib.phones import PhoneError, format_phone, normalize_phone
from grassroots.people.actions import PersonData
from grassroots.people.models import Channel, Person
from grassroots.places.models import Area


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


class PersonForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    middle_name = forms.CharField(label=_("Middle name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    suffix = forms.CharField(label=_("Suffix"), max_length=20, required=False)
    emails = forms.CharField(
        label=_("Emails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    phones = forms.CharField(
        label=_("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line."),
    )
    address_line = forms.CharField(label=_("Street address"), max_length=200, required=False)
    unit = forms.CharField(label=_("Apartment / unit"), max_length=40, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    state = forms.CharField(label=_("State"), max_length=2, required=False)
    postal_code = forms.CharField(label=_("ZIP code"), max_length=10, required=False)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Where to file this person when the address is new to us or missing."),
    )
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separated by commas."))
    consent_email = forms.BooleanField(label=_("Agrees to email"), required=False)
    consent_sms = forms.BooleanField(label=_("Agrees to text messages"), required=False)
    consent_call = forms.BooleanField(label=_("Agrees to phone calls"), required=False)
    consent_door = forms.BooleanField(label=_("Agrees to door knocks"), required=False)
    do_not_contact = forms.BooleanField(
        label=_("Asked not to be contacted"),
        required=False,
        help_text=_("Withdraws every consent above; walk lists and the canvass app say “do not contact”."),
    )
    custom_fields = forms.CharField(
        label=_("Custom fields"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One “name: value” per line."),
    )

    def __init__(self, *args: Any, areas: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["area"].queryset = areas  # type: ignore[attr-defined]

    @classmethod
    def initial_for(cls, person: Person) -> dict[str, Any]:
        household = person.household
        consents = {c.channel: c.granted for c in person.consents.all()}
        return {
            "first_name": person.first_name,
            "middle_name": person.middle_name,
            "last_name": person.last_name,
            "suffix": person.suffix,
            "emails": "\n".join(e.address for e in person.emails.all()),
            "phones": "\n".join(format_phone(p.number) for p in person.phones.all()),
            "address_line": household.address_line if household else "",
            "unit": household.unit if household else "",
            "city": household.city if household else "",
            "state": household.state if household else "",
            "postal_code": household.postal_code if household else "",
            "area": person.area.public_id,
            "tags": ", ".join(t.name for t in person.tags.all()),
            "custom_fields": "\n".join(f"{k}: {v}" for k, v in person.custom_fields.items()),
            **{f"consent_{channel}": granted for channel, granted in consents.items()},
            "do_not_contact": len(consents) == len(Channel) and not any(consents.values()),
        }

    def clean_emails(self) -> list[str]:
        emails = []
        for line in _lines(self.cleaned_data["emails"]):
            try:
                validate_email(line)
            except ValidationError as exc:
                raise ValidationError(
                    _("“%(value)s” is not an email address."), params={"value": line}
                ) from exc
            emails.append(line.lower())
        return emails

    def clean_phones(self) -> list[str]:
        phones = []
        for line in _lines(self.cleaned_data["phones"]):
            try:
                phones.append(normalize_phone(line))
            except PhoneError as exc:
                raise ValidationError(str(exc)) from exc
        return phones

    def clean_tags(self) -> list[str]:
        return list(dict.fromkeys(t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()))

    def clean_custom_fields(self) -> dict[str, str]:
        fields = {}
        for number, line in enumerate(self.cleaned_data["custom_fields"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            if not sep or not name.strip():
                raise ValidationError(_("Line %(n)s: write “name: value”."), params={"n": number})
            fields[name.strip()] = value.strip()
        return fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        line1 = data.get("address_line", "")
        if line1:
            try:
                data["address"] = normalize_address(
                    line1,
                    data.get("unit", ""),
                    data.get("city", ""),
                    data.get("state", ""),
                    data.get("postal_code", ""),
                )
            except AddressError as exc:
                self.add_error("address_line", str(exc))
        elif data.get("unit"):
            self.add_error("address_line", _("An apartment needs a street address."))
        return data

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            first_name=data["first_name"].strip(),
            middle_name=data["middle_name"].strip(),
            last_name=data["last_name"].strip(),
            suffix=data["suffix"].strip(),
            emails=data["emails"],
            phones=data["phones"],
            address=data.get("address"),
            area=data.get("area"),
            tags=data["tags"],
            consents={
                c.value: bool(data[f"consent_{c.value}"]) and not data["do_not_contact"] for c in Channel
            },
            do_not_contact=bool(data["do_not_contact"]),
            custom_fields=data["custom_fields"],
        )
