"""Canvassing pages: a universe and the households it covers."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from grassroots.accounts import access
from grassroots.canvass.models import Universe


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
