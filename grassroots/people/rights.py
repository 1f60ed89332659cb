"""A person's rights over what we hold about them: all of it in one export, and erasure on request.

Both start from the models themselves: every table with a foreign key to Person (found through
Django's app registry) is part of a person's record, so a table an app adds later is exported
and erased without being listed here. The lists below only say what is done with some of them.

Erasure keeps the person's row as a nameless tombstone (``Person.erased_at``) and keeps every
row that points at it: Actions, RSVPs, attendances, memberships, spells on the ladder. Those
rows are what the figures count (turnout by area, the funnel, an event's attendance), so the
figures are the same before and after; what made the rows about *someone* — names, contact
points, addresses typed on forms, notes and free-text answers — is removed or blanked.
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from grassroots.people.models import Person

ERASED = "[erased]"

# Rows that exist only to say something about the person: deleted with their contact points.
DELETED = {
    "people.EmailAddress",
    "people.PhoneNumber",
    "people.Consent",
    "people.Tagging",
    "voters.MatchReview",
}
# Fields that hold what the person typed or was heard saying about themselves, blanked on the rows
# that are theirs (the field named links to them): the name, email and phone typed on an RSVP.
BLANKED = {
    ("events.RSVP", "person"): ("name", "email", "phone"),
    ("events.Submission", "person"): ("name", "email", "phone", "answers"),
    ("events.AgendaItem", "presenter"): ("presenter_name",),
    ("canvass.Visit", "person"): ("note",),
    ("voters.VoterRecord", "person"): (
        "first_name",
        "middle_name",
        "last_name",
        "suffix",
        "birth_date",
        "street_line",
        "unit",
        "phone",
        "email",
        "raw",
    ),
}
# Never exported: a login's password hash is nobody's business, not even its owner's.
NOT_EXPORTED = {"password"}
# A row that is another person's (their RSVP, their signature, a match review of theirs) and
# points at this person too (she brought them; she was their possible duplicate) is exported
# with these fields only: what she had to do with it and when, nothing of the other person.
OF_ANOTHER_PERSON = {
    "id", "public_id", "event", "shift", "form", "status", "source", "created_at", "weight",
    "probability", "decision", "decided_at",
}  # fmt: skip
# Tables searched through for the person's full name, emails and phone numbers are every table
# but these, whose rows are the state's voter roll (tens of millions of rows, reached through
# the person's own voter records instead) or hold nothing typed by anyone.
NOT_SEARCHED = {
    "voters.VoterRecord",
    "voters.VoteHistory",
    "voters.VoterRecordChange",
    "sessions.Session",
    "contenttypes.ContentType",
    "auth.Permission",
}
TEXT_TYPES = {"CharField", "TextField", "EmailField", "JSONField"}


# -- what belongs to a person ---------------------------------------------------------------


def person_links() -> list[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every (model, foreign key) whose rows point at a person, the through tables of
    many-to-many fields included, in a stable order."""
    links = [
        (model, field)
        for model in apps.get_models(include_auto_created=True)
        if model is not Person
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is Person
    ]
    return sorted(links, key=lambda link: (link[0]._meta.label, link[1].name))


def merge_group(person: Person) -> list[Person]:
    """The person and every record merged into them, however many merges ago: one human being."""
    group, frontier = [person], [person.pk]
    while frontier:
        found = list(Person.objects.filter(merged_into_id__in=frontier).exclude(pk__in=[p.pk for p in group]))
        group += found
        frontier = [p.pk for p in found]
    return group


def _section(model: type[models.Model], field: models.Field[Any, Any]) -> str:
    label = model._meta.label
    return label if field.name == "person" else f"{label}.{field.name}"


# -- export ---------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _rows(queryset: models.QuerySet[Any], only: set[str] | None = None) -> list[dict[str, Any]]:
    """The rows as plain dicts (``only``: these fields alone); a foreign key is given as the public
    id of what it names, when that has one (the ids people see), else as its key."""
    model = queryset.model
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in NOT_EXPORTED and (only is None or f.name in only)
    ]
    rows = list(queryset.order_by("pk").values(*[f.attname for f in fields]))
    for field in fields:
        target = field.related_model if field.is_relation else None
        if target is None or not any(f.name == "public_id" for f in target._meta.concrete_fields):
            continue
        keys = {row[field.attname] for row in rows} - {None}
        public = dict(target._base_manager.filter(pk__in=keys).values_list("pk", "public_id"))
        for row in rows:
            if row[field.attname] is not None:
                row[field.attname] = public.get(row[field.attname])
    return [{f.name: _plain(row[f.attname]) for f in fields} for row in rows]


