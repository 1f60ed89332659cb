"""Every route, every role: each route of the URL configuration (pages, the OSDI API, the admin
site) asked as each role, for the records of the users' own district and of a foreign one, and
held to the table in route_policy.py. A route the table does not know fails the suite.

Beside the answer's status, every answer is read for the names of the people the role may not
see (world.World.unseen_words), and a refused request must write nothing.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client

from grassroots.accounts.tests import probe, route_policy
from grassroots.accounts.tests.route_policy import POLICY, REFUSED, REFUSED_ABROAD, Policy
from grassroots.accounts.tests.world import ROLES, Side, World, build_world

pytestmark = pytest.mark.django_db

# Roles whose scope is the own district: refused everywhere in the foreign one.
OWN_DISTRICT_ROLES = ("organizer", "coordinator", "canvasser")
# Random text on a page (ids, the CSRF token): a phone number's digits can turn up inside it.
RANDOM_TEXT = re.compile(r"[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}|[A-Za-z0-9]{32,}")


def policy_of(route: probe.Route) -> Policy | None:
    """The route's row: its own, its twin's for the API's trailing-slash copies, or a wildcard's."""
    if route.key in POLICY:
        return POLICY[route.key]
    if route.api and route.key.endswith("_slash") and route.key.removesuffix("_slash") in POLICY:
        return POLICY[route.key.removesuffix("_slash")]
    wildcards = [k for k in POLICY if k.endswith("*") and route.key.startswith(k[:-1])]
    return POLICY[max(wildcards, key=len)] if wildcards else None


def expected(policy: Policy, role: str, method: str, *, foreign: bool) -> set[str]:
    row = policy.row(method)
    if not (foreign and policy.scoped):
        return {row[role]}
    if role == "outsider":  # an organizer at home there
        return {row["organizer"]}
    if role in OWN_DISTRICT_ROLES:
        return set(REFUSED_ABROAD)
    return {row[role]}


def matches(outcome: str, allowed: set[str]) -> bool:
    if "*" in allowed:
        return not outcome.startswith("500")
    return outcome in allowed


API_BODY_PERSON = "http://testserver/api/v2/people/{}"


def api_body(side: Side) -> dict[str, object]:
    """A small body every API write accepts the shape of, naming the district's person."""
    return {
        "given_name": "Probe",
        "name": "probe",
        "title": "Probe",
        "person": {"given_name": "Probe", "email_addresses": [{"address": side.email}]},
        "_links": {"osdi:person": {"href": API_BODY_PERSON.format(side.person.public_id)}},
    }


class Asker:
    """One role's web client and API token."""

    def __init__(self, world: World, role: str) -> None:
        from grassroots.api.actions import do_create_token

        self.role = role
        self.web = Client()
        self.api = Client()
        self.headers: dict[str, str] = {}
        user = world.users[role]
        if user is not None:
            self.web.force_login(user)
            self.headers = {"OSDI-API-Token": do_create_token(None, user, "policy matrix")[1]}

    def ask(self, route: probe.Route, method: str, url: str, side: Side) -> probe.Answer:
        if route.api:
            body = api_body(side) if method != "GET" else None
            return probe.ask(self.api, method, url, body=body, headers=self.headers)
        return probe.ask(self.web, method, url)


def requests_for(
    route: probe.Route, policy: Policy, role: str, world: World
) -> Iterator[tuple[Side, str, set[str]]]:
    """(district, method, allowed outcomes) of each request the matrix makes of this route as this role."""
    # A shared route that names a record is asked for the foreign district's record too: the same
    # answer is expected, and the names read for are the same.
    names_a_record = bool(route.params) and not set(route.params) <= set(probe.FIXED_ARGUMENTS)
    for side in world.sides() if policy.scoped or names_a_record else (world.own,):
        foreign = side is world.foreign
        if route.api:
            yield side, route.method, expected(policy, role, route.method, foreign=foreign)
            continue
        get = expected(policy, role, "GET", foreign=foreign)
        yield side, "GET", get
        if policy.post is not None:
            yield side, "POST", expected(policy, role, "POST", foreign=foreign)
        elif get <= REFUSED and get != {"405"}:
            yield side, "POST", get


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says_and_names_no_one_unseen(role: str) -> None:
    world = build_world()
    asker = Asker(world, role)
    unseen = world.unseen_words(role)
    failures: list[str] = []
    asked = 0
    for route in probe.all_routes():
        policy = policy_of(route)
        if policy is None:
            continue  # test_every_route_has_a_policy names it
        for side, method, allowed in requests_for(route, policy, role, world):
            try:
                url = probe.url_for(route, side)
            except probe.MissingArgument as exc:
                if not route.admin_site:  # the admin's object pages need integer keys: not asked
                    failures.append(f"{exc}")
                break
            answer = asker.ask(route, method, url, side)
            asked += 1
            where = f"{route.key} ({method} {url}, {side.key} district, as {role})"
            if not matches(answer.outcome, allowed):
                failures.append(f"{where}: expected {' or '.join(sorted(allowed))}, got {answer.outcome}")
            shown = RANDOM_TEXT.sub(" ", answer.body)
            if leaked := [word for word in unseen if word in shown]:
                failures.append(f"{where}: LEAK, the answer names {', '.join(leaked)}")
            if answer.outcome == "401" and '"error"' not in answer.body:
                failures.append(f"{where}: a 401 without an error saying why")
            if answer.outcome in REFUSED and answer.writes:
                failures.append(f"{where}: refused but wrote {answer.writes}")
    assert asked > 100
    assert not failures, f"{len(failures)} answers differ from route_policy.py:\n" + "\n".join(failures)


