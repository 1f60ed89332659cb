"""Benchmark: import a North Carolina voter file, ours against a raw load of the same rows.

    uv run python benchmarks/import_voters.py                 # 1,000,000 rows, SQLite then PostgreSQL
    uv run python benchmarks/import_voters.py 200000 --database-url postgres://postgres@127.0.0.1:5432/grassroots_bench

One synthetic ``ncvoter`` file of N rows (``samples.synthetic_nc_rows``, seed 1) is written
to a temporary file, streamed, never held in memory. Its voters live about two to an address,
and a street's stretch lies in one precinct, as in a state's file (an earlier version of the
generator gave nearly every voter an address of their own, and spread each street over every
precinct of its city: about 1.6 new areas per voter where a real file makes about 0.4).
Then, on each database, two measurements run, each in a subprocess of its own on a fresh,
migrated database:

* ours — ``do_create_import`` and ``run_import``: everything the product does with a voter
  file (parse, normalize addresses, households, areas, voter records, people);
* raw  — the same file split by the ``csv`` module and loaded as text into a plain table of
  its columns: PostgreSQL ``COPY`` through psycopg, SQLite ``executemany`` in one
  transaction (WAL, synchronous=NORMAL, as the app runs it).

The raw table has no index, no key and no constraint: it is what the file holds, nothing
more. An NC row is 67 quoted columns, about 450 bytes; splitting it with the csv module
takes most of the raw load's time, so its rows per second are those of rows this wide, well
below what a load of a few narrow columns reaches on the same database.

After ours, in the same worker, a third figure: the floor, what storing the rows our import
stored costs with nothing else to do. Those rows (voter records, people, phones, households,
areas) are read out of their tables, then written again in one transaction into copies of
the tables without index, key or constraint, as the raw load writes (COPY, executemany). No
import that stores them can be faster; its rows per second count the file's rows, as ours do.

Rows per second for all three, the ratio ours/raw (1.0 would be as fast as the raw load), and
the peak memory of our import (taken before the floor is measured): the peak resident set
size of the worker process (VmHWM on Linux, started over once Django is set up and migrated;
ru_maxrss elsewhere), Python, Django and the database driver included. Each line also gives
the worker's CPU seconds: on a machine shared with other work, wall time alone says more
about the neighbours. Without --database-url both databases run, SQLite (a file in a
temporary directory) then PostgreSQL at the URL below; a PostgreSQL database is dropped and
created again for each measurement, so its name must contain "bench". The last lines are
machine-readable, one per database:

    RESULT db=sqlite rows=N ours_rows_per_s=... raw_rows_per_s=... ratio=... peak_mb=... \
        floor_rows_per_s=... floor_ratio=...
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/grassroots_bench"
WORKER_TAG = "WORKER "
SEED = 1


def current_rss_mb() -> float:
    try:
        with open("/proc/self/statm") as stream:
            return int(stream.read().split()[1]) * resource.getpagesize() / (1024 * 1024)
    except OSError:
        return peak_rss_mb()


def reset_peak_rss() -> None:
    """Start the peak over from the current size (Linux); elsewhere the peak keeps the set-up."""
    try:
        with open("/proc/self/clear_refs", "w") as stream:
            stream.write("5")
    except OSError:
        pass


def peak_rss_mb() -> float:
    """Peak resident size of this process. On Linux VmHWM: ru_maxrss would also count the parent's
    size at the fork that started this worker (the kernel carries it over exec)."""
    try:
        with open("/proc/self/status") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# The workers: one measurement, one fresh database, in this process. -------------------------


def setup_django(database_url: str, var_dir: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["GRASSROOTS_VAR_DIR"] = var_dir
    os.environ["DEBUG"] = "false"
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def work_ours(database_url: str, path: str, var_dir: str) -> dict[str, Any]:
    setup_django(database_url, var_dir)
    from grassroots.voters.actions import do_create_import
    from grassroots.voters.importer import run_import
    from grassroots.voters.models import VoterImport

    reset_peak_rss()
    before = current_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    job = do_create_import(None, file_path=Path(path), file_name="ncvoter_bench.txt", layout="nc")
    job = run_import(job)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    if job.status != VoterImport.Status.DONE:
        raise SystemExit(f"The import failed: {job.message}")
    peak_mb = peak_rss_mb()
    floor = floor_seconds(var_dir)
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows": job.rows_read,
        "created": job.created,
        "errors": job.error_count,
        "people": job.people_created,
        "rss_before_mb": before,
        "peak_mb": peak_mb,
        "floor_seconds": floor["seconds"],
        "floor_rows": floor["rows"],
        "floor_tables": floor["tables"],
    }


def floor_seconds(var_dir: str) -> dict[str, Any]:
    """The time it takes to write again only what the import stored, with nothing else to do: the
    rows of the tables it filled, read out beforehand (not timed), loaded into copies of those
    tables that have no index, key or constraint, in one transaction, as the raw load is: COPY
    on PostgreSQL, executemany on SQLite. No import that stores these rows can beat it."""
    from django.db import connection

    from grassroots.people.models import Person, PhoneNumber
    from grassroots.places.models import Area, Household
    from grassroots.voters.models import VoterRecord

    tables = [m._meta.db_table for m in (VoterRecord, Person, PhoneNumber, Household, Area)]
    quote = connection.ops.quote_name
    connection.ensure_connection()
    raw = connection.connection
    dumps: list[tuple[str, Path]] = []
    rows = 0
    per_table: dict[str, tuple[int, float]] = {}  # rows, seconds
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor:
            for table in tables:
                dump = Path(var_dir) / f"floor-{table}.copy"
                with open(dump, "wb") as out, cursor.copy(f"COPY {quote(table)} TO STDOUT") as copy:
                    for block in copy:
                        out.write(block)
                cursor.execute(f"CREATE TABLE {quote('floor_' + table)} (LIKE {quote(table)})")
                dumps.append((table, dump))
        raw.commit()
        started = time.perf_counter()
        with raw.transaction(), raw.cursor() as cursor:
            for table, dump in dumps:
                table_started = time.perf_counter()
                with (
                    open(dump, "rb") as stream,
                    cursor.copy(f"COPY {quote('floor_' + table)} FROM STDIN") as copy,
                ):
                    while block := stream.read(1 << 20):
                        copy.write(block)
                rows += cursor.rowcount
                per_table[table] = (cursor.rowcount, time.perf_counter() - table_started)
    else:
        import pickle

        for table in tables:
            dump = Path(var_dir) / f"floor-{table}.pickle"
            select = raw.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            with open(dump, "wb") as out:
                while chunk := select.fetchmany(10_000):
                    pickle.dump(chunk, out)
            raw.execute(f"CREATE TABLE {quote('floor_' + table)} AS SELECT * FROM {quote(table)} WHERE 0")  # noqa: S608
            dumps.append((table, dump))
        started = time.perf_counter()
        raw.execute("BEGIN")
        for table, dump in dumps:
            table_started, table_rows = time.perf_counter(), 0
            width = len(raw.execute(f"SELECT * FROM {quote(table)} LIMIT 0").description)  # noqa: S608
            insert = f"INSERT INTO {quote('floor_' + table)} VALUES ({', '.join('?' * width)})"  # noqa: S608
            with open(dump, "rb") as stream:
                while True:
                    try:
                        chunk = pickle.load(stream)  # noqa: S301 - written above
                    except EOFError:
                        break
                    raw.executemany(insert, chunk)
                    table_rows += len(chunk)
            rows += table_rows
            per_table[table] = (table_rows, time.perf_counter() - table_started)
        raw.execute("COMMIT")
    seconds = time.perf_counter() - started
    for _, dump in dumps:
        dump.unlink()
    return {"seconds": seconds, "rows": rows, "tables": per_table}


def _file_rows(path: str) -> tuple[list[str], Any, Any]:
    """The header, and the data rows of the file split by the csv module (a lazy iterator)."""
    stream = open(path, encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller
    reader = csv.reader(stream, delimiter="\t", quotechar='"')
    return next(reader), reader, stream


def work_raw(database_url: str, path: str, var_dir: str) -> dict[str, Any]:
    setup_django(database_url, var_dir)  # the same fresh, migrated database as ours
    from django.db import connection

    reset_peak_rss()
    started, cpu_started = time.perf_counter(), time.process_time()
    header, reader, stream = _file_rows(path)
    columns = ", ".join(f'"{name}" text' for name in header)
    rows = 0
    with stream:
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            pg = connection.connection  # the psycopg 3 connection under Django's
            with pg.transaction(), pg.cursor() as cursor:
                cursor.execute(f"CREATE TABLE raw_ncvoter ({columns})")
                with cursor.copy("COPY raw_ncvoter FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row(row)
                        rows += 1
        else:
            # Django's sqlite3 connection in autocommit mode: the one transaction is begun by hand.
            connection.ensure_connection()
            raw = connection.connection
            raw.execute(f"CREATE TABLE raw_ncvoter ({columns})")
            marks = ", ".join("?" * len(header))
            counted = _Counted(reader)
            raw.execute("BEGIN")
            raw.executemany(f"INSERT INTO raw_ncvoter VALUES ({marks})", counted)  # noqa: S608
            raw.execute("COMMIT")
            rows = counted.count
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {"seconds": seconds, "cpu_seconds": cpu_seconds, "rows": rows, "peak_mb": peak_rss_mb()}


class _Counted:
    """An iterator that counts what it hands out (executemany consumes it out of sight)."""

    def __init__(self, rows: Any) -> None:
        self.rows = iter(rows)
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Any:
        row = next(self.rows)
        self.count += 1
        return row


WORKERS = {"ours": work_ours, "raw": work_raw}


# The driver: the file, fresh databases, one subprocess per measurement, the report. -----------


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
    try:
        conn = psycopg.connect(maintenance, autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is not reachable at {parts.netloc} (make postgres starts it): {error}"
        ) from None
    with conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def write_file(path: Path, n: int) -> None:
    sys.path.insert(0, str(PROJECT_DIR))
    from grassroots.voters.samples import synthetic_nc_rows, write_nc

    with open(path, "w", encoding="utf-8", newline="") as stream:
        write_nc(stream, synthetic_nc_rows(n, SEED))


def measure(kind: str, database_url: str, path: Path, tmp: Path) -> dict[str, Any]:
    if is_postgres(database_url):
        url = database_url
        recreate_postgres(url)
    else:
        db_file = tmp / f"{kind}.sqlite3"
        for leftover in tmp.glob(f"{kind}.sqlite3*"):
            leftover.unlink()
        url = f"sqlite:///{db_file}"
    command = [sys.executable, __file__, "--worker", kind, "--file", str(path), "--database-url", url]
    command += ["--var-dir", str(tmp)]
    try:
        done = subprocess.run(command, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as error:
        sys.stderr.write(error.stdout + error.stderr)
        raise
    finally:
        if is_postgres(database_url):
            recreate_postgres(url, drop_only=True)
        else:
            for leftover in tmp.glob(f"{kind}.sqlite3*"):
                leftover.unlink()
    line = next(line for line in done.stdout.splitlines() if line.startswith(WORKER_TAG))
    result: dict[str, Any] = json.loads(line[len(WORKER_TAG) :])
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", nargs="?", type=int, default=1_000_000, help="rows (default 1,000,000)")
    parser.add_argument(
        "--database-url", help="one dedicated PostgreSQL database (default: SQLite, then PostgreSQL)"
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        result = WORKERS[args.worker](args.database_url, args.file, args.var_dir)
        print(WORKER_TAG + json.dumps(result), flush=True)
        return

    if args.database_url is not None and not is_postgres(args.database_url):
        raise SystemExit("--database-url takes a PostgreSQL URL; SQLite runs in a temporary directory.")
    targets = [("postgresql", args.database_url)] if args.database_url else [
        ("sqlite", "sqlite"),
        ("postgresql", DEFAULT_POSTGRES),
    ]  # fmt: skip
    results: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory(prefix="grassroots-bench-") as folder:
        tmp = Path(folder)
        path = tmp / "ncvoter_bench.txt"
        started = time.perf_counter()
        write_file(path, args.n)
        print(
            f"Wrote {args.n:,} North Carolina voters ({path.stat().st_size / 1e6:,.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        for db, url in targets:
            raw = measure("raw", url, path, tmp)
            print(
                f"  {db:<10} raw : {raw['seconds']:7.1f} s  {raw['rows'] / raw['seconds']:>9,.0f} rows/s  "
                f"(this process's CPU {raw['cpu_seconds']:.1f} s)"
            )
            ours = measure("ours", url, path, tmp)
            print(
                f"  {db:<10} ours: {ours['seconds']:7.1f} s  {ours['rows'] / ours['seconds']:>9,.0f} rows/s  "
                f"(this process's CPU {ours['cpu_seconds']:.1f} s), "
                f"peak RSS {ours['peak_mb']:.0f} MB ({ours['rss_before_mb']:.0f} MB before importing), "
                f"{ours['created']:,} records, {ours['people']:,} people, {ours['errors']:,} errors",
                flush=True,
            )
            print(
                f"  {db:<10} floor: {ours['floor_seconds']:6.1f} s  "
                f"{ours['rows'] / ours['floor_seconds']:>9,.0f} rows/s  "
                f"(what ours stored, {ours['floor_rows']:,} rows in all, written again into tables "
                f"without index, key or constraint): "
                + ", ".join(
                    f"{table} {count:,} rows {spent:.1f} s"
                    for table, (count, spent) in ours["floor_tables"].items()
                ),
                flush=True,
            )
            results.append((db, ours, raw))
    print()
    print(
        f"{'database':<12}{'rows':>11}{'ours rows/s':>14}{'raw rows/s':>14}{'ratio':>8}{'peak MB':>10}"
        f"{'floor rows/s':>15}{'ratio':>8}"
    )
    lines = []
    for db, ours, raw in results:
        ours_rate, raw_rate = ours["rows"] / ours["seconds"], raw["rows"] / raw["seconds"]
        ratio = ours_rate / raw_rate
        floor_rate = ours["rows"] / ours["floor_seconds"]
        print(
            f"{db:<12}{ours['rows']:>11,}{ours_rate:>14,.0f}{raw_rate:>14,.0f}{ratio:>8.3f}{ours['peak_mb']:>10.0f}"
            f"{floor_rate:>15,.0f}{floor_rate / raw_rate:>8.3f}"
        )
        lines.append(
            f"RESULT db={db} rows={ours['rows']} ours_rows_per_s={ours_rate:.0f} "
            f"raw_rows_per_s={raw_rate:.0f} ratio={ratio:.3f} peak_mb={ours['peak_mb']:.0f} "
            f"floor_rows_per_s={floor_rate:.0f} floor_ratio={floor_rate / raw_rate:.3f}"
        )
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()
