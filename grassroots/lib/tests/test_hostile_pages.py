"""Names, notes and addresses that are markup are shown as text everywhere: the site's main pages,
the GeoJSON the maps draw, and the emails sent to people."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.committees.models import Committee
from grassroots.events.actions import EventData, do_create_event, do_rsvp
from grassroots.events.arrivals import Arrival
from grassroots.events.models import Event
from grassroots.events.reminders import send_reminders
from grassroots.fixtures import SmallCity
from grassroots.lib.addresses import Address
from grassroots.people.actions import PersonData, do_create_person, do_record_action
from grassroots.people.models import Person
from grassroots.places.models import Area
from grassroots.struggles import actions as struggle_actions
from grassroots.struggles.models import Grievance, Struggle
from grassroots.testing import make_area
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.models import ColumnMapping, VoterRecord

SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE = (SCRIPT, IMG)
# What the hostile values become once escaped for HTML, one of which each page must show.
ESCAPED = (
    "&lt;script&gt;alert(&#x27;xss&#x27;)&lt;/script&gt;",
    "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
)


@dataclass
class Hostile:
    area: Area
    person: Person
    event: Event
    committee: Committee
    struggle: Struggle
    grievance: Grievance


@pytest.fixture
def hostile(small_city: SmallCity) -> Hostile:
    city, organizer = small_city, small_city.organizer
    area = make_area(SCRIPT, "neighborhood", city.city, box=(-73.9, 40.0, -73.8, 40.1))
    person = do_create_person(
        organizer,
        PersonData(SCRIPT, IMG, area=city.ed1, tags=[SCRIPT], emails=["mallory@example.org"],
                   consents={"email": True}, consent_wording=IMG,
                   address=Address(f"12 {SCRIPT} Ave", IMG, "Eastbrook", "NY", "11368")),
    )  # fmt: skip
    do_record_action(organizer, person, "note", area=city.ed1, details={"note": IMG, "title": SCRIPT})
    starts = timezone.now() + datetime.timedelta(hours=3)
    event = do_create_event(
        organizer,
        EventData(SCRIPT, starts, starts + datetime.timedelta(hours=1), description=IMG, address=IMG,
                  area=city.ed1, sponsors=[SCRIPT]),
    )  # fmt: skip
    do_rsvp(event, Arrival(SCRIPT, IMG, email="mallory@example.org"))
    committee = do_create_committee(organizer, CommitteeData(SCRIPT, area=city.ed1))
    do_add_member(organizer, committee, person)
    target = struggle_actions.do_create_organization(organizer, kind="landlord", name=IMG, notes=SCRIPT)
    struggle = struggle_actions.do_create_struggle(
        organizer, target=target, title=SCRIPT, areas=[city.building1], description=IMG, demands=[IMG]
    )
    grievance = struggle_actions.do_open_grievance(
        organizer, struggle, category="repair", summary=IMG, person=person
    )
    return Hostile(area, person, event, committee, struggle, grievance)


def _pages(h: Hostile, city: SmallCity) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "people": reverse("people_list"),
        "people search": reverse("people_list") + "?q=%3Cscript%3E",
        "person": reverse("person_detail", args=[h.person.public_id]),
        "person edit": reverse("person_edit", args=[h.person.public_id]),
        "places": reverse("area_list"),
        "city": reverse("area_detail", args=[city.city.public_id]),
        "hostile area": reverse("area_detail", args=[h.area.public_id]),
        "district": reverse("area_detail", args=[city.ed1.public_id]),
        "events": reverse("event_list"),
        "event": reverse("event_detail", args=[h.event.public_id]),
        "committees": reverse("committee_list"),
        "committee": reverse("committee_detail", args=[h.committee.public_id]),
        "coverage": reverse("committee_coverage"),
        "struggles": reverse("struggle_list"),
        "struggle": reverse("struggle_detail", args=[h.struggle.public_id]),
        "target": reverse("organization_detail", args=[h.struggle.target.public_id]),
        "grievance": reverse("grievance_detail", args=[h.grievance.public_id]),
        "ladder queue": reverse("ladder_queue"),
    }


def assert_escaped(body: str, where: str, shown: bool = True) -> None:
    for raw in (*HOSTILE, "<img src=x", "<script>alert"):
        assert raw not in body, f"{where} holds {raw!r} unescaped"
    if shown:
        assert any(escaped in body for escaped in ESCAPED), f"{where} shows no hostile value at all"


# Pages that list or show the hostile records; the others are rendered and checked all the same.
NOT_SHOWN = {"home", "places", "ladder queue", "coverage", "people search"}


def test_every_main_page_shows_hostile_values_escaped(
    hostile: Hostile, small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    for name, url in _pages(hostile, small_city).items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert_escaped(response.content.decode(), name, shown=name not in NOT_SHOWN)


def test_voter_pages_show_a_hostile_voter_file_escaped(
    small_city: SmallCity, client: Client, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    quoted = IMG.replace('"', '""')
    lines = [
        "ID,First,Last,Address,Zip,Born",
        f'X1,"{SCRIPT}","{quoted}",12 Elm Ave,11201,1980-01-02',
        f'X2,Bo,Chen,12 Elm Ave,11201,"{quoted}"',  # an unreadable date: its error quotes it
    ]
    path.write_text("\r\n".join([*lines, ""]), encoding="utf-8")
    mapping = ColumnMapping.objects.create(
        name="hostile", state="NY", date_format="%Y-%m-%d",
        mapping={"voter_id": "ID", "first_name": "First", "last_name": "Last", "street_line": "Address",
                 "postal_code": "Zip", "birth_date": "Born"},
    )  # fmt: skip
    admin = small_city.admin
    job = run_import(
        do_create_import(admin, file_path=path, file_name=path.name, layout="csv", mapping=mapping)
    )
    assert (job.created, job.error_count) == (1, 1)
    voter = VoterRecord.objects.get()
    assert (voter.first_name, voter.last_name) == (SCRIPT, IMG)
    client.force_login(admin)
    for name, url in {
        "voter search": reverse("voter_list") + "?q=X1",
        "voter": reverse("voter_detail", args=[voter.public_id]),
        "import": reverse("voter_import_detail", args=[job.public_id]),
        "imports": reverse("voter_import_list"),
    }.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        assert_escaped(response.content.decode(), name, shown=name != "imports")


def test_the_public_event_page_shows_hostile_values_escaped(hostile: Hostile, client: Client) -> None:
    response = client.get(reverse("public_event", args=[hostile.event.slug]))
    assert response.status_code == 200
    assert_escaped(response.content.decode(), "public event page")


def test_the_maps_json_carries_names_as_text_with_no_markup_in_its_bytes(
    hostile: Hostile, small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    for url in (
        reverse("area_map", args=[small_city.city.public_id]),
        reverse("area_map", args=[hostile.area.public_id]),
        reverse("committee_coverage_map"),
    ):
        response = client.get(url)
        raw = response.content.decode()
        assert "<" not in raw and ">" not in raw, url
        # The names themselves (areas', and the committees' on the coverage map's marks), which
        # the maps show as text.
        shown = [f["properties"].get(key) for f in json.loads(raw)["features"] for key in ("name", "mark")]
        assert SCRIPT in shown, url


def test_emails_are_plain_text_with_one_line_subjects(hostile: Hostile) -> None:
    Event.objects.filter(pk=hostile.event.pk).update(title=SCRIPT + "\r\nBcc: victim@example.org")
    assert send_reminders() == 1
    [message] = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Reminder: " + SCRIPT)
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", [])
    assert message.to == ["mallory@example.org"]
    assert "victim@example.org" not in str(message.message()["Bcc"] or "")
