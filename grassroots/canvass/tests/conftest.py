"""What the canvass tests share: a district, two turfs with their canvassers, and a phone that uploads."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role, User
from grassroots.canvass.models import Turf, TurfDoor, Universe
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_household, make_person, make_user


@dataclass
class Canvass:
    district: Area
    turf: Turf
    other_turf: Turf
    homes: list[Household]
    stranger_home: Household
    people: list[Person]
    canvasser: User
    other: User


@pytest.fixture
def canvass() -> Canvass:
    district = make_area("Election District 7", kind="election_district")
    homes = [make_household(district) for _ in range(12)]
    people = [make_person(f"Resident{i}", "Lopez", area=district, household=h) for i, h in enumerate(homes)]
    make_person("Second", "Lopez", area=district, household=homes[0])
    stranger_home = make_household(district)
    universe = Universe.objects.create(name="ED 7")
    universe.areas.add(district)
    turf = Turf.objects.create(universe=universe, number=1)
    other_turf = Turf.objects.create(universe=universe, number=2)
    for position, home in enumerate(homes):
        TurfDoor.objects.create(turf=turf, household=home, position=position)
    TurfDoor.objects.create(turf=other_turf, household=stranger_home)
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[district])
    other = make_user("other", Role.CANVASSER, scope=[district])
    turf.canvassers.add(canvasser)
    other_turf.canvassers.add(other)
    return Canvass(district, turf, other_turf, homes, stranger_home, people, canvasser, other)


def visit(c: Canvass, home: int, result: str = "contact", **extra: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "turf": str(c.turf.public_id),
        "household": str(c.homes[home].public_id),
        "result": result,
        "visited_at": "2026-11-21T14:05:00-05:00",
        **extra,
    }


def upload(client: Client, visits: Any) -> dict[str, Any]:
    response = client.post(
        reverse("canvass_sync"), json.dumps({"visits": visits}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return dict(response.json())


@pytest.fixture
def phone(client: Client, canvass: Canvass) -> Client:
    client.force_login(canvass.canvasser)
    return client
