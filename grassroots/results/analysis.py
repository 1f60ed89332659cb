"""Reading results: a contest's totals, each area's votes, shares and margin, rollups up the
area tree, turnout, and swing between two contests.

Every function is a plain function over the database that returns dataclasses, built with a
few aggregate queries whatever the number of areas: vote rows are summed in the database,
grouped by area, or by the prefix of the areas' materialized paths for rollups ("all the
election districts under this neighborhood" is ``path LIKE 'neighborhood path%'``).

Results are public aggregates, not personal data, and need no user. Registration counts come
from voter records, so ``turnout`` takes the user and counts voters through the access gate.

Shares are fractions (0 to 1) of all the votes cast in the contest in the area, write-ins
included; margins and swings are in percentage points. Write-ins counted together
("Scattered") count in totals and shares but are never ranked first or second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

from grassroots.accounts.access import area_in_scope, voters_visible_to
from grassroots.places.models import PATH_SEGMENT, Area
from grassroots.results.importer import natural_key
from grassroots.results.models import BALLOTS_CAST, AreaVotes, BallotCount, Candidate, Contest

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

# A choice of votes within a contest: one candidate, several, or a party (in a general election
# the votes on that ballot line; in a primary the candidates of that party).
Choice = Candidate | Sequence[Candidate] | str
PATH_CHUNK = 1000


@dataclass(frozen=True)
class CandidateVotes:
    candidate: Candidate
    votes: int
    share: float  # of all votes in the area or contest, 0 to 1 (0 when no votes were cast)


@dataclass(frozen=True)
class ContestTotals:
    """A contest over the whole file: votes per candidate, and how much of it was placed in areas."""

    contest: Contest
    candidates: list[CandidateVotes]  # most votes first, write-ins last
    total: int
    placed: int  # votes of rows whose area key matched an area
    not_placed: int  # votes of the "not placed" bucket: placed + not_placed == total
    areas_placed: int  # areas with votes or ballot counts in the contest
    not_placed_keys: list[str]  # the area keys no area has, in reading order


@dataclass(frozen=True)
class AreaResult:
    """One area's result in a contest, or one not-placed area key's (``area`` None).

    ``first`` and ``second`` are the top two candidates (write-ins aside), or the pair asked
    for, in its order; ``margin`` is first's votes minus second's (negative when a chosen pair's
    first trails), ``margin_points`` the same in percentage points of the area's votes.
    """

    area: Area | None
    area_key: str
    candidates: list[CandidateVotes]  # most votes first, write-ins last
    total: int
    first: CandidateVotes | None
    second: CandidateVotes | None
    margin: int
    margin_points: float

    def votes_for(self, candidate: Candidate) -> int:
        return next((c.votes for c in self.candidates if c.candidate.pk == candidate.pk), 0)

    def share_of(self, candidate: Candidate) -> float:
        return next((c.share for c in self.candidates if c.candidate.pk == candidate.pk), 0.0)


@dataclass(frozen=True)
class Turnout:
    """Ballots cast in an area and, where voter records say so, the registered voters there."""

    area: Area
    ballots: int
    ballots_counted: bool  # True: the ballot counts of the file; False: the sum of votes stands in
    votes: int  # votes cast in the contest in the area
    registered: int | None  # voters on the roll, None when unknown or outside the user's scope
    rate: float | None  # ballots / registered, 0 to 1 (can pass 1 when the roll is out of date)


@dataclass(frozen=True)
class SwingRow:
    area: Area | None  # None for a not-placed area key, and for the overall row
    area_key: str
    votes_a: int  # votes of the choice in contest A
    total_a: int  # all votes in contest A
    votes_b: int
    total_b: int
    share_a: float  # 0 to 1
    share_b: float
    swing: float  # share_b - share_a, in percentage points


@dataclass(frozen=True)
class Swing:
    """The change of a choice's share from contest A to contest B, area by area."""

    contest_a: Contest
    contest_b: Contest
    rows: list[SwingRow]  # areas with votes in both contests
    overall: SwingRow  # the same over all those areas together
    only_in_a: list[str] = field(default_factory=list)  # area keys (or codes) with votes in A only
    only_in_b: list[str] = field(default_factory=list)


# --- totals and areas ----------------------------------------------------------------------


