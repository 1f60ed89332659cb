"""Damaged results files, in every format, end as a clear report: rows with line numbers, or a
message before anything is written. Never a stack trace."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from hypothesis import given

from grassroots.fuzzing import FUZZ, assert_clear_report, damaged
from grassroots.results.actions import do_create_import
from grassroots.results.importer import run_import
from grassroots.results.models import AreaVotes, BallotCount, Election, ResultsImport

pytestmark = pytest.mark.django_db

OPENELECTIONS = (
    b"county,assembly_district,precinct,party,office,district,candidate,votes\r\n"
    b"Queens,36,1,Democratic,U.S. House,14,Public Counter,110\r\n"
    b"Queens,36,1,Democratic,U.S. House,14,Alexandria Ocasio-Cortez,70\r\n"
    b"Queens,36,1,Democratic,U.S. House,14,Michelle Caruso-Cabrera,30\r\n"
    b"Queens,36,2,Democratic,U.S. House,14,Alexandria Ocasio-Cortez,40\r\n"
    b"Queens,36,2,Democratic,U.S. House,14,Michelle Caruso-Cabrera,50\r\n"
)
MAPPED = (
    "Ward,Race,Name,Total,Line\r\n"
    "W1,Mayor,Ana Peña,120,Working Families\r\n"
    "W1,Mayor,Bo Chen,80,Democratic\r\n"
    "W2,Mayor,Ana Peña,95,Working Families\r\n"
    "W2,Mayor,Blank,4,\r\n"
).encode()
FORMATS: dict[str, tuple[bytes, str, dict[str, Any]]] = {
    "openelections": (OPENELECTIONS, "20200623__ny__primary__queens__precinct.csv", {}),
    "csv": (
        MAPPED,
        "wards.csv",
        {
            "election_date": "2021-11-02",
            "columns": {
                "area": "Ward",
                "office": "Race",
                "candidate": "Name",
                "votes": "Total",
                "ballot_line": "Line",
            },
        },
    ),
}
_files = itertools.count()


def _import(folder: Path, content: bytes, format: str) -> ResultsImport:
    _, name, options = FORMATS[format]
    path = folder / f"{next(_files)}" / name
    path.parent.mkdir()
    path.write_bytes(content)
    return run_import(
        do_create_import(None, file_path=path, file_name=path.name, format=format, options=options)
    )


@pytest.mark.parametrize("format", list(FORMATS))
def test_a_good_seed_file_imports_cleanly(tmp_path: Path, format: str) -> None:
    """The fuzz starts from files that import: damage is what makes them fail."""
    seed = FORMATS[format][0]
    job = _import(tmp_path, seed, format)
    assert job.status == ResultsImport.Status.DONE, job.message
    assert (job.rows_read, job.error_count) == (seed.count(b"\n") - 1, 0)


@pytest.mark.parametrize("format", list(FORMATS))
def test_a_damaged_results_file_ends_in_a_clear_report(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, format: str
) -> None:
    @FUZZ
    @given(content=damaged(FORMATS[format][0]))
    def check(content: bytes) -> None:
        with transaction.atomic():
            job = _import(tmp_path, content, format)
            assert_clear_report(job, caplog, Election.objects.all())
            if job.status == ResultsImport.Status.DONE:
                stored = AreaVotes.objects.count() + BallotCount.objects.count()
                assert stored == job.vote_rows + job.ballot_rows
            transaction.set_rollback(True)

    check()


# --- what the fuzz found -----------------------------------------------------------------------


def test_a_field_past_the_csv_size_limit_is_a_row_error_and_the_other_rows_import(tmp_path: Path) -> None:
    huge = OPENELECTIONS.replace(b"Michelle Caruso-Cabrera,30", b'"' + b"x" * 200_000 + b'",30')
    job = _import(tmp_path, huge, "openelections")
    assert job.status == ResultsImport.Status.DONE, job.message
    assert job.vote_rows + job.ballot_rows == 4
    [error] = job.row_errors.all()
    assert error.line == 4 and error.reason.startswith("unreadable row: field larger than field limit")


def test_votes_past_what_the_database_holds_and_overlong_names_are_row_errors(tmp_path: Path) -> None:
    content = OPENELECTIONS.replace(b",70\r\n", b",99999999999\r\n").replace(
        b"Michelle Caruso-Cabrera", b"M" * 201
    )
    job = _import(tmp_path, content, "openelections")
    assert job.status == ResultsImport.Status.DONE, job.message
    assert [(e.line, e.reason) for e in job.row_errors.all()] == [
        (3, "votes 99999999999 are more than any area can cast"),
        (4, "the candidate is longer than 200 characters"),
        (6, "the candidate is longer than 200 characters"),
    ]


def test_a_file_that_is_not_text_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    job = _import(tmp_path, b"PK\x03\x04" + OPENELECTIONS, "openelections")
    assert job.status == ResultsImport.Status.FAILED
    assert job.message.startswith("This file is a zip archive")
    assert not Election.objects.exists()
