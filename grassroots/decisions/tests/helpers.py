"""A building committee of five with a login each, and proposals made and opened in it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.committees.models import Committee
from grassroots.committees.models import Role as MemberRole
from grassroots.decisions.actions import ProposalData, do_create_proposal, do_open_proposal
from grassroots.decisions.models import Proposal
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person
from grassroots.testing import make_household, make_person, make_user

JOINED_DAYS_AGO = 30


@dataclass
class Tenants:
    city: SmallCity
    committee: Committee
    people: list[Person]  # Cy (coordinator), Ana, Eve, Fay, Gus
    users: list[User]  # their logins, in the same order; none has an area scope
    coordinator: User  # users[0]

    def login(self, name: str) -> User:
        return next(u for u in self.users if u.username == name.lower())

    def person(self, name: str) -> Person:
        return next(p for p in self.people if p.first_name == name)


@pytest.fixture
def tenants(small_city: SmallCity) -> Tenants:
    c = small_city
    building = c.building1
    committee = do_create_committee(c.organizer, CommitteeData("12 Elm tenants", area=building))
    joined = timezone.localdate() - datetime.timedelta(days=JOINED_DAYS_AGO)
    people = [
        make_person("Cy", "Okafor", area=building, household=make_household(building, "12 Elm Avenue", "2B"))
    ]
    people.append(c.ana)
    for first, last, unit in (("Eve", "Marsh", "3A"), ("Fay", "Lund", "3B"), ("Gus", "Ortiz", "4A")):
        people.append(
            make_person(first, last, area=building, household=make_household(building, "12 Elm Avenue", unit))
        )
    users = []
    for i, person in enumerate(people):
        role = MemberRole.COORDINATOR if i == 0 else MemberRole.MEMBER
        do_add_member(c.organizer, committee, person, role=role, joined_on=joined)
        users.append(make_user(person.first_name.lower(), Role.MEMBER, person=person))
    return Tenants(c, committee, people, users, users[0])


def merged_away_login(tenants: Tenants, first_name: str) -> User:
    """A second record of a member, with a login of its own, merged into the member's record: the
    memberships are the survivor's, and the login stays on the merged-away record (people.merge)."""
    from grassroots.people.actions import do_merge_people

    member = tenants.person(first_name)
    twin = make_person(member.first_name, member.last_name, area=tenants.city.building1)
    login = make_user(f"{first_name.lower()}2", person=twin)
    do_merge_people(tenants.city.organizer, member, twin)
    return login


def in_days(days: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def make_proposal(tenants: Tenants, method: str, *, open_it: bool = True, **fields: Any) -> Proposal:
    data = ProposalData(
        title=fields.pop("title", f"A {method} proposal"),
        method=method,
        deadline=fields.pop("deadline", in_days(7)),
        text=fields.pop("text", "We ask the landlord to fix the boiler before winter."),
        **fields,
    )
    proposal = do_create_proposal(tenants.coordinator, tenants.committee, data)
    if open_it:
        do_open_proposal(tenants.coordinator, proposal)
    return proposal
