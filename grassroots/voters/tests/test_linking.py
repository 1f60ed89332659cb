"""Linking voter records to the people we already know: sure matches link, the grey zone waits for review."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from grassroots.accounts.models import Role
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_person, make_user
from grassroots.voters import samples
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.linking import do_decide_review
from grassroots.voters.models import MatchReview, VoterImport, VoterRecord

pytestmark = pytest.mark.django_db

ZIP = "27601"


@pytest.fixture
def town() -> Area:
    return make_area("Raleigh", kind="city")


def home(town: Area, line1: str, unit: str = "") -> Household:
    building = make_area(line1.upper(), kind="building", parent=town)
    return Household.objects.create(
        area=building, address_line=line1.upper(), unit=unit, city="RALEIGH", state="NC", postal_code=ZIP
    )


def known(first: str, last: str, where: Household, born: int | None = None, **contact: Any) -> Person:
    """A person who came to us from a form, an event or a door, before the voter file."""
    person = make_person(first, last, area=where.area, household=where, **contact)
    if born:
        person.custom_fields = {"birth_year": born}
        person.save(update_fields=["custom_fields"])
    return person


def voter(voter_id: str, first: str, last: str, street: str, born: int, **extra: Any) -> dict[str, Any]:
    return {
        "voter_id": voter_id, "first_name": first, "last_name": last, "street_line": street,
        "birth_year": born, "zip": ZIP, **extra,
    }  # fmt: skip


# A voter file of a few dozen strangers, so the model has a population to learn from.
def strangers(n: int = 60) -> list[dict[str, Any]]:
    rows = list(samples.synthetic_nc_rows(n, seed=11))
    for i, row in enumerate(rows):
        row["voter_id"] = f"ZZ{i:06d}"
    return rows


def import_rows(tmp_path: Path, rows: list[dict[str, Any]], name: str = "ncvoter.txt") -> VoterImport:
    path = tmp_path / name
    text = io.StringIO(newline="")
    samples.write_nc(text, rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    job = run_import(do_create_import(None, file_path=path, file_name=name))
    assert job.status == VoterImport.Status.DONE, job.message
    return job


def test_a_nickname_links_to_the_voter_record(town: Area, tmp_path: Path) -> None:
    bill = known("Bill", "Okafor", home(town, "12 Elm Ave"), born=1961, phones=("919-555-0101",))
    job = import_rows(tmp_path, [voter("AA1", "WILLIAM", "OKAFOR", "12 ELM AVE", 1961), *strangers()])
    record = VoterRecord.objects.get(voter_id="AA1")
    assert record.person == bill
    assert job.people_linked == 1
    assert Person.objects.filter(first_name__iexact="William").count() == 0


def test_first_and_last_name_swapped_still_find_the_voter(town: Area, tmp_path: Path) -> None:
    where = home(town, "40 Oak St")
    swapped = known("Nguyen", "Thanh", where, born=1975, emails=("thanh.nguyen@example.org",))
    import_rows(
        tmp_path,
        [voter("AA2", "THANH", "NGUYEN", "40 OAK ST", 1975, email="thanh.nguyen@example.org"), *strangers()],
    )
    record = VoterRecord.objects.get(voter_id="AA2")
    review = MatchReview.objects.filter(record=record, person=swapped).first()
    assert record.person == swapped
    assert review is None


def test_a_voter_who_moved_is_matched_by_phone_and_birth_year(town: Area, tmp_path: Path) -> None:
    carmen = known("Carmen", "Delgado", home(town, "7 Pine Rd"), born=1958, phones=("(919) 555-0199",))
    import_rows(
        tmp_path,
        [voter("AA3", "CARMEN", "DELGADO", "310 HILLSBOROUGH ST", 1958, phone="9195550199"), *strangers()],
    )
    assert VoterRecord.objects.get(voter_id="AA3").person == carmen


def test_twins_at_one_address_are_never_merged(town: Area, tmp_path: Path) -> None:
    where = home(town, "9 Birch Ln")
    maria = known("Maria", "Garcia", where, born=1990)
    import_rows(
        tmp_path,
        [
            voter("AA4", "MARIA", "GARCIA", "9 BIRCH LN", 1990, birth_date="1990-06-01"),
            voter("AA5", "MARTA", "GARCIA", "9 BIRCH LN", 1990, birth_date="1990-06-01"),
            *strangers(),
        ],
    )
    maria_record, marta_record = (
        VoterRecord.objects.get(voter_id="AA4"),
        VoterRecord.objects.get(voter_id="AA5"),
    )
    assert maria_record.person == maria
    assert marta_record.person is not None and marta_record.person != maria
    assert marta_record.person.first_name == "Marta"
    assert not MatchReview.objects.filter(
        record=marta_record, decision=MatchReview.Decision.ACCEPTED
    ).exists()


def test_a_stranger_gets_a_person_of_their_own(town: Area, tmp_path: Path) -> None:
    known("Ana", "Peña", home(town, "12 Elm Ave"), born=1980)
    job = import_rows(tmp_path, strangers(20))
    assert job.people_created == 20 and job.people_linked == 0
    assert VoterRecord.objects.filter(person__isnull=True).count() == 0
    assert Person.objects.count() == 21


def test_the_grey_zone_waits_for_review_and_accepting_merges(town: Area, tmp_path: Path) -> None:
    # Same name, another address in town, no birth year and no contact points in common: not sure.
    where = home(town, "55 Maple Ave")
    jo = known("Jo", "Whitfield", where)
    Action.objects.create(person=jo, kind="canvass", details={"note": "wants a tenants' meeting"})
    import_rows(tmp_path, [voter("AA6", "JOANNA", "WHITFIELD", "18 CEDAR CT", 1983), *strangers()])
    record = VoterRecord.objects.get(voter_id="AA6")
    review = MatchReview.objects.get(record=record)
    assert review.person == jo and review.decision == MatchReview.Decision.PENDING
    assert 0 < review.probability < 0.99
    assert review.explanation
    # Below the threshold nothing is merged: the record has a person of its own for now.
    assert record.person is not None and record.person != jo
    # The voter file's own area tree (state > county > precinct) is outside the town: an admin decides.
    admin = make_user("admin", Role.ADMIN)
    do_decide_review(admin, review, MatchReview.Decision.ACCEPTED)
    record.refresh_from_db()
    assert record.person == jo
    assert Person.objects.filter(merged_into=jo).count() == 1
    assert jo.actions.filter(kind="canvass").exists()


def test_rejecting_a_review_keeps_two_people(town: Area, tmp_path: Path) -> None:
    jo = known("Jo", "Whitfield", home(town, "55 Maple Ave"))
    import_rows(tmp_path, [voter("AA6", "JOANNA", "WHITFIELD", "18 CEDAR CT", 1983), *strangers()])
    review = MatchReview.objects.get()
    organizer = make_user("org", Role.ORGANIZER, scope=[town])
    do_decide_review(organizer, review, MatchReview.Decision.REJECTED)
    record = VoterRecord.objects.get(voter_id="AA6")
    assert record.person != jo
    assert not Person.objects.filter(merged_into__isnull=False).exists()
