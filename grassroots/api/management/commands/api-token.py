"""``grassroots api-token USERNAME [--read-only] [--name NAME]``: make an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.accounts.models import User
from grassroots.api.actions import do_create_token


class Command(BaseCommand):
    help = "Make an OSDI API token for a user and print it (it is shown this once and never kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--read-only", action="store_true", help="The token may read but not change.")
        parser.add_argument("--name", default="Command line", help="What the token is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']}.")
        _, raw = do_create_token(None, user, options["name"], read_only=options["read_only"])
        self.stdout.write(raw)
