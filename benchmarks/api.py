"""Benchmark: the OSDI API under 20 concurrent clients, next to a bare Django view (the floor).

Builds a fresh SQLite database (or uses a PostgreSQL one whose name contains "bench") with
100,000 people, starts grassroots on 127.0.0.1 in a threaded WSGI server of its own, then:

* people_list — the clients read GET /api/v2/people page by page (25 a page) until all 100,000
  people have been read once;
* signup — the clients POST people to the signup helper (half new, half matching someone held);
* floor — the clients read a Django view that returns a constant JSON body.

Every loop is bounded in requests and time and only talks to 127.0.0.1.

    uv run python benchmarks/api.py [--people 100000] [--clients 20] [--database-url postgres://.../x_bench]

Lines to read: RESULT endpoint=people_list|signup|floor rps=.. p50_ms=.. p95_ms=.. p99_ms=..
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MAX_SECONDS = 600  # per phase: the benchmark stops by itself whatever happens

SERVER = r"""
import os, sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
sys.path.insert(0, os.environ["PROJECT_DIR"])
import django
django.setup()
from django.http import JsonResponse
from django.urls import path
import grassroots.urls

def floor(request):
    return JsonResponse({"ok": True, "motd": "constant"})

grassroots.urls.urlpatterns.insert(0, path("bench/floor", floor))
from django.core.wsgi import get_wsgi_application

class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128

class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass

app = get_wsgi_application()
make_server("127.0.0.1", int(sys.argv[1]), app, server_class=Server, handler_class=Quiet).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def setup(database_url: str, people: int) -> str:
    """Migrate, load the people (not timed) and return an organizer's token."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "grassroots.settings"
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(PROJECT_DIR))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from grassroots.accounts.models import Role, User
    from grassroots.api.actions import do_create_token
    from grassroots.people.models import EmailAddress, Person
    from grassroots.places.actions import do_create_area

    city = do_create_area(kind="city", name="Benchville", parent=None, geometry=None)
    batch = 5000
    for start in range(0, people, batch):
        made = Person.objects.bulk_create(
            Person(first_name=f"Person{i}", last_name=f"Bench{i % 997}", area=city)
            for i in range(start, min(start + batch, people))
        )
        EmailAddress.objects.bulk_create(
            EmailAddress(person=p, address=f"person{start + j}@bench.example", is_primary=True)
            for j, p in enumerate(made)
        )
    user = User.objects.create(username="bench-organizer", role=Role.ORGANIZER)
    user.scope.set([city])
    return do_create_token(None, user, "benchmark")[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def run(
    port: int, clients: int, requests: list[tuple[str, str, bytes | None]], headers: dict[str, str]
) -> tuple[float, list[float]]:
    """Send the requests from ``clients`` threads (each takes the next one); return seconds and latencies."""
    latencies: list[float] = []
    lock = threading.Lock()
    queue = iter(requests)
    deadline = time.monotonic() + MAX_SECONDS
    failures: list[str] = []

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                item = next(queue, None)
            if item is None:
                return
            method, url, body = item
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            began = time.perf_counter()
            try:
                conn.request(method, url, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError as exc:
                status = 0
                with lock:
                    failures.append(f"{method} {url}: {exc}")
            finally:
                conn.close()
            elapsed = time.perf_counter() - began
            with lock:
                latencies.append(elapsed)
                if status not in {0, 200}:
                    failures.append(f"{method} {url}: {status}")

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = time.perf_counter() - start
    if failures:
        print(f"  {len(failures)} failed requests, e.g. {failures[0]}", file=sys.stderr)
    return total, latencies


def report(endpoint: str, total: float, latencies: list[float]) -> None:
    rps = len(latencies) / total if total else 0.0
    p50, p95, p99 = (percentile(latencies, q) * 1000 for q in (0.5, 0.95, 0.99))
    print(f"RESULT endpoint={endpoint} rps={rps:.1f} p50_ms={p50:.1f} p95_ms={p95:.1f} p99_ms={p99:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--signups", type=int, default=1000)
    parser.add_argument("--floor-requests", type=int, default=4000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
        if args.database_url and "bench" not in args.database_url.rsplit("/", 1)[-1]:
            sys.exit("The PostgreSQL database's name must contain 'bench'.")
        began = time.perf_counter()
        token = setup(url, args.people)
        print(f"loaded {args.people} people in {time.perf_counter() - began:.1f}s")
        port = free_port()
        env = {**os.environ, "DATABASE_URL": url, "PROJECT_DIR": str(PROJECT_DIR), "DEBUG": "false",
               "OSDI_REQUESTS_PER_MINUTE": "100000000", "ALLOWED_HOSTS": HOST}  # fmt: skip
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env)
        try:
            for _ in range(600):  # up to a minute for the server to start
                if server.poll() is not None:
                    sys.exit("The server stopped before it answered.")
                try:
                    socket.create_connection((HOST, port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                sys.exit("The server did not start within a minute.")
            headers = {"OSDI-API-Token": token, "Content-Type": "application/json", "Host": HOST}
            pages = (args.people + 24) // 25
            listing = [("GET", f"/api/v2/people?page={n}&per_page=25", None) for n in range(1, pages + 1)]
            report("people_list", *run(port, args.clients, listing, headers))
            signups = []
            for i in range(args.signups):
                # Half are people we hold (matched and updated), half are new.
                email = f"person{i * 7}@bench.example" if i % 2 else f"new{i}@bench.example"
                body = {"person": {"given_name": f"Signup{i}", "email_addresses": [{"address": email}]},
                        "add_tags": ["benchmark"]}  # fmt: skip
                signups.append(("POST", "/api/v2/people", json.dumps(body).encode()))
            report("signup", *run(port, args.clients, signups, headers))
            floor = [("GET", "/bench/floor", None)] * args.floor_requests
            report("floor", *run(port, args.clients, floor, headers))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
