"""Benchmark: cut a generated grid city into 50-door turfs with our cutter, with size-constrained
k-means (the k-means-constrained package, on a smaller city since it is slow) and with naive
chunking in street order, and measure what a canvasser would feel.

For each method: the time to cut, the spread of sizes, buildings split between turfs, turfs
that cross an arterial (doors in more than one of the city's arterial-bounded districts), the
share of turfs within 20% of the target, and walking: the length of a good walk through each
turf's doors (nearest neighbor, then 2-opt, as an open path) and the length of the minimum
spanning tree of those doors, a lower bound on any walk, both per door over all turfs.
Distances are straight lines between doors; apartments of one building share its entrance.

    uv run --group bench python benchmarks/turf.py [--doors 50000] [--small 7854] [--target 50]

One machine-readable line per method:

    RESULT method=ours doors=... turfs=... seconds=... buildings_split=... arterial_crossings=...
      within20_pct=... m_per_door=... lower_bound_m_per_door=...
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grassroots.canvass.gridcity import GridCity, make_city
from grassroots.canvass.turfs import Door, cut_turfs

Groups = list[list[Door]]


def ours(city: GridCity, target: int) -> Groups:
    return [list(t.doors) for t in cut_turfs(city.doors, city.streets, target)]


def street_order(city: GridCity, target: int) -> Groups:
    """Walk each street from its lowest number up and hand out every ``target`` doors."""
    doors = sorted(city.doors, key=lambda d: (str(d.street), d.number % 2, d.number, d.floor, d.unit))
    return [doors[i : i + target] for i in range(0, len(doors), target)]


def kmeans_constrained(city: GridCity, target: int) -> Groups:
    from k_means_constrained import KMeansConstrained

    xy = np.array([(d.x, d.y) for d in city.doors])
    k = math.ceil(len(xy) / target)
    model = KMeansConstrained(
        n_clusters=k,
        size_min=int(target * 0.8),
        size_max=math.ceil(target * 1.2),
        n_init=1,
        max_iter=30,
        random_state=0,
    )
    labels = model.fit_predict(xy)
    groups: dict[int, list[Door]] = defaultdict(list)
    for door, label in zip(city.doors, labels.tolist(), strict=True):
        groups[label].append(door)
    return list(groups.values())


def distances(points: np.ndarray) -> np.ndarray:
    return np.hypot(*(points[:, None, :] - points[None, :, :]).transpose(2, 0, 1))


def mst_length(d: np.ndarray) -> float:
    """Prim's algorithm on a full distance matrix."""
    n = len(d)
    if n < 2:
        return 0.0
    inside = np.zeros(n, dtype=bool)
    inside[0] = True
    best = d[0].copy()
    total = 0.0
    for _ in range(n - 1):
        candidates = np.where(inside, np.inf, best)
        j = int(np.argmin(candidates))
        total += float(candidates[j])
        inside[j] = True
        best = np.minimum(best, d[j])
    return total


def walk_length(d: np.ndarray) -> float:
    """A good open walk through every point: nearest neighbor from each end of the longest
    distance, then best-improvement 2-opt on a tour through a free extra point (so the tour's
    two edges at that point cost nothing and the rest is an open path)."""
    n = len(d)
    if n < 2:
        return 0.0
    full = np.zeros((n + 1, n + 1))
    full[:n, :n] = d
    best = math.inf
    far = np.unravel_index(int(np.argmax(d)), d.shape)
    for start in {int(far[0]), int(far[1])}:
        tour = [n, start]
        left = set(range(n)) - {start}
        while left:
            here = tour[-1]
            nxt = min(left, key=lambda j: d[here, j])
            tour.append(nxt)
            left.remove(nxt)
        order = np.array(tour)
        while True:
            a, b = order, np.roll(order, -1)
            # Reversing order[i+1..j] swaps edges (a_i, b_i), (a_j, b_j) for (a_i, a_j), (b_i, b_j).
            gain = full[a, b][:, None] + full[a, b][None, :] - full[a[:, None], a[None, :]]
            gain -= full[b[:, None], b[None, :]]
            gain = np.triu(gain, 2)
            i, j = np.unravel_index(int(np.argmax(gain)), gain.shape)
            if gain[i, j] <= 1e-9:
                break
            order[i + 1 : j + 1] = order[i + 1 : j + 1][::-1].copy()
        best = min(best, float(full[order, np.roll(order, -1)].sum()))
    return best


def districts(city: GridCity, group: list[Door]) -> set[tuple[int, int]]:
    return {city.district_of[str(d.building)] for d in group}


def measure(city: GridCity, groups: Groups, target: int) -> dict[str, float]:
    owners: dict[str, set[int]] = defaultdict(set)
    for i, group in enumerate(groups):
        for door in group:
            owners[str(door.building)].add(i)
    sizes = np.array([len(g) for g in groups])
    walk = tree = 0.0
    for group in groups:
        points = np.unique(np.array([(d.x, d.y) for d in group]), axis=0)
        d = distances(points)
        walk += walk_length(d)
        tree += mst_length(d)
    doors = int(sizes.sum())
    return {
        "turfs": len(groups),
        "min": int(sizes.min()),
        "max": int(sizes.max()),
        "sd": round(float(sizes.std()), 1),
        "buildings_split": sum(1 for ids in owners.values() if len(ids) > 1),
        "arterial_crossings": sum(
            1 for g in groups if len({city.district_of[str(d.building)] for d in g}) > 1
        ),
        "within20_pct": round(100 * float(np.mean(np.abs(sizes - target) <= 0.2 * target)), 1),
        "m_per_door": round(walk / doors, 2),
        "lower_bound_m_per_door": round(tree / doors, 2),
    }


def run(name: str, method: Callable[[GridCity, int], Groups], city: GridCity, target: int) -> None:
    start = time.perf_counter()
    groups = method(city, target)
    seconds = time.perf_counter() - start
    assert sorted(d.id for g in groups for d in g) == sorted(d.id for d in city.doors)
    m = measure(city, groups, target)
    print(
        f"# {name}: sizes {m['min']}..{m['max']} (sd {m['sd']}), walk/lower bound "
        f"{m['m_per_door'] / max(m['lower_bound_m_per_door'], 1e-9):.3f}"
    )
    print(
        f"RESULT method={name} doors={len(city.doors)} turfs={m['turfs']} seconds={seconds:.3f} "
        f"buildings_split={m['buildings_split']} arterial_crossings={m['arterial_crossings']} "
        f"within20_pct={m['within20_pct']} m_per_door={m['m_per_door']} "
        f"lower_bound_m_per_door={m['lower_bound_m_per_door']}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doors", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=7854, help="doors of the city for k-means")
    parser.add_argument("--target", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-kmeans", action="store_true")
    args = parser.parse_args()
    big, small = make_city(args.doors, args.seed), make_city(args.small, args.seed)
    print(f"# city of {len(big.doors)} doors in {big.buildings} buildings, {big.cols} x {big.rows} blocks")
    print(f"# {sum(s.arterial for s in big.streets)} arterials of {len(big.streets)} streets")
    run("ours", ours, big, args.target)
    run("street_order", street_order, big, args.target)
    run("ours", ours, small, args.target)
    if not args.skip_kmeans:
        run("kmeans_constrained", kmeans_constrained, small, args.target)


if __name__ == "__main__":
    main()
