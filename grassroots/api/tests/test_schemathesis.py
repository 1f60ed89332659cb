"""schemathesis against our OpenAPI document: no request it makes up gets a 500, and every answer
matches the schema the document gives for it."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from grassroots.api.tests.conftest import token_for
from grassroots.fixtures import SmallCity
from grassroots.wsgi import application

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
