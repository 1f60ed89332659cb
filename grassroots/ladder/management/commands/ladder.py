"""``grassroots ladder update``: recompute everyone's stage on the ladder and refresh the follow-up queue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.ladder.engine import update_ladder


class Command(BaseCommand):
    help = "The engagement ladder: `grassroots ladder update` recomputes stages and the follow-up queue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["update"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = update_ladder()
        self.stdout.write(report.summary())
