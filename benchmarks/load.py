"""Benchmark: a canvass day and an event launch at once, under gunicorn on PostgreSQL (issue 10).

Builds a small city in a PostgreSQL database of its own (dropped and made again; its name must
contain "bench"), serves grassroots with gunicorn on 127.0.0.1 and, for ``--seconds``:

* canvass_sync — 50 canvassers, each logged in with a turf of their own, upload their phone's
  queue of visits to the sync endpoint the canvass app uses (POST /canvass/sync/): one to five
  visits about every 30 seconds (``--sync-every``; a door takes a canvasser a minute or more).
  Some batches are sent again after their answer (the answer was lost on the way), some twice at
  the same moment (the phone retried while the first upload still ran): every visit must still
  be applied exactly once.
* rsvp — 200 visitors open a public event page (GET, which gives the form its CSRF token) and
  RSVP on it (POST), each about once a minute (``--rsvp-every``); some send the form twice. The
  per-address sign-up limit is raised for the run (EVENTS_SIGNUPS_PER_HOUR), since every
  visitor comes from 127.0.0.1. The page loads are reported too (scenario=event_page).

Then the database is asked for every acknowledged visit and RSVP: each must be there exactly
once (one Visit and one door-knock Action per visit; one RSVP and one person per sign-up).

    uv run python benchmarks/load.py [--seconds 300] [--database-url postgres://.../grassroots_load_bench]

Everything is bounded in time and in requests, and only talks to 127.0.0.1. Lines to read:

    RESULT scenario=canvass_sync|rsvp requests=.. rps=.. p50_ms=.. p95_ms=.. p99_ms=.. lost=.. duplicated=..
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR / "benchmarks"))
from demo_load import recreate_postgres  # noqa: E402

HOST = "127.0.0.1"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/grassroots_load_bench"
DOORS_PER_TURF = 40
PEOPLE_PER_DOOR = 2
MAX_REQUESTS = 200_000  # per scenario, whatever --seconds says
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CANCEL_LINK = re.compile(r"/e/rsvp/([0-9a-f-]{36})/cancel/")


# Building the city (in this process, not timed) -----------------------------------------------


@dataclass
class Canvasser:
    session: str
    turf: str
    doors: list[tuple[str, str]]  # (household, one person living there) public ids


@dataclass
class City:
    canvassers: list[Canvasser]
    events: list[str]  # slugs


def build_city(canvassers: int, events: int, secret: str) -> City:
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ["SECRET_KEY"] = secret  # the sessions made here must be valid in gunicorn's workers
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from grassroots.accounts.models import Role, User
    from grassroots.canvass.models import Turf, TurfDoor, Universe
    from grassroots.events.actions import EventData, do_create_event
    from grassroots.people.models import Person
    from grassroots.places.actions import do_create_area
    from grassroots.places.models import Household

    call_command("migrate", interactive=False, verbosity=0)
    city = do_create_area(kind="city", name="Loadville", parent=None, geometry=None)
    organizer = User.objects.create(username="load-organizer", role=Role.ORGANIZER)
    organizer.scope.set([city])
    universe = Universe.objects.create(name="Load day doors", created_by=organizer)
    made: list[Canvasser] = []
    for n in range(1, canvassers + 1):
        district = do_create_area(kind="election_district", name=f"ED {n}", parent=city, geometry=None)
        universe.areas.add(district)
        homes = Household.objects.bulk_create(
            Household(
                area=district,
                address_line=f"{d + 1} LOAD ST",
                unit=f"ED{n}",
                city="LOADVILLE",
                state="NY",
                postal_code="11368",
            )
            for d in range(DOORS_PER_TURF)
        )
        people = Person.objects.bulk_create(
            Person(first_name=f"Resident{d}x{k}", last_name=f"Load{n}", area=district, household=home)
            for d, home in enumerate(homes)
            for k in range(PEOPLE_PER_DOOR)
        )
        turf = Turf.objects.create(universe=universe, number=n)
        TurfDoor.objects.bulk_create(
            TurfDoor(turf=turf, household=h, position=i) for i, h in enumerate(homes)
        )
        user = User.objects.create(username=f"canvasser{n}", role=Role.CANVASSER)
        user.scope.set([district])
        turf.canvassers.add(user)
        client = Client()
        client.force_login(user)
        doors = [(str(h.public_id), str(people[i * PEOPLE_PER_DOOR].public_id)) for i, h in enumerate(homes)]
        made.append(Canvasser(client.cookies[settings.SESSION_COOKIE_NAME].value, str(turf.public_id), doors))
    starts = datetime.now(UTC) + timedelta(days=7)
    slugs = [
        do_create_event(
            organizer,
            EventData(
                title=f"Tenants' assembly {n}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                address=f"{n} Main St",
                area=city,
            ),
        ).slug
        for n in range(1, events + 1)
    ]
    return City(made, slugs)


# The clients ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """Latencies and what the server acknowledged, shared by a scenario's threads."""

    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    acknowledged: set[Any] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def room(self) -> bool:
        return len(self.latencies) < MAX_REQUESTS


