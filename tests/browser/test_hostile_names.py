"""Names that are markup stay text in a real browser: on a person's page, and in a map's tooltips
(Leaflet puts a string tooltip in as HTML). No script runs, no dialog opens."""

from __future__ import annotations

import pytest
from playwright.sync_api import Dialog, Page
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import User
from grassroots.committees.actions import CommitteeData, do_create_committee
from grassroots.fixtures import SmallCity
from grassroots.people.actions import PersonData, do_create_person
from grassroots.testing import make_area

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-demo-password-42"
SCRIPT = "<script>alert('xss')</script>"
IMG = '"><img src=x onerror=alert(1)>'


def _log_in(page: Page, live_server: LiveServer, user: User) -> None:
    user.set_password(PASSWORD)
    user.save()
    # The live server's first request loads every URL's views: on a busy machine, longer than a page load.
    page.goto(live_server.url + "/login/", timeout=120_000)
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")


def _tooltips(page: Page, shapes: str) -> list[str]:
    """The text of the tooltip of each shape, hovered one after another."""
    texts = []
    found = page.locator(shapes)
    for i in range(found.count()):
        found.nth(i).hover()
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.last.wait_for()
        texts.append(tooltip.last.inner_text())
        assert tooltip.last.locator("img, script").count() == 0
    return texts


def test_hostile_names_are_shown_literally_on_a_person_page_and_in_map_tooltips(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    organizer = small_city.organizer
    make_area(SCRIPT, "neighborhood", small_city.city, box=(-73.9, 40.0, -73.8, 40.1))
    person = do_create_person(organizer, PersonData(SCRIPT, IMG, area=small_city.ed1))
    do_create_committee(organizer, CommitteeData(IMG, area=small_city.ed1))
    _log_in(page, live_server, organizer)

    page.goto(live_server.url + f"/people/{person.public_id}/")
    assert page.locator("#person-name").inner_text() == f"{SCRIPT} {IMG}"
    assert page.locator("img[src=x]").count() == 0

    page.goto(live_server.url + f"/places/{small_city.city.public_id}/")
    page.wait_for_selector("#map.map-ready")
    assert SCRIPT in _tooltips(page, "#map path.leaflet-interactive")

    # The coverage map titles each election district's dot with its committees' names.
    page.goto(live_server.url + "/committees/coverage/")
    page.wait_for_selector("#choropleth.map-ready")
    assert IMG in _tooltips(page, "#choropleth path.mark")

    assert dialogs == []
