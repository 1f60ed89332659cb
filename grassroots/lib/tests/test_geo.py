from __future__ import annotations

import random

import shapely
from shapely.geometry import Point, box

from grassroots.lib.geo import PolygonIndex, centroid_of, parse_geometry, rectangle


def test_points_land_in_the_polygon_that_holds_them_as_a_brute_force_check_says() -> None:
    rng = random.Random(7)
    squares = [(f"{x},{y}", box(x, y, x + 1, y + 1)) for x in range(10) for y in range(10)]
    l_shape = ("L", shapely.union(box(20, 0, 23, 1), box(20, 0, 21, 3)))
    polygons = [*squares, l_shape]
    index = PolygonIndex(polygons)
    points = [(rng.uniform(-1, 24), rng.uniform(-1, 11)) for _ in range(3000)]
    found = index.locate(points)
    for point, key in zip(points, found, strict=True):
        holders = [k for k, geom in polygons if geom.covers(Point(point))]
        assert key == (holders[0] if holders else None)
    assert None in found and "L" in found


def test_a_point_on_a_shared_edge_goes_to_the_first_polygon() -> None:
    index = PolygonIndex([("west", box(0, 0, 1, 1)), ("east", box(1, 0, 2, 1))])
    assert index.locate([(1.0, 0.5), (1.5, 0.5)]) == ["west", "east"]


def test_no_points_gives_no_answers() -> None:
    assert PolygonIndex([("a", box(0, 0, 1, 1))]).locate([]) == []


def test_a_ring_shaped_area_gets_a_centroid_inside_it() -> None:
    ring = box(0, 0, 10, 10).difference(box(1, 1, 9, 9))
    lon, lat = centroid_of(ring)
    assert ring.contains(Point(lon, lat))


def test_geojson_features_and_bare_geometries_parse_alike() -> None:
    geometry = rectangle(-73.9, 40.7, -73.8, 40.8)
    assert parse_geometry({"type": "Feature", "geometry": geometry, "properties": {}}).equals(
        parse_geometry(geometry)
    )
