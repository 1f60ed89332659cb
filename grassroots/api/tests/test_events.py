"""Events through the API: dates a client sends that do not exist are refused with the field at fault."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.events.models import Event
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db

IMPOSSIBLE = [
    "2026-02-30",  # shaped right, but there is no February 30
    "2026-02-30T10:00:00Z",
    "2026-01-01T25:00:00Z",
    "9999-12-31T23:59:59-05:00",  # in UTC, the year 10000
    "0001-01-01T00:00:00+05:00",  # in UTC, the year 0
]


@pytest.mark.parametrize("moment", IMPOSSIBLE)
def test_an_event_at_a_moment_that_does_not_exist_is_refused_with_the_field_at_fault(
    small_city: SmallCity, api_as: Any, moment: str
) -> None:
    api = api_as(small_city.organizer)
    response = api.post("/api/v2/events", {"title": "Tenant meeting", "start_date": moment})
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "start_date" and moment in response.json()["error"]
    response = api.post(
        "/api/v2/events",
        {"title": "Tenant meeting", "start_date": "2099-05-01T18:00:00Z", "end_date": moment},
    )
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "end_date"
    assert not Event.objects.exists()


def test_an_event_moved_to_a_day_that_does_not_exist_keeps_its_date(
    small_city: SmallCity, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    place = {"address_lines": ["12 Elm Avenue"]}
    made = api.post(
        "/api/v2/events", {"title": "Tenant meeting", "start_date": "2099-05-01T18:00:00Z", "location": place}
    )
    assert made.status_code == 200, made.content
    event = Event.objects.get()
    response = api.put(f"/api/v2/events/{event.public_id}", {"start_date": "2099-02-29T18:00:00Z"})
    assert response.status_code == 400 and response.json()["field"] == "start_date"
    event.refresh_from_db()
    assert event.starts_at.isoformat() == "2099-05-01T18:00:00+00:00"
