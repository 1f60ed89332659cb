"""Targets: areas ranked by a score the organizer composes and can read.

Each area gets parts between 0 and 1, each shown beside the score:

* support — the share of the chosen candidate in the chosen contest (how friendly the ground is);
* turnout gap — one minus turnout in that contest, where registration is known (who stayed home);
* not contacted — people in the area with no door knock, call or canvass yet, against the area
  with the most of them (how much work is waiting);
* no committee — 1 where no committee works in the area or anywhere inside it yet, 0 where one does
  (where to start one next).

The score is the weighted mean of the parts, with the organizer's weights; a part that is unknown
for an area (no voter file, so no turnout) counts as 0 and is shown as unknown. Areas are the
user's own: those in their scope, through the access gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from grassroots.accounts import access
from grassroots.people.models import Action
from grassroots.places.models import Area
from grassroots.places.rollup import count_by_area
from grassroots.results import analysis
from grassroots.results.models import Candidate, Contest

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

# Actions that mean someone from the organization has spoken with the person.
CONTACT_KINDS = ("door_knock", "call", "canvass", "text", "visit")


@dataclass(frozen=True)
class Weights:
    support: float = 1.0
    turnout_gap: float = 1.0
    not_contacted: float = 1.0
    no_committee: float = 0.0

    @property
    def total(self) -> float:
        return self.support + self.turnout_gap + self.not_contacted + self.no_committee


@dataclass
class Target:
    area: Area
    support: float | None
    turnout_gap: float | None
    not_contacted: int
    not_contacted_part: float
    committees: int = 0  # active committees working in the area or inside it
    score: float = 0.0
    rank: int = 0
    parts: dict[str, float] = field(default_factory=dict)  # each part times its weight, over the weights


def not_contacted_by_area(user: AnyUser, areas: list[Area]) -> dict[int, int]:
    """People inside each area (within the user's scope) whom no one has contacted yet."""
    contacted = Action.objects.filter(kind__in=CONTACT_KINDS).values("person_id")
    return count_by_area(access.people_visible_to(user).exclude(pk__in=contacted), areas)


def committees_by_area(areas: list[Area]) -> dict[int, int]:
    """Active committees whose area is each of ``areas`` or inside it."""
    from grassroots.committees.models import active_committees

    paths = list(active_committees().filter(area__isnull=False).values_list("area__path", flat=True))
    return {area.pk: sum(1 for p in paths if p.startswith(area.path)) for area in areas}


def rank_targets(
    user: AnyUser,
    contest: Contest,
    candidate: Candidate,
    *,
    kind: str,
    weights: Weights,
    within: Area | None = None,
) -> list[Target]:
    """The user's areas of ``kind`` (inside ``within`` if given), best target first."""
    areas_qs = access.areas_in_scope(user).filter(kind=kind)
    if within is not None:
        areas_qs = areas_qs.filter(path__startswith=within.path)
    areas = list(areas_qs.order_by("name"))
    results = {r.area.pk: r for r in analysis.rollup(contest, areas) if r.area is not None}
    turnout = {t.area.pk: t for t in analysis.turnout(contest, areas, user=user)}
    waiting = not_contacted_by_area(user, areas)
    most = max(waiting.values(), default=0) or 1
    committees = committees_by_area(areas)
    targets = []
    for area in areas:
        result = results.get(area.pk)
        support = result.share_of(candidate) if result is not None and result.total else None
        rate = turnout[area.pk].rate if area.pk in turnout else None
        gap = max(0.0, 1.0 - rate) if rate is not None else None
        count = waiting.get(area.pk, 0)
        target = Target(area, support, gap, count, count / most, committees=committees.get(area.pk, 0))
        total = weights.total or 1.0
        target.parts = {
            "support": weights.support * (support or 0.0) / total,
            "turnout_gap": weights.turnout_gap * (gap or 0.0) / total,
            "not_contacted": weights.not_contacted * target.not_contacted_part / total,
            "no_committee": weights.no_committee * (0.0 if target.committees else 1.0) / total,
        }
        target.score = sum(target.parts.values())
        targets.append(target)
    targets.sort(key=lambda t: (-t.score, t.area.name))
    for rank, target in enumerate(targets, start=1):
        target.rank = rank
    return targets
