"""Withdrawn consent is honoured by every outreach path: emails, walk lists and the canvass app."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.canvass.models import Turf, TurfDoor, Universe
from grassroots.events import actions as event_actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import RSVP, Event
from grassroots.events.reminders import notify_promoted, send_follow_ups, send_reminders
from grassroots.fixtures import SmallCity
from grassroots.people import actions
from grassroots.people.forms import PersonForm
from grassroots.people.models import Consent
from grassroots.places.models import Area

pytestmark = pytest.mark.django_db


def _event(c: SmallCity, starts_at: datetime.datetime, **extra: object) -> Event:
    data = event_actions.EventData(
        "Tenants meet", starts_at, starts_at + datetime.timedelta(hours=2), address="40 Oak St", area=c.ed1
    )
    for name, value in extra.items():
        setattr(data, name, value)
    return event_actions.do_create_event(c.organizer, data)


ANA = Arrival("Ana", "Peña", email="ana.pena@example.org")  # agreed to email (the fixture)


def test_a_reminder_skips_someone_who_withdrew_after_saying_yes(small_city: SmallCity) -> None:
    c = small_city
    event = _event(c, timezone.now() + datetime.timedelta(hours=5))
    event_actions.do_rsvp(event, ANA)
    actions.do_withdraw_consent(c.organizer, c.ana, ["email"], source="phone call")
    assert send_reminders() == 0
    assert mail.outbox == []


def test_follow_ups_and_waitlist_news_skip_someone_who_withdrew(small_city: SmallCity) -> None:
    c = small_city
    ago = timezone.now() - datetime.timedelta(hours=5)
    past = _event(c, ago)
    RSVP.objects.create(event=past, person=c.ana, status=RSVP.Status.GOING, email="ana.pena@example.org")
    actions.do_withdraw_consent(None, c.ana, source="unsubscribe link")
    assert send_follow_ups().missed == 0
    rsvp = RSVP.objects.get(event=past, person=c.ana)
    assert notify_promoted([rsvp.pk]) == 0
    assert mail.outbox == []
    # The same path still writes to someone who agreed: the check above is the consent, not a fault.
    actions.do_record_consents(None, c.ana, {"email": True}, source="form", wording="ok")
    assert notify_promoted([rsvp.pk]) == 1


def test_asking_not_to_be_contacted_refuses_every_channel_even_unanswered_ones(small_city: SmallCity) -> None:
    c = small_city
    actions.do_withdraw_consent(c.organizer, c.bo, source="at the door")
    assert dict(Consent.objects.filter(person=c.bo).values_list("channel", "granted")) == {
        "email": False,
        "sms": False,
        "call": False,
        "door": False,
    }


def test_the_person_form_records_do_not_contact_and_shows_it_again(small_city: SmallCity) -> None:
    c = small_city
    initial = PersonForm.initial_for(c.ana)
    form = PersonForm(
        {**initial, "area": c.building1.public_id, "consent_email": "on", "do_not_contact": "on"},
        areas=Area.objects.all(),
    )
    assert form.is_valid(), form.errors
    actions.do_update_person(c.organizer, c.ana, form.person_data())
    assert not Consent.objects.filter(person=c.ana, granted=True).exists()
    assert Consent.objects.filter(person=c.ana).count() == 4
    assert PersonForm.initial_for(c.ana)["do_not_contact"] is True


@pytest.fixture
def ana_turf(small_city: SmallCity) -> Turf:
    c = small_city
    universe = Universe.objects.create(name="Elm")
    universe.areas.add(c.city)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=c.home1, position=0)
    turf.canvassers.add(c.coordinator)
    return turf


def test_the_walk_list_and_the_app_say_do_not_contact(small_city: SmallCity, ana_turf: Turf) -> None:
    c = small_city
    client = Client()
    client.force_login(c.coordinator)
    page = client.get(reverse("walk_list", args=[ana_turf.public_id])).content.decode()
    assert "Ana Peña" in page and "do not contact" not in page
    data = client.get(reverse("canvass_turf_app_data", args=[ana_turf.public_id])).json()
    assert data["doors"][0]["people"][0]["do_not_contact"] is False

    actions.do_withdraw_consent(c.organizer, c.ana, ["door"], source="at the door")

    page = client.get(reverse("walk_list", args=[ana_turf.public_id])).content.decode()
    assert 'Ana Peña <strong class="do-not-contact">(do not contact)</strong>' in page
    data = client.get(reverse("canvass_turf_app_data", args=[ana_turf.public_id])).json()
    assert data["doors"][0]["people"] == [
        {"id": str(c.ana.public_id), "name": "Ana Peña", "do_not_contact": True}
    ]
    # The app has the words to show it with.
    app = client.get(reverse("canvass_turf_app", args=[ana_turf.public_id])).content.decode()
    assert 'data-do-not-contact="do not contact"' in app


def test_an_erased_person_is_on_no_walk_list_and_gets_no_email(small_city: SmallCity, ana_turf: Turf) -> None:
    c = small_city
    event = _event(c, timezone.now() + datetime.timedelta(hours=5))
    event_actions.do_rsvp(event, ANA)
    actions.do_erase_person(c.admin, c.ana)
    assert send_reminders() == 0
    client = Client()
    client.force_login(c.coordinator)
    data = client.get(reverse("canvass_turf_app_data", args=[ana_turf.public_id])).json()
    assert data["doors"][0]["people"] == []
