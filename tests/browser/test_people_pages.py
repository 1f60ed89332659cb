from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import User
from grassroots.fixtures import SmallCity

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


def test_an_organizer_searches_opens_a_person_and_sees_the_map(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    _log_in(page, live_server, small_city.organizer)
    page.click("text=People")
    assert page.locator("#result-count").inner_text() == "2"

    # Results as you type: no submit button is pressed.
    page.fill("input[name=q]", "peña")
    page.wait_for_function("() => document.querySelector('#result-count').innerText === '1'")
    rows = page.locator("#people-table tbody tr")
    assert rows.count() == 1
    assert "ana.pena@example.org" in rows.first.inner_text()

    page.click("text=Ana Peña")
    assert page.locator("#person-name").inner_text() == "Ana Peña"
    assert "door_knock" in page.locator("#timeline").inner_text()
    assert "tenant" in page.locator("#tags").inner_text()

    # The areas the person lives in link to the place pages; the city draws its neighborhoods.
    page.click(".crumbs >> text=Testville")
    page.wait_for_selector("#map.map-ready")
    polygons = page.locator("#map path.leaflet-interactive")
    assert polygons.count() == 2
    assert page.locator("#people-count").inner_text() == "2"
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SCREENSHOTS"], "city.png"))

    # Clicking a polygon opens that area.
    polygons.first.click()
    page.wait_for_selector("#map.map-ready")
    assert page.locator("h1").inner_text().startswith(("North", "South"))


def test_a_canvasser_finds_only_their_district(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    _log_in(page, live_server, small_city.canvasser)
    page.goto(live_server.url + "/people/")
    assert page.locator("#result-count").inner_text() == "1"
    page.fill("input[name=q]", "ana")
    page.wait_for_function("() => document.querySelector('#result-count').innerText === '0'")
    response = page.goto(live_server.url + f"/people/{small_city.ana.public_id}/")
    assert response is not None and response.status == 404


def test_a_malformed_phone_is_shown_on_the_form(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    _log_in(page, live_server, small_city.organizer)
    page.goto(live_server.url + "/people/new/")
    page.fill("input[name=first_name]", "Grace")
    page.fill("textarea[name=phones]", "12")
    page.click("button:has-text('Save')")
    assert "not a valid phone number" in page.locator(".has-error").inner_text()
    assert page.url.endswith("/people/new/")
