"""Fixtures for the browser tests: Debian's chromium driven by Playwright against a live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by
# fixtures there are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The waits for what a page shows after server work: as long as for an action (Playwright's
# assertions wait 5 seconds unless told), on a busy machine running tests side by side.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        pytest.fail(
            f"chromium is not installed at {CHROMIUM}: run `make chromium` (the browser tests never skip)"
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    # The first page a worker asks for can outlast that while the other workers start.
    page.set_default_navigation_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _password_logins(settings: Any) -> None:
    """The page tests log in through the form with a password alone. Two-factor in a browser is
    driven by test_csp.py (which turns REQUIRE_2FA back on); the client tests keep it on throughout."""
    settings.REQUIRE_2FA = False
