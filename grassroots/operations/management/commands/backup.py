"""``grassroots backup FILE``: write the whole database to one gzipped file (operations.backup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.operations.backup import backup


class Command(BaseCommand):
    help = "Write the whole database to FILE (gzipped JSON lines), restorable into SQLite or PostgreSQL."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Where to write the backup, e.g. grassroots-2026-11-26.jsonl.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        summary = backup(path, progress=self._progress if options["verbosity"] > 1 else None)
        self.stdout.write(f"Backed up {summary.rows:,} rows of {summary.tables} tables to {path}.")

    def _progress(self, table: str, rows: int) -> None:
        self.stdout.write(f"  {table}: {rows:,}")
