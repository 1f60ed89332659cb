"""Three members of a building committee vote on a proposal; the coordinator closes it and the
result appears with its counts."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role, User
from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.committees.models import Role as MemberRole
from grassroots.fixtures import SmallCity
from grassroots.testing import make_household, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-member-password-31"


def _log_in(page: Page, live_server: LiveServer, user: User) -> None:
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def _member(small_city: SmallCity, committee: object, first: str, unit: str, role: str) -> User:
    building = small_city.building1
    person = make_person(
        first, "Tenant", area=building, household=make_household(building, "12 Elm Avenue", unit)
    )
    joined = timezone.localdate() - datetime.timedelta(days=20)
    do_add_member(small_city.organizer, committee, person, role=role, joined_on=joined)  # type: ignore[arg-type]
    user = make_user(first.lower(), Role.MEMBER, person=person)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_three_members_vote_and_the_result_shows_its_counts(
    browser: Browser, page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    committee = do_create_committee(
        small_city.organizer, CommitteeData("12 Elm tenants", area=small_city.building1)
    )
    cy = _member(small_city, committee, "Cy", "1A", MemberRole.COORDINATOR)
    voters = [
        _member(small_city, committee, name, unit, MemberRole.MEMBER)
        for name, unit in (("Eve", "2A"), ("Fay", "2B"))
    ]

    # The coordinator drafts the proposal from the committee's page and opens voting.
    _log_in(page, live_server, cy)
    page.click("header >> text=My committee")
    page.click("#my-committees >> text=Proposals and votes")
    page.fill("#id_title", "Withhold rent until the heat is fixed")
    page.fill("#id_text", "From the first of next month, rent goes into escrow.")
    page.select_option("#id_method", "majority")
    page.click("#new-proposal button[type=submit]")
    page.click("#open-vote")
    page.wait_for_selector("#vote-form")
    proposal_url = page.url
    page.check("#vote-form input[value=yes]")
    page.click("#cast")
    page.wait_for_selector("#voted")

    # The two other members vote from their own logins.
    for user, choice in zip(voters, ("yes", "no"), strict=True):
        context = browser.new_context()
        member_page = context.new_page()
        member_page.set_default_timeout(15_000)
        _log_in(member_page, live_server, user)
        member_page.click("header >> text=My committee")
        member_page.click("#my-committees >> text=Proposals and votes")
        member_page.click("#proposals >> text=Withhold rent until the heat is fixed")
        member_page.check(f"#vote-form input[value={choice}]")
        member_page.click("#cast")
        member_page.wait_for_selector("#voted")
        assert "Your vote is cast." in member_page.locator(".messages").inner_text()
        context.close()

    page.goto(proposal_url)
    assert "3 of 3 have voted" in page.locator("#turnout").inner_text()
    page.click("#close-vote")
    page.wait_for_selector("#result")
    assert page.locator("#outcome").inner_text() == "Passed."
    counts = page.locator("#counts").inner_text()
    assert "Yes\t2" in counts and "No\t1" in counts and "Abstain\t0" in counts
