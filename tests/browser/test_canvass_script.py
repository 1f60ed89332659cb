"""The canvass app asks the universe's own script, opening each branch only after the answer it follows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.canvass.models import FollowUp, Turf, TurfDoor, Universe, Visit
from grassroots.canvass.tests.test_scripts import tenant_script
from grassroots.testing import make_area, make_household, make_person, make_user
from tests.browser.test_canvass_offline import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_branch_opens_after_its_answer_and_closes_with_it(page: Page, live_server: LiveServer) -> None:
    district = make_area("Election District 30", kind="election_district")
    home = make_household(district)
    tenant = make_person("Ama", "Owusu", area=district, household=home)
    universe = Universe.objects.create(name="Tenant survey doors", script=tenant_script())
    universe.areas.add(district)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=home, position=0)
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[district])
    canvasser.set_password(PASSWORD)
    canvasser.save()
    turf.canvassers.add(canvasser)

    log_in(page, live_server, "canvasser", f"/canvass/turfs/{turf.public_id}/app/")
    door = page.locator("#doors li.door").first
    door.locator(".door-open").click()
    door.locator("input[name=result][value=contact]").check()
    problem = door.locator("[data-question=problem]")
    increase = door.locator("[data-question=increase]")
    meeting = door.locator("[data-question=meeting]")
    expect(problem).to_be_hidden()
    expect(meeting).to_be_hidden()

    door.locator("input[name=q-landlord_problem][value=true]").check()
    expect(problem).to_be_visible()
    expect(increase).to_be_hidden()
    problem.get_by_label("Rent increase").check()
    expect(increase).to_be_visible()
    # A "no" closes the branch and everything under it, and forgets their answers.
    door.locator("input[name=q-landlord_problem][value=false]").check()
    expect(problem).to_be_hidden()
    expect(increase).to_be_hidden()
    door.locator("input[name=q-landlord_problem][value=true]").check()
    expect(problem.locator("input:checked")).to_have_count(0)
    problem.get_by_label("Harassment").check()
    door.locator("input[name=q-support][value='5']").check()
    expect(meeting).to_be_visible()
    door.locator("input[name=q-meeting][value=true]").check()
    door.locator("button.save-visit").click()

    expect(page.locator("#sync-status")).to_have_text("All visits sent.", timeout=20_000)
    visit = Visit.objects.get()
    assert visit.answers == {"support": 5, "landlord_problem": True, "problem": "Harassment", "meeting": True}
    assert visit.person == tenant
    assert sorted(FollowUp.objects.values_list("reason", flat=True)) == [
        "Invite to the meeting",
        "Landlord harassment",
    ]