def contest_totals(contest: Contest) -> ContestTotals:
    """The contest's votes per candidate over every area, placed or not."""
    candidates = _candidates(contest)
    rows = (
        AreaVotes.objects.filter(contest=contest)
        .values_list("candidate_id")
        .annotate(n=Sum("votes"), n_placed=Sum("votes", filter=Q(area__isnull=False)))
        .order_by()
    )
    votes: dict[int, int] = {}
    placed = 0
    for candidate_id, candidate_votes, candidate_placed in rows:
        votes[candidate_id] = candidate_votes or 0
        placed += candidate_placed or 0
    total = sum(votes.values())
    placed_areas = set(
        AreaVotes.objects.filter(contest=contest, area__isnull=False)
        .values_list("area_id", flat=True)
        .distinct()
    ) | set(
        BallotCount.objects.filter(contest=contest, area__isnull=False)
        .values_list("area_id", flat=True)
        .distinct()
    )
    not_placed_keys = set(
        AreaVotes.objects.filter(contest=contest, area__isnull=True)
        .values_list("area_key", flat=True)
        .distinct()
    ) | set(
        BallotCount.objects.filter(contest=contest, area__isnull=True)
        .values_list("area_key", flat=True)
        .distinct()
    )
    return ContestTotals(
        contest=contest,
        candidates=_ranked(candidates, votes, total),
        total=total,
        placed=placed,
        not_placed=total - placed,
        areas_placed=len(placed_areas),
        not_placed_keys=sorted(not_placed_keys, key=natural_key),
    )


def area_results(
    contest: Contest,
    *,
    pair: tuple[Candidate, Candidate] | None = None,
    within: Area | None = None,
    include_not_placed: bool = True,
) -> list[AreaResult]:
    """Each area's votes, shares and margin in the contest, as the file placed them (election
    districts, usually), ordered by area key; the not-placed keys last, with ``area`` None.

    ``within`` keeps the areas inside that area (and leaves out the not-placed keys).
    """
    candidates = _candidates(contest)
    rows = AreaVotes.objects.filter(contest=contest)
    if within is not None:
        rows = rows.filter(area__path__startswith=within.path)
    elif not include_not_placed:
        rows = rows.filter(area__isnull=False)
    sums: dict[tuple[int | None, str], dict[int, int]] = defaultdict(dict)
    keys: dict[int, str] = {}
    grouped = rows.values_list("area_id", "area_key", "candidate_id").annotate(n=Sum("votes")).order_by()
    for area_id, area_key, candidate_id, votes in grouped:
        # An area is one row however many keys of the file led to it.
        slot = sums[(area_id, "") if area_id is not None else (None, area_key)]
        slot[candidate_id] = slot.get(candidate_id, 0) + votes
        if area_id is not None:
            keys.setdefault(area_id, area_key)
    areas = Area.objects.in_bulk([area_id for area_id, _ in sums if area_id is not None])
    results = [
        _result(
            areas[area_id] if area_id is not None else None,
            key or keys[area_id or 0],
            candidates,
            votes,
            pair,
        )
        for (area_id, key), votes in sums.items()
    ]
    results.sort(key=lambda r: (r.area is None, natural_key(r.area.code if r.area else r.area_key)))
    return results


def rollup(
    contest: Contest, areas: Iterable[Area], *, pair: tuple[Candidate, Candidate] | None = None
) -> list[AreaResult]:
    """For each of ``areas`` (any kinds, any depths), the votes of every row placed inside it,
    summed up the tree by materialized path; in the order given. One query per depth."""
    wanted = list(areas)
    candidates = _candidates(contest)
    sums: dict[str, dict[int, int]] = defaultdict(dict)
    rows = AreaVotes.objects.filter(contest=contest, area__isnull=False)
    for prefix, candidate_id, votes in _by_prefix(
        rows, "area__path", wanted, ["candidate_id"], n=Sum("votes")
    ):
        sums[prefix][candidate_id] = votes
    return [_result(area, area.code, candidates, sums.get(area.path, {}), pair) for area in wanted]


def rollup_children(
    contest: Contest, parent: Area | None = None, *, pair: tuple[Candidate, Candidate] | None = None
) -> list[AreaResult]:
    """The contest in each child of ``parent`` (the top-level areas when None), summed over
    everything inside each: a city's neighborhoods, a neighborhood's election districts."""
    children = Area.objects.filter(parent=parent) if parent is not None else Area.objects.filter(parent=None)
    return rollup(contest, children, pair=pair)


def contests_in_area(area: Area) -> QuerySet[Contest]:
    """The contests with votes placed inside ``area``, newest election first."""
    inside = AreaVotes.objects.filter(area__path__startswith=area.path).values("contest_id")
    return (
        Contest.objects.filter(pk__in=inside)
        .select_related("election")
        .order_by("-election__date", "office", "district", "party")
    )


# --- turnout --------------------------------------------------------------------------------


