from __future__ import annotations

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role, User
from grassroots.committees.actions import (
    CommitteeData,
    MeetingData,
    do_add_member,
    do_create_committee,
    do_schedule_meetings,
)
from grassroots.committees.models import Role as MemberRole
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action
from grassroots.struggles import actions
from grassroots.struggles.models import Grievance
from grassroots.testing import make_household, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-demo-password-42"


def _log_in(page: Page, live_server: LiveServer, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def test_a_building_coordinator_records_a_meeting_and_a_grievance_seen_across_the_landlord(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    c = small_city
    # Cy coordinates the committee of Ana's building; their login has no areas of its own.
    cy = make_person(
        "Cy", "Okafor", area=c.building1, household=make_household(c.building1, "12 Elm Avenue", "2B")
    )
    committee = do_create_committee(c.organizer, CommitteeData("12 Elm tenants", area=c.building1))
    joined = timezone.localdate() - datetime.timedelta(days=30)
    do_add_member(c.organizer, committee, cy, role=MemberRole.COORDINATOR, joined_on=joined)
    do_add_member(c.organizer, committee, c.ana, joined_on=joined)
    starts = timezone.now() - datetime.timedelta(hours=3)
    meeting = do_schedule_meetings(c.organizer, committee, MeetingData("Heat and repairs", starts))[0]
    captain = make_user("captain", Role.COORDINATOR, person=cy)
    # Their landlord owns Bo's building across town too, through a management company.
    landlord = actions.do_create_organization(c.admin, kind="landlord", name="Brightwater Realty")
    manager = actions.do_create_organization(c.admin, kind="management", name="Keystone", parent=landlord)
    actions.do_add_site(c.admin, landlord, c.building1, "owns")
    actions.do_add_site(c.admin, manager, c.building2, "manages")
    struggle = actions.do_create_struggle(
        c.admin,
        target=landlord,
        title="Repairs now",
        areas=[c.building1, c.building2],
        committees=[committee],
        demands=["Fix the boilers"],
    )
    actions.do_open_grievance(c.admin, struggle, category="overcharge", summary="Overcharged", person=c.bo)

    # The live server's first page loads every app's views; on a busy machine that outlasts 15 s.
    page.set_default_navigation_timeout(60_000)
    _log_in(page, live_server, captain)

    # The meeting: Ana came.
    page.goto(live_server.url + f"/committees/meetings/{meeting.public_id}/")
    page.check("#attendance-form input[name=people]:not([disabled])")
    page.click("#record-attendance")
    expect(page.locator("#present-count")).to_have_text("1")
    assert Action.objects.filter(person=c.ana).exclude(kind="door_knock").count() == 1

    # The struggle: open a grievance for Ana, found by typing her name.
    page.click("header >> text=Struggles")
    page.click("#struggles >> text=Repairs now")
    page.fill("#grievance-person-q", "peña")
    choice = page.locator("#grievance-person-choices input[type=radio]")
    expect(choice).to_have_count(1)
    choice.check()
    page.select_option("#id_grievance-category", "repair")
    page.fill("#id_grievance-summary", "No heat in 3B since October")
    page.click("#grievance-form button[type=submit]")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("No heat in 3B since October")
    expect(timeline).to_contain_text("Ana Peña")
    # Bo's case is in a building outside the coordinator's committee: counted, not shown.
    expect(timeline).not_to_contain_text("Overcharged")
    expect(page.locator("#hidden-grievances")).to_contain_text("1 more grievance")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "struggle.png"), full_page=True)
    case = Grievance.objects.get(summary="No heat in 3B since October")
    assert (case.person, case.created_by) == (c.ana, captain)

    # The landlord's page: both buildings, the committee, Ana's open case, Bo's only as a number.
    page.click("#target-link")
    expect(page.locator("#organization-name")).to_contain_text("Brightwater Realty")
    places = page.locator("#places")
    expect(places).to_contain_text("12 ELM AVE")
    expect(places).to_contain_text("40 OAK ST")
    expect(places).to_contain_text("12 Elm tenants")
    expect(page.locator("#open-grievances")).to_contain_text("No heat in 3B since October")
    expect(page.locator("#open-grievances")).not_to_contain_text("Overcharged")
    expect(page.locator("#open-grievance-count")).to_have_text("2")
    expect(page.locator("#hidden-open-grievances")).to_contain_text("1 open grievance")
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "target.png"), full_page=True)
