"""A landlord with two buildings in the small city: one owned outright in the north (Ana's), one in
the south (Bo's) run by a management company acting for it; a struggle against the landlord with a
grievance in each building."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from grassroots.committees.models import Committee
from grassroots.fixtures import SmallCity
from grassroots.struggles import actions
from grassroots.struggles.models import Grievance, Organization, Struggle


@dataclass
class Landlord:
    city: SmallCity
    landlord: Organization
    manager: Organization  # acts for the landlord, manages building2
    struggle: Struggle
    ana_case: Grievance  # building1, the north
    bo_case: Grievance  # building2, the south
    committee: Committee  # building1's committee


@pytest.fixture
def landlord(small_city: SmallCity) -> Landlord:
    c = small_city
    admin = c.admin
    owner = actions.do_create_organization(admin, kind="landlord", name="Brightwater Realty")
    manager = actions.do_create_organization(
        admin, kind="management", name="Keystone Management", parent=owner
    )
    actions.do_add_site(admin, owner, c.building1, "owns")
    actions.do_add_site(admin, manager, c.building2, "manages")
    committee = Committee.objects.create(name="12 Elm tenants", area=c.building1)
    struggle = actions.do_create_struggle(
        admin,
        target=owner,
        title="Repairs now",
        areas=[c.building1, c.building2],
        committees=[committee],
        started_on=datetime.date(2026, 3, 1),
        demands=["Fix the boilers", "No rent increase"],
    )
    ana_case = actions.do_open_grievance(
        admin, struggle, category="repair", summary="No heat in 3B", person=c.ana, household=c.home1
    )
    bo_case = actions.do_open_grievance(
        admin, struggle, category="overcharge", summary="Overcharged", person=c.bo
    )
    return Landlord(c, owner, manager, struggle, ana_case, bo_case, committee)
