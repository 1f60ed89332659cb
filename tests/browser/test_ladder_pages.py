"""After a kiosk signs in three walk-ins, the organizer finds them in the funnel and the follow-up queue."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.events import actions as event_actions
from grassroots.events.models import Event
from grassroots.ladder.defaults import seed_default_ladder
from grassroots.ladder.engine import update_ladder
from grassroots.testing import make_area, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-organizer-password-7"
WALK_INS = [
    ("Tomas", "Berg", "tomas@example.com"),
    ("Ida", "Lund", "ida@example.com"),
    ("Noor", "Haddad", ""),
]


def test_the_organizer_sees_kiosk_walk_ins_in_the_funnel_and_the_queue(
    page: Page, live_server: LiveServer
) -> None:
    seed_default_ladder()  # an earlier browser test may have emptied every table, stages too
    hood = make_area("Eastbrook", kind="neighborhood")
    organizer = make_user("organizer", Role.ORGANIZER, scope=[hood])
    organizer.set_password(PASSWORD)
    organizer.save()
    starts = (timezone.now() + datetime.timedelta(hours=1)).replace(second=0, microsecond=0)
    data = event_actions.EventData(
        "Eastbrook organizing meeting", starts, starts + datetime.timedelta(hours=2),
        address="45 Elm Avenue", area=hood, kind=Event.Kind.ORGANIZING_MEETING,
    )  # fmt: skip
    event = event_actions.do_create_event(organizer, data)
    update_ladder()  # the organization's ladder has been computed before (no one here yet)

    page.goto(f"{live_server.url}/login/?next=/events/{event.public_id}/kiosk/")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    for i, (first, last, email) in enumerate(WALK_INS, start=1):
        # The kiosk clears and focuses the form for the next person: wait for it before typing.
        expect(page.locator("input[name=first_name]")).to_be_focused()
        expect(page.locator("input[name=first_name]")).to_have_value("")
        page.fill("input[name=first_name]", first)
        page.fill("input[name=last_name]", last)
        page.fill("input[name=email]", email)
        page.fill("input[name=phone]", "" if email else "(718) 555-0142")
        page.click("#kiosk-submit")
        expect(page.locator("#kiosk-welcome")).to_have_text(f"Welcome, {first}! You are signed in.")
        expect(page.locator("#kiosk-count")).to_have_text(str(i))

    # The funnel: nobody yet until the ladder is updated; then three supporters who joined this week.
    page.click("nav >> text=Ladder")
    expect(page.locator("#funnel-totals tr[data-stage=Supporter] td.num")).to_have_text("0")
    page.click("#update-ladder")
    expect(page.locator(".messages")).to_contain_text("Updating the ladder")
    expect(page.locator("#funnel-totals tr[data-stage=Supporter] td.num")).to_have_text("3")
    expect(page.locator("#funnel-movement tbody tr").last.locator("td").nth(1)).to_have_text("3")
    expect(page.locator("#funnel-areas tbody tr")).to_have_count(1)
    expect(page.locator("#funnel-areas tbody tr td").first).to_have_text("Eastbrook")

    # The queue: each walk-in, given to the organizer whose area they came to.
    page.click("nav >> text=Follow-ups")
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(3)
    for first, last, _ in WALK_INS:
        row = rows.filter(has_text=f"{first} {last}")
        expect(row).to_contain_text("Reached Supporter")
        expect(row.locator("select[name=assignee]")).to_have_value("organizer")
    # Done with Tomas: he leaves the open queue.
    rows.filter(has_text="Tomas Berg").locator("button", has_text="Mark done").click()
    expect(rows).to_have_count(2)
    page.click("#queues >> text=Show done")
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    expect(page.locator("#queue")).to_contain_text("Tomas Berg")
