"""Real OSDI clients, unchanged but for the base URL, against a live grassroots server."""

from __future__ import annotations

import datetime
import json
import warnings
from typing import Any

import pytest
from pytest_django.live_server_helper import LiveServer

from grassroots.api.tests.conftest import token_for
from grassroots.events.models import Event
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person

with warnings.catch_warnings():
    # Parsons warns at import that its core install leaves other connectors' packages out.
    warnings.simplefilter("ignore")
    from parsons import ActionNetwork
    from parsons.utilities.api_connector import APIConnector

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def parsons(live_server: LiveServer, small_city: SmallCity, settings: Any) -> ActionNetwork:
    # Parsons picks ids out of identifiers by Action Network's own namespace.
    settings.OSDI_NAMESPACE = "action_network"
    an = ActionNetwork(api_token=token_for(small_city.organizer))
    an.api_url = f"{live_server.url}/api/v2"
    an.api = APIConnector(an.api_url, headers=an.headers)
    return an


def test_parsons_reads_people_page_by_page(parsons: ActionNetwork, small_city: SmallCity) -> None:
    table = parsons.get_people(per_page=1)
    assert sorted(table["given_name"]) == ["Ana", "Bo"]
    one = parsons.get_person(str(small_city.bo.public_id))
    assert one["family_name"] == "Chen"
    filtered = parsons.get_people(filter="email_address eq 'bo@example.net'")
    assert list(filtered["given_name"]) == ["Bo"]


def test_parsons_upserts_a_person_with_tags_and_custom_fields(
    parsons: ActionNetwork, small_city: SmallCity
) -> None:
    parsons.add_tag("volunteer")
    created = parsons.upsert_person(
        email_address="dee@example.org", given_name="Dee", family_name="Ray", tags=["volunteer"], shirt="M"
    )
    dee = Person.objects.get(public_id=created["identifiers"][0].split(":")[1])
    assert [t.name for t in dee.tags.all()] == ["volunteer"] and dee.custom_fields == {"shirt": "M"}
    again = parsons.upsert_person(email_address="dee@example.org", given_name="Dee", tags=["donor"], ward="3")
    assert again["identifiers"] == created["identifiers"]
    dee.refresh_from_db()
    assert {t.name for t in dee.tags.all()} == {"volunteer", "donor"}
    assert dee.custom_fields == {"shirt": "M", "ward": "3"}
    assert Person.objects.filter(first_name="Dee").count() == 1


def test_parsons_updates_a_person(parsons: ActionNetwork, small_city: SmallCity) -> None:
    parsons.update_person(
        str(small_city.ana.public_id), family_name="Peña-Ruiz", custom_fields={"floor": "2"}
    )
    small_city.ana.refresh_from_db()
    assert small_city.ana.last_name == "Peña-Ruiz" and small_city.ana.custom_fields == {"floor": "2"}


def test_parsons_tags_and_untags_people(
    parsons: ActionNetwork, small_city: SmallCity, live_server: LiveServer
) -> None:
    tag = parsons.add_tag("phone bank")
    tag_id = tag["_links"]["self"]["href"].split("/")[-1]
    person_href = f"{live_server.url}/api/v2/people/{small_city.ana.public_id}"
    tagging = parsons.create_tagging(tag_id, {"_links": {"osdi:person": {"href": person_href}}})
    assert "phone bank" in {t.name for t in small_city.ana.tags.all()}
    listed = parsons.get_taggings(tag_id)
    assert len(listed) == 1
    tagging_id = tagging["_links"]["self"]["href"].split("/")[-1]
    parsons.delete_tagging(tag_id, tagging_id)
    assert "phone bank" not in {t.name for t in small_city.ana.tags.all()}
    assert "phone bank" in list(parsons.get_tags()["name"])


def test_parsons_creates_events_and_filters_them_by_date(
    parsons: ActionNetwork, small_city: SmallCity
) -> None:
    start = datetime.datetime(2099, 5, 1, 18, 0)  # noqa: DTZ001  (Parsons sends local times)
    location = {
        "venue": "Library",
        "address_lines": ["12 Elm Avenue"],
        "locality": "Testville",
        "region": "NY",
    }
    made = parsons.create_event("Tenant meeting", start_date=start, location=location)
    event = Event.objects.get(public_id=made["event_id"])
    assert event.title == "Tenant meeting" and "12 Elm Avenue" in event.address
    Event.objects.filter(pk=event.pk).update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    parsons.create_event("Newer meeting", start_date=start, location=location)
    recent = parsons.get_events(filter="modified_date gt '2024-01-01'")
    assert list(recent["title"]) == ["Newer meeting"]
    assert len(parsons.get_events()) == 2


def test_parsons_records_attendance_through_its_raw_post(
    parsons: ActionNetwork, small_city: SmallCity
) -> None:
    start = datetime.datetime(2099, 5, 1, 18, 0)  # noqa: DTZ001  (Parsons sends local times)
    made = parsons.create_event("Rally", start_date=start, location={"address_lines": ["12 Elm Avenue"]})
    # Parsons' create_attendance sends its payload in the query string; its raw post sends JSON.
    body = {"person": {"given_name": "Eve", "email_addresses": [{"address": "eve@example.org"}]}}
    attendance = parsons.api.post_request(
        url=f"events/{made['event_id']}/record_attendance_helper", data=json.dumps(body)
    )
    assert attendance["status"] == "accepted"
    assert len(parsons.get_event_attendances(made["event_id"])) == 1


def test_the_osdi_client_follows_next_links_and_taggings(
    live_server: LiveServer, small_city: SmallCity
) -> None:
    from osdi.action_network.person import ANPerson
    from osdi.action_network.service import ActionNetworkService

    for i in range(30):
        Person.objects.create(first_name=f"Guest{i:02}", area=small_city.building1)
    service = ActionNetworkService(f"{live_server.url}/api/v2", token_for(small_city.organizer))
    assert set(service.tags_by_name) == {"tenant", "volunteer"}
    everyone = service.get_model_raw("people", "osdi:people")
    assert len(everyone) == 32  # two pages of 25, joined by the next link
    ana = service.find_person(email="ana.pena@example.org", model=ANPerson)
    assert ana is not None and set(ana.tags) == {"tenant"}
    ana.update_tag("volunteer", True)
    ana.update_field("floor", "3")
    ana.update()
    small_city.ana.refresh_from_db()
    assert {t.name for t in small_city.ana.tags.all()} == {"tenant", "volunteer"}
    assert small_city.ana.custom_fields["floor"] == "3"
    again = service.person_by_id(str(small_city.ana.public_id), ANPerson)
    again.update_tag("tenant", False)
    again.update()
    assert {t.name for t in small_city.ana.tags.all()} == {"volunteer"}
