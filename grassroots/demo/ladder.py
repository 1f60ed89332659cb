"""The demo city's ladder: people at every stage, moves over two months, education and follow-ups.

``create_demo_ladder(city)`` works in the demo coordinator's neighborhood. It records what
organizers would have recorded over the last eight weeks — door talks (some through the demo
canvasser's phone, leaving follow-ups), sign-ups, volunteering, led shifts, memberships, and two
meetings long enough ago that some volunteers lapse back to supporters — and updates the ladder
once a week along the way, so the funnel shows moves up and drops week by week; the queue is
worked (marked done) up to two weeks ago. A curriculum
with four sessions has two reading groups and people's progress, and completing three of its
sessions is added to the Member stage as a rule. The last update fills the follow-up queue.

Everything goes through the apps' own actions (people, ladder, canvass sync), as the demo organizer.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.canvass.models import Turf
from grassroots.canvass.sync import apply_visits
from grassroots.ladder import actions
from grassroots.ladder.defaults import seed_default_ladder
from grassroots.ladder.engine import update_ladder
from grassroots.ladder.models import QueueItem, Spell, Stage
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person
from grassroots.places.models import Area, AreaKind

WEEKS = 8
# (action kind, details, how many people): the deeds that move people up the ladder.
DEEDS: list[tuple[str, dict[str, object], int]] = [
    ("door_knock", {"result": "contact", "answers": {"support": 2}}, 60),
    ("door_knock", {"result": "contact", "answers": {"support": 5}}, 40),
    ("signup", {}, 20),
    ("volunteered", {}, 14),
    ("membership_signup", {}, 8),
]
LEADERS = 3  # led two canvass shifts each: organizers
LAPSING = 6  # came to two meetings seven and nine weeks ago: volunteers who drop back
CURRICULUM = (
    "Housing is a right",
    "Why rents rise, who decides, and how tenants have won before.",
    [
        ("Who owns the city", "Engels, The Housing Question, part 1\nA map of the neighborhood's landlords"),
        ("Rent, land and speculation", "Madden & Marcuse, In Defense of Housing, ch. 1–2"),
        (
            "Tenants who won",
            "The 1904 rent strikes on the Lower East Side\nThe Co-op City rent strike, 1975–76",
        ),
        ("Building a tenants' union", "Organizing manual: the building committee\nOur union's constitution"),
    ],
)


@dataclass
class DemoLadder:
    people: int
    stages: dict[str, int]
    queued: int

    def summary(self) -> str:
        stages = ", ".join(f"{n} {name.lower()}" for name, n in self.stages.items())
        return f"Put {self.people:,} people on the ladder ({stages}); {self.queued} follow-ups queued."


def _moment(now: datetime.datetime, rng: random.Random, weeks: float) -> datetime.datetime:
    return now - datetime.timedelta(days=rng.uniform(0, weeks * 7))


def _door_talks(canvasser: User, now: datetime.datetime) -> None:
    """Six talks at the demo canvasser's doors, sent as the phone sends them: people who want to get
    involved, whom the script leaves to an organizer as follow-ups."""
    turf = Turf.objects.filter(canvassers=canvasser).order_by("number").first()
    if turf is None:
        return
    doors = turf.doors.select_related("household").order_by("position")[:12]
    visits: list[dict[str, object]] = []
    for i, door in enumerate(doors):
        person = door.household.members.filter(merged_into__isnull=True).order_by("pk").first()
        if person is None or len(visits) >= 6:
            continue
        visits.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-ladder-visit-{door.pk}")),
                "turf": str(turf.public_id),
                "household": str(door.household.public_id),
                "person": str(person.public_id),
                "result": "contact",
                "answers": {"support": 5, "meeting": True, "involved": True},
                "visited_at": (now - datetime.timedelta(days=2 + i)).isoformat(),
            }
        )
    apply_visits(canvasser, visits)


def _education(organizer: User, hood: Area, people: list[Person], now: datetime.datetime) -> None:
    title, description, sessions = CURRICULUM
    curriculum = actions.do_create_curriculum(organizer, title, description)
    made = [actions.do_add_session(organizer, curriculum, name, readings) for name, readings in sessions]
    for week, session in enumerate(made[:3]):
        starts = (now - datetime.timedelta(weeks=6 - 2 * week)).replace(
            hour=19, minute=0, second=0, microsecond=0
        )
        group = actions.do_create_reading_group(
            organizer, session, starts, location="Public library, community room", area=hood
        )
        came = people[: 12 - 3 * week]
        actions.do_record_progress(organizer, session, came[: len(came) - 2], completed=True, group=group)
        actions.do_record_progress(organizer, session, came[len(came) - 2 :], group=group)
    upcoming = (now + datetime.timedelta(days=9)).replace(hour=19, minute=0, second=0, microsecond=0)
    actions.do_create_reading_group(
        organizer, made[3], upcoming, location="Public library, community room", area=hood
    )
    member = Stage.objects.filter(name="Member").first()
    if member is not None:
        params = {"curriculum": str(curriculum.public_id), "count": 3, "window_days": 0}
        actions.do_save_rule(organizer, member, None, "curriculum", params)


def create_demo_ladder(city: Area, *, seed: int = 1) -> DemoLadder | None:
    """The demo's ladder (see the module's docstring), or None without the demo logins."""
    organizer = User.objects.filter(username="organizer").first()
    coordinator = User.objects.filter(username="coordinator").first()
    canvasser = User.objects.filter(username="canvasser").first()
    if organizer is None or coordinator is None or canvasser is None:
        return None
    hood = coordinator.scope.filter(kind=AreaKind.NEIGHBORHOOD).first() or city
    seed_default_ladder()  # ``demo --fresh`` empties every table, the migration's stages too
    rng = random.Random(seed)
    now = timezone.now()
    start = now - datetime.timedelta(weeks=WEEKS)
    update_ladder(now=start)  # where everyone stood before: voters, committee members

    residents = list(
        Person.objects.filter(
            merged_into__isnull=True, area__path__startswith=hood.path, memberships__isnull=True
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:2000]
    )
    rng.shuffle(residents)
    by_pk = Person.objects.in_bulk(residents)
    chosen = iter(by_pk[pk] for pk in residents)
    deeds: list[tuple[datetime.datetime, Person, str, dict[str, object]]] = []
    for kind, details, count in DEEDS:
        for _ in range(count):
            person = next(chosen, None)
            if person is not None:
                deeds.append((_moment(now, rng, WEEKS), person, kind, details))
    for _ in range(LEADERS):
        person = next(chosen, None)
        if person is not None:
            deeds += [(_moment(now, rng, WEEKS), person, "shift_led", {}) for _ in range(2)]
    lapsing = [p for p in (next(chosen, None) for _ in range(LAPSING)) if p is not None]
    for person in lapsing:
        deeds += [(now - datetime.timedelta(weeks=w), person, "meeting_attended", {}) for w in (9, 7)]
    learners = [p for p in (next(chosen, None) for _ in range(12)) if p is not None]

    # Record the deeds week by week, updating the ladder at the end of each week as an organizer would.
    deeds.sort(key=lambda deed: deed[0])
    for week in range(1, WEEKS + 1):
        until = start + datetime.timedelta(weeks=week)
        while deeds and deeds[0][0] <= until:
            moment, person, kind, details = deeds.pop(0)
            do_record_action(
                organizer, person, kind, occurred_at=moment, source="demo", details=dict(details)
            )
        if week == WEEKS - 2:
            _education(organizer, hood, learners, now)
        update_ladder(now=min(until, now))
    # The organizers have worked the queue up to two weeks ago; what is newer waits for them.
    actions.do_clear_queue(
        organizer, QueueItem.objects.filter(created_at__lt=now - datetime.timedelta(weeks=2))
    )
    _door_talks(canvasser, now)
    update_ladder()

    stages = {
        stage.name: Spell.objects.filter(stage=stage, left_at__isnull=True).count()
        for stage in Stage.objects.filter(active=True).order_by("position")
    }
    return DemoLadder(
        people=sum(stages.values()),
        stages=stages,
        queued=QueueItem.objects.filter(done_at__isnull=True).count(),
    )
