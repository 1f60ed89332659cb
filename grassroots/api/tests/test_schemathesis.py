"""schemathesis against our OpenAPI document: no request it makes up gets a 500, and every answer
matches the schema the document gives for it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from grassroots.api.tests.conftest import token_for
from grassroots.fixtures import SmallCity
from grassroots.wsgi import application


@pytest.fixture(autouse=True)
def _keep_the_tests_connection() -> Iterator[None]:
    """Django closes the database connection when a request it serves ends; in a test that connection
    holds the test's transaction (on PostgreSQL, closing it ends the test), so requests served straight
    through WSGI must leave it open, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Read through the WSGI application: the document is fetched as a client would, without a server.
schema = schemathesis.openapi.from_wsgi("/api/v2/openapi.json", application)


@schema.parametrize()
@pytest.mark.django_db
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_keeps_to_its_document(case: Any, small_city: SmallCity) -> None:
    token = getattr(small_city, "_token", None) or token_for(small_city.admin)
    small_city._token = token  # type: ignore[attr-defined]  # one token for all the examples of a route
    case.call_and_validate(
        headers={"OSDI-API-Token": token},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
