"""The demo neighborhood's common-ground round shows opinion groups and what they all support."""

from __future__ import annotations

import pytest

from grassroots.commonground.reading import read_round
from grassroots.demo.committees import create_demo_committees
from grassroots.demo.commonground import STATEMENTS, create_demo_common_ground
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city

pytestmark = pytest.mark.django_db


def test_the_demo_round_shows_opinion_groups_and_the_common_ground() -> None:
    generate_city(seed=1, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    assert create_demo_committees(city, seed=1) is not None
    made = create_demo_common_ground(seed=1)
    assert made is not None
    reading = read_round(made.round)
    assert made.participants >= 20 and reading.participants == made.participants
    assert len(reading.groups) == 3  # the three planted camps
    everyone = {text for text, stances in STATEMENTS if set(stances) == {1}}
    found = {s.statement.text for s in reading.consensus}
    assert found == everyone
    assert reading.divisive
