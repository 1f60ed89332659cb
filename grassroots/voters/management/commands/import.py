"""``grassroots import WHAT FILE``: bring outside data in — voter files, area boundaries, election results.

Each kind of import lives in its app as a module with ``HELP``, ``add_arguments(parser)`` and
``handle(command, options)``; this command only routes to it.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

# What can be imported, and the module that does it.
IMPORTERS = {
    "voters": "grassroots.voters.cli",
    "results": "grassroots.results.cli",
    "areas": "grassroots.places.cli",
}


class Command(BaseCommand):
    help = "Import data: " + ", ".join(IMPORTERS) + ". `grassroots import WHAT --help` tells more."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        for name, dotted in IMPORTERS.items():
            module = importlib.import_module(dotted)
            module.add_arguments(kinds.add_parser(name, help=module.HELP))

    def handle(self, *args: Any, **options: Any) -> None:
        module = importlib.import_module(IMPORTERS[options["what"]])
        module.handle(self, options)
