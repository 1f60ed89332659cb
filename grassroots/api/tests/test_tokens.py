from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from grassroots.accounts.models import AuditEntry
from grassroots.api.actions import hash_key
from grassroots.api.models import ApiToken
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_token_kept_only_as_a_hash(
    small_city: SmallCity, capsys: Any, client: Client
) -> None:
    call_command("api-token", "organizer", "--read-only")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert token.read_only and token.key_hash == hash_key(raw) and raw not in token.key_hash
    assert client.get("/api/v2/people", HTTP_OSDI_API_TOKEN=raw).status_code == 200


def test_a_user_makes_and_revokes_tokens_on_their_page(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.coordinator)
    page = client.post("/account/api-tokens/", {"name": "Parsons sync"})
    raw = page.context["new_token"]
    assert raw.startswith("gr_") and raw in page.content.decode()
    listed = client.get("/account/api-tokens/").content.decode()
    assert "Parsons sync" in listed and raw not in listed
    api = Client()
    assert api.get("/api/v2/people", HTTP_OSDI_API_TOKEN=raw).json()["total_records"] == 1  # Ana only
    token = ApiToken.objects.get()
    client.post("/account/api-tokens/revoke/", {"token": str(token.public_id)})
    assert api.get("/api/v2/people", HTTP_OSDI_API_TOKEN=raw).status_code == 401
    assert AuditEntry.objects.filter(object_type="api_token", verb="delete").exists()


def test_a_user_cannot_revoke_someone_elses_token(small_city: SmallCity, client: Client) -> None:
    from grassroots.api.actions import do_create_token

    token, _ = do_create_token(None, small_city.organizer, "theirs")
    client.force_login(small_city.outsider)
    assert client.post("/account/api-tokens/revoke/", {"token": str(token.public_id)}).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_token_name_with_a_nul_character_is_refused_with_a_message(
    small_city: SmallCity, client: Client
) -> None:
    # PostgreSQL keeps no text with a NUL in it: the page says so rather than crashing.
    client.force_login(small_city.coordinator)
    page = client.post("/account/api-tokens/", {"name": "Parsons\x00sync"})
    assert page.status_code == 400
    assert "cannot hold a NUL character" in page.content.decode()
    assert page.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_the_page_showing_a_new_token_is_never_kept_by_a_browser_or_proxy(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.coordinator)
    page = client.post("/account/api-tokens/", {"name": "Parsons sync"})
    assert page.context["new_token"] in page.content.decode()
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
