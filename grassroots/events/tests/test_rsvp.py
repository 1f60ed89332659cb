"""RSVPs: matching to people we know, referrals, seats and the waitlist, repeats and closed events."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.accounts.models import AuditEntry
from grassroots.events import actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import RSVP, RSVP_ACTION, Event
from grassroots.events.tests.conftest import make_event
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action, Consent, Person

pytestmark = pytest.mark.django_db

WORDING = "I agree to receive emails about events. I can ask to stop at any time."


def arrival(first: str, last: str = "", email: str = "", phone: str = "", consent: bool = False) -> Arrival:
    return Arrival(
        first_name=first,
        last_name=last,
        email=email,
        phone=phone,
        consents={"email": True} if consent else {},
        consent_wording=WORDING if consent else "",
    )


def test_an_rsvp_by_a_known_email_links_to_that_person(small_city: SmallCity, event: Event) -> None:
    before = Person.objects.count()
    outcome = actions.do_rsvp(event, arrival("Ana", "Pena", email="ANA.PENA@example.org"))
    assert outcome.rsvp.person == small_city.ana
    assert not outcome.new_person
    assert Person.objects.count() == before
    action = Action.objects.get(kind=RSVP_ACTION)
    assert action.person == small_city.ana
    assert action.details["event"] == str(event.public_id)


def test_an_rsvp_by_a_known_phone_and_first_name_links_to_that_person(
    small_city: SmallCity, event: Event
) -> None:
    outcome = actions.do_rsvp(event, arrival("Bo", "Chen", phone="+13475550102"))
    assert outcome.rsvp.person == small_city.bo
    assert Person.objects.count() == 2


def test_a_shared_phone_with_another_first_name_is_a_new_person(small_city: SmallCity, event: Event) -> None:
    outcome = actions.do_rsvp(event, arrival("Mei", "Chen", phone="+13475550102"))
    assert outcome.new_person
    assert outcome.rsvp.person != small_city.bo


def test_a_newcomer_is_created_with_their_consent_words_and_date(small_city: SmallCity, event: Event) -> None:
    outcome = actions.do_rsvp(event, arrival("Dee", "Okafor", email="dee@example.com", consent=True))
    person = outcome.rsvp.person
    assert outcome.new_person
    assert person.area == small_city.ed1  # filed under the event's area, having given no address
    assert list(person.emails.values_list("address", flat=True)) == ["dee@example.com"]
    consent = Consent.objects.get(person=person, channel="email")
    assert consent.granted
    assert consent.wording == WORDING
    assert abs((timezone.now() - consent.recorded_at).total_seconds()) < 60
    assert consent.source == f"event:{event.slug}"


def test_a_known_person_ticking_the_box_gains_consent_but_leaving_it_blank_withdraws_nothing(
    small_city: SmallCity, event: Event
) -> None:
    other = make_event(small_city, "Second meeting")
    actions.do_rsvp(event, arrival("Bo", email="bo@example.net", consent=True))
    consent = Consent.objects.get(person=small_city.bo, channel="email")
    assert (consent.granted, consent.wording) == (True, WORDING)
    actions.do_rsvp(other, arrival("Bo", email="bo@example.net", consent=False))
    assert Consent.objects.get(person=small_city.bo, channel="email").granted


def test_the_same_email_a_hundred_times_is_one_rsvp(small_city: SmallCity, event: Event) -> None:
    outcomes = [actions.do_rsvp(event, arrival("Sam", "Ruiz", email="sam@example.com")) for _ in range(100)]
    assert RSVP.objects.filter(event=event).count() == 1
    assert Person.objects.filter(first_name="Sam").count() == 1
    assert Action.objects.filter(kind=RSVP_ACTION).count() == 1
    assert [o.created for o in outcomes[:2]] == [True, False]


def test_a_share_link_credits_the_person_who_shared_it(small_city: SmallCity, event: Event) -> None:
    code = actions.referral_code_for(small_city.ana)
    outcome = actions.do_rsvp(event, arrival("Lee", "Park", email="lee@example.com"), referral_code=code)
    assert outcome.rsvp.referred_by == small_city.ana
    assert outcome.rsvp.action is not None
    assert outcome.rsvp.action.details["referred_by"] == str(small_city.ana.public_id)
    # Following one's own link brings no one; an unknown code is ignored.
    own = actions.do_rsvp(event, arrival("Ana", email="ana.pena@example.org"), referral_code=code)
    assert own.rsvp.referred_by is None
    stray = actions.do_rsvp(event, arrival("Kim", email="kim@example.com"), referral_code="nonsense")
    assert stray.rsvp.referred_by is None


def test_a_full_event_puts_people_on_the_waitlist_and_a_cancellation_promotes_the_first(
    small_city: SmallCity,
) -> None:
    event = make_event(small_city, capacity=2)
    first = actions.do_rsvp(event, arrival("A", email="a@example.com")).rsvp
    actions.do_rsvp(event, arrival("B", email="b@example.com"))
    third = actions.do_rsvp(event, arrival("C", email="c@example.com")).rsvp
    fourth = actions.do_rsvp(event, arrival("D", email="d@example.com")).rsvp
    assert (third.status, fourth.status) == (RSVP.Status.WAITLISTED, RSVP.Status.WAITLISTED)
    assert actions.is_full(event)

    promoted = actions.do_cancel_rsvp(None, first)
    assert promoted == [third]
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == (RSVP.Status.GOING, RSVP.Status.WAITLISTED)
    # Raising the capacity lets the rest in.
    data = actions.EventData(
        title=event.title, starts_at=event.starts_at, ends_at=event.ends_at, address=event.address,
        area=event.area, capacity=5,
    )  # fmt: skip
    actions.do_update_event(small_city.organizer, event, data)
    fourth.refresh_from_db()
    assert fourth.status == RSVP.Status.GOING


def test_someone_who_cancelled_and_came_back_waits_behind_those_who_waited(small_city: SmallCity) -> None:
    event = make_event(small_city, capacity=1)
    seated = actions.do_rsvp(event, arrival("A", email="a@example.com")).rsvp
    returning = actions.do_rsvp(event, arrival("B", email="b@example.com")).rsvp
    waiting = actions.do_rsvp(event, arrival("C", email="c@example.com")).rsvp
    actions.do_cancel_rsvp(None, returning)
    again = actions.do_rsvp(event, arrival("B", email="b@example.com")).rsvp
    assert again.pk == returning.pk and again.status == RSVP.Status.WAITLISTED
    assert again.created_at > waiting.created_at  # taken up again after C joined the waitlist

    assert actions.do_cancel_rsvp(None, seated) == [waiting]
    again.refresh_from_db()
    assert again.status == RSVP.Status.WAITLISTED


def test_a_shift_fills_on_its_own_seats(small_city: SmallCity, event: Event) -> None:
    noon = event.starts_at + datetime.timedelta(hours=1)
    morning = actions.do_add_shift(small_city.organizer, event, event.starts_at, noon, capacity=1)
    later = actions.do_add_shift(small_city.organizer, event, noon, event.ends_at)
    a = actions.do_rsvp(event, arrival("A", email="a@example.com"), shift=morning).rsvp
    b = actions.do_rsvp(event, arrival("B", email="b@example.com"), shift=morning).rsvp
    c = actions.do_rsvp(event, arrival("C", email="c@example.com"), shift=later).rsvp
    assert [a.status, b.status, c.status] == ["going", "waitlisted", "going"]
    actions.do_cancel_rsvp(small_city.organizer, a)
    b.refresh_from_db()
    assert b.status == RSVP.Status.GOING


def test_a_past_or_cancelled_event_refuses_rsvps_with_a_reason(small_city: SmallCity) -> None:
    past = make_event(
        small_city,
        "Last month",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-2),
    )
    with pytest.raises(actions.SignupClosed, match="over"):
        actions.do_rsvp(past, arrival("A", email="a@example.com"))
    cancelled = actions.do_cancel_event(small_city.organizer, make_event(small_city, "Called off"))
    with pytest.raises(actions.SignupClosed, match="cancelled"):
        actions.do_rsvp(cancelled, arrival("A", email="a@example.com"))
    assert not RSVP.objects.exists()


def test_an_rsvp_is_audited_and_a_user_outside_the_area_cannot_make_an_event_there(
    small_city: SmallCity, event: Event
) -> None:
    rsvp = actions.do_rsvp(event, arrival("A", email="a@example.com")).rsvp
    assert AuditEntry.objects.filter(object_type="rsvp", object_id=str(rsvp.public_id)).exists()
    with pytest.raises(ValidationError):
        actions.do_create_event(
            small_city.canvasser,
            actions.EventData("Not mine", event.starts_at, event.ends_at, address="x", area=small_city.ed1),
        )
