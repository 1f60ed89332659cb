"""Walk lists: the order in which a canvasser knocks the doors of a turf.

Plain data in and out, no database. The order is one a person can follow on the street:

* a street is walked one side at a time, house numbers in order (up the odd side and back
  down the even side, or across the street and back where that is shorter);
* the doors of one address (an apartment building, a two-family house) come together, by
  floor and then by unit, whichever way the street is being walked;
* the pieces of street between them are visited in an order that keeps the walk short.

A *run* is a stretch of one side of one street with no long gap in it (a gap is usually a
cross street). Inside a run the order is fixed up to its direction, so the problem is a tour
over runs, each run walked one way or the other: an open travelling-salesman path on
oriented runs. It is small (a turf of fifty doors has a dozen or two runs), so we build it
from every nearest-neighbour start, improve each with 2-opt and Or-opt moves that may turn
runs around, choose the best directions for the final sequence exactly by dynamic
programming, and keep the shortest. Every step is deterministic.

Distances are straight lines between door positions, in metres.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

M_PER_DEG_LAT = 111_045.0
M_PER_DEG_LON_EQUATOR = 111_320.0

# Where two doors that follow each other on a side of a street stand farther apart than this,
# the side is cut into two runs the tour may visit separately: in a city grid, a cross street.
DEFAULT_SPLIT_GAP = 45.0
# What crossing a busy street between its two sides costs the tour, on top of the walk.
DEFAULT_CROSSING_PENALTY = 150.0
# The search: how many nearest run ends Or-opt tries to put a segment next to, how many
# nearest-neighbour tours it starts from at most, and what counts as an improvement (metres).
NEIGHBOURS = 8
MAX_STARTS = 12
EPSILON = 1e-7

Point = tuple[float, float]


@dataclass(frozen=True)
class Door:
    """One door to knock.

    ``x``/``y`` are metres east and north of any origin, or longitude/latitude when the
    route is asked for with ``lonlat=True``. ``side`` is 1 for the odd side and 0 for the even
    side; left as None it follows the house number. Doors with the same ``building`` (or,
    without one, the same street and number) are one address, visited together.
    """

    id: str | int
    x: float
    y: float
    street: str
    number: int
    side: int | None = None
    building: str | int | None = None
    floor: int | None = None
    unit: str | None = None

    @property
    def parity(self) -> int:
        return self.side if self.side is not None else self.number % 2


@dataclass(frozen=True)
class Segment:
    """A stretch of the route along one side of one street, as a walk list prints it."""

    street: str
    side: int
    first_number: int
    last_number: int
    doors: int


@dataclass(frozen=True)
class Route:
    doors: list[Door]
    metres: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class _Run:
    street: str
    side: int
    stops: list[list[Door]]  # each stop the doors of one address, in knocking order
    points: list[Point]  # where each stop stands, in metres


def order_doors(
    doors: Iterable[Door],
    *,
    start: Point | None = None,
    lonlat: bool = False,
    split_gap: float = DEFAULT_SPLIT_GAP,
    major_streets: Collection[str] = (),
    crossing_penalty: float = DEFAULT_CROSSING_PENALTY,
) -> Route:
    """Order ``doors`` into a walking route and measure it.

    The route is open: it ends at its last door. With ``start`` (in the doors' coordinates) it
    begins there and the walk to the first door counts; without it, it begins at the first door.
    Crossing straight between the two sides of a street named in ``major_streets`` costs the
    search ``crossing_penalty`` metres more, so it goes round the block instead unless that
    is much longer; the metres returned are the walk alone.
    """
    doors = sorted(doors, key=_door_key)
    if not doors:
        return Route(doors=[], metres=0.0)
    to_metres = _projection(doors, lonlat)
    start_m = to_metres(*start) if start is not None else None
    runs = _runs(doors, to_metres, split_gap)
    tour = _best_tour(runs, start_m, frozenset(major_streets), crossing_penalty)

    ordered: list[Door] = []
    segments: list[Segment] = []
    for v in tour:
        run = runs[v >> 1]
        stops = run.stops if v & 1 == 0 else run.stops[::-1]
        for stop in stops:
            ordered.extend(stop)
        segments.append(
            Segment(
                street=run.street,
                side=run.side,
                first_number=stops[0][0].number,
                last_number=stops[-1][0].number,
                doors=sum(len(stop) for stop in stops),
            )
        )
    return Route(doors=ordered, metres=route_metres(ordered, start=start, lonlat=lonlat), segments=segments)


def route_metres(doors: Sequence[Door], *, start: Point | None = None, lonlat: bool = False) -> float:
    """How far a canvasser walks to knock ``doors`` in this order (from ``start`` if given)."""
    if not doors:
        return 0.0
    to_metres = _projection(doors, lonlat)
    points = [to_metres(d.x, d.y) for d in doors]
    if start is not None:
        points.insert(0, to_metres(*start))
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))


def _natural(text: str | None) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts "2B" before "10A" and "9" before "10"."""
    if not text:
        return ()
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.upper()) for part in re.findall(r"\d+|\D+", text)
    )


