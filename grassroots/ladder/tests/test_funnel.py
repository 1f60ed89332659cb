"""The funnel against a hand count: generated people, each one's stage worked out here, rule by rule."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from grassroots.committees.models import Committee, Membership
from grassroots.fixtures import SmallCity
from grassroots.ladder import funnel
from grassroots.ladder.engine import update_ladder
from grassroots.ladder.models import Stage
from grassroots.people.models import Action, Person
from grassroots.places.models import Area
from grassroots.testing import make_person
from grassroots.voters.models import VoterRecord

pytestmark = pytest.mark.django_db

PEOPLE = 80
# What a generated person may have done: (kind, details), dated at random over the last 200 days.
DEEDS: list[tuple[str, dict[str, Any]]] = [
    ("door_knock", {"result": "not_home"}),
    ("door_knock", {"result": "contact", "answers": {"support": 2}}),
    ("door_knock", {"result": "contact", "answers": {"support": 5}}),
    ("door_knock", {"result": "contact", "answers": {"involved": True}}),
    ("signup", {}),
    ("meeting_attended", {}),
    ("meeting_attended", {}),
    ("event_attended", {}),
    ("volunteered", {}),
    ("shift_led", {}),
    ("membership_signup", {}),
]


@dataclass
class Facts:
    """Everything the default ladder reads about one generated person, kept beside the database."""

    person: Person
    deeds: list[tuple[str, dict[str, Any], datetime.datetime]] = field(default_factory=list)
    on_roll: bool | None = None  # None: no voter record
    role: str | None = None  # their committee role, if any

    def stage(self, now: datetime.datetime) -> str | None:
        """The default ladder by hand: the highest rung whose condition holds at ``now``."""
        done = [(k, d, at) for k, d, at in self.deeds if at <= now]

        def count(kinds: set[str], days: int | None = None) -> int:
            return sum(
                1
                for k, _, at in done
                if k in kinds and (days is None or at > now - datetime.timedelta(days=days))
            )

        answers = [d.get("answers", {}) for _, d, _ in done]
        if self.role in {"coordinator", "organizer"} or count({"shift_led"}, 180) >= 2:
            return "Organizer"
        if self.role is not None:
            return "Committee member"
        if count({"membership", "membership_signup", "dues_paid"}):
            return "Member"
        if (
            count({"volunteered", "shift_led", "project_signup"}, 180)
            or count({"meeting_attended", "attended", "event_attended"}, 60) >= 2
        ):
            return "Volunteer"
        if (
            any(a.get("support", 0) >= 4 or a.get("involved") is True for a in answers)
            or count({"signup", "rsvp", "petition", "attended", "meeting_attended", "donation", "event_rsvp",
                      "event_attended", "petition_signed", "form_submitted"})
        ):  # fmt: skip
            return "Supporter"
        if any(k == "door_knock" and d.get("result") == "contact" for k, d, _ in done):
            return "Contacted"
        if self.on_roll:
            return "Voter"
        return None


def generate(city: SmallCity, now: datetime.datetime, seed: int = 7) -> list[Facts]:
    rng = random.Random(seed)
    homes = [city.building1, city.building2, city.ed1, city.ed2]
    committee = Committee.objects.create(name="Testville tenants", area=city.city)
    people = []
    for i in range(PEOPLE):
        facts = Facts(make_person(f"Gen{i}", "Person", area=rng.choice(homes)))
        for kind, details in rng.sample(DEEDS, rng.randint(0, 4)):
            at = now - datetime.timedelta(days=rng.uniform(0, 200))
            facts.deeds.append((kind, details, at))
            Action.objects.create(person=facts.person, kind=kind, occurred_at=at, details=details)
        if rng.random() < 0.6:
            facts.on_roll = rng.random() < 0.85
            VoterRecord.objects.create(
                state="NY", voter_id=f"G{i}", layout="ny", first_name=f"Gen{i}", last_name="Person",
                area=facts.person.area, person=facts.person, row_hash="x", on_roll=facts.on_roll,
            )  # fmt: skip
        if rng.random() < 0.12:
            facts.role = rng.choice(["member", "member", "coordinator"])
            Membership.objects.create(
                committee=committee, person=facts.person, role=facts.role,
                joined_on=timezone.localdate(now) - datetime.timedelta(days=30),
            )  # fmt: skip
        people.append(facts)
    return people


def week_of(moment: datetime.datetime) -> datetime.date:
    day = timezone.localdate(moment)
    return day - datetime.timedelta(days=day.weekday())


def neighborhood_of(person: Person, city: SmallCity) -> Area:
    return city.north if person.area.path.startswith(city.north.path) else city.south


def test_the_funnel_matches_a_hand_count_by_area_and_by_scope(small_city: SmallCity) -> None:
    c = small_city
    now = timezone.now()
    people = generate(c, now)
    update_ladder(now=now)
    stages = list(Stage.objects.filter(active=True).order_by("position"))
    names = [s.name for s in stages]
    expected: Counter[tuple[str, str]] = Counter()
    for facts in people:
        stage = facts.stage(now)
        if stage is not None:
            expected[(neighborhood_of(facts.person, c).name, stage)] += 1
    # Ana and Bo of the fixture: a door knock with no one home is nothing; Bo signed up.
    expected[("South", "Supporter")] += 1
    assert len({stage for _, stage in expected}) >= 6  # the generated city spreads over the ladder

    rows = funnel.by_area(c.organizer, stages, [c.north, c.south])
    got = {(r.area.name, name): n for r in rows for name, n in zip(names, r.counts, strict=True) if n}
    assert got == dict(expected)
    totals = funnel.stage_totals(c.organizer, stages)
    assert totals == [sum(n for (_, s), n in expected.items() if s == name) for name in names]

    # The coordinator of the north sees the north's numbers, and nothing of the south.
    north_only = [
        sum(n for (area, s), n in expected.items() if s == name and area == "North") for name in names
    ]
    assert funnel.stage_totals(c.coordinator, stages) == north_only
    rows = funnel.by_area(c.coordinator, stages, [c.north, c.south])
    assert [r.counts for r in rows] == [north_only, [0] * len(names)]
    assert funnel.stage_totals(c.outsider, stages) == [0] * len(names)
    # The same numbers, inside an area chosen on the page.
    assert funnel.stage_totals(c.organizer, stages, within=c.north) == north_only


def test_moves_up_and_drops_per_week_match_a_hand_count(small_city: SmallCity) -> None:
    c = small_city
    now = timezone.now()
    earlier = now - datetime.timedelta(days=21)
    people = generate(c, now, seed=11)
    # Every eighth person came to two meetings 70 and 45 days ago: a volunteer three weeks ago
    # (both inside 60 days then), not now.
    for facts in people[::8]:
        for days in (70, 45):
            at = now - datetime.timedelta(days=days)
            facts.deeds.append(("meeting_attended", {}, at))
            Action.objects.create(person=facts.person, kind="meeting_attended", occurred_at=at)
    update_ladder(now=earlier)
    update_ladder(now=now)
    order = {s.name: s.position for s in Stage.objects.all()}
    down_now = up_now = 0
    for facts in people:
        before, after = facts.stage(earlier), facts.stage(now)
        if after is not None and (before is None or order[after] > order[before]):
            up_now += 1
        if before is not None and (after is None or order[after] < order[before]):
            down_now += 1
    up_now += 1  # Bo: the fixture's sign-up is dated after ``earlier``, so he joins in the second update
    assert up_now > 1 and down_now  # the generated moves go both ways

    weeks = funnel.movement(c.organizer, count=5, now=now)
    by_week = {p.start: (p.up, p.dropped) for p in weeks}
    # The first update recorded where everyone stood three weeks ago: no moves that week.
    assert by_week[week_of(earlier)] == (0, 0)
    assert by_week[week_of(now)] == (up_now, down_now)
    assert sum(p.up for p in weeks) == up_now
    months = funnel.movement(c.organizer, period="month", count=3, now=now)
    assert sum(p.up for p in months) == up_now and sum(p.dropped for p in months) == down_now
    # The coordinator's weeks count the north's people only.
    north = [f for f in people if neighborhood_of(f.person, c) == c.north]
    north_up = 0
    for facts in north:
        before, after = facts.stage(earlier), facts.stage(now)
        north_up += after is not None and (before is None or order[after] > order[before])
    coordinator_weeks = {p.start: p.up for p in funnel.movement(c.coordinator, count=5, now=now)}
    assert coordinator_weeks[week_of(now)] == north_up
