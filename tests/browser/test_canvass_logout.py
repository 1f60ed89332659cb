"""A shared phone: logging out deletes what the canvass app kept, except visits not yet sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.canvass.models import Turf, TurfDoor, Universe, Visit
from grassroots.testing import make_area, make_household, make_person, make_user
from tests.browser.test_canvass_offline import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORED = """async () => {
  const name = "grassroots-canvass-canvasser";
  const dbs = (await indexedDB.databases()).map((d) => d.name);
  const kept = await caches.keys();
  if (!dbs.includes(name)) { return { dbs, kept, turfs: null, queue: null }; }
  const db = await new Promise((ok) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); });
  const count = (store) => new Promise((ok) => {
    const r = db.transaction([store]).objectStore(store).count();
    r.onsuccess = () => ok(r.result);
  });
  const result = { dbs, kept, turfs: await count("turfs"), queue: await count("queue") };
  db.close();
  return result;
}"""


def test_logging_out_forgets_the_walk_list_but_keeps_unsent_visits(
    page: Page, live_server: LiveServer
) -> None:
    district = make_area("Election District 31", kind="election_district")
    homes = [make_household(district) for _ in range(3)]
    for i, home in enumerate(homes):
        make_person(f"Neighbour{i}", "Adeyemi", area=district, household=home)
    universe = Universe.objects.create(name="ED 31 doors")
    universe.areas.add(district)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.bulk_create(TurfDoor(turf=turf, household=h, position=i) for i, h in enumerate(homes))
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[district])
    canvasser.set_password(PASSWORD)
    canvasser.save()
    turf.canvassers.add(canvasser)
    app = f"/canvass/turfs/{turf.public_id}/app/"

    # Nothing waiting: logging out leaves nothing of the canvass on the phone.
    log_in(page, live_server, "canvasser", app)
    page.wait_for_selector("#canvass-app[data-offline-ready=yes]")
    before = page.evaluate(STORED)
    assert before["turfs"] == 1 and before["kept"]
    page.click("form.who button[type=submit]")
    page.wait_for_url("**/login/**")
    after = page.evaluate(STORED)
    assert after == {"dbs": [], "kept": [], "turfs": None, "queue": None}

    # A visit the server has not had yet (its upload fails): the canvasser is asked, and the visit stays.
    log_in(page, live_server, "canvasser", app)
    page.wait_for_selector("#canvass-app[data-offline-ready=yes]")

    def refuse(route: Route) -> None:
        route.abort()

    page.route("**/canvass/sync/", refuse)
    door = page.locator("#doors li.door").first
    door.locator(".door-open").click()
    door.locator("input[name=result][value=not_home]").check()
    door.locator("button.save-visit").click()
    expect(page.locator("#waiting-count")).to_have_text("1")
    questions: list[str] = []

    def accept(dialog: Dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    page.click("form.who button[type=submit]")
    page.wait_for_url("**/login/**")
    assert questions and "1 visits not sent yet" in questions[0]
    left = page.evaluate(STORED)
    assert (left["turfs"], left["queue"], left["kept"]) == (0, 1, [])
    assert Visit.objects.count() == 0

    # Back in, with a connection to the server: the kept visit is sent, once.
    page.unroute("**/canvass/sync/")
    log_in(page, live_server, "canvasser", app)
    expect(page.locator("#sync-status")).to_have_text("All visits sent.", timeout=20_000)
    expect(page.locator("#waiting-count")).to_have_text("0")
    assert Visit.objects.filter(result="not_home", household=homes[0]).count() == 1