def turnout(
    contest: Contest, areas: Iterable[Area], *, user: AnyUser, registered_party: str | None = None
) -> list[Turnout]:
    """Ballots cast and registered voters in each of ``areas`` (summed over everything inside).

    Ballots are the contest's ballot counts (a primary's files give them per contest), else the
    election's in the area (a general election's files), else the sum of the contest's votes.
    Registered voters are the voter records on the roll inside the area — of ``registered_party``
    (a voter-file party code such as "DEM") when given, as for a closed primary — counted only for
    areas wholly inside the user's scope and only where voter records exist: None otherwise.
    """
    wanted = list(areas)
    counted = dict(
        _by_prefix(
            BallotCount.objects.filter(contest=contest, kind__in=BALLOTS_CAST, area__isnull=False),
            "area__path",
            wanted,
            [],
            n=Sum("count"),
        )
    )
    election_wide = dict(
        _by_prefix(
            BallotCount.objects.filter(
                election_id=contest.election_id,
                contest__isnull=True,
                kind__in=BALLOTS_CAST,
                area__isnull=False,
            ),
            "area__path",
            wanted,
            [],
            n=Sum("count"),
        )
    )
    votes = dict(
        _by_prefix(
            AreaVotes.objects.filter(contest=contest, area__isnull=False),
            "area__path",
            wanted,
            [],
            n=Sum("votes"),
        )
    )
    visible = [area for area in wanted if area_in_scope(user, area)]
    voters = voters_visible_to(user).filter(on_roll=True)
    if registered_party:
        voters = voters.filter(party=registered_party)
    registered = dict(_by_prefix(voters, "area__path", visible, [], n=Count("pk")))
    results = []
    for area in wanted:
        area_votes = votes.get(area.path, 0)
        ballots = counted.get(area.path, election_wide.get(area.path))
        roll = registered.get(area.path) or None
        shown = ballots if ballots is not None else area_votes
        results.append(
            Turnout(
                area=area,
                ballots=shown,
                ballots_counted=ballots is not None,
                votes=area_votes,
                registered=roll,
                rate=shown / roll if roll else None,
            )
        )
    return results


# --- swing ----------------------------------------------------------------------------------


def swing(
    contest_a: Contest,
    choice_a: Choice,
    contest_b: Contest,
    choice_b: Choice,
    *,
    areas: Iterable[Area] | None = None,
) -> Swing:
    """How the share of ``choice_a`` in contest A compares with ``choice_b``'s in contest B, area
    by area: e.g. a candidate's share in a presidential primary against a congressional
    candidate's four years later, over the same election districts.

    Areas are those the results were placed in (and not-placed keys, matched by key), or,
    with ``areas``, those areas with everything inside each summed. Only areas with votes in
    both contests get a row; the others are listed in ``only_in_a`` / ``only_in_b``.
    """
    wanted = list(areas) if areas is not None else None
    a = _choice_sums(contest_a, choice_a, wanted)
    b = _choice_sums(contest_b, choice_b, wanted)
    labels = {**a.labels, **b.labels}
    rows = []
    for key in a.sums.keys() & b.sums.keys():
        area = a.areas.get(key) or b.areas.get(key)
        rows.append(_swing_row(area, labels[key], a.sums[key], b.sums[key]))
    rows.sort(key=lambda r: (r.area is None, natural_key(r.area_key)))
    overall = _swing_row(
        None,
        "",
        (sum(r.votes_a for r in rows), sum(r.total_a for r in rows)),
        (sum(r.votes_b for r in rows), sum(r.total_b for r in rows)),
    )
    return Swing(
        contest_a=contest_a,
        contest_b=contest_b,
        rows=rows,
        overall=overall,
        only_in_a=sorted((labels[k] for k in a.sums.keys() - b.sums.keys()), key=natural_key),
        only_in_b=sorted((labels[k] for k in b.sums.keys() - a.sums.keys()), key=natural_key),
    )


# --- helpers --------------------------------------------------------------------------------


def _candidates(contest: Contest) -> dict[int, Candidate]:
    return {c.pk: c for c in Candidate.objects.filter(contest=contest)}


def _ranked(candidates: dict[int, Candidate], votes: dict[int, int], total: int) -> list[CandidateVotes]:
    ranked = [
        CandidateVotes(candidate, votes.get(pk, 0), votes.get(pk, 0) / total if total else 0.0)
        for pk, candidate in candidates.items()
    ]
    ranked.sort(key=lambda c: (c.candidate.is_write_ins, -c.votes, c.candidate.name))
    return ranked


