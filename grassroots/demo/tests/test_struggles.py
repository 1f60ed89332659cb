"""The demo landlord: buildings across the neighborhood, two struggles, grievances in several buildings."""

from __future__ import annotations

import pytest

from grassroots.accounts.models import User
from grassroots.committees.models import Committee
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city
from grassroots.demo.struggles import create_demo_struggles
from grassroots.people.models import Action
from grassroots.places.models import Area, AreaKind
from grassroots.struggles.access import grievances_visible_to, organizations_visible_to
from grassroots.struggles.models import STRUGGLE_ACTION, EvidenceNote, Grievance, Organization
from grassroots.struggles.overview import target_overview

pytestmark = pytest.mark.django_db


def test_the_demo_landlord_is_fought_across_its_buildings() -> None:
    generate_city(seed=2, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    hood = (
        Area.objects.filter(parent=city, kind=AreaKind.NEIGHBORHOOD)
        .order_by("sort_key", "name", "pk")
        .first()
    )
    assert hood is not None
    # A committee founded before the struggles (as the committees demo does) joins them.
    a_building = (
        Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=hood.path)
        .order_by("-sort_key", "pk")
        .first()
    )
    assert a_building is not None
    committee = Committee.objects.create(name="Tenants of one building", area=a_building)

    made = create_demo_struggles(city, seed=2)

    assert made is not None
    assert a_building in made.buildings and len(made.buildings) == 5
    assert all(b.path.startswith(hood.path) for b in made.buildings)
    member_building = User.objects.get(username="member").scope.get()
    assert member_building in made.buildings
    assert all(committee in s.committees.all() for s in made.struggles if a_building in s.areas.all())

    grievances = Grievance.objects.all()
    assert grievances.count() == made.grievances >= 6
    assert len({g.area.path[: len(made.buildings[0].path)] for g in grievances}) >= 3  # several buildings
    assert set(grievances.values_list("status", flat=True)) >= {"open", "in_progress", "resolved"}
    assert EvidenceNote.objects.count() >= grievances.count()
    assert Action.objects.filter(kind=STRUGGLE_ACTION).count() > 10

    overview = target_overview(User.objects.get(username="organizer"), made.landlord)
    assert len(overview.places) == 5 and len(overview.struggles) == 2
    assert committee in overview.committees
    assert Organization.objects.get(name="Keystone Property Management").parent == made.landlord

    # The demo member sees the landlord of their building, and only their own building's grievances.
    member = User.objects.get(username="member")
    assert made.landlord in organizations_visible_to(member)
    assert all(g.area.path.startswith(member_building.path) for g in grievances_visible_to(member))


def test_the_demo_committees_join_the_fight_and_the_captain_sees_their_building() -> None:
    from grassroots.demo.committees import create_demo_committees

    generate_city(seed=1, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    committees = create_demo_committees(city, seed=1)
    assert committees is not None
    made = create_demo_struggles(city, seed=1)
    assert made is not None

    building_committees = list(committees.buildings)
    for committee in building_committees:
        assert committee.area in made.buildings
        assert committee in made.struggles[0].committees.all()
    assert committees.neighborhood in made.struggles[0].committees.all()  # the one around them all

    captain = User.objects.get(username="captain")
    home = next(a for a in made.buildings if a == building_committees[0].area)
    seen = list(grievances_visible_to(captain))
    assert seen and all(g.area.path.startswith(home.path) for g in seen)
    assert made.landlord in organizations_visible_to(captain)
