"""``grassroots canvass cut UNIVERSE --doors 50``: cut a universe into turfs from the command line."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from grassroots.accounts.models import Role, User
from grassroots.canvass.actions import do_cut_universe
from grassroots.canvass.models import Universe


class Command(BaseCommand):
    help = "Canvassing: `grassroots canvass cut UNIVERSE --doors 50` cuts a universe into turfs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["cut"])
        parser.add_argument("universe", help="The universe's id or name.")
        parser.add_argument("--doors", type=int, default=50, help="About how many doors a turf holds.")
        parser.add_argument("--as", dest="username", help="Cut as this user (default: an administrator).")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = options["universe"]
        query = Q(name=wanted)
        if len(wanted) == 36:
            query |= Q(public_id=wanted)
        universe = Universe.objects.filter(query).first()
        if universe is None:
            raise CommandError(f"No universe {wanted!r}.")
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
        else:
            actor = User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True)).order_by("pk").first()
        if actor is None:
            raise CommandError("No such user to cut as (create an administrator, or pass --as USERNAME).")
        try:
            report = do_cut_universe(actor, universe, options["doors"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        sizes = sorted(t.doors.count() for t in report.turfs)
        self.stdout.write(
            f"{universe.name}: {report.doors:,} doors in {len(report.turfs)} turfs "
            f"({sizes[0]}–{sizes[-1]} doors each)"
            + (
                f"; {report.without_location:,} households without a location left out."
                if report.without_location
                else "."
            )
        )
