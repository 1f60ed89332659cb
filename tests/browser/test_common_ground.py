"""A member votes on a statement; the coordinator opens the opinion groups and reads the common ground."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import User
from grassroots.commonground import actions
from grassroots.commonground.planted import plant_votes, stances
from grassroots.commonground.tests.conftest import tenants_of
from grassroots.fixtures import SmallCity

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-tenant-password-58"


def _log_in(page: Page, live_server: LiveServer, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_a_coordinator_opens_the_common_ground_view_and_sees_the_consensus(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    t = tenants_of(small_city, 24)
    table = stances(2, consensus=2, divisive=4, own=2)
    divisive_texts = [f"Divisive {i}" for i in range(len(table) - 2)]
    for text in divisive_texts:
        actions.do_seed_statement(t.users[0], t.round, text)
    planted = plant_votes([12, 12], table, seed=3, seen=1.0, conviction=0.95)
    statements = list(t.round.statements.order_by("created_at", "id"))
    # Everyone but the last member has voted; that member votes in the browser.
    for row, person in enumerate(t.people[:-1]):
        for col, statement in enumerate(statements):
            actions.do_vote_statement(t.users[0], statement, int(planted.votes[row, col]), person=person)

    _log_in(page, live_server, t.users[-1])
    page.click("header >> text=Common ground")
    page.click(f"#rounds >> text={t.round.title}")
    expect(page.locator("#to-vote")).to_contain_text(f"{len(statements)} statements wait for your vote")
    first = page.locator("#statements li.statement", has_text="Repairs come before anything else.")
    expect(first).to_contain_text("Vote to see how others voted.")
    first.get_by_role("button", name="Agree", exact=True).click()
    expect(page.locator("#to-vote")).to_contain_text(f"{len(statements) - 1} statements wait")
    voted = page.locator("#statements li.statement", has_text="Repairs come before anything else.")
    expect(voted.locator("button[aria-pressed=true]")).to_have_text("Agree")
    expect(voted).to_contain_text("agree ·")
    # What still waits for a vote comes first.
    expect(page.locator("#statements li.statement").last).to_contain_text(
        "Repairs come before anything else."
    )
    page.context.clear_cookies()

    _log_in(page, live_server, t.users[0])
    page.click("header >> text=Common ground")
    page.click(f"#rounds >> text={t.round.title}")
    page.click("#groups-link")
    expect(page.locator("#group-count")).to_have_text("2")
    consensus = page.locator("#consensus-statements li")
    expect(consensus).to_have_count(2)
    expect(consensus.nth(0)).to_contain_text("Repairs come before anything else.")
    expect(consensus.nth(1)).to_contain_text("Rent increases should be frozen.")
    for text in divisive_texts:
        expect(page.locator("#consensus-statements")).not_to_contain_text(text)
    expect(page.locator("#opinion-map circle")).to_have_count(23)
    expect(page.locator("#divisive-statements")).to_contain_text("Divisive")
