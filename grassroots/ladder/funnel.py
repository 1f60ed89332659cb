"""The funnel: how many people stand at each stage, area by area, and how many moved up or dropped.

Read from the stored spells (what ``update_ladder`` last computed), never recomputed here, and
only over the people the user may see: a coordinator sees the funnel of their neighborhood.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from grassroots.ladder.access import spells_visible_to
from grassroots.ladder.models import Spell, Stage
from grassroots.places.models import Area
from grassroots.places.rollup import roll_up

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

PERIODS = {"week": TruncWeek, "month": TruncMonth}


@dataclass
class AreaRow:
    area: Area
    counts: list[int]  # per stage, in the ladder's order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Period:
    start: datetime.date
    up: int
    dropped: int


def open_spells(user: AnyUser, within: Area | None = None) -> QuerySet[Spell]:
    spells = spells_visible_to(user).filter(left_at__isnull=True)
    if within is not None:
        spells = spells.filter(person__area__path__startswith=within.path)
    return spells


def stage_totals(user: AnyUser, stages: list[Stage], within: Area | None = None) -> list[int]:
    """How many people stand at each stage, in one grouped query."""
    counts = dict(open_spells(user, within).values_list("stage_id").annotate(n=Count("pk")).order_by())
    return [counts.get(stage.pk, 0) for stage in stages]


def by_area(
    user: AnyUser, stages: list[Stage], areas: list[Area], within: Area | None = None
) -> list[AreaRow]:
    """Per area (people counted in the nearest of ``areas`` holding their home), per stage."""
    grouped = (
        open_spells(user, within)
        .values_list("stage_id", "person__area__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_stage: dict[int, dict[str, int]] = defaultdict(dict)
    for stage_id, path, n in grouped:
        per_stage[stage_id][path] = n
    rolled = {stage.pk: roll_up(per_stage.get(stage.pk, {}), areas) for stage in stages}
    return [AreaRow(area, [rolled[stage.pk].get(area.pk, 0) for stage in stages]) for area in areas]


def _period_starts(period: str, count: int, now: datetime.datetime) -> list[datetime.date]:
    today = timezone.localdate(now)
    if period == "week":
        monday = today - datetime.timedelta(days=today.weekday())
        return [monday - datetime.timedelta(weeks=i) for i in range(count - 1, -1, -1)]
    starts = []
    year, month = today.year, today.month
    for _ in range(count):
        starts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def _as_date(value: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def movement(
    user: AnyUser,
    within: Area | None = None,
    period: str = "week",
    count: int = 12,
    now: datetime.datetime | None = None,
) -> list[Period]:
    """Per week or month, the last ``count`` of them: moves up (joining the ladder counts, but not the
    first update's record of where everyone stood) and drops (to a lower stage or off the ladder),
    among the people the user may see."""
    now = now or timezone.now()
    trunc = PERIODS[period]
    starts = _period_starts(period, count, now)
    since = timezone.make_aware(datetime.datetime.combine(starts[0], datetime.time()))
    spells = spells_visible_to(user)
    if within is not None:
        spells = spells.filter(person__area__path__startswith=within.path)
    up = (
        spells.filter(entered_at__gte=since, entered_at__lte=now, initial=False)
        .filter(Q(came_from__isnull=True) | Q(came_from__position__lt=F("stage__position")))
        .annotate(p=trunc("entered_at"))
        .values_list("p")
        .annotate(n=Count("pk"))
        .order_by()
    )
    down = (
        spells.filter(left_at__gte=since, left_at__lte=now, left_going=Spell.Going.DOWN)
        .annotate(p=trunc("left_at"))
        .values_list("p")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ups: dict[datetime.date, int] = defaultdict(int)
    downs: dict[datetime.date, int] = defaultdict(int)
    for moment, n in up:
        ups[_as_date(moment)] += n
    for moment, n in down:
        downs[_as_date(moment)] += n
    return [Period(start, ups.get(start, 0), downs.get(start, 0)) for start in starts]
