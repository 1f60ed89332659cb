"""Every route of the URL configuration, made concrete for one district, and asked as one role.

``all_routes()`` walks the resolver (web pages, the OSDI API, the admin site); ``url_for`` fills a
route's arguments from a world.Side; ``ask`` makes one request inside a savepoint that is rolled
back, so no answer changes the world the next request sees, and reports what came back: the
outcome, the words of people it printed, and the rows it wrote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.accounts.tests.world import Side

# Tables a refused request may still write: the session, the login throttle's log, the API
# token's last use (written before the route is known), and the audit log (a refused search or
# a logout is worth a line in it).
HOUSEKEEPING_TABLES = ("django_session", "axes_", "api_apitoken", "accounts_auditentry")


# Arguments that name no record: a password-reset link's user and token (a wrong pair is answered
# like a right one until the form is sent).
FIXED_ARGUMENTS = {"uidb64": "MQ", "token": "set-password"}


@dataclass(frozen=True)
class Route:
    key: str  # the policy table's key: "namespace:name", or the pattern of an unnamed route
    name: str | None  # for reverse()
    pattern: str
    params: tuple[str, ...]

    @property
    def api(self) -> bool:
        return self.key.startswith("osdi:")

    @property
    def admin_site(self) -> bool:
        return self.key.startswith(("admin:", "/admin/"))

    @property
    def method(self) -> str:
        """The method an API operation answers, read from its name."""
        if not self.api:
            return "GET"
        for word, method in (
            ("create_", "POST"),
            ("update_", "PUT"),
            ("delete_", "DELETE"),
            ("_helper", "POST"),
        ):
            if word in self.key:
                return method
        return "GET"


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(n for n in (namespace, p.namespace or "") if n)
                walk(p.url_patterns, prefix + str(p.pattern), inner)
                continue
            full = prefix + str(p.pattern)
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", full))
            flat = tuple(a or b for a, b in params)
            routes.append(Route(key=name or f"/{full}", name=name, pattern=f"/{full}", params=flat))

    walk(get_resolver().url_patterns, "", "")
    return routes


class MissingArgument(Exception):
    pass


def url_for(route: Route, side: Side) -> str:
    """The route's URL for the records of ``side``; MissingArgument names what the world lacks."""
    if route.name is None:
        return route.pattern.replace("^", "").replace("$", "")
    kwargs: dict[str, str] = {}
    for param in route.params:
        if route.api:
            petition = "petitions" in route.key and f"petition:{param}" in side.api_ids
            value = side.api_ids.get(f"petition:{param}" if petition else param)
        elif param == "public_id":
            bare = route.name
            value = next((v for prefix, v in side.ids.items() if bare.startswith(prefix)), None)
        elif param == "slug":
            value = side.form_slug if route.name.startswith("public_form") else side.event_slug
        elif param == "key":
            value = "support"  # a question of the standard script
        elif param == "app_label":
            value = "accounts"
        elif param in FIXED_ARGUMENTS:
            value = FIXED_ARGUMENTS[param]
        else:
            value = None
        if value is None:
            raise MissingArgument(f"{route.key}: no {param} for it in world.py")
        kwargs[param] = value
    return reverse(route.name, kwargs=kwargs)


@dataclass
class Answer:
    status: int
    outcome: str  # "200", "login", "redirect", "403", "404", "405", "401", "500 KeyError", ...
    body: str
    writes: list[str]


def _outcome(status: int, location: str) -> str:
    if status in {301, 302, 303}:
        login = reverse(settings.LOGIN_URL)
        if location.startswith((login, reverse("admin:login"))):
            return "login"
        return "redirect"
    return str(status)


def ask(
    client: Client,
    method: str,
    url: str,
    *,
    body: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request, whose writes are rolled back, the client's cookies kept as they were."""
    cache.clear()  # per-token rate limits count every request of the matrix otherwise
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                if body is not None and method != "GET":
                    data = json.dumps(body)
                    response = client.generic(
                        method, url, data, content_type="application/json", headers=headers
                    )
                else:
                    response = client.generic(method, url, headers=headers)
                raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
                transaction.set_rollback(True)
        except Exception as exc:  # a crash is an answer too: the table expects none
            return Answer(500, f"500 {type(exc).__name__}: {exc}"[:200], "", [])
    client.cookies.clear()
    for key, value in cookies.items():
        client.cookies[key] = value
    writes = [
        q["sql"][:120]
        for q in queries.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"], re.IGNORECASE)
        and not any(t in q["sql"].split("(")[0] for t in HOUSEKEEPING_TABLES)
    ]
    return Answer(
        response.status_code,
        _outcome(response.status_code, response.get("Location", "")),
        raw.decode(errors="replace"),
        writes,
    )
