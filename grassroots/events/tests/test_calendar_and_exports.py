"""iCalendar files and feed, CSV exports through the gate, and the email reminders and follow-ups."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from grassroots.accounts.models import AuditEntry
from grassroots.events import actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import FOLLOW_UP_ACTION, REMINDER_ACTION, RSVP, Event
from grassroots.events.reminders import send_follow_ups, send_reminders
from grassroots.events.tests.conftest import make_event
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db


def test_an_event_file_is_valid_icalendar(small_city: SmallCity, event: Event, client: Client) -> None:
    response = client.get(reverse("public_event_ics", kwargs={"slug": event.slug}))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["SUMMARY"]) == event.title
    assert entry.decoded("DTSTART") == event.starts_at
    assert entry.decoded("DTEND") == event.ends_at
    assert str(entry["LOCATION"]) == "12 Elm Avenue"
    assert str(entry["UID"]) == f"{event.public_id}@grassroots-events"
    assert str(entry["STATUS"]) == "CONFIRMED"


def test_the_feed_lists_upcoming_listed_events_and_marks_cancelled_ones(
    small_city: SmallCity, client: Client
) -> None:
    shown = make_event(small_city, "Listed")
    make_event(small_city, "Unlisted", listed=False)
    ago = timezone.now() - datetime.timedelta(days=10)
    make_event(small_city, "Long past", starts_at=ago, ends_at=ago + datetime.timedelta(hours=1))
    off = actions.do_cancel_event(small_city.organizer, make_event(small_city, "Called off"))
    calendar = Calendar.from_ical(client.get(reverse("public_events_feed")).content)
    entries = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(entries) == {shown.title, off.title}
    assert str(entries[off.title]["STATUS"]) == "CANCELLED"


def _rows(response: object) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text)))


def test_the_rsvp_export_holds_only_visible_people_and_is_audited(
    small_city: SmallCity, client: Client
) -> None:
    event = make_event(small_city, area=None)
    code = actions.referral_code_for(small_city.ana)
    actions.do_rsvp(event, Arrival("Ana", "Peña", email="ana.pena@example.org"))
    actions.do_rsvp(event, Arrival("Bo", "Chen", email="bo@example.net"), referral_code=code)
    actions.do_check_in(small_city.organizer, event, Arrival("Bo", email="bo@example.net"))
    client.force_login(small_city.coordinator)  # sees the north: Ana, not Bo
    rows = _rows(client.get(reverse("event_rsvps_csv", kwargs={"public_id": event.public_id})))
    assert [(r["first_name"], r["attended"]) for r in rows] == [("Ana", "no")]
    entry = AuditEntry.objects.get(verb="export")
    assert (entry.actor, entry.details["rows"]) == (small_city.coordinator, 1)

    client.force_login(small_city.organizer)
    rows = _rows(client.get(reverse("event_rsvps_csv", kwargs={"public_id": event.public_id})))
    assert [(r["first_name"], r["referred_by"], r["attended"]) for r in rows] == [
        ("Ana", "", "no"),
        ("Bo", "Ana Peña", "yes"),
    ]
    rows = _rows(client.get(reverse("event_attendance_csv", kwargs={"public_id": event.public_id})))
    assert [(r["first_name"], r["email"], r["rsvp"]) for r in rows] == [("Bo", "bo@example.net", "going")]


def test_a_user_who_does_not_run_the_event_cannot_export_it(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    client.force_login(small_city.canvasser)
    assert client.get(reverse("event_rsvps_csv", kwargs={"public_id": event.public_id})).status_code == 404


def test_reminders_go_only_to_people_who_agreed_to_email(small_city: SmallCity) -> None:
    soon = timezone.now() + datetime.timedelta(hours=5)
    event = make_event(small_city, starts_at=soon, ends_at=soon + datetime.timedelta(hours=2))
    yes = Arrival("Yes", "Please", email="yes@example.com", consents={"email": True}, consent_wording="ok")
    actions.do_rsvp(event, yes)
    actions.do_rsvp(event, Arrival("No", "Thanks", email="no@example.com"))
    actions.do_rsvp(event, Arrival("Ana", email="ana.pena@example.org"))  # agreed earlier (fixture)
    far = make_event(small_city, "Next month", starts_at=soon + datetime.timedelta(days=30),
                     ends_at=soon + datetime.timedelta(days=30, hours=1))  # fmt: skip
    actions.do_rsvp(far, yes)

    assert send_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["ana.pena@example.org", "yes@example.com"]
    message = mail.outbox[0]
    assert event.title in message.subject
    assert "/e/rsvp/" in message.body  # the cancel link
    assert message.attachments[0][0].endswith(".ics")
    assert Action.objects.filter(kind=REMINDER_ACTION).count() == 2
    assert send_reminders() == 0  # once only
    assert RSVP.objects.filter(reminded_at__isnull=False).count() == 2


def test_follow_ups_thank_who_came_and_tell_who_did_not_what_they_missed(small_city: SmallCity) -> None:
    ago = timezone.now() - datetime.timedelta(hours=5)
    event = make_event(small_city, starts_at=ago, ends_at=ago + datetime.timedelta(hours=2))
    came = Arrival("Came", email="came@example.com", consents={"email": True}, consent_wording="ok")
    missed = Arrival("Missed", email="missed@example.com", consents={"email": True}, consent_wording="ok")
    for who in (came, missed):
        RSVP.objects.create(
            event=event, person=actions.person_for_arrival(who, area=None, source="t")[0], status="going"
        )
    actions.do_check_in(small_city.organizer, event, came)
    make_event(small_city, "What comes next")
    sent = send_follow_ups()
    assert (sent.thanked, sent.missed) == (1, 1)
    by_to = {m.to[0]: m for m in mail.outbox}
    assert "Thank you for coming" in by_to["came@example.com"].subject
    assert "What comes next" in by_to["came@example.com"].body
    assert "We missed you" in by_to["missed@example.com"].subject
    assert Action.objects.filter(kind=FOLLOW_UP_ACTION).count() == 2
    mail.outbox.clear()
    call_command("events", "remind")
    assert mail.outbox == []


def test_moving_up_from_the_waitlist_is_told_by_email(
    small_city: SmallCity, django_capture_on_commit_callbacks: object
) -> None:
    event = make_event(small_city, capacity=1)
    first = actions.do_rsvp(event, Arrival("A", email="a@example.com")).rsvp
    waiting = Arrival("W", email="w@example.com", consents={"email": True}, consent_wording="ok")
    actions.do_rsvp(event, waiting)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.do_cancel_rsvp(None, first)
    assert [m.to for m in mail.outbox] == [["w@example.com"]]
    assert "A place opened up" in mail.outbox[0].subject