def person_record(person: Person) -> dict[str, list[dict[str, Any]]]:
    """Everything held about one person, table by table: their row (and those merged into it), their
    household and areas, and every row of every table that points at them."""
    from grassroots.accounts.models import AuditEntry
    from grassroots.places.models import Area, Household
    from grassroots.voters.models import VoteHistory, VoterRecord

    group = merge_group(person)
    pks = [p.pk for p in group]
    record: dict[str, list[dict[str, Any]]] = {"people.Person": _rows(Person.objects.filter(pk__in=pks))}
    households = {p.household_id for p in group} - {None}
    record["places.Household"] = _rows(Household.objects.filter(pk__in=households))
    area_ids = {a.pk for p in group for a in (*p.area.ancestors(), p.area)}
    record["places.Area"] = _rows(Area.objects.filter(pk__in=area_ids))
    for model, field in person_links():
        # A row with a person of its own, reached through another of its links, is that person's.
        theirs = field.name != "person" and any(f.name == "person" for f in model._meta.concrete_fields)
        only = OF_ANOTHER_PERSON | {field.name} if theirs else None
        rows = _rows(model._base_manager.filter(**{f"{field.name}__in": pks}), only)
        if rows:
            record[_section(model, field)] = rows
    voter_records = VoterRecord.objects.filter(person__in=pks)
    record["voters.VoteHistory"] = _rows(VoteHistory.objects.filter(record__in=voter_records))
    # Who looked at or changed their record, and when: what was done with their data.
    about = AuditEntry.objects.filter(object_type="person", object_id__in=[str(p.public_id) for p in group])
    record["accounts.AuditEntry"] = [
        {"at": _plain(at), "verb": verb, "by": actor or ""}
        for at, verb, actor in about.order_by("at", "pk").values_list("at", "verb", "actor__username")
    ]
    return {name: rows for name, rows in record.items() if rows}


def record_json(record: dict[str, list[dict[str, Any]]]) -> str:
    return json.dumps(record, ensure_ascii=False, indent=2, sort_keys=True)


def record_csv_rows(record: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, int, str, Any]]:
    """The record as (table, row, field, value) lines: one shape for every table, for a spreadsheet."""
    for table, rows in record.items():
        for number, row in enumerate(rows, start=1):
            for name, value in row.items():
                shown = value if isinstance(value, str | int | float) or value is None else json.dumps(value)
                yield table, number, name, "" if shown is None else shown


CSV_HEADER = ("table", "row", "field", "value")


# -- erasure --------------------------------------------------------------------------------


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({w.strip() for w in words if len(w.strip()) >= 2}, key=len, reverse=True)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _national(number: str) -> str:
    """+17185550101 -> 7185550101: how a phone number is often typed in a note."""
    return number[2:] if number.startswith("+1") else number.lstrip("+")


class Needles:
    """What to look for: ``strong`` (full names, emails, phone numbers) is searched for through the
    whole database; ``every`` adds first and last names alone, scrubbed only from the person's rows."""

    def __init__(self, people: Sequence[Person]) -> None:
        from grassroots.events.models import RSVP, Submission
        from grassroots.voters.models import VoterRecord

        names: set[tuple[str, ...]] = {(p.first_name, p.middle_name, p.last_name, p.suffix) for p in people}
        names |= set(
            VoterRecord.objects.filter(person__in=people).values_list(
                "first_name", "middle_name", "last_name", "suffix"
            )
        )
        contacts: set[str] = set()
        for p in people:
            contacts |= set(p.emails.values_list("address", flat=True))
            phones = set(p.phones.values_list("number", flat=True))
            contacts |= phones | {_national(n) for n in phones}
        for model in (RSVP, Submission):
            for name, email, phone in model.objects.filter(person__in=people).values_list(
                "name", "email", "phone"
            ):
                names.add((name,))
                contacts |= {email, phone, _national(phone)} - {""}
        full = {" ".join(n for n in parts if n) for parts in names}
        full |= {f"{parts[0]} {parts[2]}" for parts in names if len(parts) == 4 and parts[0] and parts[2]}
        full = {f for f in full if " " in f}  # a single word is in ``every`` only
        single = {word for parts in names for part in parts for word in part.split() if len(word) >= 2}
        self.strong_words = sorted(full | contacts)
        self.strong = _pattern(self.strong_words)
        self.every = _pattern([*self.strong_words, *single])


def scrub(value: Any, pattern: re.Pattern[str] | None) -> Any:
    """``value`` with every match of ``pattern`` replaced, inside lists and objects too."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: scrub(v, pattern) for k, v in value.items()}
    return value


def _text_fields(model: type[models.Model], *, others: bool = False) -> list[models.Field[Any, Any]]:
    """The fields of ``model`` that may hold words. ``others``: leave out those that say who someone
    is (a name typed on an RSVP, a contact point), which on another person's rows name a namesake."""
    identity = {name for (label, _), names in BLANKED.items() if label == model._meta.label for name in names}
    return [
        f
        for f in model._meta.concrete_fields
        if f.get_internal_type() in TEXT_TYPES
        and not f.choices
        and not f.primary_key
        and not (others and f.name in identity)
    ]


def _fit(field: models.Field[Any, Any], value: Any) -> Any:
    if isinstance(value, str) and field.max_length:
        return value[: field.max_length]
    return value


def _blank(field: models.Field[Any, Any]) -> Any:
    if field.get_internal_type() == "JSONField":
        return field.get_default()
    return None if field.null else ""


