"""``grassroots events remind``: send the reminders and follow-ups that are due (run it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from grassroots.events.reminders import send_event_emails


class Command(BaseCommand):
    help = "Events: `grassroots events remind` sends due reminders and follow-ups by email."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        commands.add_parser(
            "remind",
            help="Email people going to an event that starts soon, and follow up on events just over "
            "(only people whose email consent is granted).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_event_emails()
        self.stdout.write(
            f"Sent {sent.reminders} reminders, {sent.thanked} thank-you notes and {sent.missed} "
            "we-missed-you notes."
        )
