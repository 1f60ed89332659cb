"""Damaged voter files, in every layout, end as a clear report: rows with line numbers, or a
message before anything is written. Never a stack trace."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any, TextIO

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from grassroots.fuzzing import FUZZ, assert_clear_report, damaged
from grassroots.voters import samples
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.models import ColumnMapping, VoterImport, VoterRecord

pytestmark = pytest.mark.django_db

Writer = Callable[[TextIO, Iterable[Mapping[str, Any]]], int]
VOTER_IDS = {
    "nc": "AB{:06d}",
    "ny": "NY{:018d}",
    "fl": "1000000{:02d}",
    "oh": "OH{:010d}",
}
WRITERS: dict[str, Writer] = {
    "nc": samples.write_nc,
    "ny": samples.write_ny,
    "fl": samples.write_fl,
    "oh": samples.write_oh,
}
HISTORY_WRITERS: dict[str, Writer] = {"nc": samples.write_nc_history, "fl": samples.write_fl_history}
PEOPLE = [
    ("ANA", "PEÑA", "12 ELM AVE", ""),
    ("BO", "CHEN", "40 OAK ST", "APT 3"),
    ("EFUA", "MENSAH", "7 PINE RD", ""),
]
MAPPED_CSV = (
    "ID,First,Last,Address,Zip,Born,Party\r\n"
    "X1,Ana,Peña,12 Elm Ave,11201,1980-04-02,DEM\r\n"
    "X2,Bo,Chen,40 Oak St,11201,1981-05-06,REP\r\n"
    "X3,Efua,Mensah,7 Pine Rd,11201,1982-06-07,DEM\r\n"
)
_files = itertools.count()


def _rows(layout: str) -> list[dict[str, Any]]:
    return [
        {
            "voter_id": VOTER_IDS[layout].format(i + 1),
            "first_name": first,
            "last_name": last,
            "street_line": street,
            "unit": unit,
            "birth_date": date(1960 + i, 3, 4),
            "birth_year": 1960 + i,
            "precinct": "52012" if layout == "ny" else "01-01",
        }
        for i, (first, last, street, unit) in enumerate(PEOPLE)
    ]


def _written(writer: Writer, layout: str) -> bytes:
    text = io.StringIO(newline="")
    writer(text, _rows(layout))
    return text.getvalue().encode()


SEEDS = {layout: _written(writer, layout) for layout, writer in WRITERS.items()}
HISTORY_SEEDS = {layout: _written(writer, layout) for layout, writer in HISTORY_WRITERS.items()}


def _mapping() -> ColumnMapping:
    return ColumnMapping.objects.get_or_create(
        name="fuzzed list",
        defaults={
            "state": "NY",
            "date_format": "%Y-%m-%d",
            "mapping": {
                "voter_id": "ID", "first_name": "First", "last_name": "Last", "street_line": "Address",
                "postal_code": "Zip", "birth_date": "Born", "party": "Party",
            },
        },
    )[0]  # fmt: skip


def _import(folder: Path, content: bytes, layout: str, history: bytes | None = None) -> VoterImport:
    number = next(_files)
    path = folder / f"voters-{number}.txt"
    path.write_bytes(content)
    history_path = None
    if history is not None:
        history_path = folder / f"history-{number}.txt"
        history_path.write_bytes(history)
    job = do_create_import(
        None,
        file_path=path,
        file_name=path.name,
        layout=layout,
        history_path=history_path,
        mapping=_mapping() if layout == "csv" else None,
    )
    return run_import(job)


@pytest.mark.parametrize("layout", [*WRITERS, "csv"])
def test_a_good_seed_file_imports_cleanly(tmp_path: Path, layout: str) -> None:
    """The fuzz starts from files that import: damage is what makes them fail."""
    seed = MAPPED_CSV.encode() if layout == "csv" else SEEDS[layout]
    job = _import(tmp_path, seed, layout)
    assert job.status == VoterImport.Status.DONE, job.message
    assert (job.created, job.error_count) == (3, 0)


@pytest.mark.parametrize("layout", [*WRITERS, "csv"])
def test_a_damaged_voter_file_ends_in_a_clear_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, layout: str
) -> None:
    seed = MAPPED_CSV.encode() if layout == "csv" else SEEDS[layout]

    @FUZZ
    @given(content=damaged(seed), detect=st.booleans())
    def check(content: bytes, detect: bool) -> None:
        with transaction.atomic():
            job = _import(tmp_path, content, "auto" if detect and layout != "csv" else layout)
            assert_clear_report(job, caplog, VoterRecord.objects.all())
            transaction.set_rollback(True)

    check()


@pytest.mark.parametrize("layout", list(HISTORY_WRITERS))
def test_a_damaged_history_file_ends_in_a_clear_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, layout: str
) -> None:
    @FUZZ
    @given(history=damaged(HISTORY_SEEDS[layout]))
    def check(history: bytes) -> None:
        with transaction.atomic():
            job = _import(tmp_path, SEEDS[layout], layout, history=history)
            assert_clear_report(job, caplog, VoterRecord.objects.all())
            if job.status == VoterImport.Status.DONE:
                assert job.created == 3
            transaction.set_rollback(True)

    check()


# --- what the fuzz found -----------------------------------------------------------------------


def test_a_history_file_the_layout_cannot_read_stops_the_import_before_any_voter_is_written(
    tmp_path: Path,
) -> None:
    empty = _import(tmp_path, SEEDS["nc"], "nc", history=b"")
    assert (empty.status, empty.message) == (VoterImport.Status.FAILED, "The file is empty.")
    new_york = _import(tmp_path, SEEDS["ny"], "ny", history=HISTORY_SEEDS["nc"])
    assert new_york.status == VoterImport.Status.FAILED
    assert (
        new_york.message
        == "New York (NYS BOE statewide voter list) files have no separate vote-history file."
    )
    assert not VoterRecord.objects.exists()


def test_a_value_longer_than_its_column_is_a_row_error_and_the_other_rows_import(tmp_path: Path) -> None:
    text = MAPPED_CSV.replace("Chen", "C" * 101)
    job = _import(tmp_path, text.encode(), "csv")
    assert (job.status, job.created) == (VoterImport.Status.DONE, 2)
    [error] = job.row_errors.all()
    assert (error.line, error.reason) == (3, "last_name is longer than 100 characters")


def test_nul_characters_are_dropped_from_the_text_of_a_file(tmp_path: Path) -> None:
    job = _import(tmp_path, MAPPED_CSV.replace("Peña", "Pe\x00ña").encode(), "csv")
    assert (job.status, job.created, job.error_count) == (VoterImport.Status.DONE, 3, 0)
    assert VoterRecord.objects.get(voter_id="X1").last_name == "Peña"


def test_a_file_that_is_not_text_is_refused_before_any_voter_is_written(tmp_path: Path) -> None:
    job = _import(tmp_path, "\ufeff".encode("utf-16") + SEEDS["nc"].decode().encode("utf-16-le"), "auto")
    assert job.status == VoterImport.Status.FAILED
    assert job.message.startswith("This file is UTF-16 text")
    assert not VoterRecord.objects.exists()
