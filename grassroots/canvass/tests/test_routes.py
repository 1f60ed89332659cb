from __future__ import annotations

import itertools
import math
import random

from grassroots.canvass.routes import Door, order_doors, route_metres


def make_street(name: str, numbers: range, y: float, x0: float = 0.0, spacing: float = 10.0) -> list[Door]:
    """Houses along an east-west street: odd numbers on the north side, even on the south."""
    return [
        Door(
            id=f"{name}-{n}",
            x=x0 + spacing * ((n - numbers.start) // 2),
            y=y + (12.0 if n % 2 else -12.0),
            street=name,
            number=n,
        )
        for n in numbers
    ]


def make_building(
    building: str, x: float, y: float, street: str, number: int, units: list[str]
) -> list[Door]:
    return [
        Door(
            id=f"{building}-{unit}",
            x=x,
            y=y,
            street=street,
            number=number,
            building=building,
            floor=int(unit[:-1]),
            unit=unit,
        )
        for unit in units
    ]


def test_it_walks_one_side_of_a_street_and_then_the_other_in_number_order() -> None:
    route = order_doors(make_street("Elm Street", range(101, 121), y=0.0))

    sides = [d.number % 2 for d in route.doors]
    assert sides in ([1] * 10 + [0] * 10, [0] * 10 + [1] * 10)
    first, second = [d.number for d in route.doors[:10]], [d.number for d in route.doors[10:]]
    assert first in (sorted(first), sorted(first, reverse=True))
    assert second in (sorted(second), sorted(second, reverse=True))
    # Up one side and back the other: no walking back along the first side.
    assert route.metres == route_metres(route.doors)
    assert math.isclose(route.metres, 2 * 90.0 + 24.0)
    assert [(s.street, s.doors) for s in route.segments] == [("Elm Street", 10), ("Elm Street", 10)]


def test_it_keeps_a_buildings_doors_together_by_floor_then_unit() -> None:
    units = ["3B", "1A", "10A", "2A", "1B", "3A", "2B"]
    doors = [
        *make_street("Oak Avenue", range(1, 9), y=0.0),
        *make_building("tower", 15.0, 14.0, "Oak Avenue", 5, units),
    ]
    random.Random(3).shuffle(doors)

    route = order_doors(doors)

    ids = [d.id for d in route.doors]
    positions = [ids.index(f"tower-{u}") for u in units]
    assert max(positions) - min(positions) == len(units) - 1
    inside = [d.unit for d in route.doors[min(positions) : max(positions) + 1]]
    assert inside == ["1A", "1B", "2A", "2B", "3A", "3B", "10A"]


def test_it_keeps_the_floors_of_a_house_in_order_whichever_way_the_street_is_walked() -> None:
    doors = [
        Door(id=f"{n}-{floor}", x=10.0 * n, y=0.0, street="Pine Street", number=n, floor=floor)
        for n in (2, 4, 6)
        for floor in (2, 1)
    ]
    route = order_doors(doors, start=(100.0, 0.0))

    assert [d.id for d in route.doors] == ["6-1", "6-2", "4-1", "4-2", "2-1", "2-2"]
    assert math.isclose(route.metres, 40.0 + 40.0)


def test_it_visits_every_door_exactly_once() -> None:
    rng = random.Random(7)
    doors: list[Door] = []
    for s in range(6):
        doors.extend(
            Door(id=f"{s}-{n}", x=n * 5.0 + rng.uniform(-2, 2), y=s * 80.0, street=f"Street {s}", number=n)
            for n in rng.sample(range(1, 80), 12)
        )

    route = order_doors(doors)

    assert sorted(d.id for d in route.doors) == sorted(d.id for d in doors)
    assert len({d.id for d in route.doors}) == len(doors)


def test_it_gives_the_same_route_whatever_order_the_doors_come_in() -> None:
    doors = make_street("Elm Street", range(1, 31), y=0.0) + make_street("Ash Street", range(1, 21), y=90.0)
    first = order_doors(doors)
    for seed in range(3):
        shuffled = doors[:]
        random.Random(seed).shuffle(shuffled)
        again = order_doors(shuffled)
        assert [d.id for d in again.doors] == [d.id for d in first.doors]
        assert again.metres == first.metres


def test_it_finds_the_shortest_order_of_the_runs() -> None:
    # Four short pieces of street, each on one side: every order and direction, by brute force.
    pieces = [
        [(0.0, 0.0), (30.0, 0.0)],
        [(200.0, 50.0), (200.0, 10.0)],
        [(60.0, 120.0), (20.0, 130.0)],
        [(150.0, 140.0), (170.0, 100.0)],
    ]
    doors = [
        Door(id=f"{i}-{k}", x=x, y=y, street=f"Street {i}", number=2 * k + 1)
        for i, piece in enumerate(pieces)
        for k, (x, y) in enumerate(piece)
    ]
    walks = []
    for order in itertools.permutations(range(len(pieces))):
        for flips in itertools.product((False, True), repeat=len(pieces)):
            points = [
                p for i, flip in zip(order, flips, strict=True) for p in pieces[i][:: -1 if flip else 1]
            ]
            walks.append(sum(math.dist(a, b) for a, b in itertools.pairwise(points)))
    shortest = min(walks)

    route = order_doors(doors)

    assert math.isclose(route.metres, shortest)


def test_it_crosses_a_minor_street_at_each_block_when_that_is_shorter() -> None:
    # Two blocks of one street, 50 m apart: round the first block's two sides, then the second's.
    doors = make_street("Elm Street", range(101, 109), y=0.0) + make_street(
        "Elm Street", range(201, 209), y=0.0, x0=80.0
    )
    route = order_doors(doors)

    assert math.isclose(route.metres, 4 * 30.0 + 2 * 24.0 + 50.0)
    blocks = [(s.first_number // 100, s.side) for s in route.segments]
    assert blocks in ([(1, 0), (1, 1), (2, 1), (2, 0)], [(2, 0), (2, 1), (1, 1), (1, 0)])


def test_it_reads_longitude_and_latitude() -> None:
    doors = [
        Door(
            id=str(n),
            x=-73.87 + 0.0001 * (n // 2),
            y=40.75 + (0.0001 if n % 2 else -0.0001),
            street="Elm",
            number=n,
        )
        for n in range(1, 11)
    ]
    route = order_doors(doors, lonlat=True)

    assert len(route.doors) == 10
    # Four steps of about 8.4 m up a side, one of about 22 m across, four back.
    assert 80.0 < route.metres < 95.0


def test_it_crosses_a_busy_street_once_and_counts_only_the_walk() -> None:
    doors = make_street("Main Boulevard", range(101, 109), y=0.0) + make_street(
        "Main Boulevard", range(201, 209), y=0.0, x0=80.0
    )
    route = order_doors(doors, major_streets={"Main Boulevard"})

    sides = [s.side for s in route.segments]
    assert sum(a != b for a, b in itertools.pairwise(sides)) == 1
    assert math.isclose(route.metres, 2 * 110.0 + 24.0)
    assert route.metres == route_metres(route.doors)


def test_it_orders_no_doors() -> None:
    route = order_doors([])

    assert route.doors == []
    assert route.metres == 0.0