def pause(seconds: float, stop: float) -> None:
    """Think for a while, but not past the end of the run."""
    time.sleep(max(0.0, min(seconds, stop - time.monotonic())))


def send(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str], tally: Tally
) -> tuple[int, bytes, http.client.HTTPResponse | None]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    began = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers={"Host": HOST, **headers})
        response = conn.getresponse()
        data = response.read()
        status = response.status
    except OSError as exc:
        status, data, response = 0, str(exc).encode(), None
    finally:
        conn.close()
    elapsed = time.perf_counter() - began
    with tally.lock:
        tally.latencies.append(elapsed)
        if status != 200:
            tally.failures[f"{method} {path.split('?')[0]} {status}"] += 1
    return status, data, response


def canvass(
    port: int, canvasser: Canvasser, stop: float, think: float, tally: Tally, rng: random.Random
) -> None:
    csrf = secrets.token_hex(16)
    headers = {
        "Cookie": f"sessionid={canvasser.session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    turn = 0

    def upload(batch: list[dict[str, Any]]) -> None:
        status, data, _ = send(
            port, "POST", "/canvass/sync/", json.dumps({"visits": batch}).encode(), headers, tally
        )
        if status == 200:
            answer = json.loads(data)
            with tally.lock:
                tally.acknowledged.update(answer["applied"] + answer["already"])
                for refused in answer["rejected"]:
                    tally.failures[f"rejected: {refused['reason']}"] += 1

    pause(rng.uniform(0, think), stop)  # phones come online spread out, as visitors do
    while time.monotonic() < stop and tally.room():
        batch = []
        for _ in range(rng.randint(1, 5)):
            household, person = canvasser.doors[turn % len(canvasser.doors)]
            turn += 1
            talked = rng.random() < 0.4
            batch.append(
                {
                    "id": str(uuid.uuid4()),
                    "turf": canvasser.turf,
                    "household": household,
                    "person": person if talked else "",
                    "result": "contact" if talked else "not_home",
                    "visited_at": datetime.now(UTC).isoformat(),
                    "note": "load benchmark",
                }
            )
        roll = rng.random()
        if roll < 0.1:  # the phone retried while the first upload still ran
            twin = threading.Thread(target=upload, args=(batch,))
            twin.start()
            upload(batch)
            twin.join()
        else:
            upload(batch)
            if roll < 0.2:  # the answer was lost: the phone sends the same queue again
                upload(batch)
        pause(rng.uniform(0.5, 1.5) * think, stop)


def rsvp(
    port: int,
    visitor: int,
    slugs: list[str],
    stop: float,
    think: float,
    tally: Tally,
    pages: Tally,
    rng: random.Random,
) -> None:
    attempt = 0
    pause(rng.uniform(0, think), stop)  # visitors arrive spread out, not all in the first second
    while time.monotonic() < stop and tally.room():
        attempt += 1
        slug = rng.choice(slugs)
        status, data, response = send(port, "GET", f"/e/{slug}/", None, {}, pages)
        token = TOKEN.search(data.decode(errors="replace")) if status == 200 else None
        cookie = response.getheader("Set-Cookie", "") if response else ""
        if token is None or "csrftoken=" not in cookie:
            pause(think, stop)
            continue
        email = f"visitor{visitor}.{attempt}@load.example"
        form = urlencode(
            {
                "csrfmiddlewaretoken": token.group(1),
                "first_name": f"Visitor{visitor}",
                "last_name": f"Try{attempt}",
                "email": email,
                "consent_email": "on",
            }
        ).encode()
        headers = {
            "Cookie": cookie.split(";", 1)[0],
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{HOST}:{port}/e/{slug}/",
        }
        for _ in range(2 if rng.random() < 0.1 else 1):  # some press the button twice
            status, data, _ = send(port, "POST", f"/e/{slug}/", form, headers, tally)
            if status == 200 and CANCEL_LINK.search(data.decode(errors="replace")):
                with tally.lock:
                    tally.acknowledged.add((slug, email))
        pause(rng.uniform(0.5, 1.5) * think, stop)


# Checking and reporting -------------------------------------------------------------------------


def check_visits(acknowledged: set[str]) -> tuple[int, int]:
    """(lost, duplicated): visits acknowledged but absent, and visits recorded more than once."""
    from django.db.models import Count

    from grassroots.canvass.models import Visit
    from grassroots.people.models import Action

    ids = [uuid.UUID(i) for i in acknowledged]
    present = Counter()
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        present.update(
            str(v) for v in Visit.objects.filter(public_id__in=chunk).values_list("public_id", flat=True)
        )
    lost = sum(1 for i in acknowledged if present[i] == 0)
    duplicated = sum(1 for n in present.values() if n > 1)
    # Each visit names one person or is a door knock on each of its household's people: never more.
    knocks = (
        Action.objects.filter(kind="door_knock", source="canvass")
        .values("details__visit", "person")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return lost, duplicated + knocks.count()


def check_rsvps(acknowledged: set[tuple[str, str]]) -> tuple[int, int]:
    from django.db.models import Count

    from grassroots.events.models import RSVP
    from grassroots.people.models import EmailAddress

    rows = Counter(RSVP.objects.filter(email__endswith="@load.example").values_list("event__slug", "email"))
    lost = sum(1 for key in acknowledged if rows[key] == 0)
    duplicated = sum(1 for n in rows.values() if n > 1)
    people = (
        EmailAddress.objects.filter(address__endswith="@load.example", person__merged_into__isnull=True)
        .values("address")
        .annotate(n=Count("person", distinct=True))
        .filter(n__gt=1)
    )
    return lost, duplicated + people.count()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def report(
    scenario: str, tally: Tally, seconds: float, lost: int | None = None, duplicated: int | None = None
) -> None:
    p50, p95, p99 = (percentile(tally.latencies, q) * 1000 for q in (0.5, 0.95, 0.99))
    count = len(tally.latencies)
    line = (
        f"RESULT scenario={scenario} requests={count} rps={count / seconds:.1f} "
        f"p50_ms={p50:.1f} p95_ms={p95:.1f} p99_ms={p99:.1f}"
    )
    if lost is not None:
        line += f" lost={lost} duplicated={duplicated}"
    print(line, flush=True)
    for what, n in tally.failures.most_common(5):
        print(f"  {n} x {what}", file=sys.stderr)


def warmed_application() -> Any:
    """gunicorn's app (loaded once with --preload): Django with its URLs and views imported, so that
    no worker spends its first requests importing them."""
    from django.core.wsgi import get_wsgi_application
    from django.urls import get_resolver

    application = get_wsgi_application()
    get_resolver().url_patterns  # noqa: B018  (imports every view module)
    return application


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def serve(url: str, secret: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "EVENTS_SIGNUPS_PER_HOUR": "100000000",
        "DJANGO_SETTINGS_MODULE": "grassroots.settings",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--pythonpath",
        str(PROJECT_DIR / "benchmarks"),
        "load:warmed_application()",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--log-level",
        "warning",
        "--timeout",
        "120",
        "--backlog",
        "512",
    ]
    server = subprocess.Popen(command, env=env, cwd=PROJECT_DIR)
    for _ in range(1200):  # up to two minutes to start (the machine may be busy)
        if server.poll() is not None:
            sys.exit("gunicorn stopped before it answered.")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return server, port
        except OSError:
            time.sleep(0.1)
    server.terminate()
    sys.exit("gunicorn did not start within two minutes.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--canvassers", type=int, default=50)
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--events", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--sync-every", type=float, default=30.0, help="seconds between a phone's uploads")
    parser.add_argument("--rsvp-every", type=float, default=60.0, help="seconds between a visitor's RSVPs")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: give --database-url postgres://...")
    recreate_postgres(args.database_url)  # refuses a name without "bench"
    os.environ["DATABASE_URL"] = args.database_url
    secret = secrets.token_urlsafe(50)
    server = None
    try:
        began = time.perf_counter()
        city = build_city(args.canvassers, args.events, secret)
        print(f"built {args.canvassers} turfs and {args.events} events in {time.perf_counter() - began:.1f}s")
        server, port = serve(args.database_url, secret, args.workers)
        syncs, rsvps, pages = Tally(), Tally(), Tally()
        start = time.monotonic()
        stop = start + args.seconds
        rng = random.Random(args.seed)
        threads = [
            threading.Thread(
                target=canvass, args=(port, c, stop, args.sync_every, syncs, random.Random(rng.random()))
            )
            for c in city.canvassers
        ] + [
            threading.Thread(
                target=rsvp,
                args=(port, v, city.events, stop, args.rsvp_every, rsvps, pages, random.Random(rng.random())),
            )
            for v in range(args.visitors)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, stop - time.monotonic() + 120))
        seconds = time.monotonic() - start
        report("canvass_sync", syncs, seconds, *check_visits(syncs.acknowledged))
        report("rsvp", rsvps, seconds, *check_rsvps(rsvps.acknowledged))
        report("event_page", pages, seconds)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=60)
        from django.db import connections

        connections.close_all()
        recreate_postgres(args.database_url, drop_only=True)


if __name__ == "__main__":
    main()
