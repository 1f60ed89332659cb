"""Every write of people: create, update, tag, record an action, merge.

Each function runs in one transaction and writes its audit entry, so a failure
leaves nothing half-saved. Views, importers, the API and the admin call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.lib.addresses import Address
from grassroots.people import merge
from grassroots.people.models import Action, Channel, Consent, EmailAddress, Person, PhoneNumber, Tag, Tagging
from grassroots.places.actions import resolve_household
from grassroots.places.models import Area

Verb = AuditEntry.Verb


@dataclass
class PersonData:
    """What a form, an import or the API says about a person (already validated and normalized)."""

    first_name: str
    last_name: str = ""
    middle_name: str = ""
    suffix: str = ""
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)  # E.164
    address: Address | None = None
    area: Area | None = None  # where to file the person when the address is new or missing
    tags: list[str] = field(default_factory=list)
    consents: dict[str, bool] = field(default_factory=dict)
    consent_wording: str = ""  # what the person agreed to, word for word
    # They asked not to be contacted at all: a refusal is recorded on every channel, even those
    # they never answered on (an unticked box alone is no answer).
    do_not_contact: bool = False
    custom_fields: dict[str, Any] = field(default_factory=dict)


def _check_scope(actor: User | None, area: Area) -> None:
    # No actor: a person signing themselves up on a public page, whom no user's scope limits.
    if actor is not None and not access.area_in_scope(actor, area):
        raise ValidationError(f"{area.name} is outside the areas you work in.")


def _place(actor: User | None, data: PersonData) -> tuple[Any, Area]:
    """The household and area for a person, refusing places outside the actor's scope."""
    if data.address is not None:
        fallback = data.area
        if fallback is not None:
            _check_scope(actor, fallback)
        try:
            household = resolve_household(data.address, fallback)
        except ValueError as exc:
            raise ValidationError("Choose the area this new address belongs to.") from exc
        _check_scope(actor, household.area)
        return household, household.area
    if data.area is None:
        raise ValidationError("Give an address or choose an area for this person.")
    _check_scope(actor, data.area)
    return None, data.area


def _set_tags(person: Person, names: Iterable[str]) -> None:
    tags = [Tag.objects.get_or_create(name=name.strip())[0] for name in names if name.strip()]
    person.tags.set(tags)


def _set_contacts(person: Person, emails: list[str], phones: list[str]) -> None:
    """The person's emails and phones become these, the first of each their primary one (the
    one written to), whichever were already known."""
    emails, phones = list(dict.fromkeys(emails)), list(dict.fromkeys(phones))
    person.emails.exclude(address__in=emails).delete()
    known = set(person.emails.values_list("address", flat=True))
    EmailAddress.objects.bulk_create(EmailAddress(person=person, address=e) for e in emails if e not in known)
    person.emails.update(is_primary=Q(address=emails[0]) if emails else False)
    person.phones.exclude(number__in=phones).delete()
    known = set(person.phones.values_list("number", flat=True))
    PhoneNumber.objects.bulk_create(PhoneNumber(person=person, number=p) for p in phones if p not in known)
    person.phones.update(is_primary=Q(number=phones[0]) if phones else False)


def _set_consents(
    person: Person, consents: Mapping[str, bool], source: str, wording: str = "", *, refusals: bool = False
) -> None:
    """Record the answers; ``refusals``: a False is a refusal even where there was no answer before."""
    now = timezone.now()
    current = {c.channel: c for c in person.consents.all()}
    for channel, granted in consents.items():
        old = current.get(channel)
        if old is None and not granted and not refusals:
            continue  # an unticked box on a new record is no answer, not a refusal
        if old is None:
            Consent.objects.create(
                person=person,
                channel=channel,
                granted=granted,
                recorded_at=now,
                source=source,
                wording=wording,
            )
        elif old.granted != granted or (wording and old.wording != wording):
            old.granted, old.recorded_at, old.source, old.wording = granted, now, source, wording
            old.save(update_fields=["granted", "recorded_at", "source", "wording"])


def _consents(data: PersonData) -> Mapping[str, bool]:
    if data.do_not_contact:
        return dict.fromkeys(Channel.values, False)
    return data.consents


@transaction.atomic
def do_withdraw_consent(
    actor: User | None, person: Person, channels: Iterable[str] | None = None, *, source: str
) -> None:
    """The person asked not to be contacted on ``channels`` (all of them by default): each is
    recorded as refused, whether or not they had agreed before. Every outreach path reads it."""
    chosen = list(channels) if channels is not None else list(Channel.values)
    _set_consents(person, dict.fromkeys(chosen, False), source, refusals=True)
    record_audit(actor, Verb.UPDATE, "person", person.public_id, source=source, withdrawn=chosen)


@transaction.atomic
def do_create_person(actor: User | None, data: PersonData, *, source: str = "form") -> Person:
    household, area = _place(actor, data)
    person = Person.objects.create(
        first_name=data.first_name,
        middle_name=data.middle_name,
        last_name=data.last_name,
        suffix=data.suffix,
        household=household,
        area=area,
        custom_fields=data.custom_fields,
    )
    _set_contacts(person, data.emails, data.phones)
    _set_tags(person, data.tags)
    _set_consents(person, _consents(data), source, data.consent_wording, refusals=data.do_not_contact)
    Action.objects.create(person=person, kind="created", area=area, recorded_by=actor, source=source)
    record_audit(actor, Verb.CREATE, "person", person.public_id, source=source)
    return person


