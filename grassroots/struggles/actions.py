"""Every write of struggles: targets and their places, struggles, demands, escalations, grievances.

Each function runs in one transaction and writes its audit entry. The people a write names must be
visible to the actor through the access gate, and the places it files must be in the actor's scope;
otherwise it is refused with a ValidationError whose message can be shown as it is. Deleting
something with history archives it instead, so nothing a committee did disappears.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.committees.models import Committee
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person
from grassroots.places.actions import do_create_area
from grassroots.places.models import Area, AreaKind, Household
from grassroots.struggles.access import family_ids
from grassroots.struggles.models import (
    STRUGGLE_ACTION,
    WORKPLACE_KIND,
    Demand,
    Escalation,
    EvidenceNote,
    Grievance,
    GrievanceStatusChange,
    Organization,
    Participation,
    Site,
    Struggle,
)

Verb = AuditEntry.Verb
SITE_KINDS = (AreaKind.BUILDING, WORKPLACE_KIND)


def _require_editor(actor: User) -> None:
    if not actor.can_edit_people:
        raise ValidationError(_("Your role may not change struggles."))


def _require_in_scope(actor: User, areas: Sequence[Area]) -> None:
    outside = [a.name for a in areas if not access.area_in_scope(actor, a)]
    if outside:
        raise ValidationError(_("Outside the areas you work in: %s.") % ", ".join(outside))


def _require_visible(actor: User, person: Person | None, household: Household | None) -> None:
    """Refuse a write naming someone the gate does not show the actor."""
    if person is not None and not access.people_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError(_("%s is not among the people you work with.") % person.full_name)
    if household is not None and not access.households_visible_to(actor).filter(pk=household.pk).exists():
        raise ValidationError(_("That household is outside the areas you work in."))


# --- targets ------------------------------------------------------------------------------------


@transaction.atomic
def do_create_organization(
    actor: User, *, kind: str, name: str, notes: str = "", parent: Organization | None = None
) -> Organization:
    _require_editor(actor)
    if not name.strip():
        raise ValidationError(_("Give the organization a name."))
    organization = Organization.objects.create(
        kind=kind, name=name.strip(), notes=notes, parent=parent, created_by=actor
    )
    record_audit(actor, Verb.CREATE, "organization", organization.public_id, name=organization.name)
    return organization


@transaction.atomic
def do_update_organization(
    actor: User, organization: Organization, *, kind: str, name: str, notes: str, parent: Organization | None
) -> Organization:
    """Change what is known of an organization; refuses a loop of organizations acting for each other."""
    _require_editor(actor)
    if not name.strip():
        raise ValidationError(_("Give the organization a name."))
    if parent is not None and parent.pk in family_ids(organization):
        raise ValidationError(
            _("%(a)s cannot act for %(b)s: %(b)s already acts for it.") % {"a": name, "b": parent.name}
        )
    before = {"name": organization.name, "parent": str(organization.parent or "")}
    organization.kind, organization.name, organization.notes = kind, name.strip(), notes
    organization.parent = parent
    organization.save(update_fields=["kind", "name", "notes", "parent"])
    record_audit(actor, Verb.UPDATE, "organization", organization.public_id, before=before)
    return organization


@transaction.atomic
def do_add_site(
    actor: User, organization: Organization, area: Area, relation: str, *, added_on: date | None = None
) -> Site:
    """Record that the organization owns or manages a building, or employs people at a workplace."""
    _require_editor(actor)
    _require_in_scope(actor, [area])
    if area.kind not in SITE_KINDS:
        raise ValidationError(_("%s is not a building or a workplace.") % area.name)
    if organization.sites.filter(area=area, relation=relation, ended_on__isnull=True).exists():
        raise ValidationError(_("%s is already recorded.") % area.name)
    site = Site.objects.create(
        organization=organization, area=area, relation=relation, added_on=added_on or timezone.localdate()
    )
    record_audit(
        actor, Verb.UPDATE, "organization", organization.public_id, site=area.name, relation=relation
    )
    return site


@transaction.atomic
def do_add_workplace(actor: User, organization: Organization, *, name: str, within: Area) -> Site:
    """A workplace new to grassroots — a shop, a depot, a clinic — filed in the area tree under the
    street or area it stands in, as a place where the organization employs people."""
    _require_editor(actor)
    _require_in_scope(actor, [within])
    if not name.strip():
        raise ValidationError(_("Give the workplace a name."))
    if within.kind in (AreaKind.UNIT, WORKPLACE_KIND):
        raise ValidationError(_("Choose the street or area the workplace is in."))
    area = do_create_area(kind=WORKPLACE_KIND, name=name.strip(), parent=within)
    return do_add_site(actor, organization, area, Site.Relation.EMPLOYS)


@transaction.atomic
def do_end_site(actor: User, site: Site, *, ended_on: date | None = None) -> Site:
    """The building was sold, the shop closed: the site is kept with the date it ended."""
    _require_editor(actor)
    _require_in_scope(actor, [site.area])
    site.ended_on = ended_on or timezone.localdate()
    site.save(update_fields=["ended_on"])
    record_audit(actor, Verb.UPDATE, "organization", site.organization.public_id, ended_site=site.area.name)
    return site


@transaction.atomic
def do_delete_organization(actor: User, organization: Organization) -> bool:
    """Delete an organization nothing refers to; archive one with places, struggles or companies
    acting for it. Returns True when it was deleted, False when it was archived."""
    _require_editor(actor)
    has_history = (
        organization.sites.exists() or organization.struggles.exists() or organization.children.exists()
    )
    if has_history:
        if organization.archived_at is None:
            organization.archived_at = timezone.now()
            organization.save(update_fields=["archived_at"])
        record_audit(actor, Verb.UPDATE, "organization", organization.public_id, archived=True)
        return False
    record_audit(actor, Verb.DELETE, "organization", organization.public_id, name=organization.name)
    organization.delete()
    return True


# --- struggles ----------------------------------------------------------------------------------


@transaction.atomic
def do_create_struggle(
    actor: User,
    *,
    target: Organization,
    title: str,
    areas: Sequence[Area],
    committees: Sequence[Committee] = (),
    description: str = "",
    started_on: date | None = None,
    demands: Sequence[str] = (),
) -> Struggle:
    """A struggle fought in ``areas`` (buildings, workplaces, or a wider area), all in the actor's scope."""
    _require_editor(actor)
    if not title.strip():
        raise ValidationError(_("Give the struggle a title."))
    if not areas:
        raise ValidationError(_("Choose the buildings or workplaces where this struggle is fought."))
    _require_in_scope(actor, areas)
    struggle = Struggle.objects.create(
        target=target,
        title=title.strip(),
        description=description,
        started_on=started_on or timezone.localdate(),
        created_by=actor,
    )
    struggle.areas.set(areas)
    struggle.committees.set(committees)
    Demand.objects.bulk_create(
        Demand(struggle=struggle, text=text.strip(), position=i)
        for i, text in enumerate(demands)
        if text.strip()
    )
    record_audit(actor, Verb.CREATE, "struggle", struggle.public_id, target=target.name)
    return struggle


