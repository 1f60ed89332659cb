"""A canvasser walks a turf with no connection; the visits reach the server once it comes back."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.canvass.models import Turf, TurfDoor, Universe, Visit
from grassroots.canvass.sync import apply_visits
from grassroots.people.models import Action
from grassroots.testing import make_area, make_household, make_person, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-canvasser-password-7"
DOORS = 12


def log_in(page: Page, live_server: LiveServer, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_a_canvasser_records_ten_visits_offline_and_they_sync_once_online(
    page: Page, live_server: LiveServer
) -> None:
    district = make_area("Election District 12", kind="election_district")
    homes = [make_household(district) for _ in range(DOORS)]
    for i, home in enumerate(homes):
        make_person(f"Resident{i}", "Nguyen", area=district, household=home)
        home.lon, home.lat = -73.95 + (i % 4) * 0.0002, 40.71 + (i // 4) * 0.0002
        home.save(update_fields=["lon", "lat"])
    universe = Universe.objects.create(name="ED 12 doors")
    universe.areas.add(district)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.bulk_create(TurfDoor(turf=turf, household=h, position=i) for i, h in enumerate(homes))
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[district])
    canvasser.set_password(PASSWORD)
    canvasser.save()
    turf.canvassers.add(canvasser)
    organizer = make_user("organizer", Role.ORGANIZER, scope=[district])
    organizer.set_password(PASSWORD)
    organizer.save()

    log_in(page, live_server, "canvasser", "/canvass/my/")
    page.click("#my-turfs >> text=ED 12 doors, turf 1")
    # The walk list is stored and the service worker controls the page with its files kept.
    page.wait_for_selector("#canvass-app[data-offline-ready=yes]")
    assert page.evaluate("navigator.serviceWorker.controller !== null")
    doors = page.locator("#doors li.door")
    expect(doors).to_have_count(DOORS)
    expect(doors.first.locator(".door-people")).to_have_text("Resident0 Nguyen")

    context = page.context
    context.set_offline(True)
    # The page opens again with no connection: the worker serves it, the doors come from IndexedDB.
    page.reload()
    expect(page.locator("#connection")).to_have_text("Offline")
    expect(doors).to_have_count(DOORS)

    for i in range(10):
        door = doors.nth(i)
        door.locator(".door-open").click()
        if i < 3:
            door.locator("input[name=result][value=not_home]").check()
        else:
            door.locator("input[name=result][value=contact]").check()
            door.locator("input[name=q-support][value='4']").check()
            door.locator("input[name=q-involved][value=true]").check()
            door.locator("input[name=q-issue]").fill("Rent went up again")
        door.locator("button.save-visit").click()
        expect(page.locator("#waiting-count")).to_have_text(str(i + 1))
    expect(page.locator("#waiting-count")).to_have_text("10")
    # Not-home doors stay on the list, marked to come back.
    expect(doors.nth(0)).to_have_attribute("data-state", "revisit")
    expect(doors.nth(0).locator(".door-mark")).to_have_text("Come back")
    expect(doors.nth(5)).to_have_attribute("data-state", "done")
    assert Visit.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("#waiting-count")).to_have_text("0", timeout=40_000)
    expect(page.locator("#rejected")).to_be_hidden()
    assert Visit.objects.count() == 10
    assert Visit.objects.filter(result="not_home").count() == 3
    talked = Visit.objects.filter(result="contact")
    assert {tuple(sorted(v.answers.items())) for v in talked} == {
        (("involved", True), ("issue", "Rent went up again"), ("support", 4))
    }
    # One person lives at each door, so each visit is one door knock on them.
    assert Action.objects.filter(kind="door_knock").count() == 10
    assert all(v.person is not None for v in Visit.objects.select_related("person"))
    # Each of the seven talks wants involvement and raised an issue: two follow-ups each, tagged.
    from grassroots.canvass.models import FollowUp

    assert FollowUp.objects.count() == 14
    assert FollowUp.objects.filter(reason="Raised an issue: Rent went up again").count() == 7

    # The organizer sees the turf's progress.
    page.context.clear_cookies()
    log_in(page, live_server, "organizer", f"/canvass/universes/{universe.public_id}/")
    row = page.locator(f"#turf-progress tr[data-turf='{turf.public_id}']")
    expect(row.locator(".knocked")).to_have_text("10")
    expect(row.locator(".doors")).to_have_text(str(DOORS))
    expect(row.locator(".contacts")).to_have_text("7")
    expect(row.locator(".answered")).to_have_text("7")
    expect(row).to_contain_text("canvasser")

    # The progress page follows the canvass live: a visit sent now shows on it without a reload.
    live_map = page.locator("#choropleth.map-ready")
    expect(live_map).to_have_attribute("data-features", "1")
    page.locator(f"#choropleth path[data-area='{turf.public_id}']").click()
    expect(page.locator("#area-numbers")).to_contain_text("Knocked10")
    loads = int(live_map.get_attribute("data-loads") or "0")
    late = {
        "id": str(uuid.uuid4()), "turf": str(turf.public_id), "household": str(homes[10].public_id),
        "result": "contact", "visited_at": "2026-11-21T18:00:00-05:00",
    }  # fmt: skip
    assert apply_visits(canvasser, [late]).applied == [late["id"]]
    expect(row.locator(".knocked")).to_have_text("11", timeout=25_000)
    expect(row.locator(".contacts")).to_have_text("8")
    page.wait_for_function(
        f"() => Number(document.getElementById('choropleth').dataset.loads) > {loads}", timeout=25_000
    )
    expect(page.locator("#area-numbers")).to_contain_text("Knocked11")


def test_a_refused_visit_is_shown_with_its_reason_and_sent_visits_stay_marked_offline(
    page: Page, live_server: LiveServer
) -> None:
    district = make_area("Election District 14", kind="election_district")
    universe = Universe.objects.create(name="ED 14 doors")
    universe.areas.add(district)
    turf = Turf.objects.create(universe=universe, number=3)
    for i in range(3):
        TurfDoor.objects.create(turf=turf, household=make_household(district), position=i)
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[district])
    canvasser.set_password(PASSWORD)
    canvasser.save()
    turf.canvassers.add(canvasser)

    log_in(page, live_server, "canvasser", f"/canvass/turfs/{turf.public_id}/app/")
    page.wait_for_selector("#canvass-app[data-offline-ready=yes]")
    doors = page.locator("#doors li.door")

    # Sent at once while online, then the page is opened again offline: the door is still marked.
    doors.nth(0).locator(".door-open").click()
    doors.nth(0).locator("input[name=result][value=not_home]").check()
    doors.nth(0).locator("button.save-visit").click()
    expect(page.locator("#sync-status")).to_have_text("All visits sent.")
    assert Visit.objects.count() == 1
    page.context.set_offline(True)
    page.reload()
    expect(doors.nth(0)).to_have_attribute("data-state", "revisit")
    page.context.set_offline(False)

    # The organizer takes the turf away while the canvasser is out: the next visit is refused.
    turf.canvassers.remove(canvasser)
    doors.nth(1).locator(".door-open").click()
    doors.nth(1).locator("input[name=result][value=refused]").check()
    doors.nth(1).locator("button.save-visit").click()
    rejected = page.locator("#rejected li")
    expect(rejected).to_contain_text("This turf is not assigned to you.")
    expect(page.locator("#waiting-count")).to_have_text("0")
    assert Visit.objects.count() == 1
    rejected.locator("button").click()
    expect(page.locator("#rejected")).to_be_hidden()
