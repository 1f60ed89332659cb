"""Importing area boundaries: GeoJSON and TopoJSON, bad features, re-imports, nesting by overlap,
paths after moves, households placed by location — on small squares, and on New York City's
election districts and neighborhoods when the files are here."""

from __future__ import annotations

import io
import itertools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from django.core.management import call_command
from django.core.management.base import CommandError
from shapely.geometry import shape

from grassroots.people.models import Person
from grassroots.places.boundaries import BoundaryError, ImportReport, Mapping, import_areas, largest_overlaps
from grassroots.places.models import Area, Household, path_segment
from grassroots.testing import make_area, make_household, make_person

pytestmark = pytest.mark.django_db

# The New York City files live beside the project, never inside it.
GEO_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ny14" / "geo"
ED_FILE = GEO_DIR / "nyc_election_districts_2020.topojson"
NTA_FILE = GEO_DIR / "nyc_neighborhoods_nta2020.geojson"
needs_nyc = pytest.mark.skipif(
    not (ED_FILE.is_file() and NTA_FILE.is_file()),
    reason="the New York City boundary files (../shared/data/ny14/geo) are not here",
)

# Small squares in degrees, near enough to New York that longitude/latitude look real.
LON, LAT, STEP = -74.0, 40.5, 0.01


# --- helpers -------------------------------------------------------------------------------


def corner(x: float, y: float) -> list[float]:
    return [round(LON + x * STEP, 7), round(LAT + y * STEP, 7)]


def box(x0: float, y0: float, x1: float, y1: float) -> list[list[float]]:
    """A closed counter-clockwise ring of a rectangle given in grid steps."""
    corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    return [corner(x, y) for x, y in corners]


def polygon(*rings: list[list[float]]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": list(rings)}


def feature(geometry: dict[str, Any] | None, **properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_geojson(tmp_path: Path, features: list[Any], name: str = "areas.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def run(path: Path, kind: str = "neighborhood", code: str = "code", **options: str) -> ImportReport:
    return import_areas(path, Mapping(kind=kind, code_property=code, **options))


def point(x: float, y: float) -> tuple[float, float]:
    return LON + x * STEP, LAT + y * STEP


def areas(kind: str) -> dict[str, Area]:
    return {a.code: a for a in Area.objects.filter(kind=kind)}


def assert_paths_consistent() -> None:
    """Every area's path is its parent's path and its own segment, and its depth one more."""
    by_pk = {a.pk: a for a in Area.objects.all()}
    for area in by_pk.values():
        parent = by_pk.get(area.parent_id) if area.parent_id else None
        expected = (parent.path if parent else "") + path_segment(area.public_id)
        assert area.path == expected, area
        assert area.depth == (parent.depth + 1 if parent else 0), area


def two_squares_topology(quantized: bool) -> dict[str, Any]:
    """Squares A (0..1) and B (1..2) side by side, sharing the arc of their common edge.

    Arc 0 is the shared edge, walked upwards by A and backwards (~0) by B.
    """
    grid_arcs = [
        [(1, 0), (1, 1)],
        [(1, 1), (0, 1), (0, 0), (1, 0)],
        [(1, 0), (2, 0), (2, 1), (1, 1)],
    ]
    if quantized:
        # Integer positions on a 100-step grid, each after the first given as a delta.
        arcs: list[list[list[float]]] = []
        for arc in grid_arcs:
            cells = [(x * 100, y * 100) for x, y in arc]
            deltas = [cells[0]] + [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(cells)]
            arcs.append([[float(dx), float(dy)] for dx, dy in deltas])
        transform = {"scale": [STEP / 100, STEP / 100], "translate": [LON, LAT]}
    else:
        arcs = [[[LON + x * STEP, LAT + y * STEP] for x, y in arc] for arc in grid_arcs]
        transform = None
    topology: dict[str, Any] = {
        "type": "Topology",
        "arcs": arcs,
        "objects": {
            "squares": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"id": "A", "label": "Square A"}},
                    {"type": "Polygon", "arcs": [[2, ~0]], "properties": {"id": "B", "label": "Square B"}},
                ],
            }
        },
    }
    if transform:
        topology["transform"] = transform
    return topology


