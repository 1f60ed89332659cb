"""An organizer uploads a voter file, watches the background import finish, and opens its error report."""

from __future__ import annotations

import csv
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer

from grassroots.accounts.models import Role
from grassroots.testing import make_user
from grassroots.voters import samples
from grassroots.voters.models import VoterImport, VoterRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-organizer-password-7"
ROWS = 5000


@pytest.fixture
def queued_tasks(settings: Any) -> None:
    """Imports go to the database queue, as in production, instead of running inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> threading.Thread:
    """A task worker, as `grassroots db_worker` runs beside the web server: it takes one task and stops."""
    worker = Worker(
        queue_names=["default"], interval=0.1, batch=False, backend_name="default",
        startup_delay=False, max_tasks=1, worker_id="browser-test", excluded_queue_names=[],
    )  # fmt: skip

    def work() -> None:
        try:
            worker.run()
        finally:
            close_old_connections()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


def test_an_organizer_uploads_watches_the_progress_and_opens_the_error_report(
    page: Page, live_server: LiveServer, queued_tasks: None, tmp_path: Path
) -> None:
    organizer = make_user("organizer", Role.ORGANIZER)
    organizer.set_password(PASSWORD)
    organizer.save()
    voter_file = tmp_path / "ncvoter92.txt"
    text = io.StringIO(newline="")
    samples.write_nc(text, samples.synthetic_nc_rows(ROWS, seed=2))
    # Line 3 of the file loses most of its fields: reported, and the other rows import.
    lines = text.getvalue().split("\r\n")
    lines[2] = '"XX1"\t"short"'
    voter_file.write_text("\r\n".join(lines), encoding="utf-8")

    page.goto(live_server.url + "/login/")
    page.fill("input[name=username]", "organizer")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav >> text=Voters")
    page.click("text=Import a voter file")
    page.set_input_files("input[name=file]", str(voter_file))
    page.click("button:has-text('Upload and import')")

    # Queued: the bar is empty and the page polls for progress.
    page.wait_for_selector("#import-status[data-status=queued]")
    assert page.locator("#import-bar").get_attribute("value") == "0"
    worker = run_worker()
    seen: list[int] = []
    page.wait_for_function(
        "() => { const bar = document.querySelector('#import-bar'); window.__seen = window.__seen || [];"
        " window.__seen.push(+bar.value); return document.querySelector('#import-status').dataset.status"
        " === 'done'; }",
        polling=50,
        timeout=120_000,
    )
    seen = page.evaluate("window.__seen")
    worker.join(timeout=30)
    assert page.locator("#import-bar").get_attribute("value") == "100"
    assert page.locator("#import-percent").inner_text() == "100%"
    assert seen[0] == 0 and seen[-1] == 100
    # The page was never reloaded: the same document watched the whole import.
    assert page.evaluate("window.__seen.length") == len(seen)
    assert page.locator("#count-created").inner_text().replace(",", "") == str(ROWS - 1)
    assert page.locator("#count-errors").inner_text() == "1"
    assert VoterRecord.objects.count() == ROWS - 1
    assert VoterImport.objects.get().status == VoterImport.Status.DONE

    with page.expect_download() as download_info:
        page.click("#error-report")
    report = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(report)))
    assert rows[0] == ["file", "line", "reason", "text"]
    assert rows[1][:2] == ["voters", "3"]
    assert "XX1" in rows[1][3]
