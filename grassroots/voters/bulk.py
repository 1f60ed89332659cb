"""Bulk writes for imports: rows without model instances, deferred indexes, SQLite settings.

The one place where voter imports write with SQL of their own, because the ORM is what
would bound them:

* ``insert_rows`` inserts plain tuples. Building a model instance and letting bulk_create
  turn it back into SQL parameters costs tens of microseconds a row, more than everything
  else an import does. Values are converted per column (dates, JSON, UUIDs as each database
  stores them), primary keys are taken before the insert, and rows go in with COPY on
  PostgreSQL and executemany on SQLite.
* ``deferred_indexes`` drops indexes a large load does not read, and builds them again
  once it is done: an index whose keys arrive in no order (names) has most of its pages
  rewritten by every batch, and building it once, sorted, at the end costs a fraction of that.
* ``deferred_foreign_keys`` does the same for the foreign keys of the tables a large load
  writes on PostgreSQL: checked once, in one join per key, instead of a lookup per key and row.
* ``import_settings`` gives SQLite a larger page cache and fewer checkpoints while an import runs.
* ``listed`` hands a batch's thousands of keys to ``__in`` as one parameter: the statement is
  the same for every batch, so the driver's cache of prepared statements keeps one copy of it,
  not one of several megabytes per batch size met (which grew an import's memory with its file).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import orjson
from django.db import IntegrityError, connection, models, transaction
from django.db.models.expressions import RawSQL

from grassroots.lib.ids import ordered_uuid_hexes

SQLITE_CACHE_KIB = 64 * 1024  # an import of 1,000,000 voters peaks at about 250 MB with it
SQLITE_CHECKPOINT_PAGES = 50_000  # about 200 MB of log on disk
POSTGRES_INDEX_MEMORY = "256MB"


class EncodedJson:
    """A value of a JSONField already encoded: insert_rows stores its text as it is. Not a str
    subclass: making one copies the text, a kilobyte for a voter's raw row."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def listed(values: Iterable[Any]) -> RawSQL | list[Any]:
    """``values`` (strings or integers) as a subquery of one parameter, for ``field__in=``
    (none: the empty list, which Django knows matches nothing)."""
    values = list(values)
    if not values:
        return values
    if connection.vendor == "postgresql":
        kind = "bigint" if all(isinstance(value, int) for value in values) else "text"
        return RawSQL(f"SELECT {_elements(kind)}", [_json_list(values)])  # noqa: S611 - one of two type names
    return RawSQL("SELECT value FROM json_each(%s)", [_json_list(values)])


def matching(
    model: type[models.Model], keys: Sequence[str], wanted: Sequence[Sequence[Any]], columns: Sequence[str]
) -> list[tuple[Any, ...]]:
    """``columns`` of the rows of ``model`` whose ``keys`` columns equal one of the tuples
    ``wanted``: a join on the whole key, which a unique index of those columns serves row by row.
    (``field__in`` on its first column alone reads every row sharing it: all the "1 MAIN ST"
    of a state for one address, and more as the table grows.)"""
    if not wanted:
        return []
    quote = connection.ops.quote_name
    fields = [_field(model, name) for name in keys]
    on = " AND ".join(f"t.{quote(f.column)} = k.k{i}" for i, f in enumerate(fields))
    shown = ", ".join(f"t.{quote(_field(model, name).column)}" for name in columns)
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        types = [
            "bigint"
            if f.get_internal_type().endswith(("IntegerField", "ForeignKey", "AutoField"))
            else "text"
            for f in fields
        ]
        parts = ", ".join(f"(v->>{i})::{kind} AS k{i}" for i, kind in enumerate(types))
        # One index probe per key, as a lateral subquery that OFFSET 0 keeps the planner from
        # folding into a plain join: folded, a join of thousands of keys is planned as a scan of
        # the whole table (hashed or sorted), whose cost grows with every batch of a load, and a
        # table filled by the load itself has no statistics to tell the planner otherwise.
        inner = ", ".join(f"t.{quote(_field(model, name).column)}" for name in dict.fromkeys(columns))
        sql = (
            f"SELECT {shown} FROM (SELECT {parts} FROM jsonb_array_elements(%s::jsonb) AS e(v)) AS k "  # noqa: S608
            f"CROSS JOIN LATERAL (SELECT {inner} FROM {table} t WHERE {on} OFFSET 0) AS t"
        )
    else:
        parts = ", ".join(f"json_extract(value, '$[{i}]') AS k{i}" for i in range(len(fields)))
        sql = f"SELECT {shown} FROM (SELECT {parts} FROM json_each(%s)) AS k JOIN {table} t ON {on}"  # noqa: S608
    # The keys go as one JSON parameter: psycopg builds an array parameter value by value in
    # Python, about four times as long for a batch's 5,000 keys as encoding and decoding JSON.
    params = [_json_list(map(list, wanted))]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _elements(kind: str) -> str:
    """The elements of a JSON list parameter as a column of ``kind`` (PostgreSQL): as JSON, not as
    an array, for the reason matching gives."""
    return f"jsonb_array_elements_text(%s::jsonb)::{kind}"


