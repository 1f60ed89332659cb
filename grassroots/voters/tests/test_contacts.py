"""People who arrive (forms, events, doors) are matched to the voter file and to each other."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_person, make_user
from grassroots.voters import samples
from grassroots.voters.actions import do_create_import
from grassroots.voters.contacts import find_duplicate_people, match_contact
from grassroots.voters.importer import run_import
from grassroots.voters.models import MatchReview, VoterRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def town() -> Area:
    return make_area("Raleigh", kind="city")


def home(town: Area, line1: str) -> Household:
    known = Household.objects.filter(address_line=line1.upper(), unit="", postal_code="27601").first()
    if known is not None:  # the voter file brought it already
        return known
    building = make_area(line1.upper(), kind="building", parent=town)
    return Household.objects.create(area=building, address_line=line1.upper(), postal_code="27601")


def arrives(town: Area, first: str, last: str, line1: str, born: int | None = None, **contact: Any) -> Person:
    where = home(town, line1)
    person = make_person(first, last, area=where.area, household=where, **contact)
    if born:
        person.custom_fields = {"birth_year": born}
        person.save(update_fields=["custom_fields"])
    return person


@pytest.fixture
def voter_file(tmp_path: Path) -> None:
    rows = list(samples.synthetic_nc_rows(200, seed=8))
    rows += [
        {"voter_id": "AA1", "first_name": "WILLIAM", "last_name": "OKAFOR", "street_line": "12 ELM AVE",
         "birth_year": 1961, "zip": "27601", "phone": "9195550101"},
        {"voter_id": "AA2", "first_name": "JOANNA", "last_name": "WHITFIELD", "street_line": "18 CEDAR CT",
         "birth_year": 1983, "zip": "27601"},
    ]  # fmt: skip
    text = io.StringIO(newline="")
    samples.write_nc(text, rows)
    path = tmp_path / "ncvoter.txt"
    path.write_text(text.getvalue(), encoding="utf-8")
    run_import(do_create_import(None, file_path=path, file_name=path.name))


def test_a_sign_up_joins_the_person_of_their_voter_record(town: Area, voter_file: None) -> None:
    bill = arrives(town, "Bill", "Okafor", "12 Elm Ave", born=1961, phones=("+19195550101",))
    outcome = match_contact(bill)
    assert (outcome.merged, outcome.reviews) == (1, 0)
    record = VoterRecord.objects.get(voter_id="AA1")
    bill.refresh_from_db()
    assert bill.merged_into == record.person
    assert record.person is not None and record.person.phones.filter(number="+19195550101").exists()


def test_a_possible_match_waits_for_review_and_nothing_is_merged(town: Area, voter_file: None) -> None:
    jo = arrives(town, "Jo", "Whitfield", "55 Maple Ave")
    outcome = match_contact(jo)
    assert (outcome.merged, outcome.linked, outcome.reviews) == (0, 0, 1)
    review = MatchReview.objects.get(person=jo)
    assert review.record is not None and review.record.voter_id == "AA2"
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_a_stranger_matches_no_one(town: Area, voter_file: None) -> None:
    outcome = match_contact(arrives(town, "Zephyrine", "Quackenbush", "1 Nowhere Ln", born=2001))
    assert (outcome.merged, outcome.linked, outcome.reviews) == (0, 0, 0)


def test_duplicates_merge_but_twins_do_not(town: Area) -> None:
    ana = arrives(town, "Ana", "Peña", "12 Elm Ave", born=1980, emails=("ana.pena@example.org",))
    again = arrives(town, "Ana", "Pena", "12 Elm Ave", born=1980, emails=("ana.pena@example.org",))
    maria = arrives(town, "Maria", "Garcia", "9 Birch Ln", born=1990)
    marta = make_person("Marta", "Garcia", area=maria.area, household=maria.household)
    marta.custom_fields = {"birth_year": 1990}
    marta.save()
    for i in range(30):  # a town's worth of other people
        arrives(town, f"Person{i}", f"Family{i % 7}", f"{i + 100} Main St", born=1950 + i)
    outcome = find_duplicate_people()
    assert outcome.merged == 1
    again.refresh_from_db()
    assert again.merged_into == ana
    maria.refresh_from_db()
    marta.refresh_from_db()
    assert maria.merged_into is None and marta.merged_into is None
    # Running it again finds nothing new.
    assert find_duplicate_people().merged == 0


def test_the_command_and_the_review_page_for_two_people(town: Area, client: Client) -> None:
    jo = arrives(town, "Jo", "Whitfield", "55 Maple Ave", born=1983)
    joanna = arrives(town, "Joanna", "Whitfield", "18 Cedar Ct", born=1983)
    for i in range(30):
        arrives(town, f"Person{i}", f"Family{i % 7}", f"{i + 100} Main St", born=1950 + i)
    out = io.StringIO()
    call_command("match", "people", stdout=out)
    assert "Duplicates: 0 merged, 1 to review." in out.getvalue()
    review = MatchReview.objects.get()
    assert {review.person, review.other_person} == {jo, joanna}
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[town]))
    page = client.get(reverse("voter_review_list")).content.decode()
    assert "Another person we know" in page and "Joanna Whitfield" in page
    client.post(reverse("voter_review_decide", args=[review.public_id]), {"decision": "accepted"})
    assert Person.objects.filter(merged_into__isnull=False).count() == 1
    outsider = Client()
    outsider.force_login(make_user("far", Role.ORGANIZER, scope=[make_area("Durham", kind="city")]))
    assert "Nothing to review" in outsider.get(reverse("voter_review_list")).content.decode()
