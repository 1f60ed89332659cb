"""An organizer opens a contest, sees the choropleth with its legend, clicks an ED and reads its numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.results.actions import do_create_import
from grassroots.results.importer import run_import
from grassroots.results.models import Contest
from grassroots.testing import make_area, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-organizer-password-9"


def test_a_contest_on_the_map(page: Page, live_server: LiveServer, tmp_path: Path) -> None:
    city = make_area("Testville", kind="city", box=(0, 0, 0.02, 0.01))
    districts = {}
    for number, box in ((1, (0, 0, 0.01, 0.01)), (2, (0.01, 0, 0.02, 0.01))):
        area = make_area(f"Election District {number}", kind="election_district", parent=city, box=box)
        area.code = str(36000 + number)
        area.save(update_fields=["code"])
        districts[number] = area
    path = tmp_path / "20200623__ny__primary__queens__precinct.csv"
    path.write_text(
        "county,assembly_district,precinct,party,office,district,candidate,votes\n"
        "Queens,36,1,Democratic,U.S. House,14,Public Counter,104\n"
        "Queens,36,1,Democratic,U.S. House,14,Rosa Luna,75\n"
        "Queens,36,1,Democratic,U.S. House,14,Sam Stone,25\n"
        "Queens,36,2,Democratic,U.S. House,14,Rosa Luna,20\n"
        "Queens,36,2,Democratic,U.S. House,14,Sam Stone,60\n",
        encoding="utf-8",
    )
    run_import(do_create_import(None, file_path=path, file_name=path.name, format="openelections"))
    contest = Contest.objects.get()
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    organizer.set_password(PASSWORD)
    organizer.save()

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav >> text=Results")
    page.click(f"text={contest.name}")
    assert page.locator("#total-votes").inner_text() == "180"

    page.wait_for_selector("#choropleth.map-ready")
    assert page.locator("#choropleth").get_attribute("data-features") == "2"
    assert "Rosa Luna" in page.locator("#legend").inner_text()
    # The two districts are shaded on opposite sides of the diverging scale.
    ed1 = page.locator(f"#choropleth path[data-area='{districts[1].public_id}']")
    ed2 = page.locator(f"#choropleth path[data-area='{districts[2].public_id}']")
    assert ed1.get_attribute("fill") != ed2.get_attribute("fill")

    ed1.click()
    panel = page.locator("#area-numbers")
    assert panel.locator("#area-name").inner_text() == "Election District 1"
    numbers = panel.inner_text()
    assert "Rosa Luna" in numbers and "75 (75.0%)" in numbers
    assert "+50.0 pt" in numbers  # her margin over Sam Stone
    assert "104" in numbers  # ballots cast

    # The table sorts by margin when its header is clicked.
    page.click("#areas-table th:has-text('Margin')")
    first = page.locator("#areas-table tbody tr").first
    assert "Election District 2" in first.inner_text()