# --- reading -------------------------------------------------------------------------------


def test_it_imports_geojson_features_with_codes_as_text_and_names_from_the_kind(tmp_path: Path) -> None:
    path = write_geojson(
        tmp_path,
        [feature(polygon(box(0, 0, 1, 1)), code=101), feature(polygon(box(1, 0, 2, 1)), code="102 ")],
    )
    report = run(path, kind="election_district")
    assert (report.created, report.updated, report.unchanged, report.errors) == (2, 0, 0, [])
    found = areas("election_district")
    assert sorted(found) == ["101", "102"]
    assert found["101"].name == "Election district 101"
    assert (found["101"].min_lon, found["101"].max_lat) == pytest.approx((LON, LAT + STEP))
    assert found["101"].parent is not None and found["101"].parent.name == "Imported areas"
    assert report.nested == Counter({"imported": 2})


@pytest.mark.parametrize("quantized", [False, True])
def test_topojson_arcs_decode_to_the_same_squares(tmp_path: Path, quantized: bool) -> None:
    path = tmp_path / "squares.topojson"
    path.write_text(json.dumps(two_squares_topology(quantized)))
    report = run(path, code="id", name_property="label")
    assert report.source == "TopoJSON object squares"
    assert (report.created, report.repairs, report.errors) == (2, [], [])
    found = areas("neighborhood")
    assert found["B"].name == "Square B"
    for code, (x0, x1) in {"A": (0, 1), "B": (1, 2)}.items():
        decoded = shape(json.loads(found[code].geometry))
        expected = shape(polygon(box(x0, 0, x1, 1)))
        assert decoded.is_valid
        assert decoded.symmetric_difference(expected).area == pytest.approx(0, abs=1e-12)


def test_a_topology_with_several_objects_needs_one_named(tmp_path: Path) -> None:
    topology = two_squares_topology(quantized=False)
    topology["objects"]["more"] = topology["objects"]["squares"]
    path = tmp_path / "two.topojson"
    path.write_text(json.dumps(topology))
    with pytest.raises(BoundaryError, match=r"several objects \(squares, more\); choose one with --object"):
        run(path, code="id")
    with pytest.raises(BoundaryError, match="no object 'nope'"):
        run(path, code="id", object_name="nope")
    assert run(path, code="id", object_name="more").created == 2


def test_a_topology_feature_with_a_missing_arc_is_skipped_by_number(tmp_path: Path) -> None:
    topology = two_squares_topology(quantized=True)
    geometries = topology["objects"]["squares"]["geometries"]
    geometries[0]["arcs"] = [[0, 99]]
    geometries.append({"type": "LineString", "arcs": [0], "properties": {"id": "C"}})
    geometries.append({"type": None, "properties": {"id": "D"}})
    path = tmp_path / "broken.topojson"
    path.write_text(json.dumps(topology))
    report = run(path, code="id")
    assert [str(p) for p in report.errors] == [
        "feature 1: skipped: its arcs cannot be decoded (list index out of range)",
        "feature 3: skipped: the geometry is a LineString, not a Polygon or MultiPolygon",
        "feature 4: skipped: the feature has no geometry",
    ]
    assert list(areas("neighborhood")) == ["B"]


def test_unreadable_json_is_refused_with_where_it_breaks(tmp_path: Path) -> None:
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [}')
    with pytest.raises(BoundaryError, match=r"not JSON: .* at line 2, column"):
        run(path)
    path.write_text(json.dumps({"type": "Polygon", "coordinates": []}))
    with pytest.raises(BoundaryError, match="Expected a GeoJSON FeatureCollection or a TopoJSON Topology"):
        run(path)
    assert not Area.objects.exists()


