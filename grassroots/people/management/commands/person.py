"""``grassroots person export|erase PUBLIC_ID``: a person's rights, from the command line.

``export`` writes everything held about the person (JSON, or CSV with ``--format csv``) to
standard output or ``--output FILE``; ``erase`` forgets them (people.rights), after asking unless
``--yes``. Both are audited as done by no user, from the command line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.lib.exports import csv_lines
from grassroots.people import rights
from grassroots.people.actions import do_erase_person, do_export_person
from grassroots.people.models import Person


class Command(BaseCommand):
    help = "Export everything held about a person, or erase them on their request."

    def add_arguments(self, parser: CommandParser) -> None:
        verbs = parser.add_subparsers(dest="verb", required=True, metavar="export|erase")
        export = verbs.add_parser("export", help="Everything held about the person.")
        export.add_argument("public_id")
        export.add_argument("--format", choices=["json", "csv"], default="json")
        export.add_argument("--output", help="Write to this file instead of standard output.")
        erase = verbs.add_parser("erase", help="Forget the person; their actions stay as anonymous counts.")
        erase.add_argument("public_id")
        erase.add_argument("--yes", action="store_true", help="Do not ask to confirm.")

    def handle(self, *args: Any, **options: Any) -> None:
        person = Person.objects.filter(public_id=options["public_id"]).first()
        if person is None:
            raise CommandError(f"No person {options['public_id']}.")
        if options["verb"] == "export":
            self._export(person, options)
        else:
            self._erase(person, options)

    def _export(self, person: Person, options: dict[str, Any]) -> None:
        record = do_export_person(None, person, fmt=options["format"], source="command")
        if options["format"] == "csv":
            text = "".join(csv_lines(rights.CSV_HEADER, rights.record_csv_rows(record)))
        else:
            text = rights.record_json(record) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")

    def _erase(self, person: Person, options: dict[str, Any]) -> None:
        if not options["yes"]:
            if not sys.stdin.isatty():
                raise CommandError("Add --yes to erase without a terminal to confirm at.")
            answer = input(f"Erase {person.full_name} ({person.public_id}) for good? Type their full name: ")
            if answer.strip() != person.full_name:
                raise CommandError("Not confirmed; nothing was erased.")
        try:
            counts = do_erase_person(None, person, source="command")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        changed = ", ".join(f"{table} {n}" for table, n in sorted(counts.items()))
        self.stdout.write(f"Erased {person.public_id}: {changed}.")