def _door_key(door: Door) -> tuple[object, ...]:
    """A total order on doors, so that the route does not depend on the order they came in."""
    return (
        door.street,
        door.parity,
        door.number,
        str(door.building) if door.building is not None else "",
        door.floor if door.floor is not None else -1,
        _natural(door.unit),
        str(door.id),
    )


def _projection(doors: Sequence[Door], lonlat: bool) -> _Projection:
    if not lonlat:
        return _Projection(1.0, 1.0, 0.0, 0.0)
    lat = sum(d.y for d in doors) / len(doors)
    lon = sum(d.x for d in doors) / len(doors)
    return _Projection(M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)), M_PER_DEG_LAT, lon, lat)


@dataclass(frozen=True)
class _Projection:
    """Local metres from longitude/latitude (equirectangular: good to a few metres over a turf)."""

    sx: float
    sy: float
    x0: float
    y0: float

    def __call__(self, x: float, y: float) -> Point:
        return ((x - self.x0) * self.sx, (y - self.y0) * self.sy)


def _runs(doors: list[Door], to_metres: _Projection, split_gap: float) -> list[_Run]:
    """Group sorted doors into addresses, the addresses into sides of streets, the sides into runs."""
    stops: dict[tuple[object, ...], list[Door]] = {}
    for door in doors:
        address = ("b", str(door.building)) if door.building is not None else ("a", door.street, door.number)
        stops.setdefault(address, []).append(door)

    sides: dict[tuple[str, int], list[list[Door]]] = {}
    for stop in stops.values():
        # Inside an address: up the floors, then the units along each floor.
        stop.sort(key=lambda d: (d.floor if d.floor is not None else -1, _natural(d.unit), str(d.id)))
        first = min(stop, key=_door_key)
        sides.setdefault((first.street, first.parity), []).append(stop)

    runs: list[_Run] = []
    for (street, side), side_stops in sorted(sides.items()):
        side_stops.sort(key=lambda stop: min(_door_key(d) for d in stop))
        points = [_centre(stop, to_metres) for stop in side_stops]
        begin = 0
        for i in range(1, len(side_stops) + 1):
            if (
                i == len(side_stops)
                or side_stops[i - 1][0].number // 100 != side_stops[i][0].number // 100
                or math.dist(points[i - 1], points[i]) > split_gap
            ):
                runs.append(_Run(street, side, side_stops[begin:i], points[begin:i]))
                begin = i
    return runs


def _centre(stop: list[Door], to_metres: _Projection) -> Point:
    xs, ys = zip(*(to_metres(d.x, d.y) for d in stop), strict=True)
    return (sum(xs) / len(xs), sum(ys) / len(ys))


