"""Reading dates and times: what exists is read in the local zone, the rest is refused with why."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from grassroots.lib.moments import NotAMoment, read_moment

NEW_YORK = ZoneInfo("America/New_York")  # the settings' TIME_ZONE


def test_a_moment_without_a_zone_is_local_time_and_one_with_a_zone_keeps_it() -> None:
    local = read_moment(" 2030-05-01T21:00 ")
    assert local == datetime.datetime(2030, 5, 1, 21, 0, tzinfo=NEW_YORK)
    assert read_moment("2030-05-02T01:00:00Z") == local


def test_a_bare_date_is_its_local_midnight() -> None:
    assert read_moment("2030-05-01") == datetime.datetime(2030, 5, 1, tzinfo=NEW_YORK)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("tomorrow", "is not a date and time"),
        ("2026-02-30T10:00", "is not a date and time"),  # shaped right: Django's parser raises
        ("2026-01-01T25:00:00Z", "is not a date and time"),
        ("9999-12-31T23:59:59-05:00", "is out of range"),  # in UTC, the year 10000
        ("0001-01-01T00:00:00+05:00", "is out of range"),  # in UTC, the year 0
    ],
)
def test_what_is_not_a_moment_we_can_keep_is_refused_with_why(text: str, why: str) -> None:
    with pytest.raises(NotAMoment, match=why):
        read_moment(text)
