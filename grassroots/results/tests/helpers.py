"""Shared helpers of the results tests: where the real returns are, reading them independently
with the csv module, an election-district tree, and running an import."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from grassroots.places.actions import build_area, do_create_area
from grassroots.places.models import Area, AreaKind
from grassroots.results.actions import do_create_import
from grassroots.results.importer import run_import
from grassroots.results.models import ResultsImport

# Real public returns live beside the project, never inside it.
DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ny14" / "openelections"
needs_returns = pytest.mark.skipif(
    not DATA_DIR.is_dir(), reason="the OpenElections returns (../shared/data/ny14/openelections) are not here"
)

PRIMARY_2020 = ("20200623__ny__primary__bronx__precinct.csv", "20200623__ny__primary__queens__precinct.csv")
PRIMARY_2016 = ("20160419__ny__primary__bronx__precinct.csv", "20160419__ny__primary__queens__precinct.csv")
GENERAL_2020 = ("20201103__ny__general__bronx__precinct.csv", "20201103__ny__general__queens__precinct.csv")
BALLOT_NAMES = {
    "Public Counter", "Manually Counted Emergency", "Absentee / Military", "Absentee/Military", "Federal",
    "Affidavit", "Emergency",
}  # fmt: skip


def read_returns(name: str) -> list[dict[str, str]]:
    """A returns file as the csv module reads it, with each row's NYC key ("AD*1000+ED") added."""
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        if row.get("assembly_district"):
            ad, ed = row["assembly_district"], row["precinct"]
        else:
            ed, ad = row["precinct"].split("~")
        row["key"] = str(int(ad) * 1000 + int(ed))
    return rows


def ny14_primary_rows() -> list[dict[str, str]]:
    """The 2020 NY-14 Democratic primary's rows from both counties' files."""
    return [
        row
        for name in PRIMARY_2020
        for row in read_returns(name)
        if row["office"] == "Representative in Congress" and row["district"] == "14"
    ]


def make_election_districts(
    keys_by_county: dict[str, list[str]],
) -> tuple[Area, dict[str, Area], dict[str, Area]]:
    """A city with one area per county and, under each, an election district per key (code = key).
    Returns the city, the counties by name and the election districts by key."""
    city = do_create_area(kind=AreaKind.CITY, name="New York", code="nyc")
    counties = {
        name: do_create_area(kind=AreaKind.DISTRICT, name=name, parent=city, code=name.lower())
        for name in keys_by_county
    }
    eds = [
        build_area(kind=AreaKind.ELECTION_DISTRICT, name=f"ED {key}", parent=counties[county], code=key)
        for county, keys in keys_by_county.items()
        for key in keys
    ]
    Area.objects.bulk_create(eds)
    placed = Area.objects.filter(kind=AreaKind.ELECTION_DISTRICT, path__startswith=city.path)
    return city, counties, {ed.code: ed for ed in placed}


def run(path: Path, fmt: str = "openelections", **options: Any) -> ResultsImport:
    job = do_create_import(None, file_path=path, file_name=path.name, format=fmt, options=options)
    return run_import(job)


def sums_by(rows: list[dict[str, str]], *fields: str) -> dict[Any, int]:
    totals: dict[Any, int] = defaultdict(int)
    for row in rows:
        key = tuple(row[f] for f in fields)
        totals[key[0] if len(key) == 1 else key] += int(row["votes"])
    return dict(totals)
