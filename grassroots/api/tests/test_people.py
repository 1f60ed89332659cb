from __future__ import annotations

import types
from typing import Any

import pytest

from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person

pytestmark = pytest.mark.django_db


def test_the_entry_point_links_the_collections(small_city: SmallCity, api_as: Any, settings: Any) -> None:
    settings.OSDI_NAMESPACE = "chapter_7"
    body = api_as(small_city.organizer).get("/api/v2/").json()
    assert body["namespace"] == "chapter_7" and body["max_pagesize"] == 25
    assert body["_links"]["osdi:people"]["href"] == "http://testserver/api/v2/people"
    assert body["_links"]["curies"][0]["name"] == "osdi"


def test_people_are_served_as_osdi_resources(small_city: SmallCity, api_as: Any) -> None:
    body = api_as(small_city.organizer).get("/api/v2/people").json()
    assert body["total_records"] == 2 and body["total_pages"] == 1 and body["page"] == 1
    ana = next(p for p in body["_embedded"]["osdi:people"] if p["given_name"] == "Ana")
    assert ana["identifiers"] == [f"grassroots:{small_city.ana.public_id}"]
    assert ana["_links"]["self"]["href"].endswith(f"/people/{small_city.ana.public_id}")
    assert ana["email_addresses"] == [
        {"address": "ana.pena@example.org", "primary": True, "status": "subscribed"}
    ]
    assert ana["created_date"].endswith("Z") and ana["modified_date"].endswith("Z")
    assert ana["postal_addresses"][0]["address_lines"] == ["12 ELM AVE"]


def test_a_token_sees_only_what_its_user_sees(small_city: SmallCity, api_as: Any) -> None:
    canvasser = api_as(small_city.canvasser)
    names = [p["given_name"] for p in canvasser.get("/api/v2/people").json()["_embedded"]["osdi:people"]]
    assert names == ["Bo"]
    assert canvasser.get(f"/api/v2/people/{small_city.ana.public_id}").status_code == 404
    outsider = api_as(small_city.outsider).get("/api/v2/people").json()
    assert outsider["total_records"] == 0 and outsider["_embedded"] == {"osdi:people": []}


