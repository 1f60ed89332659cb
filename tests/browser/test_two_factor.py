"""Two-factor in the browser: a lost phone, a backup code, a new phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.actions import do_make_backup_codes
from grassroots.fixtures import SmallCity
from grassroots.testing import make_totp_device, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-demo-password-42"


def test_an_organizer_who_lost_the_phone_logs_in_with_a_backup_code_and_adds_a_new_one(
    page: Page, live_server: LiveServer, small_city: SmallCity, settings: Any
) -> None:
    settings.REQUIRE_2FA = True
    organizer = small_city.organizer
    organizer.set_password(PASSWORD)
    organizer.save()
    lost = make_totp_device(organizer)
    code = do_make_backup_codes(organizer)[0]

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", organizer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**" + reverse("two_factor_verify") + "**")
    page.fill("input[name=token]", f"{code[:4]}-{code[4:]}".upper())
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")

    page.goto(live_server.url + reverse("two_factor_setup"))
    assert page.get_by_text("You have 9 backup codes left").is_visible()
    page.get_by_role("link", name="Set up a new phone").click()
    expect(page.locator(".qr svg")).to_be_visible()
    new = TOTPDevice.objects.get(user=organizer, confirmed=False)
    page.fill("input[name=token]", totp_code(new))
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert list(TOTPDevice.objects.filter(user=organizer).values_list("pk", flat=True)) == [new.pk]
    assert not TOTPDevice.objects.filter(pk=lost.pk).exists()

    # A new set of codes, from the page that says two-factor is on.
    page.goto(live_server.url + reverse("two_factor_setup"))
    page.get_by_role("button", name="Make new backup codes").click()
    page.get_by_role("heading", name="Your backup codes").wait_for()
    shown = page.locator("ol.backup-codes li").all_inner_texts()
    assert len(shown) == 10 and f"{code[:4]}-{code[4:]}" not in shown