def test_bad_features_are_reported_by_number_and_the_rest_imported(tmp_path: Path) -> None:
    bow_tie = [corner(x, y) for x, y in [(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)]]
    unclosed = box(2, 0, 3, 1)[:-1]
    features = [
        feature(polygon(box(0, 0, 1, 1)), code="ok"),  # 1
        feature(polygon(box(0, 1, 1, 2)), name="no code"),  # 2
        feature(polygon(box(1, 1, 2, 2)), code="ok"),  # 3: duplicate
        feature({"type": "Point", "coordinates": [LON, LAT]}, code="pt"),  # 4
        feature(None, code="nothing"),  # 5
        feature(polygon(bow_tie), code="bow"),  # 6: self-intersecting, repaired
        feature(polygon(unclosed), code="open"),  # 7: ring not closed, repaired
        feature(polygon([[300000, 60000], [300100, 60000], [300100, 60100], [300000, 60000]]), code="feet"),
        feature(polygon([[LON, LAT], [LON + 1, LAT], [LON, LAT]]), code="short"),  # 9
        "not a feature",  # 10
    ]
    report = run(write_geojson(tmp_path, features))
    errors = {p.feature: p.reason for p in report.errors}
    assert sorted(errors) == [2, 3, 4, 5, 8, 9, 10]
    assert errors[2] == "skipped: no 'code' property"
    assert errors[3] == "skipped: duplicate code 'ok' (first in feature 1)"
    assert "Point, not a Polygon" in errors[4]
    assert "no geometry" in errors[5]
    assert "not in longitude/latitude" in errors[8]
    assert "fewer than 4 positions" in errors[9]
    assert "not a GeoJSON Feature" in errors[10]
    repairs = {p.feature: p.reason for p in report.repairs}
    assert sorted(repairs) == [6, 7]
    assert "Self-intersection" in repairs[6] and "made valid" in repairs[6]
    assert repairs[7] == "repaired: ring 1 was not closed"
    assert report.created == 3
    bow = shape(json.loads(areas("neighborhood")["bow"].geometry))
    assert bow.is_valid and bow.area == pytest.approx(STEP * STEP / 2)


def test_reimporting_a_file_changes_nothing_and_a_changed_file_updates_in_place(tmp_path: Path) -> None:
    features = [feature(polygon(box(x, 0, x + 1, 1)), code=f"N{x}", name=f"Hood {x}") for x in range(3)]
    path = write_geojson(tmp_path, features)
    first = run(path, name_property="name")
    ids = {code: a.public_id for code, a in areas("neighborhood").items()}
    again = run(path, name_property="name")
    assert (first.created, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert Area.objects.count() == 4  # and the one "Imported areas"

    features[1] = feature(polygon(box(1, 0, 2, 2)), code="N1", name="Taller hood")
    changed = run(write_geojson(tmp_path, features), name_property="name")
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    found = areas("neighborhood")
    assert {code: a.public_id for code, a in found.items()} == ids
    assert found["N1"].name == "Taller hood" and found["N1"].max_lat == pytest.approx(LAT + 2 * STEP)


# --- nesting -------------------------------------------------------------------------------


def test_areas_nest_where_most_of_them_lies_not_where_their_centroid_falls(tmp_path: Path) -> None:
    city = make_area("Gridtown", "city", box=(LON, LAT, LON + 20 * STEP, LAT + 20 * STEP))
    city.code = "GRID"
    city.save(update_fields=["code"])
    hoods = [feature(polygon(box(0, 0, 1, 1)), code="A"), feature(polygon(box(1, 0, 10, 1)), code="B")]
    run(write_geojson(tmp_path, hoods, "hoods.geojson"), parent="GRID")
    # Most of the district is in A, but its far part in B pulls the centroid into B.
    split = {
        "type": "MultiPolygon",
        "coordinates": [[box(0.2, 0, 1, 0.75)], [box(9, 0, 10, 0.4)]],
    }
    districts = [
        feature(split, ed=1),
        feature(polygon(box(3, 0, 4, 1)), ed=2),
        feature(polygon(box(15, 15, 16, 16)), ed=3),  # in no neighborhood
    ]
    path = write_geojson(tmp_path, districts, "eds.geojson")
    assert shape(split).centroid.x > LON + STEP  # the centroid lies in B
    report = run(path, kind="election_district", code="ed", within="neighborhood")
    found = areas("election_district")
    assert found["1"].parent.code == "A"  # type: ignore[union-attr]
    assert found["2"].parent.code == "B"  # type: ignore[union-attr]
    assert found["3"].parent == city  # the neighborhoods' common ancestor
    assert report.nested == Counter({"neighborhood": 2, "city": 1})
    assert_paths_consistent()


def test_largest_overlaps_ignores_containers_that_only_touch() -> None:
    inner = [shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6)]
    outer = [shapely.box(1, 0, 2, 1), shapely.box(-1, -1, 0.5, 2), shapely.box(0.4, 0, 3, 3)]
    assert largest_overlaps(inner, outer) == [2, None]


