"""Canvassing pages: a universe and the households it covers."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.models import User
from grassroots.canvass.models import Universe
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
    context = {"universe": universe, "areas": areas, "households": households, "people": people}
    return render(request, "canvass/universe.html", context)


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
