"""A committee's meetings as an iCalendar feed (RFC 5545), for members' own calendar apps."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.utils import timezone
from icalendar import Calendar, Event

from grassroots.committees.models import Committee, Meeting

PRODID = "-//grassroots//committee meetings//EN"


def meeting_uid(meeting: Meeting) -> str:
    """Stable across feeds and edits, so a calendar app updates an event instead of adding one."""
    return f"{meeting.public_id}@grassroots"


def committee_calendar(committee: Committee, meetings: Iterable[Meeting]) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", committee.name)
    stamp = timezone.now().astimezone(UTC)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("summary", meeting.title)
        if meeting.location:
            event.add("location", meeting.location)
        agenda = [item.title for item in meeting.agenda.all()]
        if agenda:
            event.add("description", "\n".join(f"{i}. {title}" for i, title in enumerate(agenda, 1)))
        event.add("status", "CANCELLED" if meeting.cancelled_at else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