def _json_list(values: Iterable[Any]) -> str:
    return orjson.dumps(list(values)).decode()


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """A concrete field of the model by name or attname ("pk": the primary key)."""
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return field


def _converter(model_field: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value of this field is handed to the database driver (None: as it is)."""
    kind = model_field.get_internal_type()
    ops = connection.ops
    if kind == "JSONField":
        encoder = getattr(model_field, "encoder", None)
        return lambda value: value.text if isinstance(value, EncodedJson) else json.dumps(value, cls=encoder)
    if connection.vendor != "sqlite":
        return None  # psycopg adapts dates, datetimes and UUIDs itself
    if kind == "UUIDField":
        return lambda value: value.hex if value is not None else None
    if kind == "DateTimeField":
        return _last_of(ops.adapt_datetimefield_value)  # a batch's rows share one "now"
    if kind == "DateField":
        return ops.adapt_datefield_value
    return None


def _convert_one(model_field: models.Field, value: Any) -> Any:
    convert = _converter(model_field)
    return value if convert is None else convert(value)


def _last_of(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, remembering its last answer for a value given again."""
    last: list[Any] = [object(), None]

    def converted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, convert(value)
        return last[1]

    return converted


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> tuple[list[int], int]:
    """Insert ``rows`` (tuples of values for the fields ``columns``, by name or attname) into
    ``model``'s table; fields left out get their defaults, as a new instance would, except that
    a UUID made by ``uuid.uuid4`` is a time-ordered one (version 7). An area's UUID must be
    given: its path is made of it.

    Returns the primary keys given to the rows, in order, and how many rows went in: with
    ``ignore_conflicts`` a row that breaks a unique constraint is skipped, and its key unused.
    Must run inside a transaction (the keys are reserved under its lock on SQLite).
    """
    if not rows:
        return [], 0
    assert connection.in_atomic_block, "insert_rows runs inside transaction.atomic"
    meta = model._meta
    given: list[Any] = [meta.get_field(name) for name in columns]
    given_names = {f.name for f in given}
    defaults = [f for f in meta.concrete_fields if not f.primary_key and f.name not in given_names]
    # A UUID left to its default gets a time-ordered one (lib.ids: the rows go in at the end of
    # its unique index); any other default is taken once for all the rows (they would all get
    # equal values: an empty dict, the same "now" within a transaction).
    ordered = [f for f in defaults if f.has_default() and f.default is uuid.uuid4]
    constant = [f for f in defaults if f not in ordered]
    fixed = tuple(_convert_one(f, f.get_default()) for f in constant)
    fields = [meta.pk, *given, *ordered, *constant]
    converters = [(i, c) for i, f in enumerate(fields[: 1 + len(given)]) if (c := _converter(f))]
    ids = _reserve_ids(model, len(rows))
    made = [ordered_uuid_hexes(len(rows)) for _ in ordered]
    values: list[list[Any]] = []
    for i, (pk, row) in enumerate(zip(ids, rows, strict=True)):
        value = [pk, *row]
        for at, convert in converters:
            value[at] = convert(value[at])
        value += [column[i] for column in made]
        value += fixed
        values.append(value)
    table = connection.ops.quote_name(meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ", ".join(["%s"] * len(fields))
            conflict = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks}){conflict}", values)  # noqa: S608
            return ids, cursor.rowcount if ignore_conflicts else len(rows)
        if not ignore_conflicts:
            _copy(cursor, table, names, values)
            return ids, len(rows)
        # COPY cannot skip conflicts. Most often there are none (the callers insert rows they have
        # just looked up, or rows of people just made): the rows are copied in under a savepoint.
        # Where one conflicts, that copy is undone, and the rows go to a scratch table, then in
        # where they do not conflict: a table made and dropped for each batch costs more than the
        # copy itself.
        try:
            with transaction.atomic(), connection.wrap_database_errors:  # COPY runs on psycopg's cursor
                _copy(cursor, table, names, values)
        except IntegrityError:
            pass
        else:
            return ids, len(rows)
        scratch = connection.ops.quote_name(f"import_scratch_{meta.db_table}")
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} (LIKE {table}) ON COMMIT DROP")
        _copy(cursor, scratch, names, values)
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {names} FROM {scratch} ON CONFLICT DO NOTHING"  # noqa: S608
        )
        inserted = cursor.rowcount
        cursor.execute(f"DROP TABLE {scratch}")
        return ids, inserted


