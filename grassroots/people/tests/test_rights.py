"""A person's rights: everything held about them in one export, and erasure that keeps the figures."""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry, Role
from grassroots.canvass.models import Turf, TurfDoor, Universe, Visit
from grassroots.canvass.sync import apply_visits
from grassroots.committees.models import Attendance as MeetingAttendance
from grassroots.committees.models import Membership
from grassroots.events import actions as event_actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import RSVP, Attendance
from grassroots.fixtures import SmallCity
from grassroots.ladder.engine import update_ladder
from grassroots.ladder.funnel import by_area, stage_totals
from grassroots.ladder.models import Stage
from grassroots.lib.addresses import normalize_address
from grassroots.people import actions
from grassroots.people.models import Action, EmailAddress, Person
from grassroots.testing import make_person, make_user, person_data
from grassroots.voters.models import VoteHistory, VoterRecord

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zephyrine", "Quillfeather"
EMAIL, PHONE = "zephyrine.q@example.org", "+17185550199"


@dataclass
class Record:
    person: Person
    event_id: int


def _everything_about_zephyrine(c: SmallCity) -> Record:
    """A person known through every path: forms, an event, the doors, a committee, a grievance, the
    voter roll, the ladder, and a second record of her merged into the first."""
    from grassroots.committees.actions import (
        CommitteeData,
        MeetingData,
        do_add_member,
        do_create_committee,
        do_record_attendance,
        do_schedule_meetings,
    )
    from grassroots.struggles import actions as struggles

    person = make_person(
        FIRST,
        LAST,
        area=c.building1,
        household=c.home1,
        emails=(EMAIL,),
        phones=(PHONE,),
        tags=("tenant",),
        consents={"email": True},
        actions=("door_knock",),
    )
    person.custom_fields = {"pronouns": "she", "shoe": "Zephyrine's size"}
    person.save(update_fields=["custom_fields"])
    copy = make_person(FIRST, f"{LAST}-Old", area=c.building1, emails=("zq@example.net",))
    actions.do_merge_people(c.organizer, person, copy)
    home = normalize_address("12 Elm Avenue", "", "Eastbrook", "NY", "11368")
    data = person_data(
        FIRST, LAST, address=home, area=c.building1, emails=[EMAIL], phones=[PHONE], tags=["tenant"]
    )
    actions.do_update_person(c.organizer, person, data)
    assert person.household == c.home1
    starts = datetime.datetime(2099, 5, 2, 18, tzinfo=datetime.UTC)
    event = event_actions.do_create_event(
        c.organizer,
        event_actions.EventData(
            "Tenants meet", starts, starts + datetime.timedelta(hours=2), address="40 Oak Street", area=c.ed1
        ),
    )
    arrival = Arrival(FIRST, LAST, email=EMAIL, phone=PHONE)
    event_actions.do_rsvp(event, arrival)
    event_actions.do_rsvp(event, Arrival("Ana", "Peña", email="ana.pena@example.org"))
    event_actions.do_check_in(c.organizer, event, arrival)
    form = event_actions.do_create_form(c.organizer, event_actions.FormData("Sign up", area=c.ed1))
    event_actions.do_submit_form(form, arrival, {})
    committee = do_create_committee(c.organizer, CommitteeData("12 Elm tenants", area=c.building1))
    do_add_member(c.organizer, committee, person, joined_on=datetime.date(2026, 1, 5))
    moment = datetime.datetime(2026, 2, 3, 19, tzinfo=datetime.UTC)
    meeting = do_schedule_meetings(c.organizer, committee, MeetingData("Heat", moment))[0]
    do_record_attendance(c.organizer, meeting, [person, c.ana])
    landlord = struggles.do_create_organization(c.admin, kind="landlord", name="Elm Realty")
    struggle = struggles.do_create_struggle(
        c.admin, target=landlord, title="Heat", areas=[c.building1], demands=["Heat"]
    )
    struggles.do_open_grievance(
        c.admin, struggle, category="repair", summary=f"{FIRST}'s radiator, call {PHONE}", person=person
    )
    record = VoterRecord.objects.create(
        state="NY", voter_id="NY77", layout="ny", first_name=FIRST.upper(), last_name=LAST.upper(),
        street_line="12 ELM AVE", email=EMAIL, raw={"name": f"{LAST}, {FIRST}"},
        area=c.building1, household=c.home1, person=person, row_hash="h",
    )  # fmt: skip
    for day in (datetime.date(2020, 11, 3), datetime.date(2024, 11, 5)):
        VoteHistory.objects.create(
            state="NY", voter_id="NY77", record=record, election_date=day, election_name="General"
        )
    universe = Universe.objects.create(name="Elm")
    universe.areas.add(c.city)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=c.home1)
    turf.canvassers.add(c.canvasser)
    c.canvasser.scope.add(c.ed1)
    door = {
        "turf": str(turf.public_id),
        "household": str(c.home1.public_id),
        "visited_at": "2026-11-21T14:05",
    }
    report = apply_visits(
        c.canvasser,
        [
            {**door, "id": "6d1b8f0e-6c1a-4c35-9a55-2f0b1a9d7e01", "result": "contact",
             "person": str(person.public_id), "note": f"{FIRST} {LAST} wants a meeting, {EMAIL}"},
            {**door, "id": "6d1b8f0e-6c1a-4c35-9a55-2f0b1a9d7e02", "result": "not_home",
             "note": f"{FIRST} asked us to come back"},
        ],
    )  # fmt: skip
    assert report.rejected == [], report.rejected
    update_ladder()
    c.organizer.person = person  # her own login, too
    c.organizer.save(update_fields=["person"])
    return Record(person=person, event_id=event.pk)