@transaction.atomic
def do_set_struggle_status(actor: User, struggle: Struggle, status: str) -> Struggle:
    _require_editor(actor)
    if status not in Struggle.Status.values:
        raise ValidationError(_("Choose a status."))
    before = struggle.status
    struggle.status = status
    struggle.save(update_fields=["status"])
    record_audit(actor, Verb.UPDATE, "struggle", struggle.public_id, before=before, status=status)
    return struggle


@transaction.atomic
def do_delete_struggle(actor: User, struggle: Struggle) -> bool:
    """Delete a struggle with nothing in it; archive one with demands, escalations or grievances.
    Returns True when it was deleted, False when it was archived."""
    _require_editor(actor)
    if struggle.demands.exists() or struggle.escalations.exists() or struggle.grievances.exists():
        if struggle.archived_at is None:
            struggle.archived_at = timezone.now()
            struggle.save(update_fields=["archived_at"])
        record_audit(actor, Verb.UPDATE, "struggle", struggle.public_id, archived=True)
        return False
    record_audit(actor, Verb.DELETE, "struggle", struggle.public_id, title=struggle.title)
    struggle.delete()
    return True


@transaction.atomic
def do_add_demand(actor: User, struggle: Struggle, text: str) -> Demand:
    _require_editor(actor)
    if not text.strip():
        raise ValidationError(_("Write the demand."))
    # The form sent twice (a double click, a reload) must not write the demand down twice.
    if struggle.demands.filter(text__iexact=text.strip()).exists():
        raise ValidationError(_("That demand is already written down."))
    position = struggle.demands.count()
    demand = Demand.objects.create(struggle=struggle, text=text.strip(), position=position)
    record_audit(actor, Verb.UPDATE, "struggle", struggle.public_id, demand=demand.text)
    return demand


@transaction.atomic
def do_set_demand_status(actor: User, demand: Demand, status: str, *, on: date | None = None) -> Demand:
    _require_editor(actor)
    if status not in Demand.Status.values:
        raise ValidationError(_("Choose a status."))
    demand.status = status
    demand.decided_on = None if status == Demand.Status.OPEN else (on or timezone.localdate())
    demand.save(update_fields=["status", "decided_on"])
    record_audit(actor, Verb.UPDATE, "struggle", demand.struggle.public_id, demand=demand.text, status=status)
    return demand


