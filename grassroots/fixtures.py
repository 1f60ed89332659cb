"""Shared test fixtures: a small city and one user per permission level."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
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