def test_pages_past_the_end_are_empty_and_links_follow(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    first = api.get("/api/v2/people", {"per_page": 1}).json()
    assert first["total_pages"] == 2 and "next" in first["_links"] and "previous" not in first["_links"]
    second = api.get(first["_links"]["next"]["href"]).json()
    assert second["page"] == 2 and "next" not in second["_links"]
    past = api.get("/api/v2/people", {"page": 9})
    assert past.status_code == 200 and past.json()["_embedded"]["osdi:people"] == []


def test_filters_read_the_odata_subset(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)

    def names(text: str, key: str = "filter") -> list[str]:
        response = api.get("/api/v2/people", {key: text})
        assert response.status_code == 200, response.json()
        return sorted(p["given_name"] for p in response.json()["_embedded"]["osdi:people"])

    assert names("email_address eq 'ANA.PENA@example.org'") == ["Ana"]
    assert names("email_address eq 'bo@example.net'", "$filter") == ["Bo"]
    assert names("modified_date gt '2000-01-01'") == ["Ana", "Bo"]
    assert names("modified_date lt '2000-01-01'") == []
    assert names("given_name eq 'Ana' or family_name eq 'Chen'") == ["Ana", "Bo"]
    assert names("(given_name ne 'Ana') and phone_number eq '+13475550102'") == ["Bo"]
    bad = api.get("/api/v2/people", {"filter": "shoe_size gt '3'"})
    assert bad.status_code == 400 and bad.json()["field"] == "filter"


def test_routes_answer_with_and_without_a_trailing_slash(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    assert api.get("/api/v2/people/").status_code == 200
    assert api.get(f"/api/v2/people/{small_city.ana.public_id}/").status_code == 200
    assert (
        api.post(
            "/api/v2/people/", {"given_name": "Cy", "email_addresses": [{"address": "cy@x.org"}]}
        ).status_code
        == 200
    )


def test_anonymous_and_bad_tokens_get_401(small_city: SmallCity, api_as: Any, client: Any) -> None:
    response = client.get("/api/v2/people")
    assert response.status_code == 401 and "error" in response.json()
    assert client.get("/api/v2/people", HTTP_OSDI_API_TOKEN="gr_nope").status_code == 401


def test_the_token_may_come_in_the_query_string(small_city: SmallCity, api_as: Any, client: Any) -> None:
    token = api_as(small_city.organizer).token
    assert client.get("/api/v2/people", {"osdi-api-token": token}).status_code == 200


def test_signup_matches_an_existing_person_and_adds_tags(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    body = {
        "person": {
            "given_name": "Ana",
            "email_addresses": [{"address": "ana.pena@example.org"}],
            "custom_fields": {"shirt": "M"},
        },
        "add_tags": ["volunteer"],
    }
    response = api.post("/api/v2/people", body)
    assert response.status_code == 200, response.json()
    assert response.json()["identifiers"] == [f"grassroots:{small_city.ana.public_id}"]
    small_city.ana.refresh_from_db()
    assert {t.name for t in small_city.ana.tags.all()} == {"tenant", "volunteer"}
    assert small_city.ana.custom_fields == {"shirt": "M"}
    assert Person.objects.count() == 2


def test_signup_adds_a_new_person(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    body = {
        "person": {
            "given_name": "Dee",
            "family_name": "Ray",
            "email_addresses": [{"address": "dee@x.org"}],
            "phone_numbers": [{"number": "7185550199"}],
        },
        "add_tags": ["new"],
    }
    created = api.post("/api/v2/people", body).json()
    person = Person.objects.get(public_id=created["identifiers"][0].split(":")[1])
    assert (person.first_name, [t.name for t in person.tags.all()]) == ("Dee", ["new"])
    assert AuditEntry.objects.filter(verb="create", object_id=str(person.public_id)).exists()


def test_signup_refuses_to_duplicate_a_person_outside_the_scope(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.canvasser)
    body = {"person": {"given_name": "Ana", "email_addresses": [{"address": "ana.pena@example.org"}]}}
    # A canvasser may not change people at all: 403 before any matching.
    assert api.post("/api/v2/people", body).status_code == 403
    small_city.coordinator.scope.set([small_city.south])
    coordinator = api_as(small_city.coordinator)
    response = coordinator.post("/api/v2/people", body)
    assert response.status_code == 409 and "error" in response.json()


def test_update_replaces_the_given_fields(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    url = f"/api/v2/people/{small_city.ana.public_id}"
    response = api.put(url, {"family_name": "Pena-Ruiz", "email_addresses": [{"address": "ana@new.org"}]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["family_name"] == "Pena-Ruiz" and body["given_name"] == "Ana"
    assert [e["address"] for e in body["email_addresses"]] == ["ana@new.org"]


def test_bad_input_names_the_field(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    response = api.post(
        "/api/v2/people", {"person": {"given_name": "X", "email_addresses": [{"address": "nope"}]}}
    )
    assert response.status_code == 400 and response.json()["field"] == "email_addresses.0.address"
    response = api.post("/api/v2/people", {"given_name": 5, "email_addresses": "x"})
    assert response.status_code == 400 and response.json()["field"]
    response = api.get("/api/v2/people", {"page": 0})
    assert response.status_code == 400 and response.json()["field"] == "page"


def test_a_read_only_token_cannot_write(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer, read_only=True)
    assert api.get("/api/v2/people").status_code == 200
    response = api.post("/api/v2/people", {"given_name": "Cy", "email_addresses": [{"address": "cy@x.org"}]})
    assert response.status_code == 403 and "read-only" in response.json()["error"]


def test_reads_are_audited(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    api.get(f"/api/v2/people/{small_city.ana.public_id}")
    entry = AuditEntry.objects.filter(verb="view", object_id=str(small_city.ana.public_id)).get()
    assert entry.actor == small_city.organizer and entry.details["source"] == "api"
    api.get("/api/v2/people")
    listed = AuditEntry.objects.filter(verb="view", object_id="").latest("id")
    assert sorted(listed.details["shown"]) == sorted(
        [str(small_city.ana.public_id), str(small_city.bo.public_id)]
    )


def test_requests_past_the_rate_limit_get_429(
    small_city: SmallCity, api_as: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.cache import cache

    from grassroots.api import server

    cache.clear()
    # All five requests in one minute: a new minute starting between them would start a new count.
    monkeypatch.setattr(server, "time", types.SimpleNamespace(time=lambda: 1_800_000_010.0))
    settings.OSDI_REQUESTS_PER_MINUTE = 3
    api = api_as(small_city.organizer)
    codes = [api.get("/api/v2/tags").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and 429 in codes[3:]
    other = api_as(small_city.admin)
    assert other.get("/api/v2/tags").status_code == 200  # counted per token
    cache.clear()


def test_tags_and_taggings(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    tag = api.post("/api/v2/tags", {"name": "Volunteers"}).json()
    again = api.post("/api/v2/tags", {"name": "Volunteers"}).json()
    assert again["identifiers"] == tag["identifiers"]
    taggings = tag["_links"]["osdi:taggings"]["href"]
    person = f"http://testserver/api/v2/people/{small_city.bo.public_id}"
    made = api.post(taggings, {"_links": {"osdi:person": {"href": person}}})
    assert made.status_code == 200, made.json()
    listed = api.get(taggings).json()["_embedded"]["osdi:taggings"]
    assert [t["_links"]["osdi:person"]["href"] for t in listed] == [person]
    mine = api.get(f"/api/v2/people/{small_city.bo.public_id}/taggings").json()["_embedded"]["osdi:taggings"]
    assert len(mine) == 2
    gone = api.delete(made.json()["_links"]["self"]["href"])
    assert gone.status_code == 200 and "deleted" in gone.json()["notice"]
    assert api.get(taggings).json()["total_records"] == 0
