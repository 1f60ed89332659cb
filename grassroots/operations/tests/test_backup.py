"""A backup restores the database exactly: every table compared row by row, on either database."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from grassroots.demo.generator import generate_city
from grassroots.fixtures import SmallCity
from grassroots.operations.backup import BackupError, backup, restore
from grassroots.people import actions
from grassroots.people.models import Action, Person
from grassroots.testing import make_person

pytestmark = pytest.mark.django_db


def _every_row() -> dict[str, list[str]]:
    """Every row of every table (Django's migration log aside), as text, sorted."""
    tables: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table == "django_migrations":
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = sorted(repr(row) for row in cursor.fetchall())
    return tables


def _a_city_with_everything(c: SmallCity) -> None:
    generate_city(seed=1, scale=0.05)
    person = make_person("Zoë", "Ñúñez", area=c.building1, emails=("zoe@example.org",), actions=("signup",))
    person.custom_fields = {"quote": 'She said "no" — and \\ meant it', "n": [1, 2.5, None, True]}
    person.save(update_fields=["custom_fields"])
    actions.do_merge_people(c.organizer, c.ana, make_person("Ana", "P.", area=c.building1))


def test_a_backup_restores_every_table_row_by_row(small_city: SmallCity, tmp_path: Path) -> None:
    _a_city_with_everything(small_city)
    before = _every_row()
    assert sum(len(rows) for rows in before.values()) > 1000
    summary = backup(tmp_path / "backup.jsonl.gz")
    assert summary.rows == sum(len(rows) for name, rows in before.items())

    # Then the data changes: some is lost, some is added, some is changed.
    Action.objects.filter(kind="signup").delete()
    Person.objects.filter(pk=small_city.bo.pk).update(first_name="Changed")
    make_person("New", "Comer", area=small_city.ed1)
    assert _every_row() != before

    restore(tmp_path / "backup.jsonl.gz")
    after = _every_row()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    # The keys go on after the largest restored one: a new row takes no one's key.
    newest = make_person("After", "Restore", area=small_city.ed1)
    assert newest.pk > max(Person.objects.exclude(pk=newest.pk).values_list("pk", flat=True))


def test_the_commands_back_up_and_restore(small_city: SmallCity, tmp_path: Path) -> None:
    path = tmp_path / "chapter.jsonl.gz"
    out = io.StringIO()
    call_command("backup", str(path), stdout=out)
    assert "Backed up" in out.getvalue()
    before = _every_row()
    Person.objects.filter(pk=small_city.ana.pk).update(first_name="Changed")
    call_command("restore", str(path), "--yes", stdout=io.StringIO())
    assert _every_row() == before
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(path), stdout=io.StringIO())


def _rewrite_header(source: Path, target: Path, **changes: Any) -> None:
    with gzip.open(source, "rt") as lines, gzip.open(target, "wt") as out:
        header = json.loads(next(lines))
        out.write(json.dumps({**header, **changes}) + "\n")
        out.writelines(lines)


def test_a_backup_of_other_migrations_or_no_backup_at_all_is_refused_untouched(
    small_city: SmallCity, tmp_path: Path
) -> None:
    good = tmp_path / "good.jsonl.gz"
    backup(good)
    other = tmp_path / "other.jsonl.gz"
    _rewrite_header(good, other, migrations=[["people", "9999_from_the_future"]])
    before = _every_row()
    with pytest.raises(BackupError, match="migrate"):
        restore(other)
    not_a_backup = tmp_path / "notes.txt.gz"
    with gzip.open(not_a_backup, "wt") as out:
        out.write("hello\n")
    with pytest.raises(BackupError, match="not a grassroots backup"):
        restore(not_a_backup)
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    with pytest.raises(BackupError, match="not a grassroots backup"):
        restore(plain)
    assert _every_row() == before
