from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from grassroots.fixtures import SmallCity

# The environment docs/REFERENCE-settings.md asks of a production server behind HTTPS.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "b7Qf3-production-secret-that-is-long-and-random-9d2XkLp0sVw4nZr8Ty6Uq1",
    "ALLOWED_HOSTS": "org.example",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_PROXY_SSL_HEADER": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def test_the_deploy_check_is_clean_with_production_settings() -> None:
    # Not this test run's own switches (the browser tests allow the ORM in their event loop).
    ours = {"DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REQUIRE_2FA"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env |= PRODUCTION | {"DJANGO_SETTINGS_MODULE": "grassroots.settings"}
    manage = settings.PROJECT_DIR / "manage.py"
    result = subprocess.run(  # noqa: S603 (our own manage.py, run with this interpreter)
        [sys.executable, str(manage), "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


@pytest.mark.django_db
def test_pages_carry_the_security_headers(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    response = client.get(reverse("people_list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