def _figures(c: SmallCity) -> dict[str, Any]:
    """The aggregate figures the movement reads: turnout by area, the funnel, attendance, actions."""
    stages = list(Stage.objects.order_by("position"))
    return {
        "turnout_by_area": sorted(
            VoteHistory.objects.values_list("record__area__path", "election_date").annotate(n=Count("pk"))
        ),
        "actions_by_kind_and_area": sorted(
            Action.objects.values_list("kind", "area__path").annotate(n=Count("pk")),
            key=str,
        ),
        "funnel": stage_totals(c.admin, stages),
        "funnel_by_area": [(row.area.pk, row.counts) for row in by_area(c.admin, stages, [c.north, c.south])],
        "event_attendance": sorted(Attendance.objects.values_list("event_id").annotate(n=Count("pk"))),
        "rsvps": sorted(RSVP.objects.values_list("event_id", "status").annotate(n=Count("pk"))),
        "meeting_attendance": MeetingAttendance.objects.count(),
        "members": sorted(Membership.objects.values_list("committee_id").annotate(n=Count("pk"))),
        "people_by_area": sorted(Person.objects.values_list("area__path").annotate(n=Count("pk"))),
        "visits": sorted(
            Visit.objects.values_list("result", "household__area__path").annotate(n=Count("pk"))
        ),
    }


