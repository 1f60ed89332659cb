"""The demo city's landlord fight: one landlord, its management company, two struggles against them.

``create_demo_struggles(city)`` gives Brightwater Realty five apartment buildings of the demo
coordinator's neighborhood (the demo member's building among them), two of them run by Keystone
Property Management acting for it, and two struggles: repairs across all five buildings and a
rent increase in three. Each has demands, a timeline of escalations with tenants taking part and
grievances from tenants of different buildings with evidence notes and a status history, so the
target page shows tenants of one landlord organizing across buildings.

Buildings that already have a committee come first, and every committee working in or around
the chosen buildings is named in the struggles, so whatever committees the demo has founded by
then join the fight. Everything is written through struggles.actions by the demo organizer, and
the same city gives the same struggles: the tenants are drawn from a seeded generator in a fixed
order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from grassroots.accounts.models import User
from grassroots.committees.models import active_committees
from grassroots.people.models import Person
from grassroots.places.models import Area, AreaKind
from grassroots.struggles import actions
from grassroots.struggles.models import Grievance, Organization, Struggle
from grassroots.struggles.overview import committees_around

BUILDINGS = 5
MANAGED = 2  # of the buildings, run by the management company


@dataclass
class DemoStruggles:
    landlord: Organization
    buildings: list[Area]
    struggles: list[Struggle]
    grievances: int

    def summary(self) -> str:
        return (
            f"{self.landlord.name} owns {len(self.buildings)} buildings; "
            f"{len(self.struggles)} struggles against it with {self.grievances} grievances."
        )


def _day(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def _choose_buildings(hood: Area) -> list[Area]:
    """Apartment buildings of the neighborhood: those with a committee first, then the demo member's,
    then the largest, spread over streets while others remain."""
    inside = Area.objects.filter(kind=AreaKind.BUILDING, path__startswith=hood.path)
    with_committee = list(
        inside.filter(committees__in=active_committees()).distinct().order_by("sort_key", "name", "pk")
    )
    member = User.objects.filter(username="member").first()
    member_building = member.scope.filter(kind=AreaKind.BUILDING).first() if member else None
    largest = list(
        inside.annotate(units=Count("children"))
        .filter(units__gt=1)
        .order_by("-units", "sort_key", "name", "pk")[:200]
    )
    # Buildings with a committee and the member's building are the landlord's whatever their street.
    chosen: list[Area] = []
    for building in [*with_committee, *([member_building] if member_building else [])]:
        if building not in chosen and len(chosen) < BUILDINGS:
            chosen.append(building)
    streets = {building.parent_id for building in chosen}
    for spread in (True, False):
        for building in largest:
            if len(chosen) == BUILDINGS:
                return chosen
            if building in chosen or (spread and building.parent_id in streets):
                continue
            chosen.append(building)
            streets.add(building.parent_id)
    return chosen


def _tenants(building: Area) -> list[Person]:
    return list(
        Person.objects.filter(area__path__startswith=building.path, merged_into__isnull=True).order_by("pk")
    )


@transaction.atomic
def create_demo_struggles(city: Area, *, seed: int = 1) -> DemoStruggles | None:
    """Write the demo landlord and its struggles; None when the city has no apartment buildings."""
    organizer = User.objects.get(username="organizer")
    coordinator = User.objects.filter(username="coordinator").first()
    hood = (coordinator.scope.filter(kind=AreaKind.NEIGHBORHOOD).first() if coordinator else None) or (
        Area.objects.filter(parent=city, kind=AreaKind.NEIGHBORHOOD)
        .order_by("sort_key", "name", "pk")
        .first()
    )
    buildings = _choose_buildings(hood or city)
    if len(buildings) < 2:
        return None
    rng = random.Random(seed)
    tenants = {b.pk: _tenants(b) for b in buildings}

    def some(building: Area, count: int) -> list[Person]:
        people = tenants[building.pk]
        return rng.sample(people, min(count, len(people)))

    def across(count_each: int, among: list[Area]) -> list[Person]:
        return [p for b in among for p in some(b, count_each)]

    landlord = actions.do_create_organization(
        organizer,
        kind="landlord",
        name="Brightwater Realty LLC",
        notes="Bought its buildings in the neighborhood in 2023; owner of record for all of them.",
    )
    manager = actions.do_create_organization(
        organizer,
        kind="management",
        name="Keystone Property Management",
        notes="Runs repairs and rent collection for Brightwater in two buildings.",
        parent=landlord,
    )
    for building in buildings:
        actions.do_add_site(organizer, landlord, building, "owns", added_on=_day(1, 5))
    for building in buildings[:MANAGED]:
        actions.do_add_site(organizer, manager, building, "manages", added_on=_day(1, 5))
    first, second, *rest = buildings

    repairs = actions.do_create_struggle(
        organizer,
        target=landlord,
        title="Repairs now in every Brightwater building",
        description="No heat last winter, broken elevators and leaks left for months, in every building.",
        areas=buildings,
        committees=list(committees_around(buildings)),
        started_on=_day(5, 4),
        demands=[
            "Restore heat and hot water in every building",
            "Fix the elevators within two weeks",
            "Exterminate roaches and mice building-wide",
            "Repair every leak before it turns to mold",
        ],
    )
    heat = repairs.demands.get(position=0)
    rent_buildings = buildings[:3]
    rent = actions.do_create_struggle(
        organizer,
        target=landlord,
        title="No to the 9% rent increase",
        description="Brightwater announced a 9% increase on renewals from October.",
        areas=rent_buildings,
        committees=list(committees_around(rent_buildings)),
        started_on=_day(8, 17),
        demands=[
            "Withdraw the 9% increase",
            "Publish the buildings' operating costs",
            "No retaliation against tenants who organize",
        ],
    )
    costs, no_retaliation = rent.demands.filter(position__in=[1, 2])

    timeline = [
        (repairs, "letter", _day(5, 11), "Letter to Brightwater listing 60 repairs, signed by tenants.", 1),
        (
            repairs,
            "petition",
            _day(6, 2),
            "Repairs petition delivered with 214 signatures from five buildings.",
            2,
        ),
        (repairs, "delegation", _day(6, 20), "Delegation to Keystone's office on Northern Boulevard.", 2),
        (repairs, "press", _day(7, 8), "Local paper runs the story of the winter without heat.", 0),
        (repairs, "legal", _day(7, 29), "Group HP action filed in housing court for two buildings.", 1),
        (repairs, "win", _day(9, 15), "Boilers replaced in every building before the heating season.", 0),
        (rent, "letter", _day(8, 24), "Open letter against the increase from three tenant meetings.", 1),
        (rent, "protest", _day(9, 12), "Rally outside Brightwater's office.", 3),
        (
            rent,
            "strike_vote",
            _day(10, 19),
            "Tenants vote to withhold the increase if it is not withdrawn.",
            3,
        ),
    ]
    for struggle, kind, on, text, per_building in timeline:
        among = buildings if struggle is repairs else rent_buildings
        actions.do_record_escalation(
            organizer,
            struggle,
            kind=kind,
            occurred_on=on,
            description=text,
            participants=across(per_building, among) if per_building else [],
        )
    actions.do_set_demand_status(organizer, heat, "won", on=_day(9, 15))
    actions.do_set_demand_status(organizer, costs, "lost", on=_day(10, 2))
    actions.do_set_demand_status(organizer, no_retaliation, "won", on=_day(10, 20))

    cases = [
        (repairs, first, "repair", "No heat or hot water for three weeks", _day(5, 6), "resolved"),
        (repairs, second, "repair", "Ceiling leak over the kitchen", _day(5, 20), "in_progress"),
        (
            repairs,
            first,
            "repair",
            "Elevator out, tenant on the 6th floor uses a wheelchair",
            _day(6, 3),
            "open",
        ),
        (repairs, rest[0] if rest else second, "repair", "Mice in the apartment", _day(6, 11), "open"),
        (
            repairs,
            rest[1] if len(rest) > 1 else first,
            "harassment",
            "Super enters without notice",
            _day(7, 2),
            "dropped",
        ),
        (rent, first, "rent_increase", "Renewal offered at 9% over legal rent", _day(8, 20), "open"),
        (
            rent,
            second,
            "overcharge",
            "Charged $140 a month over the registered rent",
            _day(8, 28),
            "in_progress",
        ),
        (
            rent,
            rent_buildings[-1],
            "rent_increase",
            "Renewal at 9%, lease ends in December",
            _day(9, 3),
            "open",
        ),
    ]
    evidence = {
        "repair": ["Photos of the damage, dated, kept by the committee.", "311 complaint numbers on file."],
        "harassment": ["Written account of three entries without notice."],
        "rent_increase": ["Copy of the renewal offer."],
        "overcharge": ["Rent registration history shows the legal rent."],
    }
    count = 0
    for struggle, building, category, summary, opened_on, status in cases:
        people = some(building, 1)
        if not people:
            continue
        person = people[0]
        grievance = actions.do_open_grievance(
            organizer,
            struggle,
            category=category,
            summary=summary,
            person=person,
            household=person.household,
            opened_on=opened_on,
        )
        for i, text in enumerate(evidence[category]):
            actions.do_add_evidence(
                organizer, grievance, text, noted_on=opened_on + datetime.timedelta(days=2 + 7 * i)
            )
        if status != Grievance.Status.OPEN:
            if status in (Grievance.Status.RESOLVED, Grievance.Status.DROPPED):
                actions.do_set_grievance_status(
                    organizer, grievance, "in_progress", note="Raised with Keystone."
                )
            note = {"resolved": "Fixed after the delegation.", "dropped": "The tenant moved out."}.get(
                status, ""
            )
            actions.do_set_grievance_status(
                organizer, grievance, status, note=note, on=opened_on + datetime.timedelta(days=40)
            )
        count += 1
    return DemoStruggles(landlord=landlord, buildings=buildings, struggles=[repairs, rent], grievances=count)
