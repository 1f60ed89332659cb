"""Cutting a canvass universe into turfs: pieces one canvasser can walk, of about the same size.

Plain data in, plain data out, no database: doors with a position in meters (``project``
turns longitude/latitude into meters), the building each belongs to, and the streets, some
of them arterials. A turf is compact, holds about ``target`` doors, never splits a building
and never crosses an arterial.

*Crossing an arterial*, precisely: the arterials' centerlines, closed by a box around the
whole universe, cut the plane into regions (the faces of their arrangement). A building lies
in the region that holds the mean position of its doors (the nearest region, should that
point fall exactly on a centerline), and each door in its building's region. A turf crosses
an arterial when its doors lie in more than one region. So doors facing each other across
an arterial are never in one turf, nor are doors of blocks with an arterial between them;
the two sides of a minor street may share a turf. Each arterial is carried on 60 m past its
ends, so one that stops just short of another or of the edge of the universe still closes its
region; one that ends without closing a region off (a dead end inside a district) separates
nothing: a canvasser walks around it.

How: buildings are atomic weighted points. Each region is cut into the number of parts that
brings the mean part closest to the target, by recursive bisection (each cut straight across
the longer side, between buildings, where the two sides get weights in proportion to their
parts), then a local pass moves buildings on the seams between neighboring parts: first to
bring sizes within bounds, then to the part whose center is nearer while they stay there.
A region smaller than the target stays one turf: regions are never merged across an arterial.
A building larger than the target is a turf of its own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import shapely

Key = str | int
M_PER_DEG_LAT = 111_045.0
M_PER_DEG_LON_AT_EQUATOR = 111_320.0

# How much a cut along a block's shorter side must gain in balance (in turfs) to be preferred:
# per unit of the log of the two sides' ratio.
SHAPE_WEIGHT = 0.25
REFINE_ROUNDS = 4
# An arterial's ends are carried on this far, so that one stopping just short of another, or of
# the edge of the universe, still closes its region.
REACH = 60.0


@dataclass(frozen=True, slots=True)
class Door:
    """One door to knock: a house, or an apartment of a building (``unit`` and ``floor``)."""

    id: Key
    x: float  # meters east of an origin
    y: float  # meters north of it
    building: Key
    street: Key = ""
    number: int = 0  # the house number
    unit: str = ""
    floor: int = 0


@dataclass(frozen=True, slots=True)
class Street:
    """A street's centerline, in the doors' meters; arterials bound the regions turfs keep to."""

    id: Key
    points: tuple[tuple[float, float], ...]
    arterial: bool = False


@dataclass(frozen=True)
class Turf:
    id: int
    region: int
    doors: tuple[Door, ...]

    @property
    def size(self) -> int:
        return len(self.doors)

    @property
    def buildings(self) -> frozenset[Key]:
        return frozenset(d.building for d in self.doors)

    @property
    def center(self) -> tuple[float, float]:
        return (
            sum(d.x for d in self.doors) / len(self.doors),
            sum(d.y for d in self.doors) / len(self.doors),
        )


def project(lon: float, lat: float, origin: tuple[float, float]) -> tuple[float, float]:
    """Meters east and north of ``origin`` (lon, lat): fine for the few kilometers of a city."""
    return (
        (lon - origin[0]) * M_PER_DEG_LON_AT_EQUATOR * math.cos(math.radians(origin[1])),
        (lat - origin[1]) * M_PER_DEG_LAT,
    )


def cut_turfs(
    doors: Sequence[Door], streets: Sequence[Street], target: int, *, tolerance: float = 0.2
) -> list[Turf]:
    """Cut the doors into turfs of about ``target`` doors, numbered from 1.

    Parts of a region are balanced around the region's own mean (as close to ``target`` as
    whole parts allow); the refinement keeps each part within ``tolerance`` of that mean when
    it can. Raises ValueError for no doors, a target below one, or a target above the doors.
    """
    check_target(len(doors), target)
    return _cut(doors, _regions_of(doors, streets), target, tolerance, used=set())


def move(turfs: Sequence[Turf], buildings: Collection[Key], to: int) -> list[Turf]:
    """Move every door of ``buildings`` into turf ``to`` (an organizer's hand edit); empty turfs go."""
    if to not in {t.id for t in turfs}:
        raise ValueError(f"There is no turf {to} to move buildings into.")
    wanted = set(buildings)
    moving = [d for t in turfs for d in t.doors if d.building in wanted]
    missing = wanted - {d.building for d in moving}
    if missing:
        raise ValueError(f"No turf holds building {sorted(map(str, missing))[0]}.")
    result = []
    for turf in turfs:
        doors = tuple(d for d in turf.doors if d.building not in wanted)
        if turf.id == to:
            doors += tuple(moving)
        if doors:
            result.append(Turf(turf.id, turf.region, doors))
    return result


def recut(
    turfs: Sequence[Turf],
    streets: Sequence[Street],
    target: int,
    *,
    fixed: Collection[int],
    tolerance: float = 0.2,
) -> list[Turf]:
    """Keep the ``fixed`` turfs as they are and cut the rest again, by the same rules.

    A fixed turf is the organizer's: it may hold what the cutter would not (a building from
    across an arterial). The other turfs of the regions that fixed turfs reach, and any turf
    that crosses an arterial, are cut again; turfs wholly inside untouched regions keep their
    doors and numbers. New turfs take the lowest free numbers. Raises ValueError when a fixed
    number names no turf, a door is in two turfs, or a building is split between a fixed turf
    and another.
    """
    ids = {t.id for t in turfs}
    unknown = set(fixed) - ids
    if unknown:
        raise ValueError(f"There is no turf {min(unknown)} to keep fixed.")
    doors = [d for t in turfs for d in t.doors]
    check_target(len(doors), target)
    seen: set[Key] = set()
    for door in doors:
        if door.id in seen:
            raise ValueError(f"Door {door.id} is in more than one turf.")
        seen.add(door.id)
    owner = {d.building: t.id for t in turfs if t.id in fixed for d in t.doors}
    for turf in turfs:
        if turf.id not in fixed:
            for door in turf.doors:
                if door.building in owner:
                    raise ValueError(
                        f"Building {door.building} is split between fixed turf {owner[door.building]} "
                        f"and turf {turf.id}: move the whole building."
                    )

    regions = dict(zip([d.id for d in doors], _regions_of(doors, streets), strict=True))
    touched = {regions[d.id] for t in turfs if t.id in fixed for d in t.doors}
    kept: list[Turf] = [t for t in turfs if t.id in fixed]
    loose: list[Door] = []
    for turf in turfs:
        if turf.id in fixed:
            continue
        inside = {regions[d.id] for d in turf.doors}
        if len(inside) == 1 and not inside & touched:
            kept.append(Turf(turf.id, inside.pop(), turf.doors))
        else:
            loose.extend(turf.doors)
    if loose:
        used = {t.id for t in kept}
        kept.extend(_cut(loose, np.array([regions[d.id] for d in loose]), target, tolerance, used=used))
    return sorted(kept, key=lambda t: t.id)


def check_target(doors: int, target: int) -> None:
    if doors == 0:
        raise ValueError("This universe has no doors, so there is nothing to cut into turfs.")
    if target < 1:
        raise ValueError(f"A turf must hold at least one door; the target was {target}.")
    if target > doors:
        raise ValueError(
            f"The target of {target} doors a turf is more than the {doors} doors of this universe: "
            f"choose a target of at most {doors}."
        )


def locate(xs: np.ndarray, ys: np.ndarray, streets: Sequence[Street]) -> np.ndarray:
    """The region of each point (see the module's docstring), numbered south-west first."""
    lines = [s.points for s in streets if s.arterial and len(s.points) >= 2]
    if not lines or len(xs) == 0:
        return np.zeros(len(xs), dtype=np.intp)
    corners = np.array([p for line in lines for p in line])
    x0, y0 = min(corners[:, 0].min(), xs.min()) - 10.0, min(corners[:, 1].min(), ys.min()) - 10.0
    x1, y1 = max(corners[:, 0].max(), xs.max()) + 10.0, max(corners[:, 1].max(), ys.max()) + 10.0
    arterials = [_reaching(line) for line in lines]
    frame = shapely.box(x0, y0, x1, y1)
    noded = shapely.union_all([*arterials, frame.boundary])
    faces = list(shapely.get_parts(shapely.polygonize(shapely.get_parts(noded))))
    anchors = [face.representative_point() for face in faces]
    faces = [faces[i] for i in sorted(range(len(faces)), key=lambda i: (anchors[i].y, anchors[i].x))]
    tree = shapely.STRtree(faces)
    points = shapely.points(xs, ys)
    which = np.full(len(xs), -1, dtype=np.intp)
    hit, face = tree.query(points, predicate="intersects")
    # On a shared edge a point touches two faces; the lower number wins, the same every time.
    order = np.lexsort((-face, hit))
    which[hit[order]] = face[order]
    lost = np.flatnonzero(which < 0)
    if len(lost):
        which[lost] = tree.query_nearest(points[lost], all_matches=False)[1]
    return which


def _reaching(points: Sequence[tuple[float, float]]) -> shapely.LineString:
    """A centerline carried on by ``REACH`` meters past both ends, in the direction of its last steps."""
    ends = []
    for (ax, ay), (bx, by) in ((points[1], points[0]), (points[-2], points[-1])):
        length = math.hypot(bx - ax, by - ay) or 1.0
        ends.append((bx + (bx - ax) / length * REACH, by + (by - ay) / length * REACH))
    return shapely.LineString([ends[0], *points, ends[1]])


def _regions_of(doors: Sequence[Door], streets: Sequence[Street]) -> np.ndarray:
    """The region of each door: its building's."""
    building, bx, by, _ = _buildings(doors)
    return locate(bx, by, streets)[building]


def _buildings(doors: Sequence[Door]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each door's building number, and each building's mean x, mean y and doors."""
    n = len(doors)
    index: dict[Key, int] = {}
    building = np.fromiter((index.setdefault(d.building, len(index)) for d in doors), np.intp, n)
    xs = np.fromiter((d.x for d in doors), float, n)
    ys = np.fromiter((d.y for d in doors), float, n)
    weight = np.bincount(building)
    return building, np.bincount(building, xs) / weight, np.bincount(building, ys) / weight, weight


def parts_for(weight: int, target: int) -> int:
    """How many turfs to cut ``weight`` doors into: the count whose mean is nearest the target."""
    if weight <= target:
        return 1
    fewer = weight // target
    more = fewer + 1
    return fewer if abs(weight / fewer - target) < abs(weight / more - target) else more


def _cut(
    doors: Sequence[Door], door_region: np.ndarray, target: int, tolerance: float, *, used: set[int]
) -> list[Turf]:
    building, bx, by, bw = _buildings(doors)
    nb = len(bw)
    # A building's region is its doors' (all the same when it came from ``_regions_of``).
    region = np.zeros(nb, dtype=np.intp)
    region[building] = door_region
    part = np.zeros(nb, dtype=np.intp)
    parts: list[tuple[int, int]] = []  # (region, label within it), in turf order
    a, b = _neighbors(bx, by)
    inside = region[a] == region[b]
    a, b = a[inside], b[inside]
    by_edge = np.argsort(region[a], kind="stable")
    a, b = a[by_edge], b[by_edge]
    edge_bounds = np.searchsorted(region[a], np.arange(int(region.max()) + 2))
    local = np.zeros(nb, dtype=np.intp)
    by_region = np.argsort(region, kind="stable")
    bounds = np.flatnonzero(np.diff(region[by_region])) + 1
    for members in np.split(by_region, bounds):
        r = int(region[members[0]])
        k = parts_for(int(bw[members].sum()), target)
        labels = _bisect(bx[members], by[members], bw[members], k)
        if k > 1:
            local[members] = np.arange(len(members))
            span = slice(edge_bounds[r], edge_bounds[r + 1])
            edges = (local[a[span]], local[b[span]])
            labels = _refine(bx[members], by[members], bw[members], labels, k, target, tolerance, edges)
        part[members] = labels
        parts.extend((r, label) for label in range(k))

    number: dict[tuple[int, int], int] = {}
    next_id = 1
    for key in parts:
        while next_id in used:
            next_id += 1
        number[key] = next_id
        next_id += 1
    groups: dict[int, list[Door]] = defaultdict(list)
    for door, b in zip(doors, building.tolist(), strict=True):
        groups[number[(int(region[b]), int(part[b]))]].append(door)
    regions = {number[key]: key[0] for key in parts}
    return [Turf(i, regions[i], tuple(groups[i])) for i in sorted(groups)]


def _bisect(x: np.ndarray, y: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Labels 0..k-1 for weighted points, by recursive bisection into parts of near-equal weight."""
    labels = np.zeros(len(w), dtype=np.intp)
    stack: list[tuple[np.ndarray, int, int]] = [(np.arange(len(w)), k, 0)]
    while stack:
        idx, k, first = stack.pop()
        if k == 1 or len(idx) < 2:
            labels[idx] = first
            continue
        left = k // 2
        cut = _best_cut(x[idx], y[idx], w[idx], left / k, float(w[idx].sum()) / k)
        stack.append((idx[cut[0]], left, first))
        stack.append((idx[cut[1]], k - left, first + left))
    return labels


def _best_cut(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, share: float, part: float
) -> tuple[np.ndarray, np.ndarray]:
    """Split points in two with ``share`` of the weight on the first side, by a straight cut."""
    spans = (float(np.ptp(x)), float(np.ptp(y)))
    longer = 0 if spans[0] >= spans[1] else 1
    best: tuple[float, np.ndarray, int] | None = None
    for axis, (primary, secondary) in enumerate(((x, y), (y, x))):
        order = np.lexsort((secondary, primary))
        cum = np.cumsum(w[order])
        goal = cum[-1] * share
        i = int(np.searchsorted(cum, goal))
        candidates = [c for c in (i - 1, i) if 0 <= c < len(order) - 1] or [0]
        c = min(candidates, key=lambda c: abs(cum[c] - goal))
        score = abs(float(cum[c]) - goal) / part
        if axis != longer:
            score += SHAPE_WEIGHT * math.log((spans[longer] + 1.0) / (spans[axis] + 1.0))
        if best is None or score < best[0]:
            best = (score, order, c)
    assert best is not None
    _, order, c = best
    return order[: c + 1], order[c + 1 :]


def _neighbors(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of neighboring points (both ways): the edges of their Delaunay triangulation.

    Points at one position are joined to the first point there; when the positions all lie on
    one line, each is joined to the next along it.
    """
    xy = np.column_stack([x, y])
    unique, first, inverse = np.unique(xy, axis=0, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    a_parts = [np.arange(len(x))]
    b_parts = [first[inverse]]
    if len(unique) > 1:
        edges = shapely.delaunay_triangles(shapely.multipoints(unique), only_edges=True)
        ends = shapely.get_coordinates(edges).reshape(-1, 2, 2)
        if len(ends):
            position = {(float(px), float(py)): i for i, (px, py) in enumerate(unique.tolist())}
            found = [
                (position.get((s[0][0], s[0][1]), -1), position.get((s[1][0], s[1][1]), -1))
                for s in ends.tolist()
            ]
            pairs = np.array([pair for pair in found if min(pair) >= 0], dtype=np.intp).reshape(-1, 2)
            a_parts.append(first[pairs[:, 0]])
            b_parts.append(first[pairs[:, 1]])
        else:
            order = np.lexsort((unique[:, 1], unique[:, 0]))
            a_parts.append(first[order[:-1]])
            b_parts.append(first[order[1:]])
    a, b = np.concatenate(a_parts), np.concatenate(b_parts)
    keep = a != b
    a, b = a[keep], b[keep]
    return np.concatenate([a, b]), np.concatenate([b, a])


def _refine(
    x: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    labels: np.ndarray,
    k: int,
    target: int,
    tolerance: float,
    edges: tuple[np.ndarray, np.ndarray],
) -> np.ndarray:
    """Move buildings across the seams between parts: first to bring every part's size within
    ``tolerance`` of the mean, then to the part whose center is nearer, within those bounds.

    A building only moves to a part it neighbors (shares a Delaunay edge with), so parts stay
    in one piece in all but rare cases.
    """
    labels = labels.copy()
    a, b = edges
    mean = float(w.sum()) / k
    # Within the tolerance of the region's mean and, where the mean allows, of the target.
    lo = min(mean, max(mean, target) * (1 - tolerance))
    hi = max(mean, min(mean, target) * (1 + tolerance))
    sizes = np.bincount(labels, w, minlength=k)

    def score() -> tuple[int, float]:
        return int(((sizes < lo) | (sizes > hi)).sum()), float(((sizes - mean) ** 2).sum())

    # Balance: the part furthest out of bounds gives a building on its seam to a smaller
    # neighbor, or takes one from a larger neighbor, as long as the sum of squared deviations
    # falls. When no such move is left, one building too big for that may move all the same (an
    # ejection, after which it stays put) for the receiver to pass houses on; the best sizes
    # seen are kept.
    best_score, best_labels, best_sizes = score(), labels.copy(), sizes.copy()
    locked = np.zeros(len(w), dtype=bool)
    stuck: set[int] = set()
    for _ in range(8 * k):
        deviation = np.maximum(sizes - hi, lo - sizes)
        deviation[list(stuck)] = -np.inf
        p = int(np.argmax(deviation))
        if deviation[p] <= 0:
            break
        if sizes[p] > hi:
            seam = (labels[a] == p) & (labels[b] != p)
            mover, receiver = a[seam], labels[b[seam]]
            giver = np.full(len(mover), p)
        else:
            seam = (labels[b] == p) & (labels[a] != p)
            mover, giver = a[seam], labels[a[seam]]
            receiver = np.full(len(mover), p)
        free = ~locked[mover] & (sizes[giver] > w[mover])
        mover, giver, receiver = mover[free], giver[free], receiver[free]
        fits = w[mover] < sizes[giver] - sizes[receiver]
        if fits.any():
            mover, giver, receiver = mover[fits], giver[fits], receiver[fits]
        elif len(mover) == 0:
            stuck.add(p)
            continue
        after = (sizes[giver] - w[mover] - mean) ** 2 + (sizes[receiver] + w[mover] - mean) ** 2
        cx = np.bincount(labels, w * x, minlength=k) / np.maximum(sizes, 1)
        cy = np.bincount(labels, w * y, minlength=k) / np.maximum(sizes, 1)
        cost = (x[mover] - cx[receiver]) ** 2 + (y[mover] - cy[receiver]) ** 2
        cost -= (x[mover] - cx[giver]) ** 2 + (y[mover] - cy[giver]) ** 2
        pick = int(np.lexsort((cost, np.round(after)))[0])
        m, g, r = int(mover[pick]), int(giver[pick]), int(receiver[pick])
        labels[m] = r
        sizes[g] -= w[m]
        sizes[r] += w[m]
        if not fits.any():
            locked[m] = True
        stuck.clear()
        now = score()
        if now < best_score:
            best_score, best_labels, best_sizes = now, labels.copy(), sizes.copy()
    labels, sizes = best_labels, best_sizes

    # Compactness: move seam buildings to the nearer center when both parts stay in bounds.
    for _ in range(REFINE_ROUNDS):
        cx = np.bincount(labels, w * x, minlength=k) / np.maximum(sizes, 1)
        cy = np.bincount(labels, w * y, minlength=k) / np.maximum(sizes, 1)
        seam = labels[a] != labels[b]
        mover, giver, receiver = a[seam], labels[a[seam]], labels[b[seam]]
        gain = (x[mover] - cx[giver]) ** 2 + (y[mover] - cy[giver]) ** 2
        gain -= (x[mover] - cx[receiver]) ** 2 + (y[mover] - cy[receiver]) ** 2
        better = gain > 0
        moved = 0
        for i in np.argsort(-gain[better]).tolist():
            m, g, r = int(mover[better][i]), int(giver[better][i]), int(receiver[better][i])
            if labels[m] != g:
                continue
            new_g, new_r = sizes[g] - w[m], sizes[r] + w[m]
            if (new_g >= lo or new_g >= sizes[g]) and (new_r <= hi or new_r <= sizes[r]) and new_g > 0:
                labels[m] = r
                sizes[g], sizes[r] = new_g, new_r
                moved += 1
        if not moved:
            break
    return labels


def turfs_crossing(turfs: Iterable[Turf], streets: Sequence[Street]) -> list[int]:
    """The numbers of the turfs whose doors lie in more than one region."""
    turfs = list(turfs)
    doors = [d for t in turfs for d in t.doors]
    if not doors:
        return []
    regions = _regions_of(doors, streets).tolist()
    crossing, start = [], 0
    for turf in turfs:
        if len(set(regions[start : start + turf.size])) > 1:
            crossing.append(turf.id)
        start += turf.size
    return crossing
