"""Shared test fixtures: a small city and one user per permission level."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client

from grassroots.accounts.models import Role, User
from grassroots.accounts.two_factor import role_requires_two_factor
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_household, make_person, make_user, verify_session


@pytest.fixture(autouse=True)
def _tasks_and_uploads(settings: Any, tmp_path: Path) -> None:
    """Background tasks run at once, inside the test; uploads land in the test's own folder; the cache
    (rate limits counted per token or address, whose ids repeat from test to test) starts empty."""
    cache.clear()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two-factor stays on in the tests. `client.force_login(user)` stands for a whole login — the
    password and, for a role that needs one, the TOTP code — so it leaves the session verified by a
    device of the user's. The two-factor tests log in through the pages instead."""
    force_login = Client.force_login

    def force_login_verified(client: Client, user: Any, backend: str | None = None) -> None:
        force_login(client, user, backend)
        if role_requires_two_factor(user):
            verify_session(client, user)

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@dataclass
class SmallCity:
    city: Area
    north: Area
    south: Area
    ed1: Area  # in the north
    ed2: Area  # in the south
    building1: Area
    building2: Area
    home1: Household
    home2: Household
    ana: Person  # lives in ed1
    bo: Person  # lives in ed2
    organizer: User
    coordinator: User
    canvasser: User
    outsider: User
    admin: User


@pytest.fixture
def small_city(db: None) -> SmallCity:
    city = make_area("Testville", "city", box=(-74.0, 40.0, -73.9, 40.2))
    north = make_area("North", "neighborhood", city, box=(-74.0, 40.1, -73.9, 40.2))
    south = make_area("South", "neighborhood", city, box=(-74.0, 40.0, -73.9, 40.1))
    ed1 = make_area("ED 1", "election_district", north, box=(-74.0, 40.1, -73.95, 40.2))
    ed2 = make_area("ED 2", "election_district", south, box=(-74.0, 40.0, -73.95, 40.1))
    street1 = make_area("Elm Ave", "street", ed1)
    street2 = make_area("Oak St", "street", ed2)
    building1 = make_area("12 ELM AVE", "building", street1)
    building2 = make_area("40 OAK ST", "building", street2)
    home1 = make_household(building1, "12 Elm Avenue")
    home2 = make_household(building2, "40 Oak Street")
    ana = make_person(
        "Ana",
        "Peña",
        area=building1,
        household=home1,
        emails=("ana.pena@example.org",),
        phones=("+17185550101",),
        tags=("tenant",),
        consents={"email": True},
        actions=("door_knock",),
    )
    bo = make_person(
        "Bo",
        "Chen",
        area=building2,
        household=home2,
        emails=("bo@example.net",),
        phones=("+13475550102",),
        tags=("volunteer",),
        actions=("signup", "rsvp"),
    )
    return SmallCity(
        city=city,
        north=north,
        south=south,
        ed1=ed1,
        ed2=ed2,
        building1=building1,
        building2=building2,
        home1=home1,
        home2=home2,
        ana=ana,
        bo=bo,
        organizer=make_user("organizer", Role.ORGANIZER, [city]),
        coordinator=make_user("coordinator", Role.COORDINATOR, [north]),
        canvasser=make_user("canvasser", Role.CANVASSER, [ed2]),
        outsider=make_user("outsider", Role.MEMBER),
        admin=make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True),
    )


@dataclass
class SharedDatabase:
    """The test's database, reachable from the processes a test starts (a server, a worker, an import
    killed half way). PostgreSQL's test database is simply shared (committed rows, so tests using it
    are transactional). SQLite's lives in this process's memory: ``push`` copies it to a file the
    others open, ``pull`` copies the file back, so that the test reads what they wrote."""

    url: str
    file: Path | None = None

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a subprocess of ``grassroots``: this database, tasks queued in it, and
        a fixed secret key, so that a session outlives a restarted server."""
        return {
            **os.environ,
            "DATABASE_URL": self.url,
            "TASKS_BACKEND": "database",
            "SECRET_KEY": "test-key-shared-by-the-processes-of-one-test-0123456789",
            **extra,
        }

    def start(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """``grassroots ARGS`` in a process of its own on this database, its output added to ``log``."""
        return self.start_program(["-m", "grassroots", *args], log=log)

    def start_program(
        self, args: list[str], *, log: Path, own_group: bool = False, **env: str
    ) -> subprocess.Popen[bytes]:
        """``python ARGS`` (this interpreter) on this database, with ``env`` added to its environment.
        ``own_group``: in a process group of its own, which os.killpg ends with every process the
        program started (a server's workers, which would outlive their master killed alone)."""
        with log.open("ab") as out:
            command = [sys.executable, *args]
            # Our own code, run with this interpreter.
            return subprocess.Popen(  # noqa: S603
                command,
                env=self.env(**env),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=own_group,
            )

    def push(self) -> None:
        if self.file is not None:
            connection.ensure_connection()
            with closing(sqlite3.connect(self.file)) as target:
                connection.connection.backup(target)

    def pull(self) -> None:
        if self.file is not None:
            with closing(sqlite3.connect(self.file)) as source:
                source.backup(connection.connection)

    def value(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """One value read from the shared database as the other processes left it, now."""
        if self.file is not None:
            with closing(sqlite3.connect(self.file)) as db:
                row = db.execute(sql, params).fetchone()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                row = cursor.fetchone()
        return row[0] if row else None


def wait_until(condition: Callable[[], object], what: str, tries: int = 1200) -> None:
    """Poll until ``condition`` holds (another process is slow to get there on a busy machine), or
    fail saying ``what`` never happened."""
    for _ in range(tries):
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"Gave up waiting for {what}.")


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> SharedDatabase:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        file = tmp_path / "shared.sqlite3"
        return SharedDatabase(url=f"sqlite:///{file}", file=file)
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return SharedDatabase(url=f"postgres://{user}{password}@{host}/{settings['NAME']}")
