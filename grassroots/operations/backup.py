"""``grassroots backup FILE`` and ``grassroots restore FILE``: the whole database in one portable file.

The file is gzipped JSON lines: a header (format, database vendor, the migrations applied), then
for every table its name and columns followed by one line per row, in key order. It is written
from the models, not by pg_dump or sqlite3's ``.dump``, because:

* one format serves both databases, and a SQLite chapter's backup restores into PostgreSQL when it
  outgrows SQLite (and back): the databases' own dumps speak only their own dialect;
* it needs no client tools of a matching version on the machine (pg_dump refuses a newer server);
* it streams: a table is read in chunks and written as it goes, and read back the same way, so a
  voter roll of millions of rows never sits in memory (Django's dumpdata/loaddata load whole files).

Keys are kept as they are, so foreign keys need no natural keys, and the sequences are moved past
the largest key afterwards. A restore replaces everything in one transaction, into a database
migrated to the same migrations as the backup's (it says so and stops otherwise), and checks
every foreign key before it commits. For a very large PostgreSQL database, pg_dump's custom format
with parallel restore is faster; use it there, and this for moving between databases and for
the round-trip test that proves a backup is whole.
"""

from __future__ import annotations

import base64
import datetime
import gzip
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

FORMAT = "grassroots-backup/1"
CHUNK = 2000


class BackupError(Exception):
    """A backup file that cannot be restored here; the message says why."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages, the many-to-many tables included, in a stable order."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    return sorted(found, key=lambda m: m._meta.db_table)


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")  # what BinaryField.to_python reads
    return value


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _lines(progress: Callable[[str, int], None] | None) -> Iterator[str]:
    yield json.dumps(
        {
            "format": FORMAT,
            "vendor": connection.vendor,
            "created_at": timezone.now().isoformat(),
            "migrations": _applied_migrations(),
        }
    )
    for model in backed_up_models():
        fields = _columns(model)
        yield json.dumps({"table": model._meta.label, "columns": [f.attname for f in fields]})
        rows = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
        count = 0
        for row in rows.iterator(chunk_size=CHUNK):
            yield json.dumps([_encode(v) for v in row], ensure_ascii=False)
            count += 1
        if progress is not None:
            progress(model._meta.label, count)


def backup(path: Path, progress: Callable[[str, int], None] | None = None) -> Summary:
    """Write the whole database to ``path``, as it was at one moment."""
    summary = Summary()

    def counted(table: str, rows: int) -> None:
        summary.tables += 1
        summary.rows += rows
        summary.by_table[table] = rows
        if progress is not None:
            progress(table, rows)

    partial = path.with_name(path.name + ".partial")
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:  # one snapshot for every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with gzip.open(partial, "wt", encoding="utf-8") as out:
            for line in _lines(counted):
                out.write(line)
                out.write("\n")
    partial.replace(path)  # a backup cut off half way never takes the good one's name
    return summary


def _read(path: Path) -> Iterator[Any]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _insert_sql(model: type[models.Model], columns: list[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"  # noqa: S608


def _flush(tables: list[str]) -> None:
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=False, allow_cascade=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL will not TRUNCATE a table with foreign-key checks still pending in this
            # transaction (rows written before the restore began): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for sql in statements:
            cursor.execute(sql)


def restore(path: Path, progress: Callable[[str, int], None] | None = None) -> Summary:
    """Replace everything in the database with the backup at ``path``."""
    rows = _read(path)
    try:
        header = next(rows)
    except (OSError, EOFError, ValueError, StopIteration) as exc:
        raise BackupError(f"{path} is not a grassroots backup ({exc}).") from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a grassroots backup ({FORMAT}).")
    here = _applied_migrations()
    if header["migrations"] != here:
        theirs = {tuple(m) for m in header["migrations"]}
        ours = {tuple(m) for m in here}
        missing = sorted(theirs - ours)[:5]
        extra = sorted(ours - theirs)[:5]
        raise BackupError(
            "The backup was taken at other migrations than this database's: migrate this database "
            f"to the backup's code first (the backup has {missing or 'none'} more, this database "
            f"{extra or 'none'} more)."
        )
    models_here = backed_up_models()
    summary = Summary()
    with transaction.atomic():
        _flush([m._meta.db_table for m in models_here])
        model: type[models.Model] | None = None
        fields: list[models.Field[Any, Any]] = []
        batch: list[list[Any]] = []
        sql = ""

        def flush_batch() -> None:
            if batch:
                with connection.cursor() as cursor:
                    cursor.executemany(sql, batch)
                batch.clear()

        def finish_table() -> None:
            flush_batch()
            if model is not None:
                summary.tables += 1
                if progress is not None:
                    progress(model._meta.label, summary.by_table[model._meta.label])

        for line in rows:
            if isinstance(line, dict):
                finish_table()
                model = apps.get_model(line["table"])
                by_attname = {f.attname: f for f in _columns(model)}
                unknown = set(line["columns"]) - set(by_attname)
                if unknown:
                    raise BackupError(f"{line['table']} has no columns {sorted(unknown)} here.")
                fields = [by_attname[c] for c in line["columns"]]
                sql = _insert_sql(model, [f.column for f in fields])
                summary.by_table[model._meta.label] = 0
                continue
            assert model is not None
            batch.append(
                [
                    f.get_db_prep_save(None if v is None else f.to_python(v), connection)
                    for f, v in zip(fields, line, strict=True)
                ]
            )
            summary.by_table[model._meta.label] += 1
            summary.rows += 1
            if len(batch) >= CHUNK:
                flush_batch()
        finish_table()
        with connection.cursor() as cursor:
            for reset in connection.ops.sequence_reset_sql(no_style(), models_here):
                cursor.execute(reset)
        # Every foreign key is checked before anything is committed.
        connection.check_constraints(table_names=[m._meta.db_table for m in models_here])
    return summary
