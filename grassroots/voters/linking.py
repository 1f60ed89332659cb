"""Linking voter records to people: match, link the sure ones, queue the grey zone, create the rest.

A record is linked to an existing person only above the matcher's link threshold.
In the grey zone the record gets a person of its own and a MatchReview is queued:
accepting it merges the two people, so no one is merged below the threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.lib.phones import PhoneError, normalize_phone
from grassroots.people.actions import do_merge_people
from grassroots.people.models import EmailAddress, Person, PhoneNumber
from grassroots.voters.bulk import EncodedJson, insert_rows
from grassroots.voters.matching import MatchRecord, MatchResult, match
from grassroots.voters.models import MatchReview, VoterImport, VoterRecord

CHUNK = 20_000


def _name(text: str) -> str:
    """Voter files shout (MARIA DE LA CRUZ): show names the way people write them."""
    return text.title() if text.isupper() else text


class NewRecord(NamedTuple):
    """What linking reads of a voter record not yet tied to a person (one values row, no model)."""

    pk: int
    first_name: str
    middle_name: str
    last_name: str
    suffix: str
    birth_date: date | None
    birth_year: int | None
    postal_code: str
    phone: str
    email: str
    area_id: int
    household_id: int | None
    address_line: str | None  # of the household
    unit: str | None


# VoterRecord lookups in NewRecord's order.
_NEW_RECORD_VALUES = (
    *NewRecord._fields[:-2],
    "household__address_line",
    "household__unit",
)


def record_for_match(record: VoterRecord) -> MatchRecord:
    return MatchRecord(
        id=str(record.pk),
        first_name=record.first_name,
        last_name=record.last_name,
        middle_name=record.middle_name,
        birth_date=record.birth_date,
        birth_year=record.birth_year,
        address_line=record.household.address_line if record.household else "",
        unit=record.household.unit if record.household else "",
        postal_code=record.postal_code[:5],
        phone=voter_phone(record.phone),
        email=record.email.lower(),
    )


def new_record_for_match(record: NewRecord) -> MatchRecord:
    """record_for_match for the values linking reads."""
    return MatchRecord(
        id=str(record.pk),
        first_name=record.first_name,
        last_name=record.last_name,
        middle_name=record.middle_name,
        birth_date=record.birth_date,
        birth_year=record.birth_year,
        address_line=record.address_line or "",
        unit=record.unit or "",
        postal_code=record.postal_code[:5],
        phone=voter_phone(record.phone),
        email=record.email.lower(),
    )


def person_for_match(person: Person) -> MatchRecord:
    household = person.household
    emails = [e.address for e in person.emails.all()]
    phones = [p.number for p in person.phones.all()]
    return MatchRecord(
        id=str(person.pk),
        first_name=person.first_name,
        last_name=person.last_name,
        middle_name=person.middle_name,
        birth_year=int(person.custom_fields["birth_year"])
        if str(person.custom_fields.get("birth_year", "")).isdigit()
        else None,
        address_line=household.address_line if household else "",
        unit=household.unit if household else "",
        postal_code=household.postal_code if household else "",
        phone=voter_phone(phones[0]) if phones else "",
        email=emails[0] if emails else "",
    )


NO_FIELDS = EncodedJson("{}")


def voter_phone(text: str) -> str:
    """A voter file's phone in E.164, or "" when there is none that is valid."""
    if not text:
        return ""
    try:
        return normalize_phone(text)
    except PhoneError:
        return ""


def unlinked_people() -> QuerySet[Person]:
    """People who came from forms, events or canvassing and are not yet tied to a voter record."""
    return (
        Person.objects.filter(merged_into__isnull=True, voter_records__isnull=True)
        .select_related("household")
        .prefetch_related("emails", "phones")
    )


def link_new_records(job: VoterImport) -> None:
    # The people waiting for a record are read once there is a record to match them with: an
    # import that gave every record its person as it saved it has none, and reading its people
    # would go through every person of the file.
    people: dict[str, Person] | None = None
    right: list[MatchRecord] = []
    claimed: set[str] = set()
    after = 0  # every record of a chunk leaves it with a person: the next chunk starts past it
    while True:
        unlinked = VoterRecord.objects.filter(state=job.state, person__isnull=True, pk__gt=after).order_by(
            "pk"
        )
        chunk = [NewRecord._make(values) for values in unlinked.values_list(*_NEW_RECORD_VALUES)[:CHUNK]]
        if not chunk:
            break
        if people is None:
            people = {str(p.pk): p for p in unlinked_people()}
            right = [person_for_match(p) for p in people.values()]
        after = chunk[-1].pk
        results = (
            {r.left_id: r for r in match([new_record_for_match(r) for r in chunk], right)} if right else {}
        )
        _link_chunk(job, chunk, results, people, claimed)


