"""Benchmark: order the doors of many small turfs into walking routes, ours against OR-Tools.

Turfs come from the demo city's plan (no database): around a random lot, the nearest lots are
taken until about fifty doors, each home being on the walk list with a fixed chance, as a
canvassing universe picks some households and not others. A door stands at its lot's centre.

Ours (``grassroots.canvass.routes.order_doors``) keeps to what a canvasser can follow: one side
of a street at a time, house numbers in order, an address's doors together. OR-Tools routing
gets the same doors as an open path with no such rules, searched with guided local search for a
fixed time per turf; both are measured with the same straight-line metres:

    uv run --group bench python benchmarks/routes.py [--turfs 40] [--doors 50] [--time-limit 1.0]

One line per method, then the ratios:

    RESULT order=ours m_per_door=... seconds=...
    RESULT order=ortools m_per_door=... seconds=...
    RESULT distance_ratio=... time_ratio=...
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

from grassroots.canvass.routes import Door, order_doors, route_metres  # noqa: E402
from grassroots.demo.layout import Lot, plan_city, plan_lots, unit_labels  # noqa: E402

ON_LIST = 0.6  # the chance that a home is on the walk list


def make_turfs(count: int, doors: int, seed: int) -> list[list[Door]]:
    rng = random.Random(f"routes-benchmark:{seed}")
    plan = plan_city(seed=seed, scale=1.0)
    lots: list[Lot] = []
    for hood in plan.neighborhoods:
        lots.extend(plan_lots(plan, hood, random.Random(f"routes-benchmark:{seed}:{hood.index}")))
    turfs = []
    for _ in range(count):
        centre = rng.choice(lots).center
        nearby = sorted(lots, key=lambda lot: math.dist(lot.center, centre))
        turf: list[Door] = []
        for index, lot in enumerate(nearby):
            if len(turf) >= doors:
                break
            x, y = lot.center
            homes: list[tuple[str, int | None, int | None, str | None]]  # id, building, floor, unit
            if lot.units:
                homes = [
                    (f"{index}-{label}", index, int(key[:3]), label)
                    for label, key in unit_labels(lot.units, lot.unit_style, rng)
                ]
            else:
                homes = [
                    (f"{index}-{floor}", None, floor if lot.families > 1 else None, None)
                    for floor in range(1, lot.families + 1)
                ]
            turf.extend(
                Door(id=i, x=x, y=y, street=lot.street.name, number=lot.number, building=b, floor=f, unit=u)
                for i, b, f, u in homes
                if rng.random() < ON_LIST
            )
        turfs.append(turf)
    return turfs


def ortools_order(doors: list[Door], time_limit: float) -> list[Door]:
    """An open path through the doors by OR-Tools routing: a depot at no distance from anything."""
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    points = [(d.x, d.y) for d in doors]
    size = len(points) + 1
    # Centimetres, as routing wants whole numbers; node 0 is the depot.
    matrix = [[0] * size for _ in range(size)]
    for i, a in enumerate(points, start=1):
        for j, b in enumerate(points, start=1):
            matrix[i][j] = round(100 * math.dist(a, b))
    manager = pywrapcp.RoutingIndexManager(size, 1, 0)
    routing = pywrapcp.RoutingModel(manager)

    def distance(from_index: int, to_index: int) -> int:
        return matrix[manager.IndexToNode(from_index)][manager.IndexToNode(to_index)]

    transit = routing.RegisterTransitCallback(distance)
    routing.SetArcCostEvaluatorOfAllVehicles(transit)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(round(time_limit * 1000))
    solution = routing.SolveWithParameters(params)
    order = []
    index = solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        order.append(doors[manager.IndexToNode(index) - 1])
        index = solution.Value(routing.NextVar(index))
    return order


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turfs", type=int, default=40)
    parser.add_argument("--doors", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=1.0, help="OR-Tools' seconds per turf")
    args = parser.parse_args()

    turfs = make_turfs(args.turfs, args.doors, args.seed)
    doors = sum(len(t) for t in turfs)
    totals = {"ours": [0.0, 0.0], "ortools": [0.0, 0.0]}
    worst = 0.0
    for turf in turfs:
        start = time.perf_counter()
        route = order_doors(turf)
        totals["ours"][1] += time.perf_counter() - start
        totals["ours"][0] += route.metres
        assert sorted(d.id for d in route.doors) == sorted(str(d.id) for d in turf)

        start = time.perf_counter()
        theirs = ortools_order(turf, args.time_limit)
        totals["ortools"][1] += time.perf_counter() - start
        their_metres = route_metres(theirs)
        totals["ortools"][0] += their_metres
        worst = max(worst, route.metres / their_metres)

    print(f"turfs={len(turfs)} doors={doors} worst_turf_ratio={worst:.3f}")
    for name, (metres, seconds) in totals.items():
        print(f"RESULT order={name} m_per_door={metres / doors:.3f} seconds={seconds:.3f}")
    (our_m, our_s), (their_m, their_s) = totals["ours"], totals["ortools"]
    print(f"RESULT distance_ratio={our_m / their_m:.4f} time_ratio={our_s / their_s:.5f}")


if __name__ == "__main__":
    main()
