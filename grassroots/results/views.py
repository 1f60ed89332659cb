"""Results pages: elections and contests, a contest's totals and areas on a choropleth, swing.

Results are public aggregates: every signed-in user may read them. Registration counts behind
turnout come from voter records and go through the access gate (results.analysis.turnout).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.actions import do_create_universe
from grassroots.lib.exports import csv_response
from grassroots.lib.geo import feature_collection
from grassroots.places.models import Area, AreaKind
from grassroots.results import analysis
from grassroots.results.analysis import AreaResult, Turnout
from grassroots.results.models import AreaVotes, Candidate, Contest, Election
from grassroots.results.targets import Target, Weights, rank_targets

# Area kinds a contest can be shown at, from the smallest up; "placed" is as the file placed it.
LEVELS = [AreaKind.NEIGHBORHOOD, AreaKind.DISTRICT, AreaKind.CITY]


def _contest(public_id: str) -> Contest:
    contest = (
        Contest.objects.select_related("election").filter(public_id=access.parse_public_id(public_id)).first()
    )
    if contest is None:
        raise Http404("No such contest.")
    return contest


def _candidate(contest: Contest, public_id: str | None) -> Candidate | None:
    if not public_id:
        return None
    candidate = contest.candidates.filter(public_id=access.parse_public_id(public_id)).first()
    if candidate is None:
        raise Http404("No such candidate in this contest.")
    return candidate


@login_required
def results_home(request: HttpRequest) -> HttpResponse:
    elections = Election.objects.prefetch_related("contests").order_by("-date", "name")
    return render(request, "results/home.html", {"elections": elections})


@dataclass
class ContestView:
    """What the contest page, its map and its CSV share: the level, the pair and each area's numbers."""

    contest: Contest
    totals: analysis.ContestTotals
    level: str
    pair: tuple[Candidate, Candidate] | None
    results: list[AreaResult]
    turnout: dict[int, Turnout]


def _placed_areas(contest: Contest) -> list[Area]:
    """The areas the contest's rows were placed in (one query; no votes summed)."""
    placed = AreaVotes.objects.filter(contest=contest, area__isnull=False).values("area_id")
    return list(Area.objects.filter(pk__in=placed).only("pk", "path", "kind"))


def _areas_of_kind(placed: Iterable[Area], kind: str) -> list[Area]:
    """The areas of ``kind`` that hold any of the placed areas."""
    paths = {p for area in placed for p in area.ancestor_paths()}
    return list(Area.objects.filter(kind=kind, path__in=paths).order_by("name"))


def _levels(contest: Contest, placed: list[Area]) -> list[tuple[str, str]]:
    paths = {p for area in placed for p in area.ancestor_paths()}
    present = set(Area.objects.filter(path__in=paths).values_list("kind", flat=True))
    return [("placed", "As reported")] + [(k.value, str(k.label) + "s") for k in LEVELS if k.value in present]


def _contest_view(request: HttpRequest, contest: Contest) -> ContestView:
    totals = analysis.contest_totals(contest)
    a = _candidate(contest, request.GET.get("a"))
    b = _candidate(contest, request.GET.get("b"))
    ranked = [c.candidate for c in totals.candidates if not c.candidate.is_write_ins]
    if a is None and ranked:
        a = ranked[0]
    if b is None or b == a:
        b = next((c for c in ranked if c != a), None)
    pair = (a, b) if a is not None and b is not None else None
    level = request.GET.get("level", "placed")
    if level == "placed":
        results = analysis.area_results(contest, pair=pair)
    elif level in {k.value for k in LEVELS}:
        results = analysis.rollup(contest, _areas_of_kind(_placed_areas(contest), level), pair=pair)
    else:
        raise Http404("No such level.")
    areas = [r.area for r in results if r.area is not None]
    turnout = {t.area.pk: t for t in analysis.turnout(contest, areas, user=request.user)}
    return ContestView(contest, totals, level, pair, results, turnout)