def _result(
    area: Area | None,
    area_key: str,
    candidates: dict[int, Candidate],
    votes: dict[int, int],
    pair: tuple[Candidate, Candidate] | None,
) -> AreaResult:
    total = sum(votes.values())
    ranked = _ranked(candidates, votes, total)
    if pair is not None:
        by_pk = {c.candidate.pk: c for c in ranked}
        first, second = by_pk.get(pair[0].pk), by_pk.get(pair[1].pk)
    else:
        named = [c for c in ranked if not c.candidate.is_write_ins]
        first = named[0] if named else None
        second = named[1] if len(named) > 1 else None
    margin = (first.votes if first else 0) - (second.votes if second else 0)
    return AreaResult(
        area=area,
        area_key=area_key,
        candidates=ranked,
        total=total,
        first=first,
        second=second,
        margin=margin,
        margin_points=100 * margin / total if total else 0.0,
    )


def _by_prefix(
    queryset: QuerySet[Any], path_field: str, areas: Sequence[Area], group: list[str], **aggregate: Any
) -> list[tuple[Any, ...]]:
    """``queryset``'s rows grouped by which of ``areas`` they lie in (through ``path_field``) and
    by ``group``: tuples (area path, *group values, aggregate), one query per depth of the areas.

    Path segments have a fixed width, so the area at depth d holding a row is the first
    (d + 1) * (PATH_SEGMENT + 1) characters of the row's area path.
    """
    found: list[tuple[Any, ...]] = []
    by_depth: dict[int, list[str]] = defaultdict(list)
    for area in areas:
        by_depth[area.depth].append(area.path)
    for depth, paths in by_depth.items():
        width = (depth + 1) * (PATH_SEGMENT + 1)
        for start in range(0, len(paths), PATH_CHUNK):
            chunk = paths[start : start + PATH_CHUNK]
            rows = (
                queryset.annotate(_prefix=Substr(path_field, 1, width))
                .filter(_prefix__in=chunk)
                .values_list("_prefix", *group)
                .annotate(**aggregate)
                .order_by()
            )
            found.extend(rows)
    return found


@dataclass
class _ChoiceSums:
    sums: dict[tuple[Any, ...], tuple[int, int]]  # area -> (votes of the choice, all votes)
    areas: dict[tuple[Any, ...], Area]
    labels: dict[tuple[Any, ...], str]


def _choice_filter(choice: Choice) -> Q:
    if isinstance(choice, Candidate):
        return Q(candidate=choice)
    if isinstance(choice, str):
        return Q(ballot_line=choice) | Q(ballot_line="", candidate__party=choice)
    return Q(candidate__in=list(choice))


def _choice_sums(contest: Contest, choice: Choice, areas: list[Area] | None) -> _ChoiceSums:
    chosen = _choice_filter(choice)
    rows = AreaVotes.objects.filter(contest=contest)
    aggregate = {"chosen": Sum("votes", filter=chosen), "total": Sum("votes")}
    result = _ChoiceSums({}, {}, {})
    if areas is not None:
        by_path = {area.path: area for area in areas}
        for prefix, votes, total in _by_prefix(
            rows.filter(area__isnull=False), "area__path", areas, [], **aggregate
        ):
            area = by_path[prefix]
            result.sums[("area", area.pk)] = (votes or 0, total or 0)
            result.areas[("area", area.pk)] = area
            result.labels[("area", area.pk)] = area.code or area.name
        return _drop_empty(result)
    placed: dict[int, str] = {}
    for area_id, area_key, votes, total in (
        rows.values_list("area_id", "area_key").annotate(**aggregate).order_by()
    ):
        key: tuple[Any, ...] = ("area", area_id) if area_id is not None else (None, area_key)
        before = result.sums.get(key, (0, 0))
        result.sums[key] = (before[0] + (votes or 0), before[1] + (total or 0))
        if area_id is not None:
            placed.setdefault(area_id, area_key)
        else:
            result.labels[key] = area_key
    for area in Area.objects.filter(pk__in=placed):
        result.areas[("area", area.pk)] = area
        result.labels[("area", area.pk)] = area.code or placed[area.pk]
    return _drop_empty(result)


def _drop_empty(result: _ChoiceSums) -> _ChoiceSums:
    """Areas where no vote was cast have no share to compare."""
    result.sums = {k: v for k, v in result.sums.items() if v[1] > 0}
    return result


def _swing_row(area: Area | None, label: str, a: tuple[int, int], b: tuple[int, int]) -> SwingRow:
    share_a = a[0] / a[1] if a[1] else 0.0
    share_b = b[0] / b[1] if b[1] else 0.0
    return SwingRow(
        area=area,
        area_key=label,
        votes_a=a[0],
        total_a=a[1],
        votes_b=b[0],
        total_b=b[1],
        share_a=share_a,
        share_b=share_b,
        swing=100 * (share_b - share_a),
    )
