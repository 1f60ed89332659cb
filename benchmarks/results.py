"""Benchmark: import New York City's 2020 general-election returns (the Bronx and Queens files)
and compute every area's margin and the rollups up the area tree, against a baseline of
reading the same files with the csv module and summing the votes.

An election-district area is made for every key of the files, under one area per county and
a city, so that every row is placed and the rollups sum real subtrees. Runs on a fresh SQLite
file in a temporary directory, or on a dedicated PostgreSQL database (its name must contain
"bench"; it is dropped and created again):

    uv run python benchmarks/results.py [--data-dir DIR] [--database-url postgres://.../grassroots_bench]

The last line is machine-readable:

    RESULT rows=... ours_s=... baseline_s=... ratio=...
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATA = PROJECT_DIR.parent / "shared" / "data" / "ny14" / "openelections"
FILES = ("20201103__ny__general__bronx__precinct.csv", "20201103__ny__general__queens__precinct.csv")


def baseline(paths: list[Path]) -> tuple[int, float]:
    """Read the files with the csv module and sum the votes per contest, area and candidate."""
    start = time.perf_counter()
    sums: dict[tuple[str, str, str, str], int] = defaultdict(int)
    rows = 0
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                sums[(row["office"], row["district"], row["precinct"], row["candidate"])] += int(row["votes"])
                rows += 1
    return rows, time.perf_counter() - start


def setup_django(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def make_areas(paths: list[Path]) -> None:
    """A city, its counties and an election district per key of the files (not timed)."""
    from grassroots.places.actions import build_area, do_create_area
    from grassroots.places.models import Area, AreaKind
    from grassroots.results.formats.openelections import area_key

    city = do_create_area(kind=AreaKind.CITY, name="New York City", code="nyc")
    for path in paths:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            rows = list(csv.DictReader(stream))
        county = do_create_area(kind=AreaKind.DISTRICT, name=rows[0]["county"], parent=city)
        keys = sorted({area_key(row["precinct"]) for row in rows}, key=int)
        Area.objects.bulk_create(
            build_area(kind=AreaKind.ELECTION_DISTRICT, name=f"ED {key}", parent=county, code=key)
            for key in keys
        )


def ours(paths: list[Path]) -> tuple[float, dict[str, float]]:
    from grassroots.places.models import Area, AreaKind
    from grassroots.results import analysis
    from grassroots.results.actions import do_create_import
    from grassroots.results.importer import run_import
    from grassroots.results.models import Contest, ResultsImport

    steps: dict[str, float] = {}
    start = time.perf_counter()
    for path in paths:
        job = run_import(do_create_import(None, file_path=path, file_name=path.name, format="openelections"))
        if job.status != ResultsImport.Status.DONE or job.votes_not_placed:
            raise SystemExit(f"The import of {path.name} did not go through: {job.message}")
    steps["import"] = time.perf_counter() - start
    margins = time.perf_counter()
    upper = list(Area.objects.exclude(kind=AreaKind.ELECTION_DISTRICT))
    areas = 0
    for contest in Contest.objects.all():
        areas += len(analysis.area_results(contest))
        analysis.rollup(contest, upper)
    steps["margins_and_rollups"] = time.perf_counter() - margins
    steps["areas"] = areas
    return time.perf_counter() - start, steps


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA, help="where the returns files are")
    parser.add_argument(
        "--database-url", help="a dedicated PostgreSQL database (default: SQLite in a temp dir)"
    )
    args = parser.parse_args(argv)
    paths = [args.data_dir / name for name in FILES]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise SystemExit(f"Missing returns files: {', '.join(missing)}")
    rows, baseline_s = baseline(paths)
    with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as tmp:
        if args.database_url:
            if "bench" not in args.database_url.rsplit("/", 1)[-1]:
                raise SystemExit("Give a dedicated PostgreSQL database named like *bench*: it is dropped.")
            from demo_load import recreate_postgres

            recreate_postgres(args.database_url)
            url = args.database_url
        else:
            url = f"sqlite:///{Path(tmp) / 'results.sqlite3'}"
        setup_django(url)
        make_areas(paths)
        ours_s, steps = ours(paths)
        if args.database_url:
            from django.db import connections

            connections.close_all()
            recreate_postgres(args.database_url, drop_only=True)
    db = "postgres" if args.database_url else "sqlite"
    print(f"NYC 2020 general election, Bronx and Queens, on {db}: {rows:,} rows")
    print(f"  baseline (csv module, votes summed): {baseline_s:.2f} s")
    print(
        f"  ours: {ours_s:.2f} s — import {steps['import']:.2f} s, margins of {int(steps['areas']):,} "
        f"contest areas and rollups {steps['margins_and_rollups']:.2f} s"
    )
    print(
        f"RESULT rows={rows} ours_s={ours_s:.2f} baseline_s={baseline_s:.2f} ratio={ours_s / baseline_s:.1f}"
    )


if __name__ == "__main__":
    main()
