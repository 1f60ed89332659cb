"""Matching the people we meet (forms, events, doors) to voter records and to each other.

voters.linking runs when a voter file arrives: new records against the people we know.
This module runs the other way round, when people arrive: ``match_contact`` for one person
as they sign up, ``match_people_to_voters`` and ``find_duplicate_people`` for everyone at
once (``grassroots match people``). The rules are the linking's: above the matcher's
threshold the match is made (the two people become one, the merge recorded); in the grey
zone a MatchReview waits for an organizer; below it nothing happens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet

from grassroots.lib.phones import PhoneError, digits, normalize_phone
from grassroots.people.actions import do_merge_people
from grassroots.people.models import Person
from grassroots.voters.linking import person_for_match
from grassroots.voters.matching import MatchModel, MatchRecord, MatchResult, dedupe, match
from grassroots.voters.models import MatchReview, VoterRecord

# Candidates fetched for one person: more than any real name shares in one ZIP code.
MAX_CANDIDATES = 5_000


@dataclass
class Outcome:
    """What matching did: linked to a record, merged into a person, queued for review, or nothing."""

    linked: int = 0
    merged: int = 0
    reviews: int = 0


def candidate_records(person: Person) -> QuerySet[VoterRecord]:
    """Voter records that could be this person: blocking done by the database, so one person is
    never compared with the whole file. Same last name (or first and last swapped), same first
    initial in the same ZIP code, same phone number or same email address."""
    names = {n.upper() for n in (person.first_name, person.last_name) if n}
    query = Q(last_name__in=names)
    household = person.household
    if household is not None and household.postal_code and person.first_name:
        query |= Q(
            postal_code__startswith=household.postal_code[:5],
            first_name__startswith=person.first_name[:1].upper(),
        )
    numbers = [digits(p.number)[-10:] for p in person.phones.all()]
    if numbers:
        query |= Q(phone__in=[n for n in numbers if n] + [f"1{n}" for n in numbers if n])
    emails = [e.address.lower() for e in person.emails.all()]
    if emails:
        query |= Q(email__in=emails)
    return VoterRecord.objects.filter(query).select_related("household", "person")[:MAX_CANDIDATES]


def voter_for_match(record: VoterRecord) -> MatchRecord:
    """A voter record as the matcher reads it (its household's normalized address)."""
    household = record.household
    try:
        phone = normalize_phone(record.phone) if record.phone else ""
    except PhoneError:
        phone = ""
    return MatchRecord(
        id=str(record.pk),
        first_name=record.first_name,
        last_name=record.last_name,
        middle_name=record.middle_name,
        birth_date=record.birth_date,
        birth_year=record.birth_year,
        address_line=household.address_line if household else "",
        unit=household.unit if household else "",
        postal_code=record.postal_code[:5],
        phone=phone,
        email=record.email.lower(),
    )


def _population() -> int:
    return VoterRecord.objects.count()


def match_contact(person: Person) -> Outcome:
    """Match one person who just arrived to the voter file."""
    candidates = {str(r.pk): r for r in candidate_records(person)}
    if not candidates:
        return Outcome()
    results = match(
        [person_for_match(person)],
        [voter_for_match(r) for r in candidates.values()],
        population=_population(),
        model=MatchModel.from_priors(),
    )
    return _apply([(person, candidates[r.right_id], r) for r in results])


def match_people_to_voters(people: Iterable[Person] | None = None) -> Outcome:
    """Match every person not yet tied to a voter record against the whole voter file."""
    from grassroots.voters.linking import unlinked_people

    by_id = {str(p.pk): p for p in (people if people is not None else unlinked_people())}
    if not by_id or not VoterRecord.objects.exists():
        return Outcome()
    records = {str(r.pk): r for r in VoterRecord.objects.select_related("household", "person").iterator(5000)}
    results = match(
        [person_for_match(p) for p in by_id.values()], [voter_for_match(r) for r in records.values()]
    )
    return _apply([(by_id[r.left_id], records[r.right_id], r) for r in results])


@transaction.atomic
def _apply(found: list[tuple[Person, VoterRecord, MatchResult]]) -> Outcome:
    outcome = Outcome()
    for person, record, result in found:
        if result.decision == "link":
            person.refresh_from_db(fields=["merged_into"])
            if record.person_id is None:
                record.person = person
                record.save(update_fields=["person"])
                outcome.linked += 1
            elif record.person_id != person.pk and person.merged_into_id is None:
                # The voter record already has a person (made from the file): the newcomer joins them.
                assert record.person is not None
                do_merge_people(None, record.person, person)
                outcome.merged += 1
        elif result.decision == "review" and record.person_id != person.pk:
            _, created = MatchReview.objects.get_or_create(
                record=record,
                person=person,
                defaults={
                    "weight": result.weight,
                    "probability": result.probability,
                    "explanation": list(result.explanation),
                },
            )
            outcome.reviews += created
    return outcome


def find_duplicate_people(people: Iterable[Person] | None = None) -> Outcome:
    """People who are likely one person: merged above the threshold, queued for review in the grey zone."""
    pool = list(
        people
        if people is not None
        else Person.objects.filter(merged_into=None)
        .select_related("household")
        .prefetch_related("emails", "phones")
    )
    by_id = {str(p.pk): p for p in pool}
    if len(by_id) < 2:
        return Outcome()
    outcome = Outcome()
    results = dedupe([person_for_match(p) for p in by_id.values()])
    with transaction.atomic():
        for result in sorted(results, key=lambda r: -r.probability):
            a, b = by_id[result.left_id], by_id[result.right_id]
            older, newer = sorted((a, b), key=lambda p: (p.created_at, p.pk))
            if result.decision == "link":
                older.refresh_from_db(fields=["merged_into"])
                newer.refresh_from_db(fields=["merged_into"])
                if older.merged_into_id is None and newer.merged_into_id is None:
                    do_merge_people(None, older, newer)
                    outcome.merged += 1
            elif result.decision == "review":
                _, created = MatchReview.objects.get_or_create(
                    record=None,
                    person=older,
                    other_person=newer,
                    defaults={
                        "weight": result.weight,
                        "probability": result.probability,
                        "explanation": list(result.explanation),
                    },
                )
                outcome.reviews += created
    return outcome