def _points(value: float) -> str:
    return f"{value:+.1f} pt"


def _panel_rows(view: ContestView, result: AreaResult) -> list[list[str]]:
    rows = [["Votes", f"{result.total:,}"]]
    rows += [[c.candidate.name, f"{c.votes:,} ({c.share:.1%})"] for c in result.candidates]
    if view.pair is not None:
        rows.append([f"Margin {view.pair[0].name} over {view.pair[1].name}", _points(result.margin_points)])
    turnout = view.turnout.get(result.area.pk) if result.area is not None else None
    if turnout is not None:
        rows.append(["Ballots cast", f"{turnout.ballots:,}"])
        if turnout.registered:
            rows.append(["Registered voters", f"{turnout.registered:,}"])
            rows.append(["Turnout", f"{turnout.rate:.1%}" if turnout.rate is not None else "—"])
    return rows


def _scale_max(values: Sequence[float]) -> float:
    """The legend's end: the largest magnitude rounded up to a tenth, at least a tenth."""
    largest = max((abs(v) for v in values), default=0.1)
    return min(1.0, max(0.1, math.ceil(largest * 10) / 10))


@login_required
def contest_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    contest = _contest(public_id)
    view = _contest_view(request, contest)
    totals = view.totals
    placed = [r for r in view.results if r.area is not None]
    margins = [r.margin_points / 100 for r in placed]
    query = request.GET.urlencode()
    context = {
        "contest": contest,
        "totals": totals,
        "view": view,
        "levels": _levels(contest, _placed_areas(contest)),
        "candidates": [c.candidate for c in totals.candidates if not c.candidate.is_write_ins],
        "rows": [(r, view.turnout.get(r.area.pk) if r.area else None) for r in view.results],
        "scale_max": _scale_max(margins),
        "geojson_url": reverse("contest_map", args=[contest.public_id]) + (f"?{query}" if query else ""),
        "csv_url": reverse("contest_csv", args=[contest.public_id]) + (f"?{query}" if query else ""),
        "max_total": max((c.votes for c in totals.candidates), default=0) or 1,
    }
    return render(request, "results/contest.html", context)


def _feature(area: Area, value: float | None, rows: list[list[str]]) -> dict[str, Any] | None:
    if not area.geometry:
        return None
    return {
        "type": "Feature",
        "geometry": json.loads(area.geometry),
        "properties": {
            "id": str(area.public_id),
            "name": area.name,
            "code": area.code,
            "value": value,
            "url": reverse("area_detail", args=[area.public_id]),
            "rows": rows,
        },
    }


@login_required
def contest_map(request: HttpRequest, public_id: str) -> JsonResponse:
    """The contest's areas as GeoJSON: ``value`` is the pair's margin as a fraction of the votes."""
    contest = _contest(public_id)
    view = _contest_view(request, contest)
    features = [
        _feature(r.area, r.margin_points / 100 if r.total else None, _panel_rows(view, r))
        for r in view.results
        if r.area is not None
    ]
    return feature_collection([f for f in features if f])


@login_required
def contest_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    contest = _contest(public_id)
    view = _contest_view(request, contest)
    candidates = list(contest.candidates.all())
    header = ["area_key", "area", "kind", *[c.name for c in candidates], "total", "margin", "margin_points"]
    header += ["ballots", "registered", "turnout"]

    def rows() -> Iterable[list[Any]]:
        for r in view.results:
            t = view.turnout.get(r.area.pk) if r.area is not None else None
            yield [
                r.area.code if r.area else r.area_key,
                r.area.name if r.area else "(not placed)",
                r.area.kind if r.area else "",
                *[r.votes_for(c) for c in candidates],
                r.total,
                r.margin,
                round(r.margin_points, 2),
                t.ballots if t else "",
                t.registered if t and t.registered else "",
                round(t.rate, 4) if t and t.rate is not None else "",
            ]

    name = f"{contest.election.date:%Y%m%d}-{contest.name}-{view.level}".replace(" ", "-").replace("/", "-")
    return csv_response(f"{name}.csv", header, rows())


