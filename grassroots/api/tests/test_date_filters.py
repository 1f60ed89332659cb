"""Dates in filters: a time without a zone is local time, as it is when a client writes one."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db


def test_an_event_is_found_by_the_time_without_a_zone_it_was_created_with(
    small_city: SmallCity, api_as: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "America/New_York"
    api = api_as(small_city.organizer)
    created = api.post(
        "/api/v2/events",
        {
            "title": "Late meeting",
            "start_date": "2099-05-01T21:00:00",
            "location": {"address_lines": ["12 Elm"]},
        },
    )
    assert created.status_code == 200, created.json()

    def titles(text: str) -> list[str]:
        response = api.get("/api/v2/events", {"filter": text})
        assert response.status_code == 200, response.json()
        return [e["title"] for e in response.json()["_embedded"]["osdi:events"]]

    assert titles("start_date eq '2099-05-01T21:00:00'") == ["Late meeting"]
    # 21:00 in New York is 01:00 the next day in UTC; the local day holds it.
    assert titles("start_date ge '2099-05-01' and start_date lt '2099-05-02'") == ["Late meeting"]
    assert titles("start_date ge '2099-05-02'") == []
    assert titles("start_date eq '2099-05-02T01:00:00Z'") == ["Late meeting"]


def test_a_date_at_the_end_of_the_calendar_is_refused_not_overflowed(
    small_city: SmallCity, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    response = api.get("/api/v2/events", {"filter": "start_date lt '9999-12-31T23:00:00'"})
    assert response.status_code == 400 and response.json()["field"] == "filter"
    # A day shaped right that does not exist: Django's parser raises, the filter says why.
    response = api.get("/api/v2/events", {"filter": "start_date lt '2026-02-30'"})
    assert response.status_code == 400 and "is not a date and time" in response.json()["error"]
