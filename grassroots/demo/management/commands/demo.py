"""``grassroots demo``: a working grassroots with a whole demo city in it, in one command.

Migrates the database, writes the demo city and imports its voter file and election returns if
the database has no areas yet, makes one login per role, prints them, and serves the site on 127.0.0.1.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from grassroots.accounts.models import User
from grassroots.canvass.actions import do_create_universe, do_cut_universe
from grassroots.canvass.models import Question, Script, Universe
from grassroots.coalitions.models import Coalition
from grassroots.committees.models import Committee
from grassroots.commonground.models import Round
from grassroots.decisions.models import Proposal
from grassroots.demo.coalitions import create_demo_coalitions
from grassroots.demo.committees import create_demo_committees, demo_committee_logins
from grassroots.demo.commonground import create_demo_common_ground
from grassroots.demo.decisions import create_demo_decisions
from grassroots.demo.events import create_demo_events
from grassroots.demo.generator import (
    create_demo_authenticators,
    create_demo_users,
    find_demo_city,
    generate_city,
)
from grassroots.demo.ladder import create_demo_ladder
from grassroots.demo.returns import CONTESTS, write_demo_returns
from grassroots.demo.struggles import create_demo_struggles
from grassroots.demo.voterfile import write_demo_voter_file
from grassroots.events.models import Event
from grassroots.ladder.models import Spell
from grassroots.places.models import Area
from grassroots.results.actions import do_create_import as do_create_results_import
from grassroots.results.importer import run_import as run_results_import
from grassroots.struggles.models import Struggle
from grassroots.voters.actions import do_create_import
from grassroots.voters.importer import run_import

HOST = "127.0.0.1"
PORTS_TO_TRY = 50


def free_port(start: int, host: str = HOST) -> int:
    """The first port from ``start`` on that nothing listens on."""
    for port in range(start, min(start + PORTS_TO_TRY, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError:
                continue
            return port
    raise CommandError(
        f"No free port between {start} and {start + PORTS_TO_TRY - 1}; choose one with --port."
    )


def demo_script(author: User) -> Script:
    """A tenants' survey with branches: which landlord problem only after a yes, the rent increase
    only after that problem, the building meeting only for supporters."""
    script = Script.objects.create(
        name="Tenants' survey",
        introduction="Hi, I'm a neighbour from the tenants' association. Do you have a minute?",
        created_by=author,
    )
    questions: list[dict[str, Any]] = [
        {"key": "support", "kind": "scale", "label": "Support for the campaign, 1 (against) to 5"},
        {"key": "landlord_problem", "kind": "yes_no", "label": "Any problems with your landlord?"},
        {
            "key": "problem", "kind": "choice", "label": "Which problem?",
            "choices": ["Repairs", "Rent increase", "Harassment", "Heat or hot water"],
            "ask_if_key": "landlord_problem", "ask_if_values": [True],
            "trigger_values": ["Harassment", "Heat or hot water"], "tag": "urgent landlord problem",
            "follow_up": "Urgent problem with the landlord",
        },
        {
            "key": "increase", "kind": "text", "label": "By how much did the rent go up?",
            "ask_if_key": "problem", "ask_if_values": ["Rent increase"],
            "tag": "rent increase", "follow_up": "Rent went up",
        },
        {
            "key": "meeting", "kind": "yes_no", "label": "Come to the building meeting?",
            "ask_if_key": "support", "ask_if_values": [4, 5], "trigger_values": [True],
            "tag": "tenants' meeting", "follow_up": "Invite to the building meeting",
        },
        {
            "key": "involved", "kind": "yes_no", "label": "Want to get involved?", "trigger_values": [True],
            "tag": "wants to get involved", "follow_up": "Wants to get involved",
        },
    ]  # fmt: skip
    Question.objects.bulk_create(Question(script=script, position=i, **q) for i, q in enumerate(questions))
    return script


class Command(BaseCommand):
    help = "Load the demo city (once), create the demo logins and serve grassroots on 127.0.0.1."

    # The database may not be migrated yet: this command migrates it.
    requires_migrations_checks = False
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Load and print the logins, then stop.")
        parser.add_argument("--seed", type=int, default=1, help="Which demo city to build (default 1).")
        parser.add_argument(
            "--scale", type=float, default=1.0, help="Size of the city: 1 is about 25,000 people (default 1)."
        )
        parser.add_argument(
            "--fresh", action="store_true", help="Empty the database first (every table, users too)."
        )
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on, or the next free one.")

    def _import_voter_file(self, city: Area, seed: int) -> None:
        """The demo city's voter file, imported as an organizer would import a state's file."""
        folder = Path(settings.UPLOAD_DIR)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "demo-city-voters.txt"
        with open(path, "w", encoding="utf-8", newline="") as out:
            count = write_demo_voter_file(city, out, seed=seed)
        self.stdout.write(f"Importing the demo city's voter file ({count:,} voters, New York State layout)…")
        job = run_import(do_create_import(None, file_path=path, file_name=path.name, layout="ny"))
        self.stdout.write(
            f"  {job.created:,} voter records, {job.people_linked:,} linked to residents, "
            f"{job.people_created:,} new people, {job.sent_to_review:,} possible matches to review"
        )

    def _import_returns(self, city: Area, seed: int) -> None:
        """Two primaries' returns by election district, imported as OpenElections files are."""
        folder = Path(settings.UPLOAD_DIR)
        for contest in CONTESTS:
            path = folder / contest.file_name
            with open(path, "w", encoding="utf-8", newline="") as out:
                write_demo_returns(city, contest, out, seed=seed)
            job = run_results_import(
                do_create_results_import(None, file_path=path, file_name=path.name, format="openelections")
            )
            self.stdout.write(
                f"Imported {contest.office} {contest.district} returns: {job.votes_total:,} votes"
            )

    def _demo_canvass(self) -> None:
        """The demo canvasser's election district as a universe cut into turfs, two of them theirs."""
        organizer = User.objects.get(username="organizer")
        canvasser = User.objects.get(username="canvasser")
        district = canvasser.scope.first()
        if district is None:
            return
        universe = do_create_universe(
            organizer, f"{district.name} doors", [district], source={"from": "demo"}
        )
        universe.script = demo_script(organizer)
        universe.save(update_fields=["script"])
        report = do_cut_universe(organizer, universe, 40)
        for turf in report.turfs[:2]:
            turf.canvassers.add(canvasser)
        self.stdout.write(
            f"Cut {district.name} into {len(report.turfs)} turfs; the canvasser walks turfs 1 and 2."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] <= 0:
            raise CommandError("--scale must be positive.")
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if options["fresh"]:
            self.stdout.write("Emptying the database (--fresh)…")
            call_command("flush", interactive=False, verbosity=0)

        city = find_demo_city()
        if city is None:
            if Area.objects.exists():
                raise CommandError(
                    "This database already holds areas that are not the demo city, so the demo will not "
                    "add itself or its logins with known passwords to it. Point DATABASE_URL at another "
                    "database, or pass --fresh to empty this one."
                )
            self.stdout.write(f"Building the demo city (seed {options['seed']}, scale {options['scale']:g})…")
            generate_city(
                seed=options["seed"],
                scale=options["scale"],
                progress=lambda line: self.stdout.write(f"  {line}"),
            )
            city = find_demo_city()
            assert city is not None
            self._import_voter_file(city, options["seed"])
            self._import_returns(city, options["seed"])
        else:
            self.stdout.write(f"The demo city {city.name} is already loaded (use --fresh to rebuild it).")

        logins = create_demo_users(city)
        if not Universe.objects.exists():
            self._demo_canvass()
        if not Committee.objects.exists():
            committees = create_demo_committees(city, seed=options["seed"])
            if committees is not None:
                self.stdout.write(committees.summary())
        logins += demo_committee_logins()
        if not Struggle.objects.exists():
            made = create_demo_struggles(city, seed=options["seed"])
            if made is not None:
                self.stdout.write(made.summary())
        if not Proposal.objects.exists():
            decided = create_demo_decisions(seed=options["seed"])
            if decided is not None:
                self.stdout.write(decided.summary())
        if not Event.objects.exists():
            events = create_demo_events(city, seed=options["seed"])
            if events is not None:
                self.stdout.write(events.summary())
        if not Coalition.objects.exists():
            coalition = create_demo_coalitions(city, seed=options["seed"])
            if coalition is not None:
                self.stdout.write(coalition.summary())
        if not Round.objects.exists():
            common_ground = create_demo_common_ground(seed=options["seed"])
            if common_ground is not None:
                self.stdout.write(common_ground.summary())
        if not Spell.objects.exists():  # last: it reads what the steps above recorded
            ladder = create_demo_ladder(city, seed=options["seed"])
            if ladder is not None:
                self.stdout.write(ladder.summary())
        self.stdout.write("")
        self.stdout.write("Demo logins (username / password — role, what they see):")
        for username, password, role, scope in logins:
            self.stdout.write(f"  {username:<12} {password:<24} {role}, {scope}")
        self.stdout.write("")
        keys = create_demo_authenticators()
        if keys:
            self.stdout.write(
                "Administrators and organizers also give the 6-digit code of an authenticator app. Add these "
                "keys to one (any TOTP app, or a password manager), or open the otpauth link on the phone; "
                "REQUIRE_2FA=false turns the second step off:"
            )
            for username, key, url in keys:
                self.stdout.write(f"  {username:<12} {key}\n  {'':<12} {url}")
            self.stdout.write("")

        if options["no_serve"]:
            return
        port = free_port(options["port"])
        if port != options["port"]:
            self.stdout.write(f"Port {options['port']} is busy; using {port}.")
        # Imports run as background tasks: a worker beside the web server runs them.
        worker = subprocess.Popen([sys.executable, "-m", "grassroots", "worker", "--interval", "1"])
        self.stdout.write(f"grassroots is running at http://{HOST}:{port}/")
        self.stdout.flush()
        try:
            call_command("runserver", f"{HOST}:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