# The tour. Run r has two ends: 2r is its first stop (lowest number), 2r + 1 its last. An
# oriented run v = 2r + o is entered at end v and left at end v ^ 1, so turning it around is
# v ^ 1, and going from v to w costs cost[v ^ 1][w]. A depot, the last "run", stands for where
# the canvasser starts and ends: leaving it costs the walk from ``start`` (or nothing), coming
# back to it costs nothing, which makes the closed tour an open path.


def _best_tour(
    runs: list[_Run],
    start: Point | None,
    major_streets: frozenset[str],
    crossing_penalty: float,
) -> list[int]:
    n = len(runs)
    ends = [p for run in runs for p in (run.points[0], run.points[-1])]
    cost = [[math.dist(a, b) for b in ends] + [0.0, 0.0] for a in ends]
    for r, a in enumerate(runs):
        if a.street not in major_streets:
            continue
        for s, b in enumerate(runs):
            if b.street == a.street and b.side != a.side:
                for i in (2 * r, 2 * r + 1):
                    for j in (2 * s, 2 * s + 1):
                        cost[i][j] += crossing_penalty
    depot_in, depot_out = 2 * n, 2 * n + 1
    leave = [math.dist(start, p) if start is not None else 0.0 for p in ends]
    cost.append([0.0] * (2 * n + 2))  # row depot_in: reached by coming back
    cost.append([*leave, 0.0, 0.0])  # row depot_out: left from the start
    for i in range(2 * n):
        cost[i][depot_out] = leave[i]
    # The depot is entered at depot_out ^ 1 == depot_in, i.e. cost[v ^ 1][depot_in] == 0 for any v,
    # and left from depot_out, i.e. cost[depot_out][w] == the walk from the start to w.
    depot = depot_in  # oriented so that it is left at depot_out

    near = [
        sorted((w for w in range(2 * n) if w >> 1 != v >> 1), key=lambda w: (cost[v][w], w))[:NEIGHBOURS]
        for v in range(2 * n)
    ]
    best: list[int] | None = None
    best_length = math.inf
    for first in _starts(ends):
        tour = _nearest_neighbour(cost, n, depot, first)
        _improve(cost, tour, near)
        length = _length(cost, tour)
        if length < best_length - 1e-9:
            best, best_length = tour, length
    assert best is not None
    return best[1:]


def _starts(ends: list[Point]) -> list[int]:
    """The run ends to begin the nearest-neighbour tours at: all of them, or those farthest out."""
    if len(ends) <= MAX_STARTS:
        return list(range(len(ends)))
    cx = sum(x for x, _ in ends) / len(ends)
    cy = sum(y for _, y in ends) / len(ends)
    return sorted(range(len(ends)), key=lambda v: (-math.dist(ends[v], (cx, cy)), v))[:MAX_STARTS]


def _nearest_neighbour(cost: list[list[float]], n: int, depot: int, first: int) -> list[int]:
    tour = [depot, first]
    left = set(range(n)) - {first >> 1}
    while left:
        here = cost[tour[-1] ^ 1]
        v = min((2 * r + o for r in left for o in (0, 1)), key=lambda w: (here[w], w))
        tour.append(v)
        left.discard(v >> 1)
    return tour


def _length(cost: list[list[float]], tour: list[int]) -> float:
    return sum(cost[tour[i - 1] ^ 1][tour[i]] for i in range(len(tour)))


def _improve(cost: list[list[float]], tour: list[int], near: list[list[int]]) -> None:
    """2-opt and Or-opt to a local optimum, then the best directions, until nothing improves."""
    while True:
        while _two_opt(cost, tour) | _or_opt(cost, tour, near):
            pass
        if not _orient(cost, tour):
            return