@transaction.atomic
def do_update_person(actor: User, person: Person, data: PersonData, *, source: str = "form") -> Person:
    household, area = _place(actor, data)
    before = {"name": person.full_name, "area": person.area.name}
    person.first_name, person.middle_name = data.first_name, data.middle_name
    person.last_name, person.suffix = data.last_name, data.suffix
    person.household, person.area = household, area
    person.custom_fields = data.custom_fields
    person.updated_at = timezone.now()
    person.save()
    _set_contacts(person, data.emails, data.phones)
    _set_tags(person, data.tags)
    _set_consents(person, _consents(data), source, refusals=data.do_not_contact)
    record_audit(actor, Verb.UPDATE, "person", person.public_id, source=source, before=before)
    return person


@transaction.atomic
def do_record_consents(
    actor: User | None, person: Person, consents: Mapping[str, bool], *, source: str, wording: str = ""
) -> None:
    """Record what a person agreed to (a sign-up form's ticked boxes), with the words they agreed to."""
    _set_consents(person, consents, source, wording)
    record_audit(actor, Verb.UPDATE, "person", person.public_id, source=source, consents=dict(consents))


@transaction.atomic
def do_tag_people(actor: User, people: Iterable[Person], tag_name: str) -> int:
    """Add one tag to many people; returns how many gained it."""
    tag_name = tag_name.strip()
    if not tag_name:
        raise ValidationError("Give a tag.")
    tag, _ = Tag.objects.get_or_create(name=tag_name)
    ids = [p.pk for p in people]
    already = set(tag.people.filter(pk__in=ids).values_list("pk", flat=True))
    new = [pk for pk in ids if pk not in already]
    Person.tags.through.objects.bulk_create(Person.tags.through(person_id=pk, tag_id=tag.pk) for pk in new)
    record_audit(actor, Verb.UPDATE, "person", "", tag=tag_name, count=len(new))
    return len(new)


@transaction.atomic
def do_untag_person(actor: User, person: Person, tag: Tag) -> bool:
    """Take one tag off one person; returns whether they had it."""
    removed, _ = Tagging.objects.filter(person=person, tag=tag).delete()
    if removed:
        record_audit(actor, Verb.UPDATE, "person", person.public_id, untagged=tag.name)
    return bool(removed)


def do_record_action(
    actor: User | None,
    person: Person,
    kind: str,
    *,
    occurred_at: datetime | None = None,
    area: Area | None = None,
    source: str = "",
    details: dict[str, Any] | None = None,
) -> Action:
    return Action.objects.create(
        person=person,
        kind=kind,
        occurred_at=occurred_at or timezone.now(),
        area=area or person.area,
        recorded_by=actor,
        source=source,
        details=details or {},
    )


@transaction.atomic
def do_merge_people(actor: User | None, survivor: Person, other: Person) -> Person:
    """Fold ``other`` into ``survivor``: every row pointing at ``other`` moves (people.merge), from
    actions, tags, contact points, consents and voter records to committee memberships and RSVPs.

    ``other`` keeps its row as a tombstone pointing at the survivor, so old links
    still lead somewhere and the merge can be seen on both timelines. ``actor`` is None
    only for grassroots' own merges (a match above the matcher's threshold), which no
    user's scope limits.
    """
    if survivor.pk == other.pk:
        raise ValidationError("A person cannot be merged with themselves.")
    # Lock both rows so two merges of the same people cannot interleave.
    locked = {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk])}
    if any(p.merged_into_id for p in locked.values()):
        raise ValidationError("One of these people was already merged into someone else.")
    if actor is not None:
        for person in (survivor, other):
            _check_scope(actor, person.area)

    # Every row of every table pointing at ``other`` (people.merge says what is folded, joined or
    # left on the tombstone where a row cannot simply move).
    moved = merge.move_everything(survivor, other)
    for key, value in other.custom_fields.items():
        survivor.custom_fields.setdefault(key, value)
    for name_field in ("middle_name", "last_name", "suffix"):
        if not getattr(survivor, name_field) and getattr(other, name_field):
            setattr(survivor, name_field, getattr(other, name_field))
    if survivor.household_id is None and other.household_id is not None:
        survivor.household_id, survivor.area_id = other.household_id, other.area_id
    survivor.updated_at = timezone.now()
    survivor.save()
    other.merged_into = survivor
    other.save(update_fields=["merged_into"])

    details = {
        "merged": str(other.public_id),
        "merged_name": other.full_name,
        "actions_moved": moved.get("people.Action.person", 0),
        "moved": moved,
    }
    do_record_action(actor, survivor, "merged", source="merge", details=details)
    record_audit(actor, Verb.MERGE, "person", survivor.public_id, **details)
    return survivor


@transaction.atomic
def do_erase_person(actor: User | None, person: Person, *, source: str = "form") -> dict[str, int]:
    """Forget a person on their request (people.rights): names, contact points, notes and free-text
    answers go; their row stays as a nameless tombstone, so every Action of theirs still counts.
    Returns how many rows of each table were deleted or changed; the audit entry says the same."""
    from grassroots.people import rights

    if person.erased_at is not None:
        raise ValidationError("This person was already erased.")
    group = rights.merge_group(person)
    counts = rights.erase_record(group)
    record_audit(
        actor,
        Verb.DELETE,
        "person",
        person.public_id,
        source=source,
        erased=True,
        merged=[str(p.public_id) for p in group if p.pk != person.pk],
        rows=counts,
    )
    return counts


def do_export_person(actor: User | None, person: Person, *, fmt: str, source: str = "form") -> dict[str, Any]:
    """Everything held about a person (people.rights.person_record), with the export audited."""
    from grassroots.people import rights

    record = rights.person_record(person)
    record_audit(
        actor,
        Verb.EXPORT,
        "person",
        person.public_id,
        source=source,
        format=fmt,
        tables=sorted(record),
    )
    return record
