"""A visitor RSVPs through a friend's share link; a kiosk at the door signs in three walk-ins."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.events import actions
from grassroots.events.models import ATTENDED_ACTION, RSVP, Attendance, Event
from grassroots.people.models import Action, Consent, Person
from grassroots.testing import make_area, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-organizer-password-7"


def _event(area: object, organizer: object, **extra: object) -> Event:
    starts = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    data = actions.EventData(
        "Eastbrook organizing meeting", starts, starts + datetime.timedelta(hours=2),
        address="45 Elm Avenue", area=area, lat=40.71, lon=-73.95,  # type: ignore[arg-type]
    )  # fmt: skip
    for name, value in extra.items():
        setattr(data, name, value)
    return actions.do_create_event(organizer, data)  # type: ignore[arg-type]


def _organizer(area: object) -> object:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[area])  # type: ignore[list-item]
    organizer.set_password(PASSWORD)
    organizer.save()
    return organizer


def log_in(page: Page, live_server: LiveServer, next_url: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_url}")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_a_visitor_rsvps_through_a_share_link_and_the_sharer_is_credited(
    page: Page, live_server: LiveServer
) -> None:
    hood = make_area("Eastbrook", kind="neighborhood")
    organizer = _organizer(hood)
    ana = make_person("Ana", "Peña", area=hood, emails=("ana@example.org",))
    event = _event(hood, organizer)
    code = actions.referral_code_for(ana)

    page.goto(f"{live_server.url}/e/{event.slug}/?ref={code}")
    expect(page.locator("#event-title")).to_have_text("Eastbrook organizing meeting")
    expect(page.locator("#event-map.map-ready")).to_be_visible()
    expect(page.locator("#rsvp-form")).not_to_contain_text("Ana")
    expect(page.locator("input[name=website]")).not_to_be_in_viewport()  # the honeypot, off-screen
    page.fill("input[name=first_name]", "Lee")
    page.fill("input[name=last_name]", "Park")
    page.fill("input[name=email]", "lee@example.com")
    page.fill("input[name=phone]", "718 555 0144")
    page.check("input[name=consent_email]")
    page.click("#rsvp-submit")
    expect(page.locator("#rsvp-status")).to_have_attribute("data-status", "going")
    share = page.locator("#share-url").input_value()

    lee = Person.objects.get(first_name="Lee")
    rsvp = RSVP.objects.get(event=event)
    assert (rsvp.person, rsvp.referred_by) == (lee, ana)
    assert share.endswith(f"/e/{event.slug}/?ref={lee.referral_code.code}")
    assert Consent.objects.get(person=lee).wording == event.consent_wording

    # A friend of Lee's follows Lee's link: Lee is credited in turn.
    page.context.clear_cookies()
    page.goto(share)
    page.fill("input[name=first_name]", "Mo")
    page.fill("input[name=email]", "mo@example.com")
    page.click("#rsvp-submit")
    expect(page.locator("#rsvp-status")).to_have_attribute("data-status", "going")
    assert RSVP.objects.get(person__first_name="Mo").referred_by == lee

    log_in(page, live_server, f"/events/{event.public_id}/")
    expect(page.locator("#count-referred")).to_have_text("2")
    expect(page.locator("#brought")).to_contain_text("Ana Peña brought Lee Park")
    expect(page.locator("#brought")).to_contain_text("Lee Park brought Mo")
    page.goto(f"{live_server.url}/people/{ana.public_id}/")
    expect(page.locator("#brought")).to_have_text("Lee Park")


def test_a_kiosk_signs_in_three_walk_ins_without_reloading(page: Page, live_server: LiveServer) -> None:
    hood = make_area("Eastbrook", kind="neighborhood")
    organizer = _organizer(hood)
    known = make_person("Rosa", "Diaz", area=hood, emails=("rosa@example.org",))
    event = _event(hood, organizer, kind=Event.Kind.ORGANIZING_MEETING)
    heat = actions.do_add_project(organizer, event, "Heat campaign")  # type: ignore[arg-type]

    log_in(page, live_server, f"/events/{event.public_id}/kiosk/")
    expect(page.locator("#kiosk-count")).to_have_text("0")
    page.evaluate("window.stillHere = true")  # gone if the page reloads
    people = [
        ("Rosa", "Diaz", "rosa@example.org", ""),  # known already: matched, not added
        ("Tomas", "Berg", "tomas@example.com", ""),
        ("Ida", "Lund", "", "(718) 555-0177"),
    ]
    for i, (first, last, email, phone) in enumerate(people, start=1):
        expect(page.locator("input[name=first_name]")).to_be_focused()
        page.keyboard.type(first)
        page.fill("input[name=last_name]", last)
        page.fill("input[name=email]", email)
        page.fill("input[name=phone]", phone)
        if first == "Tomas":
            page.check(f"input[name=projects][value='{heat.public_id}']")
            page.check("input[name=membership]")
        page.click("#kiosk-submit")
        expect(page.locator("#kiosk-welcome")).to_have_text(f"Welcome, {first}! You are signed in.")
        expect(page.locator("#kiosk-count")).to_have_text(str(i))
        expect(page.locator("input[name=first_name]")).to_have_value("")
    assert page.evaluate("window.stillHere") is True

    came = Attendance.objects.filter(event=event)
    assert sorted(came.values_list("person__first_name", flat=True)) == ["Ida", "Rosa", "Tomas"]
    assert all(a.walk_in for a in came)
    assert came.get(person__first_name="Rosa").person == known
    assert Person.objects.filter(first_name__in=["Rosa", "Tomas", "Ida"]).count() == 3
    assert Action.objects.filter(kind=ATTENDED_ACTION).count() == 3
    assert list(heat.signups.values_list("person__first_name", flat=True)) == ["Tomas"]

    page.goto(f"{live_server.url}/events/{event.public_id}/")
    expect(page.locator("#count-walk-ins")).to_have_text("3")
    expect(page.locator("#walk-ins")).to_contain_text("Tomas Berg")
