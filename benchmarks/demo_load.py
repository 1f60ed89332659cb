"""Benchmark: generate and load the demo city at scale 1 (the baseline) and scale 10 (the target).

Each size runs in a subprocess of its own on a fresh, migrated database, so that the
peak memory printed belongs to that size alone. Peak memory is the process's peak
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``): Python, Django and
the database driver included; the figure before generating is printed next to it.
Timings cover ``generate_city`` only (not the migrations).

    uv run python benchmarks/demo_load.py            # SQLite file in a temporary directory
    uv run python benchmarks/demo_load.py --database-url postgres://postgres@127.0.0.1:5432/grassroots_bench

A PostgreSQL database given with --database-url is dropped and created again for each
size through the server's ``postgres`` maintenance database, so it must be a dedicated
one: its name must contain "bench". The last line is machine-readable:

    RESULT db=sqlite scale=10 seconds=... baseline_seconds=... ratio=... peak_mb=... people=...
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORKER_TAG = "WORKER "


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


# The worker: one size, one fresh database, in this process. ---------------------------


def work(database_url: str, scale: float, seed: int, var_dir: str) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["GRASSROOTS_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    from grassroots.demo.generator import generate_city

    call_command("migrate", interactive=False, verbosity=0)
    before = peak_rss_mb()
    stats = generate_city(seed=seed, scale=scale)
    return {
        "scale": scale,
        "seconds": stats.seconds,
        "rows": stats.rows,
        "people": stats.people,
        "households": stats.households,
        "areas": stats.areas,
        "rss_before_mb": before,
        "peak_mb": peak_rss_mb(),
    }


# The driver: fresh databases, one subprocess per size, the report. ----------------------


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql"}


def recreate_postgres(url: str, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"Refusing to drop the database {name!r}: give a dedicated one named like *bench*.")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def run_size(scale: float, seed: int, database_url: str | None, tmp: Path) -> dict[str, Any]:
    if database_url is None:
        url = f"sqlite:///{tmp / f'demo-{scale:g}.sqlite3'}"
    else:
        url = database_url
        recreate_postgres(url)
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--scale",
        str(scale),
        "--seed",
        str(seed),
        "--database-url",
        url,
        "--var-dir",
        str(tmp),
    ]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stdout + error.stderr)
        raise
    finally:
        if database_url is not None:
            recreate_postgres(url, drop_only=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith(WORKER_TAG))
    result: dict[str, Any] = json.loads(line[len(WORKER_TAG) :])
    return result


def report(label: str, result: dict[str, Any]) -> None:
    seconds = result["seconds"]
    print(
        f"  {label} (scale {result['scale']:g}): {seconds:.1f} s, {result['rows']:,} rows "
        f"({result['rows'] / seconds:,.0f} rows/s), {result['people']:,} people, "
        f"{result['households']:,} households, {result['areas'].get('building', 0):,} buildings; "
        f"peak RSS {result['peak_mb']:.0f} MB (ru_maxrss; {result['rss_before_mb']:.0f} MB before generating)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, default=10.0, help="target scale (default 10)")
    parser.add_argument("--baseline-scale", type=float, default=1.0, help="baseline scale (default 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url", help="a dedicated PostgreSQL database (default: SQLite in a temp dir)"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = work(args.database_url, args.scale, args.seed, args.var_dir)
        print(WORKER_TAG + json.dumps(result), flush=True)
        return

    if args.database_url is not None and not is_postgres(args.database_url):
        raise SystemExit("--database-url takes a PostgreSQL URL; SQLite is used by default.")
    db = "postgres" if args.database_url else "sqlite"
    print(
        f"Loading the demo city on {db}: baseline scale {args.baseline_scale:g}, target scale {args.scale:g}"
    )
    with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as tmp:
        baseline = run_size(args.baseline_scale, args.seed, args.database_url, Path(tmp))
        report("baseline", baseline)
        target = run_size(args.scale, args.seed, args.database_url, Path(tmp))
        report("target", target)
    ratio = target["seconds"] / baseline["seconds"]
    print(
        f"  {args.scale / args.baseline_scale:g}x the city took {ratio:.2f}x the time "
        f"({target['rows'] / baseline['rows']:.2f}x the rows)"
    )
    print(
        f"RESULT db={db} scale={args.scale:g} seconds={target['seconds']:.2f} "
        f"baseline_seconds={baseline['seconds']:.2f} ratio={ratio:.2f} peak_mb={target['peak_mb']:.0f} "
        f"people={target['people']}"
    )


if __name__ == "__main__":
    main()