_PERSON_COLUMNS = (
    "first_name", "middle_name", "last_name", "suffix", "household_id", "area_id", "custom_fields",
    "created_at", "updated_at",
)  # fmt: skip


@transaction.atomic
def _link_chunk(
    job: VoterImport,
    chunk: list[NewRecord],
    results: dict[str, MatchResult],
    people: dict[str, Person],
    claimed: set[str],
) -> None:
    to_create: list[NewRecord] = []
    reviews: list[MatchReview] = []
    linked: list[tuple[int, int]] = []  # (person pk, record pk)
    for record in chunk:
        result = results.get(str(record.pk))
        if result is not None and result.decision == "link" and result.right_id not in claimed:
            claimed.add(result.right_id)
            linked.append((people[result.right_id].pk, record.pk))
            continue
        to_create.append(record)
        if result is not None and result.decision in {"review", "link"}:
            reviews.append(
                MatchReview(
                    record_id=record.pk,
                    person=people[result.right_id],
                    weight=result.weight,
                    probability=result.probability,
                    explanation=list(result.explanation),
                )
            )
    person_ids = create_people(to_create)
    _set_people([*zip(person_ids, (r.pk for r in to_create), strict=True), *linked])
    MatchReview.objects.bulk_create(reviews, ignore_conflicts=True)
    job.people_created += len(to_create)
    job.people_linked += len(linked)
    job.sent_to_review += len(reviews)


def create_people(records: Sequence[NewRecord], phones: Sequence[str] | None = None) -> list[int]:
    """A new person for each record (its ``pk`` unused), with the record's e-mail and phone;
    returns their primary keys, in order. ``phones``: the records' phones already normalized
    (voter_phone), when the caller has them. Runs inside the caller's transaction."""
    now = timezone.now()  # one moment for the people of one call, as one transaction does
    person_ids, _ = insert_rows(
        Person,
        _PERSON_COLUMNS,
        [
            (
                _name(r.first_name),
                _name(r.middle_name),
                _name(r.last_name),
                r.suffix,
                r.household_id,
                r.area_id,
                EncodedJson(f'{{"birth_year": {r.birth_year:d}}}') if r.birth_year else NO_FIELDS,
                now,
                now,
            )
            for r in records
        ],
    )
    numbers = phones if phones is not None else [voter_phone(r.phone) for r in records]
    emails, phone_rows = [], []
    for record, number, person_id in zip(records, numbers, person_ids, strict=True):
        if record.email and "@" in record.email:
            emails.append((person_id, record.email.lower(), True))
        if number:
            phone_rows.append((person_id, number, True))
    insert_rows(EmailAddress, ("person_id", "address", "is_primary"), emails, ignore_conflicts=True)
    insert_rows(PhoneNumber, ("person_id", "number", "is_primary"), phone_rows, ignore_conflicts=True)
    return person_ids


def _set_people(pairs: list[tuple[int, int]]) -> None:
    """Tie voter records to people: (person pk, record pk) pairs, in one statement on PostgreSQL."""
    if not pairs:
        return
    table = connection.ops.quote_name(VoterRecord._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            people, records = zip(*pairs, strict=True)
            cursor.execute(
                f"UPDATE {table} SET person_id = v.person FROM unnest(%s::bigint[], %s::bigint[]) "  # noqa: S608
                f"AS v(person, record) WHERE {table}.id = v.record",
                [list(people), list(records)],
            )
        else:
            cursor.executemany(f"UPDATE {table} SET person_id = %s WHERE id = %s", pairs)  # noqa: S608


@transaction.atomic
def do_decide_review(actor: User, review: MatchReview, decision: str) -> MatchReview:
    """Record an organizer's decision; "accepted" merges the record's own person into the matched one."""
    if review.decision == MatchReview.Decision.ACCEPTED:
        return review
    review.decision, review.decided_by, review.decided_at = decision, actor, timezone.now()
    review.save(update_fields=["decision", "decided_by", "decided_at"])
    if decision == MatchReview.Decision.ACCEPTED and review.other_person is not None:
        do_merge_people(actor, review.person, review.other_person)
    elif decision == MatchReview.Decision.ACCEPTED and review.record is not None:
        record = review.record
        if record.person_id and record.person_id != review.person_id:
            assert record.person is not None
            do_merge_people(actor, review.person, record.person)
        record.person = review.person
        record.save(update_fields=["person"])
    record_audit(actor, AuditEntry.Verb.UPDATE, "match_review", review.public_id, decision=decision)
    return review