def test_every_route_has_a_policy() -> None:
    """A route added without a row fails here, with the row its answers suggest, to check and paste."""
    routes = [r for r in probe.all_routes() if policy_of(r) is None]
    if not routes:
        return
    world = build_world()
    askers = {role: Asker(world, role) for role in ROLES}
    lines = []
    for route in routes:
        try:
            url = probe.url_for(route, world.own)
        except probe.MissingArgument as exc:
            lines.append(f"    # {route.pattern}: {exc} — add the record to world.py first")
            continue
        method = route.method
        seen = [askers[role].ask(route, method, url, world.own).outcome.split(":")[0] for role in ROLES]
        kind = "scoped" if route.params and seen[ROLES.index("outsider")] in REFUSED else "shared"
        post = ""
        if not route.api and "405" in seen:
            posted = [askers[role].ask(route, "POST", url, world.own).outcome.split(":")[0] for role in ROLES]
            post = f', post="{" ".join(posted)}"'
        lines.append(f'    "{route.key}": {kind}("{" ".join(seen)}"{post}),  # {method} {route.pattern}')
    pytest.fail(
        f"{len(routes)} routes have no policy. Add them to POLICY in grassroots/accounts/tests/"
        "route_policy.py after checking that each role should get what it got here (use scoped() when "
        "the route shows records of one district, and post= when it takes a POST):\n" + "\n".join(lines)
    )


def test_the_table_names_only_routes_that_exist() -> None:
    keys = {r.key for r in probe.all_routes()}
    stale = [k for k in POLICY if not k.endswith("*") and k not in keys]
    assert not stale, f"route_policy.py has rows for routes that are gone: {stale}"


def test_every_row_gives_one_answer_per_role_and_a_post_row_where_get_is_refused() -> None:
    for key, policy in POLICY.items():
        row = policy.row("GET")
        policy.row("POST")
        if "405" in row.values() and policy.post is None and not key.startswith("osdi:"):
            pytest.fail(f"{key}: GET answers 405, so give the answer to POST with post=")
    assert route_policy.SIGNED_IN.split()[-1] == "login"


def test_an_unknown_id_answers_404_on_every_route_that_takes_one() -> None:
    """Asked by the administrator, who sees everything: a 404 here is about the id, not the scope."""
    world = build_world()
    nowhere = dataclasses.replace(
        world.own,
        ids={prefix: str(uuid.uuid4()) for prefix in world.own.ids},
        api_ids={param: str(uuid.uuid4()) for param in world.own.api_ids},
        event_slug="no-such-event",
        form_slug="no-such-form",
    )
    admin = Asker(world, "admin")
    failures = []
    asked = 0
    for route in probe.all_routes():
        policy = policy_of(route)
        naming = {"public_id", "slug", *(p.removeprefix("petition:") for p in nowhere.api_ids)}
        if policy is None or route.admin_site or not naming & set(route.params):
            continue
        method = route.method if route.api else "GET"
        if not route.api and policy.row("GET")["admin"] == "405":
            method = "POST"
        allowed = {"404", "405"} if policy.row(method)["admin"] == "405" else {"404"}
        answer = admin.ask(route, method, probe.url_for(route, nowhere), nowhere)
        asked += 1
        if answer.outcome not in allowed:
            failures.append(f"{route.key} ({method} {route.pattern}): got {answer.outcome}")
    assert asked > 100
    assert not failures, "Unknown ids not answered 404:\n" + "\n".join(failures)
