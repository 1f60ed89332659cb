"""Tokens for the small city's users, and a client that sends them."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from grassroots.accounts.models import User
from grassroots.api.actions import do_create_token


class ApiClient:
    """Django's test client, sending a token and JSON the way OSDI clients do."""

    def __init__(self, client: Client, token: str) -> None:
        self.client, self.token = client, token

    def _headers(self) -> dict[str, str]:
        return {"HTTP_OSDI_API_TOKEN": self.token} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, **self._headers())  # type: ignore[arg-type]

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(path, body, content_type="application/json", **self._headers())  # type: ignore[arg-type]

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(path, body, content_type="application/json", **self._headers())  # type: ignore[arg-type]

    def delete(self, path: str) -> Any:
        return self.client.delete(path, **self._headers())  # type: ignore[arg-type]


def token_for(user: User, *, read_only: bool = False) -> str:
    return do_create_token(None, user, "test", read_only=read_only)[1]


@pytest.fixture
def api_as(client: Client) -> Any:
    def make(user: User | None, *, read_only: bool = False) -> ApiClient:
        return ApiClient(client, token_for(user, read_only=read_only) if user else "")

    return make
