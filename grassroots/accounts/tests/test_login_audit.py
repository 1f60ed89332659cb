from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry, Role
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db

PASSWORD = "right-horse-battery-staple"


def _entries(verb: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(verb=verb))


def test_a_login_and_a_logout_are_audited_with_the_address(small_city: SmallCity, client: Client) -> None:
    small_city.canvasser.set_password(PASSWORD)
    small_city.canvasser.save()
    client.post(reverse("login"), {"username": "canvasser", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    client.post(reverse("logout"))
    [login] = _entries(AuditEntry.Verb.LOGIN)
    [logout] = _entries(AuditEntry.Verb.LOGOUT)
    assert (login.actor, login.details["address"]) == (small_city.canvasser, "203.0.113.9")
    assert logout.actor == small_city.canvasser


def test_a_failed_login_is_audited_with_the_name_tried_and_never_the_password(
    small_city: SmallCity, client: Client
) -> None:
    client.post(reverse("login"), {"username": "canvasser", "password": "guess-one"})
    [failed] = _entries(AuditEntry.Verb.LOGIN_FAILED)
    assert failed.actor is None
    assert failed.details["username"] == "canvasser"
    assert "guess-one" not in str(failed.details)


def test_a_role_and_scope_change_in_the_admin_is_audited(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.admin)
    user = small_city.canvasser
    Group.objects.create(name="Data team")
    form = {
        "username": user.username,
        "role": Role.ORGANIZER,
        "scope": [small_city.city.pk],
        "groups": [Group.objects.get().pk],
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = client.post(reverse("admin:accounts_user_change", args=[user.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    [entry] = _entries(AuditEntry.Verb.PERMISSIONS)
    assert entry.actor == small_city.admin
    assert entry.object_id == str(user.pk)
    assert entry.details["role"] == {"from": "canvasser", "to": "organizer"}
    assert entry.details["scope"]["to"] == [str(small_city.city.public_id)]
    assert entry.details["groups"] == {"from": [], "to": ["Data team"]}
    assert "is_active" not in entry.details  # unchanged


def test_saving_a_user_without_changing_access_writes_no_permission_entry(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.admin)
    user = small_city.canvasser
    form = {
        "username": user.username,
        "first_name": "Renamed",
        "role": user.role,
        "scope": [small_city.ed2.pk],
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    assert client.post(reverse("admin:accounts_user_change", args=[user.pk]), form).status_code == 302
    assert _entries(AuditEntry.Verb.PERMISSIONS) == []
