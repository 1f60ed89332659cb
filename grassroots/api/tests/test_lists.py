"""Lists and items: a tag and the people who carry it."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity
from grassroots.people.models import Tag

pytestmark = pytest.mark.django_db


def _person_link(person: Any) -> dict[str, Any]:
    return {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{person.public_id}"}}}


def test_a_list_is_made_and_filled_and_emptied_through_its_items(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    made = api.post("/api/v2/lists", {"name": "Phone bank", "summary": "Callers for the spring"})
    assert made.status_code == 200, made.json()
    listed = made.json()
    assert (listed["name"], listed["total_items"]) == ("Phone bank", 0)
    tag = Tag.objects.get(name="Phone bank")
    assert listed["identifiers"] == [f"grassroots:{tag.public_id}"]
    items = listed["_links"]["osdi:items"]["href"]
    item = api.post(items, {"item_type": "osdi:person", **_person_link(small_city.bo)})
    assert item.status_code == 200, item.json()
    assert item.json()["_links"]["osdi:person"]["href"].endswith(str(small_city.bo.public_id))
    assert "Phone bank" in {t.name for t in small_city.bo.tags.all()}
    assert api.get(listed["_links"]["self"]["href"]).json()["total_items"] == 1
    page = api.get(items).json()
    assert [i["identifiers"] for i in page["_embedded"]["osdi:items"]] == [item.json()["identifiers"]]
    assert api.get(item.json()["_links"]["self"]["href"]).json()["item_type"] == "osdi:person"
    gone = api.delete(item.json()["_links"]["self"]["href"])
    assert gone.status_code == 200 and "deleted" in gone.json()["notice"]
    assert not small_city.bo.tags.filter(name="Phone bank").exists()
    assert api.get(items).json()["_embedded"] == {"osdi:items": []}


def test_a_list_counts_and_shows_only_the_people_the_token_sees(small_city: SmallCity, api_as: Any) -> None:
    tenant = Tag.objects.get(name="tenant")  # Ana's, in the north
    url = f"/api/v2/lists/{tenant.public_id}"
    assert api_as(small_city.organizer).get(url).json()["total_items"] == 1
    canvasser = api_as(small_city.canvasser)  # sees the south only
    assert canvasser.get(url).json()["total_items"] == 0
    assert canvasser.get(f"{url}/items").json()["total_records"] == 0
    outsider = api_as(small_city.outsider)
    lists = outsider.get("/api/v2/lists").json()["_embedded"]["osdi:lists"]
    assert {entry["total_items"] for entry in lists} == {0}
    item = api_as(small_city.organizer).get(f"{url}/items").json()["_embedded"]["osdi:items"][0]
    assert outsider.get(item["_links"]["self"]["href"]).status_code == 404
    assert outsider.delete(item["_links"]["self"]["href"]).status_code in {403, 404}
    assert small_city.ana.tags.filter(name="tenant").exists()


def test_changing_lists_takes_a_role_and_a_writing_token(small_city: SmallCity, api_as: Any) -> None:
    assert api_as(small_city.canvasser).post("/api/v2/lists", {"name": "Mine"}).status_code == 403
    assert (
        api_as(small_city.organizer, read_only=True).post("/api/v2/lists", {"name": "Mine"}).status_code
        == 403
    )
    volunteer = Tag.objects.get(name="volunteer")
    url = f"/api/v2/lists/{volunteer.public_id}"
    # Renaming or deleting a list changes people everywhere: only users who see every area may.
    assert api_as(small_city.organizer).put(url, {"name": "Volunteers"}).status_code == 403
    admin = api_as(small_city.admin)
    assert admin.put(url, {"name": "Volunteers"}).json()["name"] == "Volunteers"
    assert admin.delete(url).status_code == 200
    assert not Tag.objects.filter(pk=volunteer.pk).exists()
    assert AuditEntry.objects.filter(verb="delete", object_id=str(volunteer.public_id)).exists()


def test_reading_a_lists_items_is_audited(small_city: SmallCity, api_as: Any) -> None:
    tenant = Tag.objects.get(name="tenant")
    api_as(small_city.organizer).get(f"/api/v2/lists/{tenant.public_id}/items")
    entry = AuditEntry.objects.filter(verb="view", object_type="person").latest("id")
    assert entry.details["shown"] == [str(small_city.ana.public_id)] and entry.details["list"] == "tenant"