def _copy(cursor: Any, table: str, names: str, values: list[list[Any]]) -> None:
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for value in values:
            copy.write_row(value)


def _reserve_ids(model: type[models.Model], n: int) -> list[int]:
    """``n`` unused primary keys of ``model``'s table."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is named once: pg_get_serial_sequence in the query would look it up
            # in the catalog for each key, ten times what taking the key costs. One row of an
            # array: n rows through the driver cost more than taking the keys.
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, %s)",
                [connection.ops.quote_name(table), model._meta.pk.column],
            )
            (sequence,) = cursor.fetchone()
            cursor.execute(
                "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, n]
            )
            (keys,) = cursor.fetchone()
            return list(keys)
        # SQLite: the transaction holds the write lock (IMMEDIATE), so no one takes these
        # keys meanwhile. AUTOINCREMENT never reuses a key, even of a deleted row.
        quoted, pk = connection.ops.quote_name(table), connection.ops.quote_name(model._meta.pk.column)
        cursor.execute(f"SELECT coalesce(max({pk}), 0) FROM {quoted}")  # noqa: S608
        (top,) = cursor.fetchone()
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(top, found[0] if found else 0) + 1
        return list(range(start, start + n))


@contextmanager
def import_settings() -> Iterator[None]:
    """On SQLite, a larger page cache while the import runs (SQLITE_CACHE_KIB): with the default
    2 MB, inserting into the indexes of tables of millions of rows reads most pages again. And
    fewer checkpoints (SQLITE_CHECKPOINT_PAGES): a page each batch changes again is copied
    from the write-ahead log to the database once, not after every batch.

    On PostgreSQL, commits that do not wait for the log to reach the disk (a crash loses the
    last batches, which the import's resumption reads again: the batch and the line it reached
    are committed together), and more memory to build the indexes deferred during the load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("SET maintenance_work_mem TO %s", [POSTGRES_INDEX_MEMORY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
                cursor.execute("RESET maintenance_work_mem")
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (checkpoint,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB:d}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {SQLITE_CHECKPOINT_PAGES:d}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache):d}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint):d}")


# Deferred indexes ------------------------------------------------------------------------


def _index_statements(model: type[models.Model], columns: Iterable[str]) -> dict[str, str]:
    """The CREATE INDEX statements of ``model``'s plain (not unique) indexes that cover only
    ``columns``, by index name, as its migrations make them."""
    table = model._meta.db_table
    wanted = set(columns)
    every = {f.column for f in model._meta.concrete_fields}
    statements = {}
    editor: Any = connection.schema_editor()  # _model_indexes_sql: what migrate runs for the model
    for statement in editor._model_indexes_sql(model):
        covered = {column for column in every if statement.references_column(table, column)}
        if covered and covered <= wanted:
            statements[str(statement.parts["name"]).strip('"')] = str(statement)
    return statements


