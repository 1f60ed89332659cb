"""Reminders before an event and follow-ups after it, by email, only to people who agreed to email.

``send_reminders`` writes to everyone going to an event that starts within
``EVENTS_REMINDER_HOURS``; ``send_follow_ups`` thanks those who came to an event that ended in the
last ``FOLLOW_UP_DAYS`` days (with what comes next) and tells those who said they would come but
did not what they missed. Each message is sent once (``reminded_at``/``followed_up_at``) and is an
Action on the person's timeline. A person without a granted email consent gets nothing, whatever
they typed. Messages go through Django's email backend: the console in development, SMTP when
EMAIL_HOST is set.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.events.calendar import events_calendar, public_url
from grassroots.events.models import FOLLOW_UP_ACTION, REMINDER_ACTION, RSVP, Attendance, Event
from grassroots.people.actions import do_record_action
from grassroots.people.models import Channel, Consent, Person

FOLLOW_UP_DAYS = 3
UPCOMING_IN_FOLLOW_UP = 3


@dataclass
class Sent:
    reminders: int = 0
    thanked: int = 0
    missed: int = 0


def email_for(person: Person, typed: str = "") -> str:
    """Where to write to this person, or "" when they have not agreed to email.

    The address they typed on the form when it is one of theirs, else their primary one.
    """
    if not Consent.objects.filter(person=person, channel=Channel.EMAIL, granted=True).exists():
        return ""
    addresses = [e.address for e in person.emails.all()]
    if typed and typed in addresses:
        return typed
    return addresses[0] if addresses else ""


def _upcoming(after: datetime.datetime) -> list[Event]:
    return list(
        Event.objects.filter(status=Event.Status.SCHEDULED, listed=True, starts_at__gt=after).order_by(
            "starts_at"
        )[:UPCOMING_IN_FOLLOW_UP]
    )


def _message(template: str, subject: str, to: str, context: dict[str, object]) -> EmailMessage:
    """A plain-text email (nothing in it is read as HTML). The subject is made one line: an
    event's title with a line break in it would otherwise stop the email (a header injection)."""
    body = render_to_string(f"events/email/{template}.txt", context)
    subject = " ".join(subject.split())
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])


def _record(person: Person, kind: str, event: Event, what: str) -> None:
    do_record_action(
        None,
        person,
        kind,
        area=event.area or person.area,
        source="email",
        details={"event": str(event.public_id), "title": event.title, "message": what},
    )


def send_reminders(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=settings.EVENTS_REMINDER_HOURS)
    rsvps = (
        RSVP.objects.filter(
            status=RSVP.Status.GOING,
            reminded_at__isnull=True,
            event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=now,
            event__starts_at__lte=horizon,
        )
        .select_related("event", "person", "shift")
        .order_by("event__starts_at", "id")
    )
    sent = 0
    with get_connection() as connection:
        for rsvp in rsvps:
            to = email_for(rsvp.person, rsvp.email)
            if not to:
                continue
            event = rsvp.event
            cancel = settings.SITE_URL + reverse("public_rsvp_cancel", kwargs={"public_id": rsvp.public_id})
            message = _message(
                "reminder",
                _("Reminder: %(title)s") % {"title": event.title},
                to,
                {"rsvp": rsvp, "event": event, "url": public_url(event), "cancel_url": cancel},
            )
            message.attach(f"{event.slug}.ics", events_calendar([event], event.title), "text/calendar")
            message.connection = connection
            message.send()
            RSVP.objects.filter(pk=rsvp.pk).update(reminded_at=now)
            _record(rsvp.person, REMINDER_ACTION, event, "reminder")
            sent += 1
    return sent


def notify_promoted(rsvp_ids: list[int]) -> int:
    """Tell those who just moved up from the waitlist that a place is theirs (if they agreed to email)."""
    sent = 0
    with get_connection() as connection:
        for rsvp in RSVP.objects.filter(pk__in=rsvp_ids, status=RSVP.Status.GOING).select_related(
            "event", "person"
        ):
            to = email_for(rsvp.person, rsvp.email)
            if not to:
                continue
            event = rsvp.event
            cancel = settings.SITE_URL + reverse("public_rsvp_cancel", kwargs={"public_id": rsvp.public_id})
            subject = _("A place opened up: %(title)s") % {"title": event.title}
            context = {"rsvp": rsvp, "event": event, "url": public_url(event), "cancel_url": cancel}
            message = _message("promoted", subject, to, context)
            message.connection = connection
            message.send()
            sent += 1
    return sent


def _ended_events(now: datetime.datetime) -> Iterable[Event]:
    since = now - datetime.timedelta(days=FOLLOW_UP_DAYS)
    return Event.objects.filter(status=Event.Status.SCHEDULED, ends_at__lte=now, ends_at__gt=since)


def _follow_up(
    connection: Any, what: str, subject: str, person: Person, to: str, event: Event, upcoming: list[Event]
) -> None:
    context = {"person": person, "event": event, "upcoming": upcoming, "site": settings.SITE_URL}
    message = _message(what, subject, to, context)
    message.connection = connection
    message.send()
    _record(person, FOLLOW_UP_ACTION, event, what)


def send_follow_ups(now: datetime.datetime | None = None) -> Sent:
    now = now or timezone.now()
    sent = Sent()
    with get_connection() as connection:
        for event in _ended_events(now):
            upcoming = _upcoming(now)
            thanks = _("Thank you for coming to %(title)s") % {"title": event.title}
            for attendance in event.attendance.filter(followed_up_at__isnull=True).select_related("person"):
                Attendance.objects.filter(pk=attendance.pk).update(followed_up_at=now)
                to = email_for(attendance.person)
                if to:
                    _follow_up(connection, "thanks", thanks, attendance.person, to, event, upcoming)
                    sent.thanked += 1
            came = set(event.attendance.values_list("person_id", flat=True))
            missed = _("We missed you at %(title)s") % {"title": event.title}
            going = event.rsvps.filter(status=RSVP.Status.GOING, followed_up_at__isnull=True)
            for rsvp in going.select_related("person"):
                RSVP.objects.filter(pk=rsvp.pk).update(followed_up_at=now)
                to = "" if rsvp.person_id in came else email_for(rsvp.person, rsvp.email)
                if to:
                    _follow_up(connection, "missed", missed, rsvp.person, to, event, upcoming)
                    sent.missed += 1
    return sent


def send_event_emails(now: datetime.datetime | None = None) -> Sent:
    sent = send_follow_ups(now)
    sent.reminders = send_reminders(now)
    return sent
