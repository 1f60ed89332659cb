"""An organizer opens the coverage map, sees streets shaded and a committee marked, and starts one."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from grassroots.committees.actions import CommitteeData, do_create_committee
from grassroots.committees.models import Committee
from grassroots.fixtures import SmallCity
from grassroots.lib.geo import rectangle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-organizer-password-7"


def test_the_coverage_map_marks_committees_and_starts_one_where_there_is_none(
    page: Page, live_server: LiveServer, small_city: SmallCity
) -> None:
    c = small_city
    streets = [c.building1.parent, c.building2.parent]
    for street, box in zip(streets, ((-74.0, 40.1, -73.95, 40.2), (-74.0, 40.0, -73.95, 40.1)), strict=True):
        assert street is not None
        street.geometry = json.dumps(rectangle(*box))
        street.save(update_fields=["geometry"])
    do_create_committee(c.organizer, CommitteeData("Elm Ave committee", area=streets[0]))
    c.organizer.set_password(PASSWORD)
    c.organizer.save()

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    page.click("header >> text=Committees")
    page.click("text=Coverage map")
    page.select_option("select[name=kind]", "street")
    page.click("#coverage-form button[type=submit]")
    page.wait_for_selector("#choropleth.map-ready")
    assert page.locator("#choropleth path.leaflet-interactive:not(.mark)").count() == 2
    assert page.locator("#choropleth path.mark").count() == 1  # the Elm Ave committee's dot
    assert "Supporters" in page.locator("#legend").inner_text()

    # Oak St has no committee: Bo (who signed up) is on its founding list.
    page.click("#coverage >> text=Start a committee here")
    assert "Bo Chen" in page.locator("#founders").inner_text()
    page.fill("#name", "Oak St committee")
    page.click("#found")
    page.wait_for_selector("#committee-name")
    assert page.locator("#committee-name").inner_text().startswith("Oak St committee")
    assert "Bo Chen" in page.locator("#members").inner_text()
    assert Committee.objects.get(name="Oak St committee").memberships.get().person == c.bo