def restore_indexes(deferrable: Mapping[type[models.Model], Iterable[str]]) -> None:
    """Build any of the deferrable indexes that is missing (left dropped by a killed import)."""
    with connection.cursor() as cursor:
        for model, columns in deferrable.items():
            present = connection.introspection.get_constraints(cursor, model._meta.db_table)
            for name, statement in _index_statements(model, columns).items():
                if name not in present:
                    cursor.execute(statement)


@contextmanager
def deferred_indexes(
    deferrable: Mapping[type[models.Model], Iterable[str]], *, defer: bool
) -> Iterator[None]:
    """With ``defer``, drop the plain indexes of each model that cover only the columns given
    for it while the block runs, and build them again after it. Without, only make sure they
    are all there. An import killed inside the block leaves them dropped until the next import
    (its resumption, say) builds them again; queries meanwhile are slower, never wrong."""
    restore_indexes(deferrable)
    if not defer:
        yield
        return
    with connection.cursor() as cursor:
        for model, columns in deferrable.items():
            for name in _index_statements(model, columns):
                cursor.execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        restore_indexes(deferrable)


# Deferred foreign keys (PostgreSQL) --------------------------------------------------------

_FK_SUFFIX = "_fk_%(to_table)s_%(to_column)s"  # as Django's migrations name them


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, models.ForeignKey) and getattr(field, "db_constraint", True)
    ]


def _foreign_key_names(cursor: Any, table: str) -> dict[str, list[str]]:
    """The names of the foreign-key constraints of ``table``, by the column they constrain."""
    found: dict[str, list[str]] = {}
    for name, about in connection.introspection.get_constraints(cursor, table).items():
        if about["foreign_key"] and len(about["columns"]) == 1:
            found.setdefault(about["columns"][0], []).append(name)
    return found


def restore_foreign_keys(models_: Iterable[type[models.Model]]) -> None:
    """Add back, and check against the rows already there, any foreign key of these models that
    is missing (left dropped by a killed import). Added as NOT VALID, then validated: should a
    row break it, the key still holds for every row written after, and the error says which."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    editor: Any = connection.schema_editor()  # _create_fk_sql: what migrate runs for the field
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            present = _foreign_key_names(cursor, table)
            for field in _foreign_keys(model):
                if field.column in present:
                    continue
                name = str(editor._fk_constraint_name(model, field, _FK_SUFFIX)).strip('"')
                cursor.execute(f"{editor._create_fk_sql(model, field, _FK_SUFFIX)} NOT VALID")
                cursor.execute(f"ALTER TABLE {quote(table)} VALIDATE CONSTRAINT {quote(name)}")


@contextmanager
def deferred_foreign_keys(models_: Sequence[type[models.Model]], *, defer: bool) -> Iterator[None]:
    """With ``defer`` on PostgreSQL, drop the foreign keys of these models while the block runs
    and add them back after it, each checked against the whole table in one join. Checked row
    by row, as the keys are declared (deferred to each commit), they cost a load about a third
    of the time PostgreSQL spends on it: a lookup in the referenced table for every key of every
    row. An import killed inside the block leaves them dropped until the next import adds them
    back (restore_foreign_keys).

    Not inside a transaction: PostgreSQL alters no table with checks of its rows still pending,
    and the keys are only worth dropping when each batch commits on its own."""
    restore = not connection.in_atomic_block
    if restore:
        restore_foreign_keys(models_)
    if not (defer and restore and connection.vendor == "postgresql"):
        yield
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            present = _foreign_key_names(cursor, table)
            for field in _foreign_keys(model):
                for name in present.get(field.column, []):
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT IF EXISTS {quote(name)}")
    try:
        yield
    finally:
        restore_foreign_keys(models_)