def _every_text_in_the_database() -> str:
    """Every value of every column of every table, as text, JSON unescaped too."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, str):
                        texts.append(value)
                        if value.startswith(("{", "[")):
                            with contextlib.suppress(ValueError):
                                texts.append(json.dumps(json.loads(value), ensure_ascii=False))
                    elif isinstance(value, dict | list):
                        texts.append(json.dumps(value, ensure_ascii=False))
    return "\n".join(texts).lower()


def test_erasing_a_person_keeps_every_figure_and_leaves_her_name_nowhere(small_city: SmallCity) -> None:
    c = small_city
    zephyrine = _everything_about_zephyrine(c)
    before = _figures(c)
    text = _every_text_in_the_database()
    for word in (FIRST, LAST, EMAIL, PHONE):
        assert word.lower() in text, word  # the check below can see her

    counts = actions.do_erase_person(c.admin, zephyrine.person)

    assert _figures(c) == before
    text = _every_text_in_the_database()
    for word in (FIRST, LAST, EMAIL, "zq@example.net", PHONE, PHONE[2:]):
        assert word.lower() not in text, word
    # The others are untouched: Ana's RSVP, her attendance, her email.
    assert RSVP.objects.filter(person=c.ana, name="Ana Peña").exists()
    assert EmailAddress.objects.filter(person=c.ana, address="ana.pena@example.org").exists()
    person = Person.objects.get(pk=zephyrine.person.pk)
    assert person.erased_at is not None and person.household is None
    assert not person.emails.exists() and not person.phones.exists() and not person.consents.exists()
    entry = AuditEntry.objects.get(verb="delete", object_id=str(person.public_id))
    assert entry.actor == c.admin and entry.details["rows"] == counts
    c.organizer.refresh_from_db()
    assert not c.organizer.is_active and c.organizer.username.startswith("erased-")


def test_a_person_erased_once_cannot_be_erased_again(small_city: SmallCity) -> None:
    from django.core.exceptions import ValidationError

    actions.do_erase_person(small_city.admin, small_city.bo)
    with pytest.raises(ValidationError):
        actions.do_erase_person(small_city.admin, Person.objects.get(pk=small_city.bo.pk))


def test_the_export_holds_every_table_that_names_her(small_city: SmallCity) -> None:
    zephyrine = _everything_about_zephyrine(small_city)
    record = actions.do_export_person(small_city.admin, zephyrine.person, fmt="json")
    expected = {
        "people.Person", "people.EmailAddress", "people.PhoneNumber", "people.Consent", "people.Tagging",
        "people.Action", "places.Household", "places.Area", "voters.VoterRecord", "voters.VoteHistory",
        "events.RSVP", "events.Attendance", "events.Submission", "committees.Membership",
        "committees.Attendance", "struggles.Grievance", "ladder.Spell", "canvass.Visit",
        "accounts.User", "accounts.AuditEntry",
    }  # fmt: skip
    assert expected <= set(record)
    assert {row["last_name"] for row in record["people.Person"]} == {LAST, f"{LAST}-Old"}
    assert [row["address"] for row in record["people.EmailAddress"]] == [EMAIL]
    assert "password" not in record["accounts.User"][0]
    # Foreign keys are the ids people see, not database keys.
    assert record["events.RSVP"][0]["person"] == str(zephyrine.person.public_id)
    assert AuditEntry.objects.filter(verb="export", object_id=str(zephyrine.person.public_id)).exists()


def test_the_export_holds_nothing_of_the_people_she_brought(small_city: SmallCity) -> None:
    # Bo came to an event through Ana's link: the row is his RSVP, in her export only as far as
    # it is hers (she brought someone, to that event, then), never with his name or contacts.
    event = event_actions.do_create_event(
        small_city.organizer,
        event_actions.EventData(
            "Rent strike meeting",
            datetime.datetime(2031, 5, 1, 22, 0, tzinfo=datetime.UTC),
            datetime.datetime(2031, 5, 1, 23, 0, tzinfo=datetime.UTC),
            address="12 Elm Avenue",
        ),
    )
    bo_email = small_city.bo.emails.get().address
    event_actions.do_rsvp(
        event,
        Arrival("Bo", "Chen", email=bo_email),
        referral_code=event_actions.referral_code_for(small_city.ana),
    )
    record = actions.do_export_person(small_city.admin, small_city.ana, fmt="json")
    (brought,) = record["events.RSVP.referred_by"]
    assert brought["referred_by"] == str(small_city.ana.public_id)
    assert brought["event"] == str(event.public_id) and brought["status"] == "going"
    assert not {"person", "name", "email", "phone"} & brought.keys()
    assert bo_email not in json.dumps(record) and "Chen" not in json.dumps(record)


def test_an_organizer_downloads_a_persons_record_as_json_and_csv(
    small_city: SmallCity, client: Client
) -> None:
    c = small_city
    client.force_login(c.organizer)
    url = reverse("person_export", args=[c.ana.public_id])
    as_json = client.get(url, {"format": "json"})
    assert as_json.status_code == 200
    assert "attachment" in as_json["Content-Disposition"]
    assert json.loads(as_json.content)["people.EmailAddress"][0]["address"] == "ana.pena@example.org"
    as_csv = client.get(url, {"format": "csv"})
    body = b"".join(as_csv.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["table", "row", "field", "value"]
    assert ["people.Person", "1", "last_name", "Peña"] in rows
    assert Counter(e.details["format"] for e in AuditEntry.objects.filter(verb="export")) == {
        "json": 1,
        "csv": 1,
    }


def test_erasing_from_the_page_asks_to_confirm_with_the_name_first(
    small_city: SmallCity, client: Client
) -> None:
    c = small_city
    client.force_login(c.organizer)
    url = reverse("person_erase", args=[c.ana.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Ana Peña" in page.content.decode()
    refused = client.post(url, {"confirm": "Ana"})
    assert refused.status_code == 200
    assert Person.objects.get(pk=c.ana.pk).erased_at is None
    done = client.post(url, {"confirm": "Ana Peña"})
    assert done.status_code == 302
    assert Person.objects.get(pk=c.ana.pk).erased_at is not None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CANVASSER])
def test_only_organizers_and_admins_export_or_erase(small_city: SmallCity, client: Client, role: str) -> None:
    c = small_city
    client.force_login(make_user(f"a-{role}", role, [c.city]))
    for name in ("person_export", "person_erase"):
        url = reverse(name, args=[c.ana.public_id])
        assert client.get(url).status_code == 403, name
        assert client.post(url, {"confirm": "Ana Peña"}).status_code == 403, name
    assert Person.objects.get(pk=c.ana.pk).erased_at is None


def test_the_person_command_exports_and_erases(small_city: SmallCity) -> None:
    out = io.StringIO()
    call_command("person", "export", str(small_city.bo.public_id), stdout=out)
    assert json.loads(out.getvalue())["people.Person"][0]["first_name"] == "Bo"
    out = io.StringIO()
    call_command("person", "export", str(small_city.bo.public_id), "--format", "csv", stdout=out)
    assert "people.Person,1,first_name,Bo" in out.getvalue()
    call_command("person", "erase", str(small_city.bo.public_id), "--yes", stdout=io.StringIO())
    assert Person.objects.get(pk=small_city.bo.pk).erased_at is not None
    assert AuditEntry.objects.filter(verb="delete", actor=None, details__source="command").exists()