@transaction.atomic
def do_record_escalation(
    actor: User,
    struggle: Struggle,
    *,
    kind: str,
    occurred_on: date,
    description: str = "",
    participants: Sequence[Person] = (),
) -> Escalation:
    """One step of the struggle. Each participant also gets a ``struggle_action`` Action on their
    timeline, so the engagement ladder counts taking part like any other contact."""
    _require_editor(actor)
    if kind not in Escalation.Kind.values:
        raise ValidationError(_("Choose what kind of action this was."))
    for person in participants:
        _require_visible(actor, person, None)
    # The form sent twice would put the step on the timeline twice and count each participant's
    # taking part twice on the ladder; a second step of the same kind that day needs its own words.
    if struggle.escalations.filter(kind=kind, occurred_on=occurred_on, description=description).exists():
        raise ValidationError(
            _("This action is already on the timeline for that day: describe it if it was another one.")
        )
    escalation = Escalation.objects.create(
        struggle=struggle, kind=kind, occurred_on=occurred_on, description=description, recorded_by=actor
    )
    moment = timezone.make_aware(datetime.combine(occurred_on, time(12)))  # the day, at noon
    details = {
        "struggle": str(struggle.public_id),
        "struggle_title": struggle.title,
        "escalation": str(escalation.public_id),
        "escalation_kind": kind,
    }
    for person in dict.fromkeys(participants):  # each person once, in the order given
        action = do_record_action(
            actor, person, STRUGGLE_ACTION, occurred_at=moment, source="struggle", details=details
        )
        Participation.objects.create(escalation=escalation, person=person, action=action)
    record_audit(
        actor, Verb.CREATE, "escalation", escalation.public_id, kind=kind, participants=len(participants)
    )
    return escalation


# --- grievances ---------------------------------------------------------------------------------


@transaction.atomic
def do_open_grievance(
    actor: User,
    struggle: Struggle,
    *,
    category: str,
    summary: str,
    person: Person | None = None,
    household: Household | None = None,
    opened_on: date | None = None,
) -> Grievance:
    """A case for a person, a household or both; refused when the actor cannot see them."""
    _require_editor(actor)
    if person is None and household is None:
        raise ValidationError(_("Choose the person or household this grievance is for."))
    if category not in Grievance.Category.values:
        raise ValidationError(_("Choose a category."))
    if not summary.strip():
        raise ValidationError(_("Say in a line what the grievance is."))
    _require_visible(actor, person, household)
    # The form sent twice must not open the same case twice (and count it twice on the target's page).
    if struggle.grievances.filter(
        person=person,
        household=household,
        category=category,
        summary__iexact=summary.strip(),
        status__in=Grievance.OPEN_STATUSES,
    ).exists():
        raise ValidationError(_("This grievance is already open."))
    area = household.area if household is not None else person.area  # type: ignore[union-attr]
    grievance = Grievance.objects.create(
        struggle=struggle,
        person=person,
        household=household,
        area=area,
        category=category,
        summary=summary.strip(),
        opened_on=opened_on or timezone.localdate(),
        created_by=actor,
    )
    GrievanceStatusChange.objects.create(grievance=grievance, to_status=grievance.status, by=actor)
    record_audit(
        actor,
        Verb.CREATE,
        "grievance",
        grievance.public_id,
        person=str(getattr(person, "public_id", "")),
        household=str(getattr(household, "public_id", "")),
    )
    return grievance


@transaction.atomic
def do_set_grievance_status(
    actor: User, grievance: Grievance, status: str, *, note: str = "", on: date | None = None
) -> Grievance:
    """Move a grievance to another status, kept in its history; resolving or dropping closes it."""
    _require_editor(actor)
    _require_visible(actor, grievance.person, grievance.household)
    if status not in Grievance.Status.values:
        raise ValidationError(_("Choose a status."))
    if status == grievance.status:
        raise ValidationError(_("The grievance is already %s.") % grievance.get_status_display().lower())
    before = grievance.status
    grievance.status = status
    grievance.closed_on = None if status in Grievance.OPEN_STATUSES else (on or timezone.localdate())
    grievance.save(update_fields=["status", "closed_on"])
    GrievanceStatusChange.objects.create(
        grievance=grievance, from_status=before, to_status=status, note=note.strip()[:300], by=actor
    )
    record_audit(actor, Verb.UPDATE, "grievance", grievance.public_id, before=before, status=status)
    return grievance


@transaction.atomic
def do_add_evidence(
    actor: User, grievance: Grievance, text: str, *, noted_on: date | None = None
) -> EvidenceNote:
    _require_editor(actor)
    _require_visible(actor, grievance.person, grievance.household)
    if not text.strip():
        raise ValidationError(_("Write the evidence."))
    noted_on = noted_on or timezone.localdate()
    # The form sent twice must not note the same evidence twice.
    if grievance.evidence.filter(text=text.strip(), noted_on=noted_on).exists():
        raise ValidationError(_("That evidence is already noted."))
    note = EvidenceNote.objects.create(grievance=grievance, text=text.strip(), noted_on=noted_on, by=actor)
    record_audit(actor, Verb.UPDATE, "grievance", grievance.public_id, evidence=note.pk)
    return note