def test_moving_an_area_moves_everything_below_it(tmp_path: Path) -> None:
    county = make_area("Old county", "county")
    ed = make_area("ED 7", "election_district", county)
    ed.code = "7"
    ed.save(update_fields=["code"])
    street = make_area("Elm Ave", "street", ed)
    building = make_area("12 ELM AVE", "building", street)
    unit = make_area("APT 2", "unit", building)
    home = make_household(unit, "12 Elm Avenue", "Apt 2")
    ana = make_person("Ana", area=unit, household=home)
    run(write_geojson(tmp_path, [feature(polygon(box(0, 0, 4, 4)), code="H")], "h.geojson"))
    report = run(
        write_geojson(tmp_path, [feature(polygon(box(1, 1, 2, 2)), ed=7)], "ed.geojson"),
        kind="election_district",
        code="ed",
        within="neighborhood",
    )
    assert (report.created, report.updated) == (0, 1)  # the voter file's district, now with a polygon
    hood = Area.objects.get(kind="neighborhood", code="H")
    ed.refresh_from_db()
    unit.refresh_from_db()
    assert ed.parent == hood and ed.geometry
    assert unit.path.startswith(ed.path) and unit.path.startswith(hood.path) and unit.depth == 5
    assert Person.objects.filter(area__path__startswith=hood.path).get() == ana
    assert not Area.objects.filter(path__startswith=county.path).exclude(pk=county.pk).exists()
    assert_paths_consistent()


def test_a_parent_is_named_by_code_or_kind_and_code(tmp_path: Path) -> None:
    path = write_geojson(tmp_path, [feature(polygon(box(0, 0, 1, 1)), code="X")])
    with pytest.raises(BoundaryError, match="No area has the code 'NOPE'"):
        run(path, parent="NOPE")
    for kind in ("city", "district"):
        area = make_area("Same code", kind)
        area.code = "SAME"
        area.save(update_fields=["code"])
    with pytest.raises(BoundaryError, match=r"Several kinds .* write KIND:SAME"):
        run(path, parent="SAME")
    run(path, parent="district:SAME")
    assert areas("neighborhood")["X"].parent.kind == "district"  # type: ignore[union-attr]
    with pytest.raises(BoundaryError, match="No area has the code 'ward:SAME'"):
        run(path, parent="ward:SAME")


# --- households ------------------------------------------------------------------------------


