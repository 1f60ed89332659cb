"""Linking voter records to people: match, link the sure ones, queue the grey zone, create the rest.

A record is linked to an existing person only above the matcher's link threshold.
In the grey zone the record gets a person of its own and a MatchReview is queued:
accepting it merges the two people, so no one is merged below the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.lib.phones import PhoneError, normalize_phone
from grassroots.people.actions import do_merge_people
from grassroots.people.models import EmailAddress, Person, PhoneNumber
from grassroots.voters.matching import MatchRecord, match
from grassroots.voters.models import MatchReview, VoterImport, VoterRecord

CHUNK = 20_000


def _name(text: str) -> str:
    """Voter files shout (MARIA DE LA CRUZ): show names the way people write them."""
    return text.title() if text.isupper() else text


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
        phone=_phone(record.phone),
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
        phone=_phone(phones[0]) if phones else "",
        email=emails[0] if emails else "",
    )


def _phone(text: str) -> str:
    if not text:
        return ""
    try:
        return normalize_phone(text)
    except PhoneError:
        return ""


def unlinked_people() -> Iterable[Person]:
    """People who came from forms, events or canvassing and are not yet tied to a voter record."""
    return (
        Person.objects.filter(merged_into__isnull=True, voter_records__isnull=True)
        .select_related("household")
        .prefetch_related("emails", "phones")
    )


def link_new_records(job: VoterImport) -> None:
    people = {str(p.pk): p for p in unlinked_people()}
    right = [person_for_match(p) for p in people.values()]
    claimed: set[str] = set()
    while True:
        chunk = list(
            VoterRecord.objects.filter(state=job.state, person__isnull=True)
            .select_related("household")
            .order_by("pk")[:CHUNK]
        )
        if not chunk:
            break
        results = {r.left_id: r for r in match([record_for_match(r) for r in chunk], right)} if right else {}
        _link_chunk(job, chunk, results, people, claimed)


@transaction.atomic
def _link_chunk(job, chunk, results, people, claimed) -> None:
    to_create: list[tuple[VoterRecord, Person]] = []
    reviews: list[MatchReview] = []
    linked: list[VoterRecord] = []
    for record in chunk:
        result = results.get(str(record.pk))
        if result is not None and result.decision == "link" and result.right_id not in claimed:
            claimed.add(result.right_id)
            record.person = people[result.right_id]
            linked.append(record)
            continue
        person = Person(
            first_name=_name(record.first_name),
            middle_name=_name(record.middle_name),
            last_name=_name(record.last_name),
            suffix=record.suffix,
            household=record.household,
            area_id=record.area_id,
            custom_fields={"birth_year": record.birth_year} if record.birth_year else {},
        )
        to_create.append((record, person))
        if result is not None and result.decision in {"review", "link"}:
            reviews.append(
                MatchReview(
                    record=record,
                    person=people[result.right_id],
                    weight=result.weight,
                    probability=result.probability,
                    explanation=list(result.explanation),
                )
            )
    Person.objects.bulk_create([p for _, p in to_create])
    emails, phones = [], []
    for record, person in to_create:
        record.person = person
        if record.email and "@" in record.email:
            emails.append(EmailAddress(person=person, address=record.email.lower(), is_primary=True))
        number = _phone(record.phone)
        if number:
            phones.append(PhoneNumber(person=person, number=number, is_primary=True))
    EmailAddress.objects.bulk_create(emails, ignore_conflicts=True)
    PhoneNumber.objects.bulk_create(phones, ignore_conflicts=True)
    VoterRecord.objects.bulk_update([r for r, _ in to_create] + linked, ["person"])
    MatchReview.objects.bulk_create(reviews, ignore_conflicts=True)
    job.people_created += len(to_create)
    job.people_linked += len(linked)
    job.sent_to_review += len(reviews)


@transaction.atomic
def do_decide_review(actor: User, review: MatchReview, decision: str) -> MatchReview:
    """Record an organizer's decision; "accepted" merges the record's own person into the matched one."""
    if review.decision == MatchReview.Decision.ACCEPTED:
        return review
    review.decision, review.decided_by, review.decided_at = decision, actor, timezone.now()
    review.save(update_fields=["decision", "decided_by", "decided_at"])
    if decision == MatchReview.Decision.ACCEPTED and review.record is not None:
        record = review.record
        if record.person_id and record.person_id != review.person_id:
            assert record.person is not None
            do_merge_people(actor, review.person, record.person)
        record.person = review.person
        record.save(update_fields=["person"])
    record_audit(actor, AuditEntry.Verb.UPDATE, "match_review", review.public_id, decision=decision)
    return review