# --- swing ---------------------------------------------------------------------------------


def _choice(contest: Contest, value: str) -> Candidate | str:
    """A candidate's public id, or a party / ballot line by name."""
    if not value:
        raise Http404("Choose a candidate or a party.")
    try:
        candidate = _candidate(contest, value)
    except Http404:
        return value
    assert candidate is not None
    return candidate


def _swing_from(request: HttpRequest) -> analysis.Swing | None:
    get = request.GET
    if not (get.get("contest_a") and get.get("contest_b")):
        return None
    contest_a, contest_b = _contest(get["contest_a"]), _contest(get["contest_b"])
    return analysis.swing(
        contest_a,
        _choice(contest_a, get.get("choice_a", "")),
        contest_b,
        _choice(contest_b, get.get("choice_b", "")),
    )


@login_required
def swing_page(request: HttpRequest) -> HttpResponse:
    result = _swing_from(request)
    contests = (
        Contest.objects.select_related("election")
        .prefetch_related("candidates")
        .order_by("-election__date", "office", "district", "party")
    )
    query = request.GET.urlencode()
    context = {
        "contests": contests,
        "swing": result,
        "get": request.GET,
        "scale_max": _scale_max([r.swing / 100 for r in result.rows]) if result else 0.1,
        "geojson_url": reverse("swing_map") + f"?{query}",
        "csv_url": reverse("swing_csv") + f"?{query}",
    }
    return render(request, "results/swing.html", context)


@login_required
def swing_map(request: HttpRequest) -> JsonResponse:
    result = _swing_from(request)
    features = []
    for r in result.rows if result else []:
        if r.area is None:
            continue
        rows = [
            ["Share in A", f"{r.share_a:.1%} of {r.total_a:,}"],
            ["Share in B", f"{r.share_b:.1%} of {r.total_b:,}"],
            ["Swing", _points(r.swing)],
        ]
        feature = _feature(r.area, r.swing / 100, rows)
        if feature:
            features.append(feature)
    return feature_collection(features)


@login_required
def swing_csv(request: HttpRequest) -> StreamingHttpResponse:
    result = _swing_from(request)
    if result is None:
        raise Http404("Choose two contests.")
    header = [
        "area_key",
        "area",
        "votes_a",
        "total_a",
        "share_a",
        "votes_b",
        "total_b",
        "share_b",
        "swing_points",
    ]
    rows = (
        [r.area_key, r.area.name if r.area else "(not placed)", r.votes_a, r.total_a, round(r.share_a, 4),
         r.votes_b, r.total_b, round(r.share_b, 4), round(r.swing, 2)]
        for r in [*result.rows, result.overall]
    )  # fmt: skip
    return csv_response("swing.csv", header, rows)


# --- targets -------------------------------------------------------------------------------


def _organizer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not user.can_edit_people:
        raise PermissionDenied("Targets are for organizers and coordinators.")
    return user


def _weight(value: str | None, default: float = 1.0) -> float:
    try:
        number = float(value) if value else default
    except ValueError:
        return default
    if not math.isfinite(number):
        # "nan" parses, and would make every score NaN: the map's JSON could not be read.
        return default
    return min(max(number, 0.0), 10.0)


@dataclass
class TargetsQuery:
    contest: Contest | None
    candidate: Candidate | None
    kind: str
    weights: Weights


