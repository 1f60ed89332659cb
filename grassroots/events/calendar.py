"""Events as iCalendar (RFC 5545): one file per event, and a feed of the upcoming public events.

Only what the public page shows goes in: title, time, place or link, description. No one's name.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from grassroots.events.models import Event

PRODID = "-//grassroots//events//EN"


def event_uid(event: Event) -> str:
    """Stable across files and edits, so a calendar app updates the event instead of adding one."""
    return f"{event.public_id}@grassroots-events"


def public_url(event: Event) -> str:
    return settings.SITE_URL + reverse("public_event", kwargs={"slug": event.slug})


def events_calendar(events: Iterable[Event], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    # One line: icalendar writes this property as it is, and refuses a line break in it.
    calendar.add("x-wr-calname", " ".join(name.split()))
    stamp = timezone.now().astimezone(UTC)
    for event in events:
        entry = CalendarEvent()
        entry.add("uid", event_uid(event))
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.starts_at.astimezone(UTC))
        entry.add("dtend", event.ends_at.astimezone(UTC))
        entry.add("summary", event.title)
        entry.add("url", public_url(event))
        if event.online:
            entry.add("location", event.link)
        elif event.address:
            entry.add("location", event.address)
        if event.has_map:
            entry.add("geo", (event.lat, event.lon))
        description = "\n\n".join(p for p in (event.description, public_url(event)) if p)
        entry.add("description", description)
        entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        calendar.add_component(entry)
    return calendar.to_ical()