def _scrub_rows(
    queryset: models.QuerySet[Any],
    pattern: re.Pattern[str] | None,
    *,
    blanked: Sequence[str] = (),
    text_answers: frozenset[str] = frozenset(),
    others: bool = False,
) -> int:
    """Scrub ``pattern`` out of the rows' text, blank the ``blanked`` fields and drop free-text
    answers; returns how many rows changed."""
    model = queryset.model
    fields = _text_fields(model, others=others)
    by_name = {f.name: f for f in model._meta.concrete_fields}
    changed = 0
    for row in queryset.only("pk", *[f.name for f in fields]).iterator():
        changes: dict[str, Any] = {}
        for field in fields:
            old = getattr(row, field.attname)
            new = _fit(field, scrub(old, pattern))
            if field.name in ("answers", "details") and text_answers and isinstance(new, dict):
                new = _without_text_answers(new, text_answers)
            if new != old:
                changes[field.attname] = new
        for name in blanked:
            field = by_name[name]
            if getattr(row, field.attname) != _blank(field):
                changes[field.attname] = _blank(field)
        if changes:
            model._base_manager.filter(pk=row.pk).update(**changes)
            changed += 1
    return changed


def _without_text_answers(value: dict[str, Any], keys: frozenset[str]) -> dict[str, Any]:
    """A visit's answers (or an Action's details holding them) without the free-text ones."""
    if "answers" in value and isinstance(value["answers"], dict):
        return {**value, "answers": _without_text_answers(value["answers"], keys)}
    return {k: v for k, v in value.items() if not (k in keys and isinstance(v, str))}


def _search(model: type[models.Model], needles: Needles) -> models.QuerySet[Any]:
    """The rows of ``model`` whose text holds one of the strong needles, found by the database."""
    queryset = model._base_manager.all()
    query = Q(pk__in=[])
    for field in _text_fields(model, others=True):
        column = field.name
        if field.get_internal_type() == "JSONField":
            column = f"_text_{field.name}"
            queryset = queryset.annotate(**{column: Cast(field.name, TextField())})
        for word in needles.strong_words:
            # JSON stored as text escapes what is not ASCII (SQLite): look for both spellings.
            for spelling in {word, json.dumps(word)[1:-1]}:
                query |= Q(**{f"{column}__icontains": spelling})
    return queryset.filter(query)


def erase_record(people: Sequence[Person]) -> dict[str, int]:
    """Erase what names ``people`` (one human being: a person and those merged into them) from the
    database; returns how many rows of each table were deleted or changed. Call inside a transaction."""
    from grassroots.accounts.models import AuditEntry, User
    from grassroots.canvass.models import Question, Visit
    from grassroots.voters.models import VoterRecordChange

    needles = Needles(people)
    pks = [p.pk for p in people]
    text_answers = frozenset(Question.objects.filter(kind=Question.Kind.TEXT).values_list("key", flat=True))
    counts: dict[str, int] = {}
    for model, field in person_links():
        label = model._meta.label
        rows = model._base_manager.filter(**{f"{field.name}__in": pks})
        if label in DELETED:
            deleted = rows.delete()[0]
        elif model is User:
            deleted = 0
            for user in User.objects.filter(pk__in=rows.values("pk")):
                user.username, user.first_name, user.last_name, user.email = f"erased-{user.pk}", "", "", ""
                user.is_active = False
                user.set_unusable_password()
                user.save(
                    update_fields=["username", "first_name", "last_name", "email", "is_active", "password"]
                )
            counts[label] = counts.get(label, 0) + len(rows)
            continue
        else:
            if label == "voters.VoterRecord":
                VoterRecordChange.objects.filter(record__in=rows).delete()
            deleted = _scrub_rows(
                rows, needles.every, blanked=BLANKED.get((label, field.name), ()), text_answers=text_answers
            )
        if deleted:
            counts[label] = counts.get(label, 0) + deleted
    # Notes left at their door when no one was named ("Ana said to come back") name them too.
    households = {p.household_id for p in people} - {None}
    _scrub_rows(Visit.objects.filter(household__in=households, person=None), needles.every)
    # What was logged about them: the names before an edit, a merge's other name.
    about = AuditEntry.objects.filter(object_type="person", object_id__in=[str(p.public_id) for p in people])
    _scrub_rows(about, needles.every)
    # Everything else that mentions them by full name, email or phone: audit details, minutes...
    # (not who other people are: a namesake keeps their name and their email).
    if needles.strong is not None:
        for model in apps.get_models():
            skip = model._meta.label in NOT_SEARCHED | DELETED or model in (Person, User)
            if skip or not _text_fields(model, others=True):
                continue
            changed = _scrub_rows(_search(model, needles), needles.strong, others=True)
            if changed:
                counts[model._meta.label] = counts.get(model._meta.label, 0) + changed
    now = timezone.now()
    Person.objects.filter(pk__in=pks).update(
        first_name=ERASED,
        middle_name="",
        last_name="",
        suffix="",
        custom_fields={},
        household=None,
        erased_at=now,
        updated_at=now,
    )
    counts["people.Person"] = len(pks)
    return counts
