"""``grassroots decisions close``: close and count every proposal whose deadline has passed.

Run it from cron (every few minutes); running it again closes nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.decisions.actions import close_due_proposals


class Command(BaseCommand):
    help = "Decisions: `grassroots decisions close` closes and counts proposals past their deadline."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["close"])

    def handle(self, *args: Any, **options: Any) -> None:
        closed = close_due_proposals()
        for proposal in closed:
            self.stdout.write(f"Closed “{proposal.title}”: {proposal.result.get('outcome', '')}")
        self.stdout.write(f"{len(closed)} proposal(s) closed.")
