from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.models import AuditEntry, User
from grassroots.fixtures import SmallCity
from grassroots.testing import make_totp_device, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "right-horse-battery-staple"


def _with_password(user: User) -> User:
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _wrong(device: TOTPDevice) -> str:
    """A code no step of the device's allowed drift shows now."""
    shown = {totp_code(device, offset) for offset in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in shown)


def _log_in(client: Client, user: User, next: str = "") -> Any:
    data = {"username": user.username, "password": PASSWORD, "next": next}
    return client.post(reverse("login"), data, follow=True)


def test_an_organizer_without_a_device_is_sent_to_set_one_up_and_in_with_its_code(
    small_city: SmallCity, client: Client
) -> None:
    organizer = _with_password(small_city.organizer)
    page = _log_in(client, organizer, next=reverse("people_list"))
    assert page.redirect_chain[-1][0].startswith(reverse("two_factor_setup"))
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=organizer)
    assert not device.confirmed
    assert "<svg" in body and "otpauth://totp/grassroots%3Aorganizer?secret=" in body
    assert client.get(reverse("people_list")).status_code == 302  # not yet

    done = client.post(
        reverse("two_factor_setup"), {"token": totp_code(device), "next": reverse("people_list")}
    )
    assert done.status_code == 302 and done["Location"] == reverse("people_list")
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("people_list")).status_code == 200


def test_a_wrong_code_does_not_confirm_a_new_device(small_city: SmallCity, client: Client) -> None:
    _log_in(client, _with_password(small_city.organizer))
    device = TOTPDevice.objects.get(user=small_city.organizer)
    response = client.post(reverse("two_factor_setup"), {"token": _wrong(device)})
    assert response.status_code == 400
    assert "That code did not match" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))


def test_an_organizer_with_a_device_gives_its_code_after_the_password(
    small_city: SmallCity, client: Client
) -> None:
    organizer = _with_password(small_city.organizer)
    device = make_totp_device(organizer)
    page = _log_in(client, organizer)
    assert page.redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    assert "6-digit code" in page.content.decode()

    assert client.get(reverse("people_list")).status_code == 302
    assert client.post(reverse("two_factor_verify"), {"token": totp_code(device)}).status_code == 302
    assert client.get(reverse("people_list")).status_code == 200


def test_a_wrong_code_after_the_password_lets_no_one_in(small_city: SmallCity, client: Client) -> None:
    device = make_totp_device(small_city.organizer)
    _log_in(client, _with_password(small_city.organizer))
    response = client.post(reverse("two_factor_verify"), {"token": _wrong(device)})
    assert response.status_code == 400
    assert "That code did not match" in response.content.decode()
    assert client.get(reverse("people_list")).status_code == 302
    # Each wrong code makes the device wait longer before it takes another, even the right one.
    assert client.post(reverse("two_factor_verify"), {"token": totp_code(device)}).status_code == 400


def test_an_organizer_not_verified_cannot_open_an_organizer_page(
    small_city: SmallCity, client: Client
) -> None:
    make_totp_device(small_city.organizer)
    _log_in(client, _with_password(small_city.organizer))
    person = reverse("person_detail", args=[small_city.ana.public_id])
    for url in (reverse("home"), reverse("people_list"), person, reverse("audit_log")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_verify")), url
    assert "Peña" not in client.get(person, follow=True).content.decode()
    posted = client.post(reverse("person_edit", args=[small_city.ana.public_id]), {"first_name": "X"})
    assert posted.status_code == 302
    small_city.ana.refresh_from_db()
    assert small_city.ana.first_name == "Ana"
    htmx = client.get(reverse("people_list"), HTTP_HX_REQUEST="true")
    assert htmx["HX-Redirect"].startswith(reverse("two_factor_verify"))
    assert htmx.content == b""


def test_the_code_page_sends_only_to_this_site_afterwards(small_city: SmallCity, client: Client) -> None:
    device = make_totp_device(small_city.organizer)
    _log_in(client, _with_password(small_city.organizer))
    data = {"token": totp_code(device), "next": "https://evil.example/phish"}
    assert client.post(reverse("two_factor_verify"), data)["Location"] == "/"


def test_a_member_may_turn_it_on_and_is_then_asked_for_it(small_city: SmallCity, client: Client) -> None:
    member = _with_password(small_city.outsider)
    assert _log_in(client, member).redirect_chain[-1][0] == reverse("home")
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=member)
    client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    assert "is on" in client.get(reverse("two_factor_setup")).content.decode()
    client.post(reverse("logout"))

    assert _log_in(client, member).redirect_chain[-1][0].startswith(reverse("two_factor_verify"))
    assert client.get(reverse("home")).status_code == 302
    # The code just used is never taken twice; the next one (within the allowed drift) is.
    assert (
        client.post(reverse("two_factor_verify"), {"token": totp_code(device, offset=1)}).status_code == 302
    )
    assert client.get(reverse("home")).status_code == 200


def test_a_canvasser_logs_in_with_a_password_alone(small_city: SmallCity, client: Client) -> None:
    assert _log_in(client, _with_password(small_city.canvasser)).redirect_chain[-1][0] == reverse("home")


def test_with_require_2fa_off_an_organizer_logs_in_with_a_password(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    settings.REQUIRE_2FA = False
    assert _log_in(client, _with_password(small_city.organizer)).redirect_chain[-1][0] == reverse("home")


def test_setting_up_a_device_is_audited(small_city: SmallCity, client: Client) -> None:
    _log_in(client, _with_password(small_city.organizer))
    device = TOTPDevice.objects.get(user=small_city.organizer)
    client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.TWO_FACTOR)
    assert (entry.actor, entry.object_id) == (small_city.organizer, str(small_city.organizer.pk))


def test_a_wrong_code_is_audited(small_city: SmallCity, client: Client) -> None:
    device = make_totp_device(small_city.organizer)
    _log_in(client, _with_password(small_city.organizer))
    client.post(reverse("two_factor_verify"), {"token": _wrong(device)})
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.TWO_FACTOR_FAILED)
    assert entry.actor == small_city.organizer


def test_force_login_in_tests_gives_a_verified_session(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    assert client.get(reverse("people_list")).status_code == 200
