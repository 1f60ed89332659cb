"""The public event page and forms: RSVP through a share link, spam, full, past and cancelled events."""

from __future__ import annotations

import datetime
import types
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.events import actions
from grassroots.events.models import RSVP, Event, FormQuestion, SignupForm, Submission
from grassroots.events.tests.conftest import make_event
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action, Consent, Person

pytestmark = pytest.mark.django_db


def rsvp_post(client: Client, event: Event, **fields: Any) -> Any:
    data = {"first_name": "Lee", "last_name": "Park", "email": "lee@example.com", **fields}
    return client.post(reverse("public_event", kwargs={"slug": event.slug}), data)


def test_a_visitor_rsvps_through_a_share_link_and_gets_a_link_of_their_own(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    code = actions.referral_code_for(small_city.ana)
    page = client.get(reverse("public_event", kwargs={"slug": event.slug}), {"ref": code})
    assert page.status_code == 200
    assert f'value="{code}"' in page.content.decode()
    assert "Peña" not in page.content.decode()  # the public page names no one, not even the sharer
    response = rsvp_post(client, event, ref=code, consent_email="on")
    assert response.status_code == 200
    body = response.content.decode()
    assert "see you there" in body
    rsvp = RSVP.objects.get(event=event)
    assert rsvp.referred_by == small_city.ana
    assert rsvp.person.first_name == "Lee"
    own = rsvp.person.referral_code.code
    assert f"?ref={own}" in body
    consent = Consent.objects.get(person=rsvp.person)
    assert consent.wording == event.consent_wording


def test_the_honeypot_thanks_a_bot_and_records_nothing(event: Event, client: Client) -> None:
    response = rsvp_post(client, event, website="http://spam.example")
    assert response.status_code == 200
    assert "see you there" in response.content.decode()
    assert not RSVP.objects.exists()
    assert not Person.objects.filter(first_name="Lee").exists()


def test_too_many_sign_ups_from_one_address_are_refused(
    settings: Any, event: Event, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.events import spam

    settings.EVENTS_SIGNUPS_PER_HOUR = 3
    # All four sign-ups in one hour: a new hour starting between them would start a new count.
    monkeypatch.setattr(spam, "time", types.SimpleNamespace(time=lambda: 1_800_000_010.0))
    for i in range(3):
        assert rsvp_post(client, event, email=f"p{i}@example.com").status_code == 200
    refused = rsvp_post(client, event, email="p9@example.com")
    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.content.decode()
    assert RSVP.objects.count() == 3
    # Another address is counted on its own.
    data = {"first_name": "Quinn", "email": "q@example.com"}
    other = client.post(reverse("public_event", kwargs={"slug": event.slug}), data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200
    assert RSVP.objects.count() == 4


def test_the_same_email_sent_again_keeps_one_rsvp_and_tells_no_one_it_was_there(
    event: Event, client: Client
) -> None:
    first = rsvp_post(client, event).content.decode()
    rsvp = RSVP.objects.get()
    # Anyone may type an address: the answer is the one a new RSVP gets, and no page holds the
    # link that gives up the seat (it comes by email).
    again = rsvp_post(Client(), event, first_name="LEE").content.decode()
    assert RSVP.objects.count() == 1
    cancel = reverse("public_rsvp_cancel", kwargs={"public_id": rsvp.public_id})
    assert cancel not in first and cancel not in again
    status = 'id="rsvp-status" data-status="going">Thank you: see you there!'
    assert status in first and status in again
    rsvp.refresh_from_db()
    assert rsvp.status == RSVP.Status.GOING


def test_a_full_event_offers_the_waitlist(small_city: SmallCity, client: Client) -> None:
    event = make_event(small_city, capacity=1)
    rsvp_post(client, event, email="first@example.com")
    page = client.get(reverse("public_event", kwargs={"slug": event.slug})).content.decode()
    assert "join the waitlist" in page
    response = rsvp_post(client, event, email="second@example.com")
    assert 'data-status="waitlisted"' in response.content.decode()
    assert RSVP.objects.get(email="second@example.com").status == RSVP.Status.WAITLISTED


def test_a_past_or_cancelled_event_says_so_and_takes_no_rsvp(small_city: SmallCity, client: Client) -> None:
    ago = timezone.now() - datetime.timedelta(days=3)
    past = make_event(small_city, "Old", starts_at=ago, ends_at=ago + datetime.timedelta(hours=1))
    page = client.get(reverse("public_event", kwargs={"slug": past.slug})).content.decode()
    assert "This event is over" in page
    assert 'id="rsvp-form"' not in page
    response = rsvp_post(client, past)
    assert "This event is over" in response.content.decode()
    cancelled = actions.do_cancel_event(small_city.organizer, make_event(small_city, "Off"))
    response = rsvp_post(client, cancelled)
    assert "This event was cancelled" in response.content.decode()
    assert not RSVP.objects.exists()


def test_the_cancel_link_frees_the_seat_for_the_waitlist(small_city: SmallCity, client: Client) -> None:
    event = make_event(small_city, capacity=1)
    rsvp_post(client, event, email="first@example.com")
    rsvp_post(client, event, email="second@example.com")
    first = RSVP.objects.get(email="first@example.com")
    url = reverse("public_rsvp_cancel", kwargs={"public_id": first.public_id})
    assert "Cancel my RSVP" in client.get(url).content.decode()
    client.post(url, {"confirm": "yes"})
    first.refresh_from_db()
    assert first.status == RSVP.Status.CANCELLED
    assert RSVP.objects.get(email="second@example.com").status == RSVP.Status.GOING


def petition(city: SmallCity) -> SignupForm:
    form = actions.do_create_form(
        city.organizer,
        actions.FormData("Fix the heat", kind=SignupForm.Kind.PETITION, addressee="Elm Realty", goal=100),
    )
    actions.do_add_question(city.organizer, form, "Your floor", kind=FormQuestion.Kind.NUMBER, required=True)
    actions.do_add_question(city.organizer, form, "Heat out this winter?", kind=FormQuestion.Kind.YES_NO)
    actions.do_add_question(
        city.organizer, form, "Best time", kind=FormQuestion.Kind.CHOICE, choices=["Mornings", "Evenings"]
    )
    return form


def test_a_petition_signature_is_a_typed_submission_an_action_and_a_consent(
    small_city: SmallCity, client: Client
) -> None:
    form = petition(small_city)
    url = reverse("public_form", kwargs={"slug": form.slug})
    data = {"first_name": "Bo", "email": "BO@example.net", "consent_email": "on"}
    missing = client.post(url, data)
    assert "This field is required" in missing.content.decode()
    answers = {"q_your_floor": "4", "q_heat_out_this_winter": "yes", "q_best_time": "Evenings"}
    response = client.post(url, {**data, **answers})
    assert "Thank you for signing" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.person == small_city.bo
    assert submission.answers == {"your_floor": 4, "heat_out_this_winter": True, "best_time": "Evenings"}
    action = Action.objects.get(kind="petition_signed")
    assert action.person == small_city.bo
    consent = Consent.objects.get(person=small_city.bo, channel="email")
    assert consent.wording == form.consent_wording
    assert consent.source == f"form:{form.slug}"
    client.post(url, {**data, **answers})
    assert Submission.objects.count() == 1


def test_only_the_embed_view_may_be_framed(small_city: SmallCity, client: Client) -> None:
    form = petition(small_city)
    page = client.get(reverse("public_form", kwargs={"slug": form.slug}))
    assert page["X-Frame-Options"] == "DENY"
    embed = client.get(reverse("public_form_embed", kwargs={"slug": form.slug}))
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed
    assert 'class="embedded"' in embed.content.decode()
    # A frame on another site cannot send our CSRF cookie: the embed takes the post without it.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("public_form_embed", kwargs={"slug": form.slug}),
        {"first_name": "Cy", "email": "cy@example.com", "q_your_floor": "2"},
    )
    assert response.status_code == 200
    assert Submission.objects.filter(email="cy@example.com").exists()


def test_a_closed_form_takes_no_submission(small_city: SmallCity, client: Client) -> None:
    form = petition(small_city)
    actions.do_set_form_open(small_city.organizer, form, False)
    response = client.post(
        reverse("public_form", kwargs={"slug": form.slug}),
        {"first_name": "Cy", "email": "cy@example.com", "q_your_floor": "2"},
    )
    assert "This form is closed" in response.content.decode()
    assert not Submission.objects.exists()
