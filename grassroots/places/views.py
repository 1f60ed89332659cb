"""Places pages: the area tree as a list and a map, with the households and people in each area."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry
from grassroots.lib.geo import feature_collection
from grassroots.places.models import PATH_SEGMENT, Area
from grassroots.results.story import area_story

HOUSEHOLD_PAGE = 50
# Above this many children, the map draws the area alone rather than each child.
MAP_CHILD_LIMIT = 2500


def _counts_by_child(queryset: QuerySet[Any], parent_depth: int, field: str) -> dict[str, int]:
    """Count rows per child area in one query: a child's path is the first (depth+2) segments."""
    width = (PATH_SEGMENT + 1) * (parent_depth + 2)
    rows = queryset.annotate(prefix=Substr(field, 1, width)).values("prefix").annotate(n=Count("id"))
    return {row["prefix"]: row["n"] for row in rows}


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    roots = list(Area.objects.filter(parent__isnull=True))
    people = access.people_visible_to(request.user)
    counts = {root.pk: people.filter(area__path__startswith=root.path).count() for root in roots}
    rows = [(root, counts[root.pk]) for root in roots]
    return render(request, "places/list.html", {"rows": rows})


@login_required
def area_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    area = access.access_area(request.user, public_id)
    children = list(area.children.all())
    people = access.people_visible_to(request.user).filter(area__path__startswith=area.path)
    households = access.households_visible_to(request.user).filter(area__path__startswith=area.path)
    people_by_child = _counts_by_child(people, area.depth, "area__path")
    households_by_child = _counts_by_child(households, area.depth, "area__path")
    child_rows = [
        (child, households_by_child.get(child.path, 0), people_by_child.get(child.path, 0))
        for child in children
    ]
    household_page = Paginator(
        households.select_related("area").order_by("address_line", "unit"), HOUSEHOLD_PAGE
    ).get_page(request.GET.get("page"))
    people_here = list(people.select_related("household")[:25]) if not children else []
    if people_here or household_page.object_list:
        # The page names people and lists their addresses: a view of personal data.
        record_audit(
            request.user,
            AuditEntry.Verb.VIEW,
            "area",
            area.public_id,
            people=len(people_here),
            households=len(household_page.object_list),
            page=household_page.number,
        )
    context = {
        "area": area,
        "ancestors": list(area.ancestors()),
        "child_rows": child_rows,
        "household_page": household_page,
        "people_count": people.count(),
        "household_count": households.count(),
        "people_here": people_here,
        "story": area_story(request.user, area),
    }
    return render(request, "places/detail.html", context)


@login_required
def area_map(request: HttpRequest, public_id: str) -> JsonResponse:
    """GeoJSON for the map: the area's children (those with polygons), else the area itself."""
    area = access.access_area(request.user, public_id)
    children = area.children.exclude(geometry="").only("public_id", "name", "kind", "code", "geometry")
    features = []
    if children.count() <= MAP_CHILD_LIMIT:
        features = [f for f in (child.geojson_feature() for child in children) if f]
    if not features:
        own = area.geojson_feature()
        features = [own] if own else []
    return feature_collection(features)


@login_required
def roots_map(request: HttpRequest) -> JsonResponse:
    roots = Area.objects.filter(parent__isnull=True).exclude(geometry="")
    features = [f for f in (root.geojson_feature() for root in roots) if f]
    return feature_collection(features)