def _targets_query(data: Any) -> TargetsQuery:
    contest = _contest(data["contest"]) if data.get("contest") else None
    candidate = _candidate(contest, data.get("candidate")) if contest is not None else None
    if contest is not None and candidate is None:
        ranked = [
            c.candidate for c in analysis.contest_totals(contest).candidates if not c.candidate.is_write_ins
        ]
        candidate = ranked[0] if ranked else None
    kind = data.get("kind") or AreaKind.ELECTION_DISTRICT
    if kind not in {AreaKind.ELECTION_DISTRICT, AreaKind.NEIGHBORHOOD, AreaKind.STREET, AreaKind.BUILDING}:
        raise Http404("No such kind of area.")
    weights = Weights(
        support=_weight(data.get("w_support")),
        turnout_gap=_weight(data.get("w_turnout")),
        not_contacted=_weight(data.get("w_contact")),
        no_committee=_weight(data.get("w_committee"), default=0.0),
    )
    return TargetsQuery(contest, candidate, kind, weights)


def _targets(user: User, query: TargetsQuery) -> list[Target]:
    if query.contest is None or query.candidate is None:
        return []
    return rank_targets(user, query.contest, query.candidate, kind=query.kind, weights=query.weights)


@login_required
def targets_page(request: HttpRequest) -> HttpResponse:
    user = _organizer(request)
    if request.method == "POST":
        query = _targets_query(request.POST)
        chosen = set(request.POST.getlist("area"))
        areas = [t.area for t in _targets(user, query) if str(t.area.public_id) in chosen]
        name = request.POST.get("name", "").strip()[:200]
        if not areas:
            messages.error(request, "Tick the areas the canvass should cover.")
        else:
            universe = do_create_universe(
                user,
                name or f"Targets: {len(areas)} areas",
                areas,
                source={
                    "from": "targets",
                    "contest": str(query.contest.public_id) if query.contest else "",
                    "candidate": query.candidate.name if query.candidate else "",
                    "weights": vars(query.weights),
                },
            )
            return redirect("universe_detail", public_id=universe.public_id)
    query = _targets_query(request.GET if request.method == "GET" else request.POST)
    targets = _targets(user, query)
    params = request.GET.urlencode()
    contests = Contest.objects.select_related("election").prefetch_related("candidates")
    context = {
        "query": query,
        "targets": targets,
        "contests": contests.order_by("-election__date", "office", "district", "party"),
        "kinds": [(k, AreaKind(k).label) for k in (AreaKind.ELECTION_DISTRICT, AreaKind.NEIGHBORHOOD)],
        "geojson_url": reverse("targets_map") + f"?{params}",
        "csv_url": reverse("targets_csv") + f"?{params}",
    }
    return render(request, "results/targets.html", context)


def _target_rows(t: Target) -> list[list[str]]:
    def part(value: float | None) -> str:
        return f"{value:.1%}" if value is not None else "unknown"

    return [
        ["Rank", str(t.rank)],
        ["Score", f"{t.score:.2f}"],
        ["Support", part(t.support)],
        ["Turnout gap", part(t.turnout_gap)],
        ["Not contacted", f"{t.not_contacted:,}"],
        ["Committees", str(t.committees) if t.committees else "none yet"],
    ]


@login_required
def targets_map(request: HttpRequest) -> JsonResponse:
    user = _organizer(request)
    targets = _targets(user, _targets_query(request.GET))
    features = [_feature(t.area, t.score, _target_rows(t)) for t in targets]
    return feature_collection([f for f in features if f])


@login_required
def targets_csv(request: HttpRequest) -> StreamingHttpResponse:
    user = _organizer(request)
    query = _targets_query(request.GET)
    targets = _targets(user, query)
    record_audit(user, AuditEntry.Verb.EXPORT, "targets", "", areas=len(targets))
    header = ["rank", "area", "code", "score", "support", "turnout_gap", "not_contacted", "committees"]
    rows = (
        [t.rank, t.area.name, t.area.code, round(t.score, 4),
         "" if t.support is None else round(t.support, 4),
         "" if t.turnout_gap is None else round(t.turnout_gap, 4), t.not_contacted, t.committees]
        for t in targets
    )  # fmt: skip
    return csv_response("targets.csv", header, rows)
