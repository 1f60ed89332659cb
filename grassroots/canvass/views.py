"""Canvassing pages: a universe and the households it covers."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

import shapely
import shapely.geometry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.actions import (
    VOTER_FILTERS,
    clean_filters,
    do_create_shift,
    do_cut_universe,
    do_move_buildings,
    do_recut,
    voter_choices,
)
from grassroots.canvass.models import Script, Turf, TurfDoor, Universe, Visit
from grassroots.canvass.scripts import script_for
from grassroots.canvass.sync import apply_visits
from grassroots.lib.geo import feature_collection
from grassroots.lib.moments import NotAMoment, read_moment
from grassroots.people.consent import refusing
from grassroots.people.models import Tag
from grassroots.places.models import Area, AreaKind

# How often the progress pages fetch the turfs' numbers again while an organizer watches.
PROGRESS_REFRESH_SECONDS = 10


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
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
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
    residents = list(people.order_by("last_name", "first_name"))
    refused = refusing(p.pk for p in residents)
    for person in residents:
        person.do_not_contact = person.pk in refused  # type: ignore[attr-defined]  # for the template
        by_household.setdefault(person.household_id or 0, []).append(person)
    last_result = dict(
        Visit.objects.filter(turf=turf)
        .order_by("household_id", "visited_at")
        .values_list("household_id", "result")
    )
    rows = [(d, by_household.get(d.household_id, []), last_result.get(d.household_id)) for d in doors]
    record_audit(request.user, AuditEntry.Verb.VIEW, "walk_list", turf.public_id, doors=len(doors))
    return render(
        request, "canvass/walk_list.html", {"turf": turf, "rows": rows, "route": route_sketch(doors)}
    )


def route_sketch(doors: list[TurfDoor], size: float = 400.0, margin: float = 14.0) -> dict[str, Any] | None:
    """The walk as a small drawing for the printed list: each door a numbered dot, joined in walking
    order, north up, in an SVG box of ``size`` units (doors without a location are left out)."""
    located = [
        (i + 1, d.household.lon, d.household.lat)
        for i, d in enumerate(doors)
        if d.household.lon is not None and d.household.lat is not None
    ]
    if len(located) < 2:
        return None
    lat0 = sum(lat for _, _, lat in located) / len(located)
    squash = math.cos(math.radians(lat0))  # a degree of longitude is shorter than one of latitude
    xs = [lon * squash for _, lon, _ in located]
    ys = [lat for _, _, lat in located]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-9
    scale = (size - 2 * margin) / span
    points = [
        (n, round(margin + (x - min(xs)) * scale, 1), round(margin + (max(ys) - y) * scale, 1))
        for (n, _, _), x, y in zip(located, xs, ys, strict=True)
    ]
    height = round(2 * margin + (max(ys) - min(ys)) * scale, 1)
    return {
        "width": size,
        "height": height,
        "points": points,
        "line": " ".join(f"{x},{y}" for _, x, y in points),
    }


def _organized_universe(request: HttpRequest, public_id: str) -> Universe:
    user = request.user
    if not getattr(user, "can_edit_people", False):
        raise PermissionDenied("Cutting turfs is for organizers and coordinators.")
    universe = Universe.objects.filter(public_id=access.parse_public_id(public_id)).first()
    if universe is None or not all(access.area_in_scope(user, a) for a in universe.areas.all()):
        raise Http404("No such universe.")
    return universe


@login_required
def universe_turfs(request: HttpRequest, public_id: str) -> HttpResponse:
    """Cut the universe into turfs (POST "doors"), assign canvassers (POST "assign"), see them on a map."""
    universe = _organized_universe(request, public_id)
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST" and "doors" in request.POST:
        try:
            # Cleaned before anything is saved: a refused filter leaves the universe as it was.
            filters = clean_filters(
                request.POST.getlist("tags"),
                request.POST.get("not_contacted_days", ""),
                {name: request.POST.getlist(name) for name in VOTER_FILTERS},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("universe_turfs", public_id=universe.public_id)
        universe.filters = filters
        universe.save(update_fields=["filters"])
        try:
            report = do_cut_universe(user, universe, int(request.POST["doors"] or 0))
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, f"{report.doors:,} doors cut into {len(report.turfs)} turfs.")
        return redirect("universe_turfs", public_id=universe.public_id)
    if request.method == "POST" and ("move" in request.POST or "recut" in request.POST):
        _hand_edit(request, user, universe)
        return redirect("universe_turfs", public_id=universe.public_id)
    if request.method == "POST" and "shift_new" in request.POST:
        _new_shift(request, user, universe)
        return redirect("universe_turfs", public_id=universe.public_id)
    if request.method == "POST" and "script" in request.POST:
        chosen_script = Script.objects.filter(
            public_id=access.parse_public_id(request.POST["script"])
        ).first()
        if chosen_script is None:
            raise Http404("No such script.")
        universe.script = chosen_script
        universe.save(update_fields=["script"])
        messages.success(request, f"Doors of this universe will be asked “{chosen_script.name}”.")
        return redirect("universe_turfs", public_id=universe.public_id)
    if request.method == "POST" and "assign" in request.POST:
        turf = universe.turfs.filter(public_id=access.parse_public_id(request.POST["assign"])).first()
        if turf is None:
            raise Http404("No such turf.")
        chosen = _canvassers_for(universe).filter(username__in=request.POST.getlist("canvassers"))
        turf.canvassers.set(chosen)
        shift_id = request.POST.get("shift")
        turf.shift = (
            universe.shifts.filter(public_id=access.parse_public_id(shift_id)).first() if shift_id else None
        )
        turf.save(update_fields=["shift"])
        record_audit(user, AuditEntry.Verb.UPDATE, "turf", turf.public_id, canvassers=chosen.count())
        return redirect("universe_turfs", public_id=universe.public_id)
    context = {
        "universe": universe,
        "turfs": turf_progress(universe),
        "canvassers": _canvassers_for(universe),
        "tags": Tag.objects.order_by("name"),
        "scripts": Script.objects.order_by("name"),
        "voter": voter_choices(universe),
        "script": script_for(universe),
        "geojson_url": reverse("universe_turfs_map", args=[universe.public_id]),
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
        "buildings": _buildings_by_turf(universe),
        "shifts": universe.shifts.prefetch_related("canvassers"),
    }
    return render(request, "canvass/turfs.html", context)


def _form_moment(value: str) -> datetime.datetime | None:
    try:
        return read_moment(value)
    except NotAMoment:
        return None


def _new_shift(request: HttpRequest, user: User, universe: Universe) -> None:
    starts = _form_moment(request.POST.get("starts_at", ""))
    ends = _form_moment(request.POST.get("ends_at", ""))
    if starts is None or ends is None:
        messages.error(request, "Give the shift's start and end as a date and a time.")
        return
    capacity = request.POST.get("capacity", "").strip()
    try:
        do_create_shift(
            user, universe, starts, ends, request.POST.get("meeting_point", "").strip()[:200],
            int(capacity) if capacity.lstrip("-").isdigit() else 0,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Shift added: canvassers who work in these areas can sign up.")


def _hand_edit(request: HttpRequest, user: User, universe: Universe) -> None:
    """POST "move": buildings or streets (public ids) into turf "to"; POST "recut": keep the turfs
    in "keep" and cut the rest again to about "target" doors."""
    try:
        if "move" in request.POST:
            ids = [access.parse_public_id(v) for v in request.POST.getlist("areas") if v]
            chosen = [a for a in Area.objects.filter(public_id__in=ids) if access.area_in_scope(user, a)]
            if not chosen:
                raise ValidationError("Choose a building or a street to move.")
            changed = do_move_buildings(user, universe, chosen, int(request.POST.get("to") or 0))
            messages.success(request, f"Moved; {len(changed)} turfs changed.")
        else:
            keep = [int(n) for n in request.POST.getlist("keep") if n.isdigit()]
            made = do_recut(user, universe, int(request.POST.get("target") or 0), keep)
            messages.success(request, f"Kept {len(keep)} turfs and cut the rest again: {len(made)} turfs.")
    except (ValidationError, ValueError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _buildings_by_turf(universe: Universe) -> list[tuple[int, list[tuple[str, str]]]]:
    """For the move form: each turf's buildings (public id, name) and, under 0, the streets they stand on."""
    rows = TurfDoor.objects.filter(turf__universe=universe).values_list(
        "turf__number", "household__area__kind", "household__area_id", "household__area__parent_id"
    )
    building_ids: dict[int, set[int]] = {}
    for number, kind, area_id, parent_id in rows:
        building = parent_id if kind == AreaKind.UNIT else area_id
        if building is not None:
            building_ids.setdefault(number, set()).add(building)
    every = {b for ids in building_ids.values() for b in ids}
    buildings = Area.objects.in_bulk(every)
    streets = Area.objects.filter(pk__in={b.parent_id for b in buildings.values()}, kind=AreaKind.STREET)
    result = [
        (number, sorted((str(buildings[b].public_id), buildings[b].name) for b in ids if b in buildings))
        for number, ids in sorted(building_ids.items())
    ]
    result.append((0, sorted((str(s.public_id), s.name) for s in streets)))
    return result


