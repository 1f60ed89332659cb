"""A voter import killed with SIGKILL half way, then resumed, leaves what an uninterrupted one does."""

from __future__ import annotations

import io
import json
import signal
import uuid
from collections import Counter
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models

from grassroots.fixtures import SharedDatabase, wait_until
from grassroots.lib.ahead import can_read_ahead, read_ahead
from grassroots.operations.backup import backup, restore
from grassroots.people.models import Person
from grassroots.places.models import Area, Household
from grassroots.voters import importer, samples
from grassroots.voters.models import VoterImport, VoterRecord

ROWS = 15_000  # three batches: enough to be killed between two of them


def _natural_keys() -> dict[type[models.Model], dict[int, Hashable]]:
    """For the tables others point at, each row's key by what it is rather than by the key the
    database gave it: keys differ between two runs (a killed transaction still spends its ids)."""
    areas = dict(Area.objects.values_list("pk", "parent_id"))
    names = {pk: (kind, name) for pk, kind, name in Area.objects.values_list("pk", "kind", "name")}

    def chain(pk: int | None) -> tuple[Any, ...]:
        return () if pk is None else (*chain(areas[pk]), names[pk])

    area_keys: dict[int, Hashable] = {pk: chain(pk) for pk in areas}
    household_keys: dict[int, Hashable] = {
        pk: (area_keys[area], line, unit)
        for pk, area, line, unit in Household.objects.values_list("pk", "area_id", "address_line", "unit")
    }
    person_keys: dict[int, Hashable] = {
        pk: (first, middle, last, area_keys[area])
        for pk, first, middle, last, area in Person.objects.values_list(
            "pk", "first_name", "middle_name", "last_name", "area_id"
        )
    }
    record_keys: dict[int, Hashable] = {
        pk: (state, voter_id)
        for pk, state, voter_id in VoterRecord.objects.values_list("pk", "state", "voter_id")
    }
    import_keys: dict[int, Hashable] = dict.fromkeys(
        VoterImport.objects.values_list("pk", flat=True), "the import"
    )
    return {Area: area_keys, Household: household_keys, Person: person_keys, VoterRecord: record_keys,
            VoterImport: import_keys}  # fmt: skip


def _comparable(field: models.Field[Any, Any]) -> bool:
    """Whether a column says the same in two equal runs: not keys, ids or clocks."""
    if field.primary_key or field.name in {"public_id", "object_id", "path", "sort_key"}:
        return False
    return not isinstance(field, models.DateTimeField | models.UUIDField)


def _every_table() -> dict[str, Counter[tuple[Any, ...]]]:
    keys = _natural_keys()
    tables = {}
    for model in apps.get_models():
        if not model.__module__.startswith("grassroots"):
            continue
        fields = [f for f in model._meta.concrete_fields if _comparable(f)]
        rows: Counter[tuple[Any, ...]] = Counter()
        for values in model._base_manager.values_list(*[f.attname for f in fields]).iterator():
            row = []
            for field, value in zip(fields, values, strict=True):
                if field.is_relation and value is not None:
                    target: Any = field.related_model
                    value = keys.get(target, {}).get(value, "another row")
                elif isinstance(value, dict | list):
                    value = json.dumps(value, sort_keys=True)
                row.append(value)
            rows[tuple(row)] += 1
        tables[model._meta.label] = rows
    return tables


def test_an_import_killed_half_way_and_resumed_leaves_what_an_uninterrupted_one_does(
    shared_database: SharedDatabase, tmp_path: Path
) -> None:
    db = shared_database
    voter_file = tmp_path / "ncvoter.txt"
    with voter_file.open("w", encoding="utf-8", newline="") as out:
        samples.write_nc(out, samples.synthetic_nc_rows(ROWS, seed=5))
    empty = tmp_path / "empty.jsonl.gz"
    backup(empty)
    db.push()
    log = tmp_path / "import.log"
    running = db.start("import", "voters", str(voter_file), log=log)
    done_rows = "SELECT rows_read FROM voters_voterimport"
    wait_until(lambda: (db.value(done_rows) or 0) > 0, "the first batch to be committed")
    running.send_signal(signal.SIGKILL)
    assert running.wait() == -signal.SIGKILL
    # The process reading the file ahead of the killed import ends with it.
    wait_until(lambda: not _processes_reading(voter_file), "the file's reader to end with its import")
    assert 0 < db.value(done_rows) < ROWS, "killed half way"
    assert db.value("SELECT status FROM voters_voterimport") == "running"

    job_id = uuid.UUID(str(db.value("SELECT public_id FROM voters_voterimport")))
    resumed = db.start("import", "voters", "--resume", str(job_id), log=log)
    assert resumed.wait() == 0, log.read_text()
    db.pull()
    job = VoterImport.objects.get()
    assert (job.status, job.rows_read) == (VoterImport.Status.DONE, ROWS)
    interrupted = _every_table()

    restore(empty)
    call_command("import", "voters", str(voter_file), stdout=io.StringIO())
    uninterrupted = _every_table()
    assert VoterRecord.objects.count() == ROWS
    assert interrupted.keys() == uninterrupted.keys()
    for table in interrupted:
        assert interrupted[table] == uninterrupted[table], table


def _processes_reading(path: Path) -> list[int]:
    """The processes whose command line names ``path`` (an import and its reader)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if str(path).encode() in command:
                found.append(int(entry.name))
    return found


def test_reading_ahead_in_a_process_of_its_own_imports_what_reading_in_line_does(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not can_read_ahead():
        pytest.skip("needs a second core and fork")
    voter_file = tmp_path / "ncvoter.txt"
    with voter_file.open("w", encoding="utf-8", newline="") as out:
        samples.write_nc(out, samples.synthetic_nc_rows(12_000, seed=9))
    empty = tmp_path / "empty.jsonl.gz"
    backup(empty)
    started = []

    def counted(produce: Any) -> Any:
        started.append(produce)
        return read_ahead(produce)

    monkeypatch.setattr(importer, "read_ahead", counted)
    monkeypatch.setattr(importer, "READ_AHEAD_BYTES", 0)
    call_command("import", "voters", str(voter_file), stdout=io.StringIO())
    assert len(started) == 1
    ahead = _every_table()
    assert VoterImport.objects.get().rows_read == 12_000

    restore(empty)
    monkeypatch.setattr(importer, "READ_AHEAD_BYTES", 1 << 40)
    call_command("import", "voters", str(voter_file), stdout=io.StringIO())
    assert len(started) == 1  # read in line this time
    in_line = _every_table()
    assert ahead.keys() == in_line.keys()
    for table in ahead:
        assert ahead[table] == in_line[table], table
