"""Text PostgreSQL cannot keep: a NUL character is refused with 400 on every database, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.fixtures import SmallCity
from grassroots.people.models import Tag

pytestmark = pytest.mark.django_db


def test_text_with_a_nul_character_is_refused_with_400(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.admin)
    made = api.post("/api/v2/lists", {"name": "a\x00b"})
    assert made.status_code == 400 and "NUL" in made.json()["error"]
    nested = api.post(
        "/api/v2/people", {"person": {"given_name": "Cy", "email_addresses": [{"address": "\x00"}]}}
    )
    assert nested.status_code == 400 and "person.email_addresses.0.address" in nested.json()["error"]
    for url in ("/api/v2/lists", "/api/v2/people", "/api/v2/canvassing_efforts"):
        response = api.get(url, {"filter": "name eq 'a\x00'"})
        assert response.status_code == 400 and response.json()["field"] == "filter", url
    assert not Tag.objects.filter(name__startswith="a").exists()