def _two_opt(cost: list[list[float]], tour: list[int]) -> bool:
    """Reverse each segment tour[i..j] whose reversal (each run turned around) shortens the tour."""
    m = len(tour)
    improved = False
    for i in range(1, m):
        for j in range(i, m):
            a_out, b, c, d = tour[i - 1] ^ 1, tour[i], tour[j], tour[(j + 1) % m]
            if cost[a_out][c ^ 1] + cost[b][d] < cost[a_out][b] + cost[c ^ 1][d] - EPSILON:
                tour[i : j + 1] = [v ^ 1 for v in reversed(tour[i : j + 1])]
                improved = True
    return improved


def _or_opt(cost: list[list[float]], tour: list[int], near: list[list[int]]) -> bool:
    """Move segments of one to three runs, either way round, next to a run near one of their ends.

    Edge e of the tour joins tour[e] to tour[e + 1] (the last one back to the depot).
    """
    m = len(tour)
    improved = False
    position = {v >> 1: k for k, v in enumerate(tour)}
    i = 1
    while i < m:
        moved = False
        for length in (1, 2, 3):
            j = i + length - 1
            if j >= m:
                break
            prev, first, last, nxt = tour[i - 1], tour[i], tour[j], tour[(j + 1) % m]
            removed = cost[prev ^ 1][first] + cost[last ^ 1][nxt] - cost[prev ^ 1][nxt]
            if removed <= EPSILON:
                continue
            best_gain, best_edge, best_reversed = EPSILON, -1, False
            edges = {0, m - 1}
            for w in (*near[first], *near[last ^ 1]):
                k = position[w >> 1]
                edges.update((k - 1, k))
            for e in sorted(edges):
                if i - 1 <= e <= j:
                    continue  # an edge of the segment, or where it was taken out
                p_out, q = tour[e] ^ 1, tour[(e + 1) % m]
                base = cost[p_out][q]
                forward = removed - (cost[p_out][first] + cost[last ^ 1][q] - base)
                backward = removed - (cost[p_out][last ^ 1] + cost[first][q] - base)
                if forward > best_gain:
                    best_gain, best_edge, best_reversed = forward, e, False
                if backward > best_gain:
                    best_gain, best_edge, best_reversed = backward, e, True
            if best_edge < 0:
                continue
            segment = tour[i : j + 1]
            if best_reversed:
                segment = [v ^ 1 for v in reversed(segment)]
            after = tour[best_edge]
            rest = tour[:i] + tour[j + 1 :]
            at = rest.index(after) + 1
            tour[:] = rest[:at] + segment + rest[at:]
            position = {v >> 1: k for k, v in enumerate(tour)}
            improved = moved = True
            break
        if not moved:
            i += 1
    return improved


def _orient(cost: list[list[float]], tour: list[int]) -> bool:
    """Turn runs around so the sequence is walked as short as it can be (exact, by dynamic programming)."""
    m = len(tour)
    if m < 2:
        return False
    # best[o]: the shortest walk from the depot to the end of run tour[i] walked in direction o.
    best = [cost[tour[0] ^ 1][tour[1] & ~1 | o] for o in (0, 1)]
    back: list[tuple[int, int]] = []
    for i in range(2, m):
        prev_runs = (tour[i - 1] & ~1, tour[i - 1] | 1)
        step = []
        choice = []
        for o in (0, 1):
            v = tour[i] & ~1 | o
            options = [best[p] + cost[prev_runs[p] ^ 1][v] for p in (0, 1)]
            p = 0 if options[0] <= options[1] + 1e-9 else 1
            step.append(options[p])
            choice.append(p)
        best = step
        back.append((choice[0], choice[1]))
    last_runs = (tour[-1] & ~1, tour[-1] | 1)
    totals = [best[o] + cost[last_runs[o] ^ 1][tour[0]] for o in (0, 1)]
    o = 0 if totals[0] <= totals[1] + 1e-9 else 1
    if totals[o] >= _length(cost, tour) - EPSILON:
        return False
    for i in range(m - 1, 0, -1):
        tour[i] = tour[i] & ~1 | o
        if i >= 2:
            o = back[i - 2][o]
    return True
