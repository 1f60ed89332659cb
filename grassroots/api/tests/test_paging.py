"""Paging a collection: every record once, a right total on every page, and no query per record."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.fixtures import SmallCity
from grassroots.testing import make_person

pytestmark = pytest.mark.django_db


def _people(small_city: SmallCity, count: int) -> None:
    for i in range(count):
        make_person(
            f"Reader{i}",
            "Paging",
            area=small_city.ed1,
            emails=(f"reader{i}@example.org",),
            phones=(f"+1718555{i:04d}",),
            consents={"email": True},
        )


def test_every_page_gives_the_total_and_each_person_exactly_once(small_city: SmallCity, api_as: Any) -> None:
    _people(small_city, 11)  # 13 people with Ana and Bo
    api = api_as(small_city.organizer)
    seen: list[str] = []
    for number in (1, 2, 3):
        body = api.get("/api/v2/people", {"per_page": 5, "page": number}).json()
        assert (body["total_records"], body["total_pages"], body["page"]) == (13, 3, number)
        seen += [p["identifiers"][0] for p in body["_embedded"]["osdi:people"]]
    assert len(seen) == 13 and len(set(seen)) == 13
    past = api.get("/api/v2/people", {"per_page": 5, "page": 4}).json()
    assert past["total_records"] == 13 and past["_embedded"]["osdi:people"] == []


def test_a_page_keeps_the_order_of_the_collection(small_city: SmallCity, api_as: Any) -> None:
    _people(small_city, 6)
    api = api_as(small_city.organizer)
    pages = [api.get("/api/v2/people", {"per_page": 3, "page": n}).json() for n in (1, 2, 3)]
    names = [p["given_name"] for page in pages for p in page["_embedded"]["osdi:people"]]
    # The people list is ordered by when the records were made.
    assert names == ["Ana", "Bo", *(f"Reader{i}" for i in range(6))]


def test_the_total_follows_people_added_and_merged_away(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    assert api.get("/api/v2/people", {"per_page": 1}).json()["total_records"] == 2
    newcomer = make_person("Cy", "Newcomer", area=small_city.ed2)
    assert api.get("/api/v2/people", {"per_page": 1}).json()["total_records"] == 3
    newcomer.merged_into = small_city.bo
    newcomer.save(update_fields=["merged_into"])
    body = api.get("/api/v2/people", {"per_page": 1, "page": 2}).json()
    assert body["total_records"] == 2 and body["_embedded"]["osdi:people"][0]["given_name"] == "Bo"


def test_a_scoped_token_counts_only_the_people_it_sees(small_city: SmallCity, api_as: Any) -> None:
    _people(small_city, 4)  # all in ED 1, which the canvasser does not see
    body = api_as(small_city.canvasser).get("/api/v2/people", {"per_page": 1}).json()
    assert body["total_records"] == 1 and body["total_pages"] == 1
    assert [p["given_name"] for p in body["_embedded"]["osdi:people"]] == ["Bo"]


def test_a_page_of_people_costs_the_same_queries_whatever_its_size(
    small_city: SmallCity, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    _people(small_city, 30)
    api = api_as(small_city.organizer)
    api.get("/api/v2/people", {"per_page": 2})  # the token's first use is written down once

    def queries(per_page: int) -> int:
        with django_assert_max_num_queries(100) as captured:
            body = api.get("/api/v2/people", {"per_page": per_page, "page": 2}).json()
        assert len(body["_embedded"]["osdi:people"]) == per_page
        return len(captured.captured_queries)

    assert queries(2) == queries(12)
