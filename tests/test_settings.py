"""The database settings read from the environment: connection reuse and SQLite's busy timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def database_settings(**env: str) -> dict[str, Any]:
    """The default database as grassroots.settings makes it in a fresh process with this environment."""
    code = "import json, grassroots.settings as s; print(json.dumps(s.DATABASES['default'], default=str))"
    names = ("DATABASE_URL", "DATABASE_CONN_MAX_AGE", "SQLITE_BUSY_TIMEOUT")
    environment = {k: v for k, v in os.environ.items() if k not in names} | env
    done = subprocess.run(  # noqa: S603  (our own interpreter, a fixed program)
        [sys.executable, "-c", code],
        env=environment,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_by_default_each_request_opens_its_own_connection() -> None:
    db = database_settings(DATABASE_URL="postgres://grassroots@db.example:5432/grassroots")
    assert db["CONN_MAX_AGE"] == 0 and db["CONN_HEALTH_CHECKS"] is False


def test_a_worker_keeps_its_connection_and_checks_it_when_told_to() -> None:
    db = database_settings(
        DATABASE_URL="postgres://grassroots@db.example:5432/grassroots", DATABASE_CONN_MAX_AGE="60"
    )
    assert db["CONN_MAX_AGE"] == 60 and db["CONN_HEALTH_CHECKS"] is True


def test_sqlite_writers_wait_as_long_as_the_setting_says(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'chapter.sqlite3'}"
    assert database_settings(DATABASE_URL=url)["OPTIONS"]["timeout"] == 60
    options = database_settings(DATABASE_URL=url, SQLITE_BUSY_TIMEOUT="5")["OPTIONS"]
    assert options["timeout"] == 5
    assert "journal_mode=WAL" in options["init_command"] and options["transaction_mode"] == "IMMEDIATE"
