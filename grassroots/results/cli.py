"""``grassroots import results FILE``: import election results from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.places.models import AreaKind
from grassroots.results.actions import do_create_import
from grassroots.results.formats import FORMATS
from grassroots.results.importer import run_import
from grassroots.results.models import Election, ResultsImport

HELP = "election results by area (formats: " + ", ".join(FORMATS) + ")"
CSV_COLUMNS = ("area", "office", "district", "party", "candidate", "votes", "ballot_line")
SHOWN_ERRORS = 20
SHOWN_KEYS = 30


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", help="The results file.")
    parser.add_argument(
        "--format", default="openelections", choices=list(FORMATS), help="(default: openelections)"
    )
    election = parser.add_argument_group("the election (read from OpenElections file names when not given)")
    election.add_argument("--election-name", help='e.g. "State and federal primary 2020"')
    election.add_argument("--election-date", help="YYYY-MM-DD")
    election.add_argument("--election-kind", choices=Election.Kind.values)
    parser.add_argument(
        "--area-kind",
        default=AreaKind.ELECTION_DISTRICT,
        help="The kind of area whose code the file's area keys are (default: election_district).",
    )
    mapping = parser.add_argument_group("a CSV's columns (--format csv)")
    for name in CSV_COLUMNS:
        mapping.add_argument(f"--{name.replace('_', '-')}-column", metavar="HEADER", dest=f"{name}_column")
    mapping.add_argument("--office", help="The office of every row, when the file has no office column.")
    mapping.add_argument(
        "--district", help="The district of every row, when the file has no district column."
    )
    mapping.add_argument("--delimiter", default=",", help="(default: a comma)")


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"{path} is not a file.")
    job_options: dict[str, Any] = {
        key: options[key]
        for key in ("election_name", "election_date", "election_kind", "area_kind")
        if options.get(key)
    }
    if options["format"] == "csv":
        job_options["columns"] = {
            n: options[f"{n}_column"] for n in CSV_COLUMNS if options.get(f"{n}_column")
        }
        job_options.update({k: options[k] for k in ("office", "district", "delimiter") if options.get(k)})
    job = do_create_import(
        None, file_path=path.resolve(), file_name=path.name, format=options["format"], options=job_options
    )
    command.stdout.write(f"Importing {job.file_name} (import {job.public_id})")
    job = run_import(job, progress=lambda job: _progress(command, job))
    command.stdout.write("")
    if job.status == ResultsImport.Status.FAILED:
        raise CommandError(job.message)
    command.stdout.write(
        f"{job.get_status_display()}: {job.election}; {job.rows_read:,} rows read, "
        f"{job.contests:,} contests, "
        f"{job.vote_rows:,} vote rows ({job.votes_total:,} votes: {job.votes_placed:,} placed, "
        f"{job.votes_not_placed:,} not placed), {job.ballot_rows:,} ballot counts, "
        f"{job.replaced_rows:,} rows of an earlier import replaced, {job.error_count:,} errors."
    )
    if job.message:
        command.stdout.write(f"  {job.message}")
    if job.not_placed_keys:
        keys = job.not_placed_keys
        more = f" and {len(keys) - SHOWN_KEYS:,} more" if len(keys) > SHOWN_KEYS else ""
        command.stdout.write(
            f"  Not placed (no {options['area_kind']} area has the key): {', '.join(keys[:SHOWN_KEYS])}{more}"
        )
    for error in job.row_errors.all()[:SHOWN_ERRORS]:
        command.stdout.write(f"  line {error.line}: {error.reason}")
    if job.error_count > SHOWN_ERRORS:
        command.stdout.write(f"  ... and {job.error_count - SHOWN_ERRORS:,} more errors")


def _progress(command: BaseCommand, job: ResultsImport) -> None:
    width = 40
    done = int(width * job.percent / 100)
    command.stdout.write(
        f"\r[{'#' * done}{'.' * (width - done)}] {job.percent:3d}%  {job.rows_read:,} rows", ending=""
    )
    command.stdout.flush()