def _canvassers_for(universe: Universe) -> QuerySet[User]:
    """Active users whose scope covers every area of the universe (they could see its doors)."""
    scopes = Prefetch("scope", queryset=Area.objects.only("pk", "path"))
    users = User.objects.filter(is_active=True).exclude(role="").prefetch_related(scopes)
    areas = list(universe.areas.all())
    wanted = [u.pk for u in users if all(access.area_in_scope(u, a) for a in areas)]
    return User.objects.filter(pk__in=wanted).order_by("username")


@login_required
def universe_turfs_map(request: HttpRequest, public_id: str) -> JsonResponse:
    """Each turf as the hull of its doors, with its progress: the share of its doors knocked."""
    universe = _organized_universe(request, public_id)
    features = []
    # Every door of the universe in one query, not one query per turf.
    points_of: dict[int, list[tuple[float, float]]] = {}
    located = TurfDoor.objects.filter(
        turf__universe=universe, household__lon__isnull=False, household__lat__isnull=False
    ).values_list("turf_id", "household__lon", "household__lat")
    for turf_id, lon, lat in located:
        points_of.setdefault(turf_id, []).append((lon or 0.0, lat or 0.0))
    for turf in turf_progress(universe):
        points = points_of.get(turf.pk, [])
        if not points:
            continue
        hull = shapely.MultiPoint(points).convex_hull.buffer(0.00012)
        doors = turf.door_count  # type: ignore[attr-defined]
        knocked = turf.knocked  # type: ignore[attr-defined]
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(hull),
                "properties": {
                    "id": str(turf.public_id),
                    "name": f"Turf {turf.number}",
                    "value": knocked / doors if doors else 0.0,
                    "url": reverse("walk_list", args=[turf.public_id]),
                    "rows": [
                        ["Doors", f"{doors:,}"],
                        ["Knocked", f"{knocked:,}"],
                        ["Talked", f"{turf.contacts:,}"],  # type: ignore[attr-defined]
                        ["Answered the script", f"{turf.answered:,}"],  # type: ignore[attr-defined]
                        ["Canvassers", ", ".join(c.username for c in turf.canvassers.all()) or "none yet"],
                    ],
                },
            }
        )
    return feature_collection(features)
