"""Computing everyone's stage in the database, and keeping their spells and the queue in step.

``update_ladder()`` is the one entry point: the ``grassroots ladder update`` command, the "Update
now" button and any code that has just recorded Actions call it (with ``people=`` to recompute
only those). It is idempotent: a second run at the same moment finds nothing to change (each run
is logged as a LadderUpdate). The very first run records where everyone already stood: its spells
are marked ``initial`` and the funnel does not count them as moves.

The work is a handful of set-based statements whatever the number of people: one CASE over the
stages' rule subqueries gives each person's highest stage; per stage, one UPDATE closes the
spells of those who left it (moving up, or dropping when a windowed rule lapsed) and one SELECT
of the newcomers (the changes only) opens theirs.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.models import Role, User
from grassroots.ladder.defaults import MEETING_KINDS  # a committee's meeting, an event's sign-in
from grassroots.ladder.models import LadderUpdate, QueueItem, Rule, Spell, Stage
from grassroots.ladder.rules import stage_condition
from grassroots.people.models import Action, Person
from grassroots.places.models import Area

# Actions that are bookkeeping or our own reaching out, not a step the person took.
NOT_A_STEP = ("created", "merged", "door_knock", "event_reminder", "event_follow_up")
FIRST_MEETING_AFTER_DAYS = 10  # a first meeting this old with no next step goes in the queue...
FIRST_MEETING_WITHIN_DAYS = 60  # ...unless it is older than this: then it is history, not a lead
RECENT_DAYS = 14  # a move up is news when the person took a step this recently
CHUNK = 2000


@dataclass
class LadderReport:
    entered: int = 0  # new spells: people at a stage they were not at before
    moved_up: int = 0  # of those, the ones higher than before (joining the ladder counts)
    dropped: int = 0  # people who fell a stage or more, or off the ladder
    queued: int = 0

    def summary(self) -> str:
        return _("%(up)s people moved up and %(down)s dropped; %(queued)s follow-ups queued.") % {
            "up": self.moved_up,
            "down": self.dropped,
            "queued": self.queued,
        }


def ladder() -> list[tuple[Stage, list[Rule]]]:
    """The active stages, lowest first, each with its rules."""
    stages = Stage.objects.filter(active=True).prefetch_related("rules").order_by("position")
    return [(stage, list(stage.rules.all())) for stage in stages]


def ranked(
    people: QuerySet[Person],
    now: datetime.datetime,
    stages: list[tuple[Stage, list[Rule]]] | None = None,
) -> QuerySet[Any]:
    """``people`` with ``ladder_position``: the position of the highest stage they reach, or NULL.

    ``stages`` is the ladder to use (the saved one by default; the rule editor's preview passes
    one with unsaved changes)."""
    whens = []
    for stage, rules in reversed(stages if stages is not None else ladder()):
        condition = stage_condition(stage, rules, now)
        if condition is not None:
            whens.append(When(condition, then=Value(stage.position)))
    if not whens:
        return people.annotate(ladder_position=Value(None, output_field=IntegerField()))
    return people.annotate(ladder_position=Case(*whens, default=None, output_field=IntegerField()))


def _people(people: Iterable[Person] | QuerySet[Person] | None) -> QuerySet[Person]:
    everyone = Person.objects.filter(merged_into__isnull=True)
    if people is None:
        return everyone
    if isinstance(people, QuerySet):
        return everyone.filter(pk__in=people.values("pk"))
    return everyone.filter(pk__in=[p.pk for p in people])


@transaction.atomic
def update_ladder(
    *, now: datetime.datetime | None = None, people: Iterable[Person] | QuerySet[Person] | None = None
) -> LadderReport:
    """Recompute the stage of everyone (or of ``people``), keep their spells, refresh the queue."""
    now = now or timezone.now()
    report = LadderReport()
    initial = not LadderUpdate.objects.exists()
    base = _people(people)
    stages = ladder()
    scored = ranked(base, now, stages)
    open_spells = Spell.objects.filter(left_at__isnull=True)
    if people is not None:
        open_spells = open_spells.filter(person__in=base.values("pk"))
    held = Stage.objects.filter(pk__in=open_spells.values("stage_id")).order_by("position")
    for stage in held:
        higher = scored.filter(ladder_position__gt=stage.position).values("pk")
        here = scored.filter(ladder_position=stage.position).values("pk")
        mine = open_spells.filter(stage=stage)
        mine.filter(person__in=higher).update(left_at=now, left_going=Spell.Going.UP)
        report.dropped += mine.exclude(person__in=here).update(left_at=now, left_going=Spell.Going.DOWN)
    just_left = Spell.objects.filter(person=OuterRef("pk"), left_at=now).order_by("-entered_at")
    positions = dict(Stage.objects.values_list("pk", "position"))
    for stage, _rules in stages:
        newcomers = (
            scored.filter(ladder_position=stage.position)
            .exclude(pk__in=Spell.objects.filter(left_at__isnull=True).values("person_id"))
            .annotate(came_from=Subquery(just_left.values("stage_id")[:1]))
            .values_list("pk", "came_from")
        )
        # Read all of this stage's newcomers before writing any: a cursor still open on a query
        # of the table being written may see the new rows (SQLite).
        arrivals = [
            Spell(person_id=person_id, stage=stage, came_from_id=came_from, entered_at=now, initial=initial)
            for person_id, came_from in newcomers
        ]
        Spell.objects.bulk_create(arrivals, batch_size=CHUNK)
        report.entered += len(arrivals)
        report.moved_up += sum(
            s.came_from_id is None or positions[s.came_from_id] < stage.position for s in arrivals
        )
    report.queued = refresh_queue(now=now, people=base)
    LadderUpdate.objects.create(
        at=now,
        everyone=people is None,
        entered=report.entered,
        moved_up=report.moved_up,
        dropped=report.dropped,
        queued=report.queued,
    )
    return report


# --- the follow-up queue -----------------------------------------------------------------------


class _Assigner:
    """The organizer nearest each area by scope: a user of an organizing role whose scope holds it,
    the deepest scope first. Remembered per area for one run."""

    def __init__(self) -> None:
        self.by_area: dict[int, User | None] = {}

    def __call__(self, area: Area) -> User | None:
        if area.pk not in self.by_area:
            self.by_area[area.pk] = (
                User.objects.filter(
                    is_active=True,
                    role__in=[Role.ORGANIZER, Role.COORDINATOR],
                    scope__path__in=[*area.ancestor_paths(), area.path],
                )
                .annotate(nearest=Max("scope__depth"))
                .order_by("-nearest", "pk")
                .first()
            )
        return self.by_area[area.pk]


def _queue(items: list[QueueItem]) -> int:
    """Save new items, each once: a key already queued (a rerun, a race) is skipped."""
    known = set(QueueItem.objects.filter(key__in=[i.key for i in items]).values_list("key", flat=True))
    fresh = [i for i in items if i.key not in known]
    QueueItem.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


def refresh_queue(*, now: datetime.datetime | None = None, people: QuerySet[Person] | None = None) -> int:
    """Queue what organizers owe people (see ladder.models.QueueItem); returns how many were added."""
    from grassroots.canvass.models import FollowUp

    now = now or timezone.now()
    people = people if people is not None else Person.objects.filter(merged_into__isnull=True)
    assign = _Assigner()
    items: list[QueueItem] = []

    doors = (
        FollowUp.objects.filter(done_at__isnull=True, person__in=people.values("pk"))
        .exclude(pk__in=QueueItem.objects.filter(follow_up__isnull=False).values("follow_up_id"))
        .select_related("person__area")
    )
    items += [
        QueueItem(
            key=f"door:{f.pk}",
            person=f.person,
            kind=QueueItem.Kind.DOOR,
            reason=f.reason[:300],
            follow_up=f,
            assignee=assign(f.person.area),
            created_at=f.created_at,
        )
        for f in doors.iterator(chunk_size=CHUNK)
    ]

    first = Action.objects.filter(person=OuterRef("pk"), kind__in=MEETING_KINDS).order_by("occurred_at")
    later_step = Action.objects.filter(
        person=OuterRef("pk"), occurred_at__gt=OuterRef("first_meeting"), occurred_at__lte=now
    ).exclude(kind__in=NOT_A_STEP)
    newcomers = (
        people.annotate(first_meeting=Subquery(first.values("occurred_at")[:1]))
        .filter(
            first_meeting__lte=now - datetime.timedelta(days=FIRST_MEETING_AFTER_DAYS),
            first_meeting__gt=now - datetime.timedelta(days=FIRST_MEETING_WITHIN_DAYS),
        )
        .exclude(Exists(later_step))
        .exclude(pk__in=QueueItem.objects.filter(kind=QueueItem.Kind.FIRST_MEETING).values("person_id"))
        .select_related("area")
    )
    for person in newcomers.iterator(chunk_size=CHUNK):
        days = (now - person.first_meeting).days
        items.append(
            QueueItem(
                key=f"first_meeting:{person.pk}",
                person=person,
                kind=QueueItem.Kind.FIRST_MEETING,
                reason=_("Came to a first meeting %(days)s days ago, no next step since") % {"days": days},
                assignee=assign(person.area),
                created_at=now,
            )
        )

    recent_step = Action.objects.filter(
        person=OuterRef("person_id"),
        occurred_at__gt=now - datetime.timedelta(days=RECENT_DAYS),
        occurred_at__lte=now,
    ).exclude(kind__in=NOT_A_STEP)
    moves = (
        Spell.objects.filter(
            entered_at=now, stage__follow_up=True, person__in=people.values("pk"), left_at__isnull=True
        )
        .filter(Q(came_from__isnull=True) | Q(came_from__position__lt=F("stage__position")))
        .filter(Exists(recent_step))
        .select_related("person__area", "stage", "came_from")
    )
    for spell in moves.iterator(chunk_size=CHUNK):
        reason = (
            _("Moved up from %(old)s to %(new)s") % {"old": spell.came_from.name, "new": spell.stage.name}
            if spell.came_from
            else _("Reached %(new)s") % {"new": spell.stage.name}
        )
        items.append(
            QueueItem(
                key=f"stage:{spell.pk}",
                person=spell.person,
                kind=QueueItem.Kind.MOVED_UP,
                reason=reason,
                spell=spell,
                assignee=assign(spell.person.area),
                created_at=now,
            )
        )
    _reassign_unseen(people, assign)
    return _queue(items)


def _reassign_unseen(people: QuerySet[Person], assign: _Assigner) -> int:
    """Give open follow-ups whose organizer no longer sees the person (the person moved away, the
    organizer's scope changed or their login was closed) to the nearest organizer of where the person
    lives now: in the old organizer's queue they are hidden, and nobody else would take them."""
    from grassroots.accounts.access import people_visible_to

    assigned = QueueItem.objects.filter(
        done_at__isnull=True, assignee__isnull=False, person__in=people.values("pk")
    )
    lost: list[QueueItem] = []
    for organizer in User.objects.filter(pk__in=assigned.values("assignee_id")):
        theirs = assigned.filter(assignee=organizer)
        if organizer.can_edit_people:
            theirs = theirs.exclude(person__in=people_visible_to(organizer).values("pk"))
        lost += theirs.select_related("person__area")
    for item in lost:
        item.assignee = assign(item.person.area)
    QueueItem.objects.bulk_update(lost, ["assignee"], batch_size=CHUNK)
    return len(lost)


def stage_of(person: Person) -> Spell | None:
    """The person's current spell (their stage), or None."""
    return Spell.objects.filter(person=person, left_at__isnull=True).select_related("stage").first()
