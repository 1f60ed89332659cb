"""``grassroots import voters FILE``: import a state voter file from the command line."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import
from grassroots.voters.layouts import LAYOUTS
from grassroots.voters.models import VoterImport

HELP = "a state voter file (layouts: " + ", ".join(LAYOUTS) + ", or detected)"


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", nargs="?", help="The voter file.")
    parser.add_argument(
        "--layout",
        default="auto",
        choices=["auto", *LAYOUTS],
        help="The file's layout (default: detect it).",
    )
    parser.add_argument("--history", help="The layout's vote-history file, if it has one.")
    parser.add_argument("--resume", help="Resume an interrupted import by its id (shown when it started).")


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    if options["resume"]:
        try:
            public_id = uuid.UUID(options["resume"])
        except ValueError:
            raise CommandError(
                f"“{options['resume']}” is not an import id: give the id shown when the import started."
            ) from None
        job = VoterImport.objects.filter(public_id=public_id).first()
        if job is None:
            raise CommandError(f"No import {options['resume']}.")
    else:
        if not options["file"]:
            raise CommandError("Name the voter file to import.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        history = Path(options["history"]) if options["history"] else None
        if history is not None and not history.is_file():
            raise CommandError(f"{history} is not a file.")
        job = do_create_import(
            None,
            file_path=path.resolve(),
            file_name=path.name,
            layout=options["layout"],
            history_path=history.resolve() if history else None,
        )
    command.stdout.write(
        f"Importing {job.file_name} (import {job.public_id}; resume with --resume {job.public_id})"
    )
    job = run_import(job, progress=lambda job: _progress(command, job))
    command.stdout.write("")
    if job.status == VoterImport.Status.FAILED:
        raise CommandError(job.message)
    command.stdout.write(
        f"{job.get_status_display()}: {job.rows_read:,} rows read ({job.encoding}, layout {job.layout}); "
        f"{job.created:,} new, {job.updated:,} changed, {job.unchanged:,} unchanged, "
        f"{job.removed:,} removed from the roll, {job.error_count:,} errors, "
        f"{job.history_rows:,} history rows; people: {job.people_linked:,} linked, "
        f"{job.people_created:,} created, {job.sent_to_review:,} to review."
    )
    if job.error_count:
        for error in job.row_errors.all()[:20]:
            command.stdout.write(f"  {error.file} line {error.line}: {error.reason}")


def _progress(command: BaseCommand, job: VoterImport) -> None:
    width = 40
    done = int(width * job.percent / 100)
    command.stdout.write(
        f"\r[{'#' * done}{'.' * (width - done)}] {job.percent:3d}%  {job.rows_read:,} rows", ending=""
    )
    command.stdout.flush()
