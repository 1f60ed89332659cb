"""``grassroots restore FILE``: replace everything in the database with a backup (operations.backup)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from grassroots.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace everything in the database with the backup in FILE (made by `grassroots backup`)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by `grassroots backup`.")
        parser.add_argument("--yes", action="store_true", help="Do not ask before replacing the data.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Add --yes to replace the data without a terminal to confirm at.")
            name = connection.settings_dict["NAME"]
            if input(f"Replace everything in {name} with {path}? Type yes: ").strip() != "yes":
                raise CommandError("Nothing was changed.")
        try:
            summary = restore(path, progress=self._progress if options["verbosity"] > 1 else None)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored {summary.rows:,} rows of {summary.tables} tables from {path}.")

    def _progress(self, table: str, rows: int) -> None:
        self.stdout.write(f"  {table}: {rows:,}")
