from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from grassroots.accounts.models import AuditEntry
from grassroots.accounts.sessions import LAST_SEEN_KEY, TOUCH_EVERY_SECONDS
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db


def test_a_session_idle_past_the_timeout_is_logged_out(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.canvasser)
    assert client.get(reverse("home")).status_code == 200
    # As if the last request was longer ago than the idle timeout.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_request_after_a_minute_pushes_the_idle_timeout_back(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 15 * 60
    client.force_login(small_city.canvasser)
    soon = timezone.now() + datetime.timedelta(minutes=1)
    Session.objects.update(expire_date=soon)
    client.get(reverse("home"))  # seen less than a minute ago: the row is not written again
    assert Session.objects.get().expire_date == soon
    session = client.session
    session[LAST_SEEN_KEY] -= TOUCH_EVERY_SECONDS  # as if that request came a minute later
    session.save()
    Session.objects.update(expire_date=soon)
    client.get(reverse("home"))
    expires = Session.objects.get().expire_date
    assert expires > soon + datetime.timedelta(minutes=13)
    assert expires <= timezone.now() + datetime.timedelta(minutes=15)


def test_the_idle_timeout_comes_from_its_setting() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def _reset_link(body: str) -> str:
    return next(line for line in body.splitlines() if "/account/password-reset/" in line).strip()


def test_a_password_reset_link_sets_a_new_password_once(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = small_city.canvasser
    user.email = "canvasser@example.org"
    user.set_password("the-old-password-1")
    user.save()
    response = client.post(reverse("password_reset"), {"email": "canvasser@example.org"}, follow=True)
    assert "If an account has that address" in response.content.decode()
    [message] = mail.outbox
    assert message.to == ["canvasser@example.org"]
    link = _reset_link(str(message.body))

    form = client.get(link, follow=True)
    assert "Choose a new password" in form.content.decode()
    new = {"new_password1": "a-brand-new-password-7", "new_password2": "a-brand-new-password-7"}
    done = client.post(form.redirect_chain[-1][0], new, follow=True)
    assert "Your new password is saved" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a-brand-new-password-7")
    assert AuditEntry.objects.get(verb=AuditEntry.Verb.PASSWORD).actor == user
    assert "does not work any more" in client.get(link, follow=True).content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client: Client, settings: Any, db: None) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("password_reset_done")
    assert "If an account has that address" in response.content.decode()
    assert mail.outbox == []


def test_a_locked_out_login_says_what_happened_and_when_to_retry(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    small_city.canvasser.set_password("right-horse-battery")
    small_city.canvasser.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "canvasser", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "canvasser", "password": "right-horse-battery"})
    assert response.status_code == 429
    body = response.content.decode()
    assert f"locked after {settings.AXES_FAILURE_LIMIT} failed logins" in body
    until = timezone.localtime(timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME))
    assert f"Try again after {date_format(until, 'N j, Y')}, " in body
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_names_is_locked_out_and_others_are_not(
    small_city: SmallCity, client: Client, settings: Any
) -> None:
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    small_city.canvasser.set_password("right-horse-battery")
    small_city.canvasser.save()
    right = {"username": "canvasser", "password": "right-horse-battery"}
    for name in ("ana", "ben", "cleo", "dan", "eve"):  # one wrong password each: no name is locked
        client.post(reverse("login"), {"username": name, "password": "spring2026"})
    assert client.post(reverse("login"), right).status_code == 302  # five: still let in
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": "fay", "password": "spring2026"})  # the sixth
    refused = client.post(reverse("login"), right)
    assert refused.status_code == 429
    assert "Logins from this address are locked after 6 failed logins" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert elsewhere.post(reverse("login"), right).status_code == 302
