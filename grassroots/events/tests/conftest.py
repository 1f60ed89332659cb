from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import timezone

from grassroots.events.actions import EventData, do_create_event
from grassroots.events.models import Event
from grassroots.fixtures import SmallCity


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The sign-up rate limit counts in the cache: each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


def make_event(city: SmallCity, title: str = "Elm tenants meeting", **fields: object) -> Event:
    starts = (timezone.now() + datetime.timedelta(days=7)).replace(second=0, microsecond=0)
    data = EventData(
        title=title,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        address="12 Elm Avenue",
        area=city.ed1,
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return do_create_event(city.organizer, data)


@pytest.fixture
def event(small_city: SmallCity) -> Event:
    return make_event(small_city)
