"""A small street with two buildings and their committees, built on the shared small city."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.committees.models import Committee
from grassroots.committees.models import Role as MemberRole
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person
from grassroots.places.models import Area
from grassroots.testing import make_area, make_household, make_person, make_user


@dataclass
class Block:
    city: SmallCity
    street: Area  # Elm Ave, in ED 1 (North)
    building_a: Area  # 12 ELM AVE, Ana's
    building_b: Area  # 14 ELM AVE
    cy: Person  # lives in building A, coordinates its committee
    dee: Person  # lives in building B
    committee_a: Committee
    committee_b: Committee
    captain: User  # Cy's login: a coordinator with no areas of their own


@pytest.fixture
def block(small_city: SmallCity) -> Block:
    c = small_city
    building_a = c.building1
    street = building_a.parent
    assert street is not None
    building_b = make_area("14 ELM AVE", "building", street)
    cy = make_person(
        "Cy", "Okafor", area=building_a, household=make_household(building_a, "12 Elm Avenue", "2B")
    )
    dee = make_person("Dee", "Vance", area=building_b, household=make_household(building_b, "14 Elm Avenue"))
    committee_a = do_create_committee(c.organizer, CommitteeData("12 Elm tenants", area=building_a))
    committee_b = do_create_committee(c.organizer, CommitteeData("14 Elm tenants", area=building_b))
    joined = timezone.localdate() - datetime.timedelta(days=30)
    do_add_member(c.organizer, committee_a, cy, role=MemberRole.COORDINATOR, joined_on=joined)
    do_add_member(c.organizer, committee_a, c.ana, joined_on=joined)
    do_add_member(c.organizer, committee_b, dee, role=MemberRole.COORDINATOR, joined_on=joined)
    captain = make_user("captain", Role.COORDINATOR, person=cy)
    return Block(c, street, building_a, building_b, cy, dee, committee_a, committee_b, captain)