def test_households_end_up_in_both_their_neighborhood_and_election_district(tmp_path: Path) -> None:
    city = make_area("Gridtown", "city")
    city.code = "GRID"
    city.save(update_fields=["code"])
    # A household filed under the city alone, and a building on a street with two households.
    loose = make_household(city, "1 Loose Lane")
    loose.lon, loose.lat = point(2.5, 0.5)
    loose.save(update_fields=["lon", "lat"])
    bo = make_person("Bo", area=city, household=loose)
    street = make_area("Elm Ave", "street", city)
    building = make_area("12 ELM AVE", "building", street)
    homes = [make_household(building, "12 Elm Avenue", f"Apt {n}") for n in (1, 2)]
    for home in homes:
        home.lon, home.lat = point(0.5, 0.5)
        home.save(update_fields=["lon", "lat"])
    nowhere = make_household(city, "9 Far Road")
    nowhere.lon, nowhere.lat = point(50, 50)
    nowhere.save(update_fields=["lon", "lat"])

    hoods = [feature(polygon(box(0, 0, 2, 1)), code="A"), feature(polygon(box(2, 0, 4, 1)), code="B")]
    first = run(write_geojson(tmp_path, hoods, "hoods.geojson"), parent="GRID")
    assert (first.households_moved, first.buildings_moved) == (1, 1)
    eds = [feature(polygon(box(x, 0, x + 1, 1)), ed=x + 1) for x in range(4)]
    second = run(
        write_geojson(tmp_path, eds, "eds.geojson"),
        kind="election_district",
        code="ed",
        within="neighborhood",
    )
    assert (second.households_moved, second.buildings_moved) == (1, 1)

    found, hood = areas("election_district"), areas("neighborhood")
    for home, ed, nbhd in [(loose, "3", "B"), (homes[0], "1", "A"), (homes[1], "1", "A")]:
        home.refresh_from_db()
        assert home.area.path.startswith(found[ed].path)
        assert home.area.path.startswith(hood[nbhd].path)
    # The building moved with its households, onto a street of the same name in the district.
    building.refresh_from_db()
    assert building.parent.name == "Elm Ave" and building.parent.parent == found["1"]  # type: ignore[union-attr]
    bo.refresh_from_db()
    assert bo.area == found["3"]
    nowhere.refresh_from_db()
    assert nowhere.area == city
    assert_paths_consistent()

    # A neighborhood imported again does not pull households out of their districts.
    again = run(write_geojson(tmp_path, hoods, "hoods.geojson"), parent="GRID")
    assert (again.unchanged, again.households_moved, again.buildings_moved) == (2, 0, 0)


def test_the_command_prints_a_summary(tmp_path: Path) -> None:
    features = [feature(polygon(box(0, 0, 1, 1)), code="A"), feature(polygon(box(1, 0, 2, 1)))]
    path = write_geojson(tmp_path, features)
    out = io.StringIO()
    call_command(
        "import", "areas", str(path), "--kind", "neighborhood", "--code-property", "code", stdout=out
    )
    text = out.getvalue()
    assert "1 created, 0 updated, 0 unchanged, 0 repaired, 1 errors." in text
    assert "Nested under: imported 1." in text
    assert "feature 2: skipped: no 'code' property" in text
    with pytest.raises(CommandError, match="No area could be imported"):
        call_command(
            "import",
            "areas",
            str(path),
            "--kind",
            "neighborhood",
            "--code-property",
            "nope",
            stdout=io.StringIO(),
        )


# --- New York City ---------------------------------------------------------------------------


def _independent_neighborhoods() -> dict[str, shapely.Geometry]:
    data = json.loads(NTA_FILE.read_text())
    hoods = {}
    for f in data["features"]:
        geometry = shape(f["geometry"])
        hoods[f["properties"]["NTACode"]] = geometry if geometry.is_valid else shapely.make_valid(geometry)
    return hoods


