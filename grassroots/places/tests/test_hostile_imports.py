"""Damaged boundary files, GeoJSON and TopoJSON, end as a clear report: features skipped with their
numbers, or a BoundaryError before anything is written. Never a stack trace."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from grassroots.fuzzing import FUZZ, damaged
from grassroots.places.boundaries import BoundaryError, ImportReport, Mapping, import_areas
from grassroots.places.models import Area

pytestmark = pytest.mark.django_db

LON, LAT, STEP = -74.0, 40.5, 0.01


def _square(x: int, code: str) -> dict[str, Any]:
    ring = [[LON + (x + dx) * STEP, LAT + dy * STEP] for dx, dy in ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))]
    return {
        "type": "Feature",
        "properties": {"code": code, "name": f"Square {code}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


GEOJSON: dict[str, Any] = {"type": "FeatureCollection", "features": [_square(0, "A"), _square(1, "B")]}
# Squares A and B side by side, sharing arc 0 (their common edge), quantized on a 100-step grid.
TOPOJSON: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [STEP / 100, STEP / 100], "translate": [LON, LAT]},
    "arcs": [
        [[100, 0], [0, 100]],
        [[100, 100], [-100, 0], [0, -100], [100, 0]],
        [[100, 0], [100, 0], [0, 100], [-100, 0]],
    ],
    "objects": {
        "squares": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"code": "A", "name": "Square A"}},
                {"type": "Polygon", "arcs": [[2, -1]], "properties": {"code": "B", "name": "Square B"}},
            ],
        }
    },
}
SEEDS = {"geojson": GEOJSON, "topojson": TOPOJSON}
MAPPING = Mapping(kind="election_district", code_property="code", name_property="name")
# Values a damaged file puts where a number, a list or a name belongs.
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.just("<script>alert(1)</script>"),
    st.lists(st.integers(-5, 5), max_size=4),
    st.lists(st.lists(st.floats(-1e9, 1e9), max_size=3), max_size=3),
    st.dictionaries(st.sampled_from(["type", "arcs", "coordinates", "code"]), st.integers(0, 3), max_size=2),
)
_files = itertools.count()


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every value inside a parsed JSON document."""
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found.extend(_places(inner, (*path, key)))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            found.extend(_places(inner, (*path, i)))
    return found


@st.composite
def reshaped(draw: st.DrawFn, seed: dict[str, Any]) -> Any:
    """``seed`` with a few of its values replaced by odd ones, or removed."""
    document: Any = copy.deepcopy(seed)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_places(document)))
        if not path:
            document = draw(ODD_VALUES)
            continue
        holder = document
        for step in path[:-1]:
            holder = holder[step]
        if draw(st.booleans()) and isinstance(holder, dict):
            del holder[path[-1]]
        elif isinstance(holder, list) and draw(st.booleans()):
            del holder[path[-1] :]
        else:
            holder[path[-1]] = draw(ODD_VALUES)
    return document


def _import(folder: Path, content: bytes) -> ImportReport | BoundaryError:
    path = folder / f"areas-{next(_files)}.json"
    path.write_bytes(content)
    try:
        return import_areas(path, MAPPING)
    except BoundaryError as error:
        return error


def _check(folder: Path, content: bytes) -> None:
    with transaction.atomic():
        outcome = _import(folder, content)
        if isinstance(outcome, BoundaryError):
            assert str(outcome)
            assert not Area.objects.exists(), "a refused file wrote areas"
        else:
            assert Area.objects.filter(kind="election_district").count() == outcome.created
            assert all(problem.feature >= 1 and problem.reason for problem in outcome.errors)
        transaction.set_rollback(True)


@pytest.mark.parametrize("kind", list(SEEDS))
def test_a_good_seed_file_imports_cleanly(tmp_path: Path, kind: str) -> None:
    """The fuzz starts from files that import: damage is what makes them fail."""
    report = _import(tmp_path, json.dumps(SEEDS[kind]).encode())
    assert isinstance(report, ImportReport)
    assert (report.created, report.errors) == (2, [])


@pytest.mark.parametrize("kind", list(SEEDS))
def test_a_boundary_file_with_damaged_bytes_ends_in_a_clear_report(tmp_path: Path, kind: str) -> None:
    @FUZZ
    @given(content=damaged(json.dumps(SEEDS[kind], indent=1).encode()))
    def check(content: bytes) -> None:
        _check(tmp_path, content)

    check()


@pytest.mark.parametrize("kind", list(SEEDS))
def test_a_boundary_file_with_odd_values_ends_in_a_clear_report(tmp_path: Path, kind: str) -> None:
    @FUZZ
    @given(document=reshaped(SEEDS[kind]))
    def check(document: Any) -> None:
        _check(tmp_path, json.dumps(document).encode())

    check()


def test_a_deeply_nested_file_is_refused_with_a_message(tmp_path: Path) -> None:
    outcome = _import(tmp_path, b"[" * 100_000 + b"]" * 100_000)
    assert isinstance(outcome, BoundaryError)
    assert "nested" in str(outcome)


def test_a_file_that_is_not_text_is_refused_with_a_message(tmp_path: Path) -> None:
    outcome = _import(tmp_path, b"\x89PNG\r\n\x1a\n" + json.dumps(GEOJSON).encode())
    assert isinstance(outcome, BoundaryError)
    assert str(outcome).startswith("This file is a PNG image, not a text file")
