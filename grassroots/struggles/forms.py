"""Forms of the struggle pages. Choices of people and places come from querysets the gate built,
so an id the user may not see fails validation with a message a person can act on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grassroots.committees.models import Committee
from grassroots.people.models import Person
from grassroots.places.models import Area
from grassroots.struggles.models import Demand, Escalation, Grievance, Organization, Site, Struggle

NOT_YOURS = _("That person does not exist or is outside the areas you work in.")
SOME_NOT_YOURS = _("Some of the chosen people do not exist or are outside the areas you work in.")


class DateInput(forms.DateInput):
    input_type = "date"


class OrganizationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Organization.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    parent = forms.ModelChoiceField(
        label=_("Acts for"),
        queryset=Organization.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("The landlord a management company acts for, the owner of a subsidiary."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, parents: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


class SiteForm(forms.Form):
    area = forms.ModelChoiceField(
        label=_("Building or workplace"),
        queryset=Area.objects.none(),
        to_field_name="public_id",
        error_messages={"invalid_choice": _("Choose a building or workplace in the areas you work in.")},
    )
    relation = forms.ChoiceField(label=_("Relation"), choices=Site.Relation.choices)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]


class WorkplaceForm(forms.Form):
    name = forms.CharField(label=_("Name of the workplace"), max_length=200)
    within = forms.ModelChoiceField(
        label=_("Where it is"),
        queryset=Area.objects.none(),
        to_field_name="public_id",
        error_messages={"invalid_choice": _("Choose a street or area in the areas you work in.")},
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["within"].queryset = areas  # type: ignore[attr-defined]


class StruggleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    started_on = forms.DateField(label=_("Started on"), initial=timezone.localdate, widget=DateInput)
    areas = forms.ModelMultipleChoiceField(
        label=_("Buildings and workplaces"),
        queryset=Area.objects.none(),
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("Committees"),
        queryset=Committee.objects.none(),
        required=False,
        to_field_name="public_id",
        widget=forms.CheckboxSelectMultiple,
    )
    demands = forms.CharField(
        label=_("Demands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )

    def __init__(
        self, *args: Any, areas: QuerySet[Area], committees: QuerySet[Committee], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].queryset = areas  # type: ignore[attr-defined]
        self.fields["committees"].queryset = committees  # type: ignore[attr-defined]

    def demand_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["demands"].splitlines() if line.strip()]


class StruggleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Struggle.Status.choices)


class DemandForm(forms.Form):
    text = forms.CharField(label=_("New demand"), max_length=300)


class DemandStatusForm(forms.Form):
    demand = forms.ModelChoiceField(queryset=Demand.objects.none(), to_field_name="public_id")
    status = forms.ChoiceField(choices=Demand.Status.choices)

    def __init__(self, *args: Any, struggle: Struggle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["demand"].queryset = struggle.demands.all()  # type: ignore[attr-defined]


class EscalationForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Escalation.Kind.choices)
    occurred_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Rendered by the people picker, not by the field: the choices are everyone the user may see.
    participants = forms.ModelMultipleChoiceField(
        label=_("Who took part"),
        queryset=Person.objects.none(),
        required=False,
        to_field_name="public_id",
        error_messages={"invalid_choice": SOME_NOT_YOURS, "invalid_pk_value": SOME_NOT_YOURS},
    )

    prefix = "escalation"

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]


class GrievanceForm(forms.Form):
    # Rendered by the people picker, like the participants above.
    person = forms.ModelChoiceField(
        label=_("Who"),
        queryset=Person.objects.none(),
        to_field_name="public_id",
        error_messages={
            "required": _("Choose the person this grievance is for."),
            "invalid_choice": NOT_YOURS,
        },
    )
    whole_household = forms.BooleanField(label=_("The whole household's case"), required=False)
    category = forms.ChoiceField(label=_("Category"), choices=Grievance.Category.choices)
    summary = forms.CharField(label=_("Summary"), max_length=300)
    opened_on = forms.DateField(label=_("Opened on"), initial=timezone.localdate, widget=DateInput)

    prefix = "grievance"

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class GrievanceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=Grievance.Status.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class EvidenceForm(forms.Form):
    text = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))
    noted_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput)