@needs_nyc
def test_new_york_citys_election_districts_import_and_nest_in_their_neighborhoods() -> None:
    city = make_area("New York City", "city")
    city.code = "NYC"
    city.save(update_fields=["code"])
    rng = np.random.default_rng(14)
    topology = json.loads(ED_FILE.read_text())
    (ed_object,) = topology["objects"].values()
    codes_in_file = {str(g["properties"]["ElectDist"]) for g in ed_object["geometries"]}
    areas_in_file = {
        str(g["properties"]["ElectDist"]): g["properties"]["Shape_Area"] for g in ed_object["geometries"]
    }
    hoods_in_file = _independent_neighborhoods()

    nta = run(NTA_FILE, code="NTACode", name_property="GEONAME", parent="NYC")
    assert nta.created == len(hoods_in_file) == 262
    report = run(ED_FILE, kind="election_district", code="ElectDist", within="neighborhood")
    assert report.created == len(codes_in_file) == len(ed_object["geometries"])
    assert report.errors == []
    assert report.nested["neighborhood"] + report.nested["city"] == len(codes_in_file)

    districts = areas("election_district")
    assert set(districts) == codes_in_file
    assert districts["23002"].name == "Election district 23002"
    hood_codes = dict(Area.objects.filter(kind="neighborhood").values_list("pk", "code"))

    sample = rng.choice(sorted(districts), size=200, replace=False)
    tree_keys = list(hoods_in_file)
    tree = shapely.STRtree([hoods_in_file[k] for k in tree_keys])
    points_per_district = 2000
    for code in sample:
        district = districts[code]
        ed_shape = shape(json.loads(district.geometry))
        # The decoded polygon matches the file's own area (square feet, New York Long Island plane).
        feet_per_degree = 364_000.0
        area_ft2 = ed_shape.area * feet_per_degree**2 * np.cos(np.radians(ed_shape.centroid.y))
        assert area_ft2 == pytest.approx(areas_in_file[code], rel=0.02)
        # Random points inside the district, counted by the neighborhood that holds each.
        x0, y0, x1, y1 = ed_shape.bounds
        xs: list[float] = []
        ys: list[float] = []
        while len(xs) < points_per_district:
            cx, cy = rng.uniform(x0, x1, 4000), rng.uniform(y0, y1, 4000)
            inside = shapely.contains_xy(ed_shape, cx, cy)
            xs.extend(cx[inside])
            ys.extend(cy[inside])
        xs, ys = xs[:points_per_district], ys[:points_per_district]
        counts: Counter[str] = Counter()
        for i in tree.query(ed_shape):
            counts[tree_keys[i]] += int(shapely.contains_xy(hoods_in_file[tree_keys[i]], xs, ys).sum())
        counts = +counts
        parent = hood_codes.get(district.parent_id)  # type: ignore[arg-type]
        if not counts:
            assert district.parent_id == city.pk, code
            continue
        (top, top_count), *_ = counts.most_common()
        if parent != top:
            # Only a near tie may go either way: within 5 points of percentage, over twice the
            # sampling error of 2,000 points.
            assert parent is not None and top_count - counts[parent] <= 0.05 * points_per_district, (
                code,
                counts,
            )

    assert_paths_consistent()


@needs_nyc
def test_new_york_city_households_land_in_their_district_and_neighborhood() -> None:
    city = make_area("New York City", "city")
    city.code = "NYC"
    city.save(update_fields=["code"])
    rng = np.random.default_rng(7)
    hoods_in_file = _independent_neighborhoods()
    homes = []
    keys = sorted(hoods_in_file)
    for n, key in enumerate(rng.choice(keys, size=40, replace=False)):
        spot = hoods_in_file[key].representative_point()
        home = make_household(city, f"{n + 1} Test Street")
        home.lon, home.lat = spot.x, spot.y
        home.save(update_fields=["lon", "lat"])
        homes.append((home, key))
    run(NTA_FILE, code="NTACode", name_property="GEONAME", parent="NYC")
    run(ED_FILE, kind="election_district", code="ElectDist", within="neighborhood")
    same = 0
    for home, key in homes:
        home.refresh_from_db()
        spot = shapely.Point(home.lon, home.lat)
        boxes = Area.objects.filter(
            kind="election_district",
            min_lon__lte=home.lon,
            max_lon__gte=home.lon,
            min_lat__lte=home.lat,
            max_lat__gte=home.lat,
        )
        holders = [a for a in boxes if shape(json.loads(a.geometry)).intersects(spot)]
        if not holders:  # uninhabited islands have no election district
            assert home.area.kind == "neighborhood" and home.area.code == key
            continue
        district = home.area
        assert district in holders, key
        parent = district.parent
        assert parent is not None and parent.kind == "neighborhood"
        assert district.path.startswith(parent.path)
        # A district on a neighborhood's edge may lie mostly in the next one.
        same += parent.code == key
    assert same >= 0.8 * len(homes)
    assert not Household.objects.filter(area=city).exists()
