from __future__ import annotations

import importlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.actions import do_make_backup_codes
from grassroots.accounts.models import AuditEntry, User
from grassroots.accounts.two_factor import backup_code, stored_code
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


def _codes(page: Any) -> list[str]:
    """The backup codes a page shows."""
    return re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page.content.decode())


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
    # The first app confirmed comes with backup codes, shown once, then on to where they were going.
    assert done.status_code == 200 and len(_codes(done)) == 10
    assert f'href="{reverse("people_list")}"' in done.content.decode()
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


def test_a_wrong_code_after_the_password_lets_no_one_in(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    # A wait of an hour after a wrong code: with the default (one second), a slow machine may
    # reach the second try after the wait is over.
    settings.OTP_TOTP_THROTTLE_FACTOR = 3600
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
    # The code just used is never taken twice; the next one (within the allowed drift) is. The
    # device keeps the drift it was set up with (a code of the step before, when a step began
    # between making it and checking it): the next code is counted from there.
    device.refresh_from_db()
    next_code = totp_code(device, offset=device.drift + 1)
    assert client.post(reverse("two_factor_verify"), {"token": next_code}).status_code == 302
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


# --- backup codes ---------------------------------------------------------------------------


def test_backup_codes_are_shown_once_and_not_kept_by_the_browser(
    small_city: SmallCity, client: Client
) -> None:
    _log_in(client, _with_password(small_city.organizer))
    device = TOTPDevice.objects.get(user=small_city.organizer)
    page = client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    shown = _codes(page)
    assert len(set(shown)) == 10
    assert "no-store" in page["Cache-Control"]
    stored = set(
        StaticToken.objects.filter(device__user=small_city.organizer).values_list("token", flat=True)
    )
    typed = {code.replace("-", "") for code in shown}
    assert stored == {stored_code(code) for code in typed}
    assert not stored & typed  # the codes themselves are nowhere in the database
    again = client.get(reverse("two_factor_setup"))
    assert _codes(again) == [] and "You have 10 backup codes left" in again.content.decode()


def test_a_backup_code_logs_in_once_in_place_of_the_app(small_city: SmallCity, client: Client) -> None:
    organizer = _with_password(small_city.organizer)
    device = make_totp_device(organizer)
    first, second, *_ = do_make_backup_codes(organizer)
    _log_in(client, organizer)
    typed = f"{first[:4].upper()} {first[4:].upper()}"  # as read off paper: any case, spaced
    assert client.post(reverse("two_factor_verify"), {"token": typed}).status_code == 302
    assert client.get(reverse("people_list")).status_code == 200
    page = client.get(reverse("two_factor_setup"))
    assert "You have 9 backup codes left" in page.content.decode()
    client.post(reverse("logout"))

    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": second}).status_code == 302
    client.post(reverse("logout"))
    _log_in(client, organizer)
    used = client.post(reverse("two_factor_verify"), {"token": first})
    assert used.status_code == 400 and "That code did not match" in used.content.decode()
    # A wrong backup code is not a wrong code of the app: the app's code is taken at once.
    assert client.post(reverse("two_factor_verify"), {"token": totp_code(device)}).status_code == 302
    verbs = AuditEntry.objects.filter(actor=organizer).order_by("pk").values_list("verb", "details")
    assert [d for v, d in verbs if v == AuditEntry.Verb.BACKUP_CODES and "used" in d] == [
        {"used": 1, "left": 9},
        {"used": 1, "left": 8},
    ]
    assert {"tried": "backup code"} in [d for v, d in verbs if v == AuditEntry.Verb.TWO_FACTOR_FAILED]


def test_new_backup_codes_replace_the_old_and_keep_the_session(small_city: SmallCity, client: Client) -> None:
    organizer = _with_password(small_city.organizer)
    make_totp_device(organizer)
    old = do_make_backup_codes(organizer)
    _log_in(client, organizer)
    client.post(reverse("two_factor_verify"), {"token": old[0]})
    page = client.post(reverse("two_factor_backup_codes"))
    new = [code.replace("-", "") for code in _codes(page)]
    assert len(new) == 10 and not set(new) & set(old)
    assert client.get(reverse("people_list")).status_code == 200  # verified by a code of the old set
    client.post(reverse("logout"))
    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": new[0]}).status_code == 302
    client.post(reverse("logout"))
    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": old[1]}).status_code == 400


def test_a_lost_phone_is_replaced_after_a_backup_code(small_city: SmallCity, client: Client) -> None:
    organizer = _with_password(small_city.organizer)
    lost = make_totp_device(organizer)
    codes = do_make_backup_codes(organizer)
    _log_in(client, organizer)
    client.post(reverse("two_factor_verify"), {"token": codes[0]})
    page = client.get(reverse("two_factor_setup"), {"replace": "1"})
    assert "<svg" in page.content.decode() and 'name="replace" value="1"' in page.content.decode()
    new = TOTPDevice.objects.get(user=organizer, confirmed=False)
    done = client.post(reverse("two_factor_setup"), {"token": totp_code(new), "replace": "1", "next": "/"})
    assert done.status_code == 302  # backup codes left: none made, none shown
    assert list(TOTPDevice.objects.filter(user=organizer).values_list("pk", "confirmed")) == [(new.pk, True)]
    client.post(reverse("logout"))
    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": totp_code(lost)}).status_code == 400
    entry = AuditEntry.objects.filter(verb=AuditEntry.Verb.TWO_FACTOR).latest("pk")
    assert entry.details["replaced"] == 1


def test_only_a_verified_user_with_an_app_may_make_backup_codes(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.outsider)  # no app
    assert client.post(reverse("two_factor_backup_codes"))["Location"] == reverse("two_factor_setup")
    organizer = _with_password(small_city.organizer)
    make_totp_device(organizer)
    other = Client()
    _log_in(other, organizer)  # password only: not verified yet
    response = other.post(reverse("two_factor_backup_codes"))
    assert response.status_code == 302 and _codes(response) == []
    assert not StaticToken.objects.exists()
    assert client.get(reverse("two_factor_backup_codes")).status_code == 405


@pytest.mark.parametrize(
    ("typed", "code"),
    [("abcd-efgh", "abcdefgh"), (" ABCD EFGH ", "abcdefgh"), ("a2b3c4d5", "a2b3c4d5"), ("123456", None),
     ("12345678", None), ("abcd-efg1", None), ("abcdefg", None), ("", None)],
)  # fmt: skip
def test_a_backup_code_is_read_in_any_case_with_spaces_or_a_dash(typed: str, code: str | None) -> None:
    assert backup_code(typed) == code


def test_the_owner_is_told_by_email_of_each_change_of_their_second_factor(
    small_city: SmallCity, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    organizer = _with_password(small_city.organizer)
    organizer.email = "organizer@example.org"
    organizer.save(update_fields=["email"])
    _log_in(client, organizer)
    device = TOTPDevice.objects.get(user=organizer)
    with django_capture_on_commit_callbacks(execute=True):  # the mail is sent once the change is committed
        client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    assert [m.to for m in mail.outbox] == [["organizer@example.org"]]  # one mail, backup codes included
    first = mail.outbox[0].body
    assert "an authenticator app was set up" in first and "127.0.0.1" in first
    assert "tell an administrator" in first

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two_factor_backup_codes"))
    assert "a new set of backup codes was made" in mail.outbox[1].body
    client.get(reverse("two_factor_setup"), {"replace": "1"})
    new = TOTPDevice.objects.get(user=organizer, confirmed=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("two_factor_setup"), {"token": totp_code(new), "replace": "1"})
    assert len(mail.outbox) == 3 and "a new authenticator app replaced the old one" in mail.outbox[2].body
    assert all(m.from_email == settings.DEFAULT_FROM_EMAIL for m in mail.outbox)


def test_an_account_without_an_email_is_set_up_all_the_same(
    small_city: SmallCity, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _log_in(client, _with_password(small_city.organizer))
    device = TOTPDevice.objects.get(user=small_city.organizer)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("two_factor_setup"), {"token": totp_code(device)})
    assert len(_codes(page)) == 10
    assert mail.outbox == []


def test_codes_kept_as_typed_before_are_kept_as_digests_and_still_log_in(
    small_city: SmallCity, client: Client
) -> None:
    organizer = _with_password(small_city.organizer)
    make_totp_device(organizer)
    device = StaticDevice.objects.create(user=organizer, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=device, token="abcd2345")  # as an earlier version kept it
    migration = importlib.import_module("grassroots.accounts.migrations.0006_backup_codes_as_digests")
    migration.digest_codes(apps, None)
    migration.digest_codes(apps, None)  # run again: a digest is not digested twice
    assert list(StaticToken.objects.values_list("token", flat=True)) == [stored_code("abcd2345")]
    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": "ABCD-2345"}).status_code == 302
    assert client.get(reverse("people_list")).status_code == 200
    assert not StaticToken.objects.exists()


def test_codes_made_before_the_key_changed_go_on_working(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    organizer = _with_password(small_city.organizer)
    make_totp_device(organizer)
    first, *_ = do_make_backup_codes(organizer)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a new key " * 6, []
    _log_in(client, organizer)
    assert client.post(reverse("two_factor_verify"), {"token": first}).status_code == 400  # refused
    StaticDevice.objects.update(throttling_failure_count=0)  # not wait out the wrong try
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert client.post(reverse("two_factor_verify"), {"token": first}).status_code == 302
    assert StaticToken.objects.count() == 9
