"""The demo city's committees: a neighborhood committee, street committees and building committees.

``create_demo_committees(city)`` founds them in the demo coordinator's neighborhood, around the
demo member's building: the neighborhood's committee, the committees of two streets of the
member's election district, and of four apartment buildings (the member's and the three largest
around it), each under the nearest committee around it. Founding members are the area's
supporters ranked by engagement (committees.coverage.founding_list), as an organizer would pick
them; the first coordinates. Each building committee met two weeks ago (agenda, attendance,
minutes, decisions, one done) and meets monthly from next week; one member left, so the history
shows. The coordinator of the member's building logs in as ``captain`` and sees that building
alone; the demo ``member`` is linked to a member of the same committee, for "My committee".

Everything is written through committees.actions by the demo organizer. Committees are named
after their areas (``DemoCommittees.by_area``), so later demo steps can find them.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from grassroots.accounts.models import Role as UserRole
from grassroots.accounts.models import User
from grassroots.committees import actions
from grassroots.committees.coverage import founding_list
from grassroots.committees.models import Committee, Role
from grassroots.demo.generator import DEMO_PASSWORD
from grassroots.people.models import Person
from grassroots.places.models import Area, AreaKind

CAPTAIN = "captain"  # the demo login of a building committee's coordinator
BUILDINGS = 4
STREETS = 2
FOUNDED_DAYS_AGO = 120

AGENDA = (
    "Welcome and sign-in",
    "Repairs: what is still broken, floor by floor",
    "The rent increase letters",
    "Door knocking the floors we have not reached",
)
MINUTES = (
    "{present} neighbors came. We went floor by floor through the repairs list: heat is still out "
    "on the upper floors and the elevator broke twice this month. Everyone agreed to bring their "
    "rent increase letters to the next meeting so we can compare them. Two new neighbors joined."
)
DECISIONS = (
    ("Collect every household's repair list before the next meeting", 10),
    ("Write to management asking for a meeting about the heat", 5),
    ("Knock on the doors of the floors we have not reached", 21),
)


@dataclass
class DemoCommittees:
    neighborhood: Committee
    streets: list[Committee]
    buildings: list[Committee]
    captain: tuple[str, str, str, str]  # (username, password, role, scope), as the demo logins print
    by_area: dict[int, Committee] = field(default_factory=dict)

    @property
    def all(self) -> list[Committee]:
        return [self.neighborhood, *self.streets, *self.buildings]

    def summary(self) -> str:
        return (
            f"Founded {len(self.all)} committees in {self.neighborhood.area}: its neighborhood committee, "
            f"{len(self.streets)} street and {len(self.buildings)} building committees, with meetings."
        )


def _evening(day: datetime.date, hour: int = 19) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _pick_buildings(district: Area, member_building: Area) -> list[Area]:
    largest = (
        Area.objects.filter(path__startswith=district.path, kind=AreaKind.BUILDING)
        .exclude(pk=member_building.pk)
        .annotate(homes=Count("children"))
        .order_by("-homes", "sort_key", "name", "pk")
    )
    return [member_building, *largest[: BUILDINGS - 1]]


def _pick_streets(district: Area, member_building: Area) -> list[Area]:
    home_street = member_building.parent
    others = Area.objects.filter(path__startswith=district.path, kind=AreaKind.STREET)
    if home_street is not None:
        others = others.exclude(pk=home_street.pk)
    streets = [home_street] if home_street is not None else []
    return [*streets, *others.order_by("sort_key", "name", "pk")[: STREETS - len(streets)]]


def _found(organizer: User, area: Area, name: str, size: int, founded: datetime.date) -> Committee:
    founders = founding_list(organizer, area, limit=size)
    data = actions.CommitteeData(
        name=name, area=area, parent=actions.nearest_parent(area), founded_on=founded
    )
    return actions.do_start_committee(
        organizer, data, founders, coordinator=founders[0] if founders else None
    )


def _hold_meetings(organizer: User, committee: Committee, rng: random.Random, today: datetime.date) -> None:
    """A meeting two weeks ago with everything recorded, and a monthly series from next week."""
    members = [m.person for m in committee.memberships.select_related("person").order_by("pk")]
    past = actions.do_schedule_meetings(
        organizer,
        committee,
        actions.MeetingData(
            f"{committee.name} meeting",
            _evening(today - datetime.timedelta(days=14)),
            location="Lobby",
            agenda=AGENDA,
        ),
    )[0]
    present = [p for p in members if rng.random() < 0.75] or members[:1]
    actions.do_record_attendance(organizer, past, present)
    actions.do_record_minutes(organizer, past, MINUTES.format(present=len(present)))
    for i, (text, days) in enumerate(DECISIONS):
        owner = members[i % len(members)] if members else None
        decision = actions.do_record_decision(
            organizer,
            committee,
            text,
            meeting=past,
            owner=owner,
            due_on=timezone.localdate(past.starts_at) + datetime.timedelta(days=days),
        )
        if i == 0:
            actions.do_set_decision_done(organizer, decision)
    actions.do_schedule_meetings(
        organizer,
        committee,
        actions.MeetingData(
            f"{committee.name} meeting",
            _evening(today + datetime.timedelta(days=7)),
            location="Lobby",
            recurrence="FREQ=MONTHLY;COUNT=4",
            agenda=AGENDA[:3],
        ),
    )


def _captain(person: Person | None) -> tuple[str, str, str, str]:
    """The captain login, linked to ``person`` (or to the person it has); idempotent like the others."""
    password = DEMO_PASSWORD.format(CAPTAIN)
    user = User.objects.filter(username=CAPTAIN).first() or User(username=CAPTAIN)
    user.role = UserRole.COORDINATOR
    user.email = f"{CAPTAIN}@example.org"
    user.is_active = True
    validate_password(password, user)
    user.set_password(password)
    user.person = person or user.person
    user.save()
    user.scope.clear()  # what the captain sees comes from coordinating the committee alone
    building = user.person.area if user.person is not None else None
    if building is not None and building.kind == AreaKind.UNIT and building.parent is not None:
        building = building.parent
    where = f"{building.name} (building), as its committee's coordinator" if building else "no one"
    return (CAPTAIN, password, str(UserRole.COORDINATOR), where)


def demo_committee_logins() -> list[tuple[str, str, str, str]]:
    """The committee logins to print beside the other demo logins (once the committees exist)."""
    user = User.objects.filter(username=CAPTAIN, person__isnull=False).first()
    return [_captain(None)] if user is not None else []


@transaction.atomic
def create_demo_committees(city: Area, *, seed: int = 1) -> DemoCommittees | None:
    """The demo committees, or None when the demo logins that place them are missing."""
    organizer = User.objects.filter(username="organizer").first()
    member = User.objects.filter(username="member").first()
    coordinator = User.objects.filter(username="coordinator").first()
    if organizer is None or member is None or coordinator is None:
        return None
    hood = coordinator.scope.filter(kind=AreaKind.NEIGHBORHOOD).first()
    member_building = member.scope.filter(kind=AreaKind.BUILDING).first()
    if hood is None or member_building is None:
        return None
    district = next((a for a in member_building.ancestors() if a.kind == AreaKind.ELECTION_DISTRICT), hood)
    rng = random.Random(seed)
    today = timezone.localdate()
    founded = today - datetime.timedelta(days=FOUNDED_DAYS_AGO)

    neighborhood = _found(organizer, hood, f"{hood.name} Neighborhood Committee", 10, founded)
    streets = [
        _found(organizer, street, f"{street.name.title()} Street Committee", 8, founded)
        for street in _pick_streets(district, member_building)
    ]
    buildings = [
        _found(organizer, building, f"{building.name.title()} Tenants Committee", 6, founded)
        for building in _pick_buildings(district, member_building)
    ]
    made = DemoCommittees(neighborhood, streets, buildings, captain=("", "", "", ""))
    made.by_area = {c.area_id: c for c in made.all if c.area_id is not None}
    # The neighborhood committee has a staff organizer beside its coordinator.
    founders = set(neighborhood.memberships.values_list("person_id", flat=True))
    staff = next((p for p in founding_list(organizer, hood, limit=40) if p.pk not in founders), None)
    if staff is not None:
        actions.do_add_member(organizer, neighborhood, staff, role=Role.ORGANIZER, joined_on=founded)
    for committee in made.all:
        _hold_meetings(organizer, committee, rng, today)
    # History: one founding member of the member's building left last month.
    home = buildings[0]
    plain = list(home.memberships.filter(role=Role.MEMBER).select_related("person").order_by("pk"))
    if len(plain) >= 2:
        actions.do_end_membership(organizer, plain[-1], today - datetime.timedelta(days=30))
        member.person = plain[0].person
        member.save(update_fields=["person"])
    captain = home.memberships.filter(role=Role.COORDINATOR).select_related("person").first()
    made.captain = _captain(captain.person if captain else None)
    return made
