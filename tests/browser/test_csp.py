"""Every main page works under the Content-Security-Policy: no script, style or handler it refuses.

An organizer logs in through the real two-factor flow (REQUIRE_2FA on), then opens each page; the
browser reports each refusal as a `securitypolicyviolation` event and a console error.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import ConsoleMessage, Page
from pytest_django.live_server_helper import LiveServer

from grassroots.canvass.models import Turf, TurfDoor, Universe
from grassroots.fixtures import SmallCity
from grassroots.testing import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-demo-password-42"

# Runs in each page before its own scripts, and is not subject to the page's policy.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def two_factor_on(settings: Any) -> None:
    settings.REQUIRE_2FA = True


def _pages(city: SmallCity) -> dict[str, str]:
    """One of each main page, with something on it."""
    from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
    from grassroots.commonground.actions import do_open_round
    from grassroots.decisions.actions import ProposalData, do_create_proposal
    from grassroots.events.actions import EventData, do_create_event
    from grassroots.struggles import actions as struggles

    organizer = city.organizer
    committee = do_create_committee(organizer, CommitteeData("12 Elm tenants", area=city.building1))
    do_add_member(organizer, committee, city.ana, joined_on=datetime.date(2026, 1, 5))
    deadline = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)
    proposal = do_create_proposal(organizer, committee, ProposalData("Heat", "consent", deadline))
    round = do_open_round(organizer, committee, "The building", statements=["Fix the boiler first"])
    landlord = struggles.do_create_organization(organizer, kind="landlord", name="Elm Realty")
    struggle = struggles.do_create_struggle(
        organizer, target=landlord, title="Heat", areas=[city.building1], demands=["Heat"]
    )
    starts = datetime.datetime(2099, 5, 2, 18, tzinfo=datetime.UTC)
    event = do_create_event(
        organizer,
        EventData("Elm tenants", starts, starts + datetime.timedelta(hours=2), address="12 Elm Avenue"),
    )
    universe = Universe.objects.create(name="Elm block")
    universe.areas.add(city.ed1)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=city.home1)
    turf.canvassers.add(organizer)  # the canvass app opens only for a turf one walks
    return {
        "dashboard": reverse("home"),
        "people": reverse("people_list"),
        "person": reverse("person_detail", args=[city.ana.public_id]),
        "voters": reverse("voter_list"),
        "area map": reverse("area_map", args=[city.ed1.public_id]),
        "turfs": reverse("universe_turfs", args=[universe.public_id]),
        "walk list": reverse("walk_list", args=[turf.public_id]),
        "canvass app": reverse("canvass_turf_app", args=[turf.public_id]),
        "my turfs": reverse("canvass_my_turfs"),
        "public event": reverse("public_event", kwargs={"slug": event.slug}),
        "committees": reverse("committee_list"),
        "committee": reverse("committee_detail", args=[committee.public_id]),
        "struggles": reverse("struggle_list"),
        "struggle": reverse("struggle_detail", args=[struggle.public_id]),
        "decisions": reverse("committee_proposals", args=[committee.public_id]),
        "proposal": reverse("proposal_detail", args=[proposal.public_id]),
        "common ground": reverse("commonground_list"),
        "round": reverse("commonground_round", args=[round.public_id]),
        "round groups": reverse("commonground_round_groups", args=[round.public_id]),
        "ladder": reverse("ladder_funnel"),
        "results": reverse("results_home"),
        "API docs": reverse("osdi:openapi-view"),
    }


def test_an_organizer_sets_up_two_factor_and_opens_every_main_page_without_a_csp_violation(
    page: Page, live_server: LiveServer, small_city: SmallCity, two_factor_on: None
) -> None:
    pages = _pages(small_city)
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.add_init_script(LISTEN)
    organizer = small_city.organizer
    organizer.set_password(PASSWORD)
    organizer.save()

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", organizer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + reverse("two_factor_setup") + "**")
    assert page.locator(".qr svg").is_visible()
    device = TOTPDevice.objects.get(user=organizer)
    page.fill("input[name=token]", totp_code(device))
    page.click("main form button[type=submit]")
    page.get_by_role("heading", name="Your backup codes").wait_for()
    assert page.locator("ol.backup-codes li").count() == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_url(live_server.url + "/")

    seen = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path, wait_until="networkidle")
        assert response is not None and response.status == 200, name
        assert "default-src 'self'" in response.headers["content-security-policy"], name
        seen[name] = page.evaluate("window.__violations")
    assert {name: v for name, v in seen.items() if v} == {}
    assert errors == []
    # Styles the server computes still arrive, through page.js rather than style="" attributes.
    page.goto(live_server.url + pages["ladder"], wait_until="networkidle")
    assert page.locator(".bar.key.moved-up").first.evaluate("e => getComputedStyle(e).width") == "16px"


def test_an_inline_script_is_refused(page: Page, live_server: LiveServer, small_city: SmallCity) -> None:
    """The listener sees refusals: a script injected as markup does not run and is reported."""
    page.add_init_script(LISTEN)
    page.goto(live_server.url + "/login/", wait_until="networkidle")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true';"
        " document.body.appendChild(s); }"
    )
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
