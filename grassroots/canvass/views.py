"""Canvassing pages: a universe and the households it covers."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.models import Turf, Universe, Visit
from grassroots.canvass.sync import apply_visits


@login_required
def universe_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    universe = Universe.objects.filter(public_id=access.parse_public_id(public_id)).first()
    if universe is None or not all(access.area_in_scope(request.user, a) for a in universe.areas.all()):
        raise Http404("No such universe.")
    areas = list(universe.areas.order_by("name"))
    inside = Q()
    for area in areas:
        inside |= Q(area__path__startswith=area.path)
    households = access.households_visible_to(request.user).filter(inside).count() if areas else 0
    people = access.people_visible_to(request.user).filter(inside).count() if areas else 0
    context = {
        "universe": universe,
        "areas": areas,
        "households": households,
        "people": people,
        "turfs": turf_progress(universe),
    }
    return render(request, "canvass/universe.html", context)


def turf_progress(universe: Universe) -> list[Turf]:
    """The universe's turfs, each with ``door_count``, ``knocked`` (doors with at least one visit),
    ``contacts`` (visits where someone talked) and ``answered`` (visits with script answers).

    Doors and visits are counted in two grouped queries: joining both to the turf at once would
    count every door once per visit."""
    turfs: list[Turf] = list(
        universe.turfs.annotate(door_count=Count("doors")).prefetch_related("canvassers")
    )
    counts = {
        row["turf_id"]: row
        for row in Visit.objects.filter(turf__universe=universe)
        .values("turf_id")
        .annotate(
            knocked=Count("household", distinct=True),
            contacts=Count("id", filter=Q(result=Visit.Result.CONTACT)),
            answered=Count("id", filter=~Q(answers={})),
        )
        .order_by()
    }
    for turf in turfs:
        row = counts.get(turf.pk, {})
        turf.knocked = row.get("knocked", 0)  # type: ignore[attr-defined]
        turf.contacts = row.get("contacts", 0)  # type: ignore[attr-defined]
        turf.answered = row.get("answered", 0)  # type: ignore[attr-defined]
    return turfs


@login_required
@require_POST
def sync_visits(request: HttpRequest) -> JsonResponse:
    """The phone's queue of visits: ``{"visits": [...]}``; the answer says, per visit id, applied,
    already applied, or rejected with a reason. Each visit is applied on its own (sync.py)."""
    user = request.user
    assert isinstance(user, User)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": "The upload is not JSON."}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "The upload must be an object with a list of visits."}, status=400)
    return JsonResponse(apply_visits(user, payload.get("visits")).as_dict())


def _turf_for(request: HttpRequest, public_id: str) -> Turf:
    """A turf the user may see: assigned to them, or inside the areas they organize."""
    turf = Turf.objects.select_related("universe").filter(public_id=access.parse_public_id(public_id)).first()
    user = request.user
    if turf is None:
        raise Http404("No such turf.")
    assigned = user.is_authenticated and turf.canvassers.filter(pk=user.pk or 0).exists()
    organizes = getattr(user, "can_edit_people", False) and all(
        access.area_in_scope(user, a) for a in turf.universe.areas.all()
    )
    if not (assigned or organizes):
        raise Http404("No such turf.")
    return turf


@login_required
def walk_list(request: HttpRequest, public_id: str) -> HttpResponse:
    """The turf's doors in walking order, with who lives there: for the screen and for print."""
    turf = _turf_for(request, public_id)
    doors = list(turf.doors.select_related("household").order_by("position"))
    people = access.people_visible_to(request.user).filter(household__in=[d.household_id for d in doors])
    by_household: dict[int, list[Any]] = {}
    for person in people.order_by("last_name", "first_name"):
        by_household.setdefault(person.household_id or 0, []).append(person)
    last_result = dict(
        Visit.objects.filter(turf=turf)
        .order_by("household_id", "visited_at")
        .values_list("household_id", "result")
    )
    rows = [(d, by_household.get(d.household_id, []), last_result.get(d.household_id)) for d in doors]
    record_audit(request.user, AuditEntry.Verb.VIEW, "walk_list", turf.public_id, doors=len(doors))
    return render(request, "canvass/walk_list.html", {"turf": turf, "rows": rows})
