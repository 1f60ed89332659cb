"""The demo events: past and upcoming, an organizing meeting with presenters, reading groups, referrals."""

from __future__ import annotations

import pytest
from django.utils import timezone

from grassroots.demo.events import create_demo_events
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city
from grassroots.events.models import ATTENDED_ACTION, RSVP, RSVP_ACTION, Attendance, Event, ProjectSignup
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db


def test_the_demo_has_past_and_upcoming_events_with_people_who_came_and_brought_others() -> None:
    generate_city(seed=2, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)

    made = create_demo_events(city, seed=2)

    assert made is not None
    now = timezone.now()
    past = Event.objects.filter(ends_at__lt=now)
    assert past.filter(kind=Event.Kind.ORGANIZING_MEETING).count() == 1
    assert Event.objects.filter(ends_at__gte=now, kind=Event.Kind.ORGANIZING_MEETING).count() == 1
    assert Event.objects.filter(kind=Event.Kind.READING_GROUP).count() == 2
    meeting = past.get(kind=Event.Kind.ORGANIZING_MEETING)
    assert meeting.agenda.exclude(presenter_name="").count() == 3
    assert meeting.projects.count() == 3 and meeting.sponsors.exists()
    assert ProjectSignup.objects.filter(project__event=meeting).exists()
    came = Attendance.objects.filter(event=meeting)
    assert came.filter(walk_in=False).exists() and came.filter(walk_in=True).exists()
    # The past's Actions are dated in the past: RSVPs before the meeting, attendance at it.
    rsvped = Action.objects.filter(kind=RSVP_ACTION, details__event=str(meeting.public_id))
    assert rsvped.exists() and all(a.occurred_at < meeting.starts_at for a in rsvped)
    attended = Action.objects.filter(kind=ATTENDED_ACTION, details__event=str(meeting.public_id))
    assert attended.count() == came.count()
    assert RSVP.objects.filter(referred_by__isnull=False).count() >= 10
    training = Event.objects.get(kind=Event.Kind.TRAINING)
    assert training.rsvps.filter(status=RSVP.Status.WAITLISTED).count() == 4
    assert Event.objects.filter(status=Event.Status.CANCELLED).count() == 1
    assert made.petition is not None and made.petition.submissions.count() >= 20
