"""Writes of canvassing: creating a universe, cutting it into turfs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass import routes, turfs
from grassroots.canvass.models import Turf, TurfDoor, Universe, Visit
from grassroots.lib.geo import parse_geometry
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, AreaKind
from grassroots.results.targets import CONTACT_KINDS


@transaction.atomic
def do_create_universe(actor: User, name: str, areas: Sequence[Area], *, source: dict[str, Any]) -> Universe:
    """A universe of these areas; every area must be inside the actor's scope."""
    outside = [a.name for a in areas if not access.area_in_scope(actor, a)]
    if outside:
        raise ValidationError(f"Outside the areas you work in: {', '.join(outside)}.")
    universe = Universe.objects.create(name=name, source=source, created_by=actor)
    universe.areas.set(areas)
    record_audit(actor, AuditEntry.Verb.CREATE, "universe", universe.public_id, areas=len(areas))
    return universe


# --- cutting a universe into turfs -------------------------------------------------------------


@dataclass
class CutReport:
    turfs: list[Turf]
    doors: int
    without_location: int  # households with no coordinates: listed apart, not cut


def _house_number(line: str) -> int:
    digits = ""
    for ch in line:
        if ch.isdigit():
            digits += ch
        elif digits or not ch.isspace():
            break
    return int(digits) if digits else 0


def _centerline(geometry: str, origin: tuple[float, float]) -> tuple[tuple[float, float], ...]:
    """A street's centerline in meters: its line, or the long axis of its strip polygon."""
    shape = parse_geometry(geometry)
    if shape.geom_type in ("LineString", "MultiLineString"):
        line = shape if shape.geom_type == "LineString" else max(shape.geoms, key=lambda g: g.length)
        return tuple(turfs.project(x, y, origin) for x, y in line.coords)
    min_x, min_y, max_x, max_y = shape.bounds
    (x0, y0), (x1, y1) = turfs.project(min_x, min_y, origin), turfs.project(max_x, max_y, origin)
    if x1 - x0 >= y1 - y0:
        mid = (y0 + y1) / 2
        return ((x0, mid), (x1, mid))
    mid = (x0 + x1) / 2
    return ((mid, y0), (mid, y1))


def universe_people(actor: User, universe: Universe) -> QuerySet[Person] | None:
    """The people the universe's filters choose (None when it has none: every door of its areas)."""
    filters = universe.filters or {}
    tags = [t for t in filters.get("tags", []) if t]
    days = filters.get("not_contacted_days")
    if not tags and not days:
        return None
    people = access.people_visible_to(actor)
    if tags:
        people = people.filter(tags__name__in=tags)
    if days:
        since = timezone.now() - timedelta(days=int(days))
        recent = Action.objects.filter(kind__in=CONTACT_KINDS, occurred_at__gte=since).values("person_id")
        people = people.exclude(pk__in=recent)
    return people


@transaction.atomic
def do_cut_universe(actor: User, universe: Universe, target: int) -> CutReport:
    """Cut the universe's households into turfs of about ``target`` doors, each in walking order.

    Earlier turfs of the universe are replaced, unless visits were already made in them.
    Raises ValidationError with a message for a person: no households, a bad target.
    """
    if Visit.objects.filter(turf__universe=universe).exists():
        raise ValidationError(
            "Doors of this universe were already knocked: its turfs can no longer be re-cut."
        )
    inside = Q()
    areas = list(universe.areas.all())
    for area in areas:
        inside |= Q(area__path__startswith=area.path)
    chosen = access.households_visible_to(actor).filter(inside)
    wanted = universe_people(actor, universe)
    if wanted is not None:
        chosen = chosen.filter(pk__in=wanted.values("household_id"))
    households = list(chosen.select_related("area") if areas else [])
    located = [h for h in households if h.lon is not None and h.lat is not None]
    if not located:
        raise ValidationError("This universe has no households with a location: there is nothing to cut.")
    origin = (
        sum(h.lon or 0 for h in located) / len(located),
        sum(h.lat or 0 for h in located) / len(located),
    )
    # A household lives in a building, or in a unit of one; the building's parent is its street.
    building_of = {h.pk: (h.area.parent_id if h.area.kind == AreaKind.UNIT else h.area_id) for h in located}
    buildings = Area.objects.in_bulk({b for b in building_of.values() if b is not None})
    street_names = dict(
        Area.objects.filter(pk__in={b.parent_id for b in buildings.values()}).values_list("pk", "name")
    )
    doors = []
    for h in located:
        building = buildings.get(building_of[h.pk] or 0)
        x, y = turfs.project(h.lon or 0.0, h.lat or 0.0, origin)
        street = street_names.get(building.parent_id or 0, "") if building else ""
        doors.append(
            turfs.Door(
                id=h.pk, x=x, y=y, building=building_of[h.pk] or f"h{h.pk}", street=street,
                number=_house_number(h.address_line), unit=h.unit,
            )
        )  # fmt: skip
    arterials = Area.objects.filter(_paths(areas), kind=AreaKind.STREET, attributes__arterial=True).exclude(
        geometry=""
    )
    streets = [
        turfs.Street(id=s.pk, points=_centerline(s.geometry, origin), arterial=True) for s in arterials
    ]
    try:
        cut = turfs.cut_turfs(doors, streets, target)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    Turf.objects.filter(universe=universe).delete()
    by_id = {h.pk: h for h in located}
    made = []
    for piece in cut:
        turf = Turf.objects.create(universe=universe, number=piece.id)
        route = routes.order_doors(
            routes.Door(id=d.id, x=d.x, y=d.y, street=str(d.street), number=d.number, building=d.building,
                        unit=d.unit or None)
            for d in piece.doors
        )  # fmt: skip
        TurfDoor.objects.bulk_create(
            TurfDoor(turf=turf, household=by_id[int(d.id)], position=i) for i, d in enumerate(route.doors)
        )
        made.append(turf)
    record_audit(
        actor, AuditEntry.Verb.UPDATE, "universe", universe.public_id, turfs=len(made), target=target
    )
    return CutReport(made, len(doors), len(households) - len(located))


def _paths(areas: Sequence[Area]) -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(path__startswith=area.path)
    return query
