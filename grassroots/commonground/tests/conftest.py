"""A committee of a building with members who log in, and a round of theirs."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.committees.models import Committee
from grassroots.committees.models import Role as MemberRole
from grassroots.commonground.actions import do_open_round
from grassroots.commonground.models import Round
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person
from grassroots.testing import make_household, make_person, make_user


@dataclass
class Tenants:
    city: SmallCity
    committee: Committee
    people: list[Person]
    users: list[User]  # users[0] coordinates the committee; the others are members
    round: Round


def tenants_of(city: SmallCity, count: int) -> Tenants:
    building = city.building1
    committee = do_create_committee(city.organizer, CommitteeData("12 Elm tenants", area=building))
    joined = timezone.localdate() - datetime.timedelta(days=30)
    people, users = [], []
    for i in range(count):
        person = make_person(
            f"Tenant{i}", "Okafor", area=building, household=make_household(building, unit=f"{i}A")
        )
        role = MemberRole.COORDINATOR if i == 0 else MemberRole.MEMBER
        do_add_member(city.organizer, committee, person, role=role, joined_on=joined)
        users.append(make_user(f"tenant{i}", Role.COORDINATOR if i == 0 else Role.MEMBER, person=person))
        people.append(person)
    round = do_open_round(
        users[0],
        committee,
        "What should the tenants' union fight for?",
        statements=["Repairs come before anything else.", "Rent increases should be frozen."],
    )
    return Tenants(city, committee, people, users, round)


@pytest.fixture
def tenants(small_city: SmallCity) -> Tenants:
    return tenants_of(small_city, 4)
