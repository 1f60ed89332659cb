"""The turf cutter on generated grid cities: whole buildings, no arterial crossed, every door once."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grassroots.canvass.gridcity import GridCity, make_city
from grassroots.canvass.turfs import Door, Street, Turf, cut_turfs, move, parts_for, recut, turfs_crossing

FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def split_buildings(turfs: list[Turf]) -> list[object]:
    owners: dict[object, set[int]] = {}
    for turf in turfs:
        for door in turf.doors:
            owners.setdefault(door.building, set()).add(turf.id)
    return [b for b, ids in owners.items() if len(ids) > 1]


def districts_per_turf(city: GridCity, turfs: list[Turf]) -> dict[int, set[tuple[int, int]]]:
    return {t.id: {city.district_of[str(d.building)] for d in t.doors} for t in turfs}


def assert_well_cut(city: GridCity, turfs: list[Turf], target: int) -> None:
    ids = Counter(d.id for t in turfs for d in t.doors)
    assert sorted(ids) == sorted(d.id for d in city.doors)
    assert set(ids.values()) == {1}, "a door is in two turfs"
    assert split_buildings(turfs) == []
    assert all(len(found) == 1 for found in districts_per_turf(city, turfs).values())
    assert len({t.id for t in turfs}) == len(turfs)
    # Sizes: every turf is a whole district, or near its district's mean give or take a building.
    weights = Counter(city.district_of[str(d.building)] for d in city.doors)
    biggest: dict[tuple[int, int], int] = {}
    for building, units in Counter(d.building for d in city.doors).items():
        district = city.district_of[str(building)]
        biggest[district] = max(biggest.get(district, 0), units)
    for turf in turfs:
        (district,) = {city.district_of[str(d.building)] for d in turf.doors}
        mean = weights[district] / parts_for(weights[district], target)
        if turf.size != weights[district]:
            assert 0.5 * mean - biggest[district] <= turf.size <= 1.5 * mean + biggest[district]


@FAST
@given(
    doors=st.integers(min_value=40, max_value=2500),
    seed=st.integers(min_value=0, max_value=10_000),
    target=st.integers(min_value=8, max_value=120),
    every=st.integers(min_value=1, max_value=5),
)
def test_it_cuts_whole_buildings_within_arterials_and_every_door_once(
    doors: int, seed: int, target: int, every: int
) -> None:
    city = make_city(doors, seed, arterial_every=every)
    target = min(target, doors)
    turfs = cut_turfs(city.doors, city.streets, target)
    assert_well_cut(city, turfs, target)
    assert turfs_crossing(turfs, city.streets) == []


def test_most_turfs_are_within_a_fifth_of_the_target() -> None:
    city = make_city(7854, seed=7)
    turfs = cut_turfs(city.doors, city.streets, 50)
    within = sum(1 for t in turfs if 40 <= t.size <= 60)
    assert within >= 0.9 * len(turfs)


def test_the_same_city_is_cut_the_same_way() -> None:
    city = make_city(1500, seed=2)
    first = cut_turfs(city.doors, city.streets, 40)
    again = cut_turfs(make_city(1500, seed=2).doors, city.streets, 40)
    assert [[d.id for d in t.doors] for t in first] == [[d.id for d in t.doors] for t in again]


def test_a_district_smaller_than_the_target_stays_one_turf() -> None:
    city = make_city(600, seed=4, arterial_every=1)  # every block is a district of its own
    turfs = cut_turfs(city.doors, city.streets, 200)
    blocks = Counter(city.block_of[str(d.building)] for d in city.doors)
    assert len(turfs) == len(blocks)
    assert_well_cut(city, turfs, 200)


def test_an_apartment_building_bigger_than_the_target_is_kept_whole() -> None:
    doors = [Door(f"a{i}", 0.0, 0.0, "tower", "main", 1, str(i)) for i in range(30)]
    doors += [Door(f"h{i}", 10.0 * i, 20.0, f"house{i}", "main", 2 * i) for i in range(1, 21)]
    turfs = cut_turfs(doors, [], 10)
    assert split_buildings(turfs) == []
    assert any(t.buildings == {"tower"} for t in turfs)


def test_doors_across_an_arterial_are_never_together() -> None:
    street = Street("blvd", ((50.0, -100.0), (50.0, 100.0)), arterial=True)
    doors = [Door(i, 45.0 if i % 2 else 55.0, float(i), f"b{i}") for i in range(20)]
    turfs = cut_turfs(doors, [street], 20)
    assert len(turfs) == 2
    assert {frozenset(d.x for d in t.doors) for t in turfs} == {frozenset({45.0}), frozenset({55.0})}


def test_a_dead_end_arterial_separates_nothing() -> None:
    spur = Street("spur", ((50.0, 0.0), (50.0, 200.0)), arterial=True)
    doors = [Door(i, 45.0 if i % 2 else 55.0, float(i), f"b{i}") for i in range(20)]
    doors.append(Door("far", 0.0, 900.0, "far"))
    assert len(cut_turfs(doors, [spur], 21)) == 1


def test_recut_keeps_fixed_and_untouched_turfs_and_recuts_the_rest() -> None:
    city = make_city(3000, seed=5, arterial_every=3)
    turfs = cut_turfs(city.doors, city.streets, 50)
    chosen = turfs[len(turfs) // 2]
    neighbor = next(
        t for t in turfs if t.region == chosen.region and t.id != chosen.id and t.size > len(t.buildings)
    )
    moved = sorted(neighbor.buildings, key=str)[:2]
    edited = move(turfs, moved, chosen.id)
    result = recut(edited, city.streets, 50, fixed={chosen.id})
    by_id = {t.id: t for t in result}
    assert set(moved) <= by_id[chosen.id].buildings
    assert by_id[chosen.id].doors == next(t for t in edited if t.id == chosen.id).doors
    for turf in turfs:
        if turf.region != chosen.region:
            assert by_id[turf.id].doors == turf.doors
    assert split_buildings(result) == []
    assert sorted(d.id for t in result for d in t.doors) == sorted(d.id for d in city.doors)
    assert turfs_crossing([t for t in result if t.id != chosen.id], city.streets) == []


def test_recut_refuses_a_building_split_with_a_fixed_turf() -> None:
    doors = [Door(i, float(i), 0.0, "tower" if i < 4 else f"b{i}") for i in range(10)]
    turfs = [Turf(1, 0, tuple(doors[:2])), Turf(2, 0, tuple(doors[2:]))]
    with pytest.raises(ValueError, match="Building tower is split between fixed turf 1 and turf 2"):
        recut(turfs, [], 5, fixed={1})
    with pytest.raises(ValueError, match="no turf 9"):
        recut(turfs, [], 5, fixed={9})


@pytest.mark.parametrize(
    ("doors", "target", "message"),
    [
        (0, 50, "has no doors"),
        (10, 0, "at least one door; the target was 0"),
        (10, -3, "at least one door"),
        (10, 11, "The target of 11 doors a turf is more than the 10 doors of this universe"),
    ],
)
def test_it_explains_bad_input(doors: int, target: int, message: str) -> None:
    city_doors = [Door(i, float(i), 0.0, i) for i in range(doors)]
    with pytest.raises(ValueError, match=message):
        cut_turfs(city_doors, [], target)


def test_the_grid_city_has_exactly_the_doors_asked_for_and_is_deterministic() -> None:
    city = make_city(7854, seed=1)
    assert len(city.doors) == 7854
    assert len({d.id for d in city.doors}) == 7854
    assert city.doors == make_city(7854, seed=1).doors
    assert city.doors != make_city(7854, seed=2).doors
    units = Counter(d.building for d in city.doors)
    assert max(units.values()) >= 20, "some apartment buildings have many units"
    assert any(s.arterial for s in city.streets)
