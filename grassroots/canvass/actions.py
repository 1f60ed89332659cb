"""Writes of canvassing: creating a universe, cutting it into turfs."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass import routes, turfs
from grassroots.canvass.models import Script, Shift, Turf, TurfDoor, Universe, Visit
from grassroots.lib.geo import parse_geometry
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, AreaKind, Household
from grassroots.results.targets import CONTACT_KINDS
from grassroots.voters.models import VoteHistory, VoterRecord


@transaction.atomic
def do_create_universe(
    actor: User,
    name: str,
    areas: Sequence[Area],
    *,
    source: dict[str, Any],
    title: str = "",
    description: str = "",
    script: Script | None = None,
    audit: dict[str, str] | None = None,
) -> Universe:
    """A universe of these areas; every area must be inside the actor's scope. ``audit`` adds to
    the audit entry (the API says it made it, with which token)."""
    outside = [a.name for a in areas if not access.area_in_scope(actor, a)]
    if outside:
        raise ValidationError(f"Outside the areas you work in: {', '.join(outside)}.")
    universe = Universe.objects.create(
        name=name, title=title, description=description, script=script, source=source, created_by=actor
    )
    universe.areas.set(areas)
    record_audit(
        actor, AuditEntry.Verb.CREATE, "universe", universe.public_id, areas=len(areas), **(audit or {})
    )
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


VOTER_FILTERS = ("statuses", "parties", "voted", "not_voted")
# Ten years: "not contacted in the last N days" means nothing beyond, and a date that far back
# must stay within the calendar.
MAX_NOT_CONTACTED_DAYS = 3660


def _is_date(value: str) -> bool:
    """Whether ``value`` is an ISO date; one shaped right that does not exist (February 30) is refused."""
    try:
        return parse_date(value) is not None
    except ValueError:
        raise ValidationError(f"“{value}” is not a date.") from None


def clean_filters(tags: list[str], days: str, voter: dict[str, list[str]]) -> dict[str, Any]:
    """A universe's filters from a form, keeping only those given: tags and days without contact, and
    from the voter file: statuses, parties, elections voted in and not voted in (ISO dates).

    Raises ValidationError, with a message for a person, for a day count too large or a date
    that does not exist."""
    filters: dict[str, Any] = {}
    if any(tags):
        filters["tags"] = [t for t in tags if t]
    # isdecimal, not isdigit: int() refuses some digits (a superscript two) that isdigit accepts.
    if days.strip().isdecimal() and int(days) > 0:
        if int(days) > MAX_NOT_CONTACTED_DAYS:
            raise ValidationError(f"Give at most {MAX_NOT_CONTACTED_DAYS:,} days without contact.")
        filters["not_contacted_days"] = int(days)
    for name in VOTER_FILTERS:
        values = [v for v in voter.get(name, []) if v]
        if name in ("voted", "not_voted"):
            values = [v for v in values if _is_date(v)]
        if values:
            filters[name] = values
    return filters


def universe_people(actor: User, universe: Universe) -> QuerySet[Person] | None:
    """The people the universe's filters choose (None when it has none: every door of its areas).

    Voter filters choose people linked to a voter record still on the roll: with one of the
    statuses, of one of the parties, who voted in at least one of ``voted`` and in none of
    ``not_voted`` (so "voted in the primary, not in the general" finds the people to turn out)."""
    filters = universe.filters or {}
    tags = [t for t in filters.get("tags", []) if t]
    days = filters.get("not_contacted_days")
    voter = {name: filters.get(name) or [] for name in VOTER_FILTERS}
    if not tags and not days and not any(voter.values()):
        return None
    people = access.people_visible_to(actor)
    if tags:
        people = people.filter(tags__name__in=tags)
    if days:
        # Bounded again: a universe saved before clean_filters set the bound may hold any number.
        since = timezone.now() - timedelta(days=min(int(days), MAX_NOT_CONTACTED_DAYS))
        recent = Action.objects.filter(kind__in=CONTACT_KINDS, occurred_at__gte=since).values("person_id")
        people = people.exclude(pk__in=recent)
    if any(voter.values()):
        records = VoterRecord.objects.filter(on_roll=True, person__isnull=False)
        if voter["statuses"]:
            records = records.filter(status__in=voter["statuses"])
        if voter["parties"]:
            records = records.filter(party__in=voter["parties"])
        if voter["voted"]:
            records = records.filter(history__election_date__in=voter["voted"])
        if voter["not_voted"]:
            records = records.exclude(history__election_date__in=voter["not_voted"])
        people = people.filter(pk__in=records.values("person_id"))
    return people.distinct()


def voter_choices(universe: Universe) -> dict[str, list[tuple[str, str]]]:
    """What the voter file offers to filter this universe's doors by: statuses and parties with how
    many voters of the universe have them, and the elections in their history, newest first."""
    inside = Q(pk__in=[])
    for area in universe.areas.all():
        inside |= Q(area__path__startswith=area.path)
    records = VoterRecord.objects.filter(inside, on_roll=True)
    choices: dict[str, list[tuple[str, str]]] = {}
    for field in ("status", "party"):
        rows = records.exclude(**{field: ""}).values(field).annotate(n=Count("id")).order_by("-n")
        choices[field] = [(r[field], f"{r[field]} ({r['n']:,})") for r in rows]
    elections = (
        VoteHistory.objects.filter(record__in=records)
        .values("election_date", "election_name")
        .annotate(n=Count("id"))
        .order_by("-election_date")[:40]
    )
    choices["elections"] = [
        (e["election_date"].isoformat(), f"{e['election_date']:%Y-%m-%d} {e['election_name']} ({e['n']:,})")
        for e in elections
    ]
    return choices


@dataclass
class Ground:
    """A universe's households as the turf cutter sees them: doors in meters, with their buildings
    and streets, and the arterials turfs keep to."""

    doors: dict[int, turfs.Door]  # by household pk
    households: dict[int, Household]
    streets: list[turfs.Street]


def _ground(universe: Universe, households: Sequence[Household]) -> Ground:
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
    doors = {}
    for h in located:
        building = buildings.get(building_of[h.pk] or 0)
        x, y = turfs.project(h.lon or 0.0, h.lat or 0.0, origin)
        street = street_names.get(building.parent_id or 0, "") if building else ""
        doors[h.pk] = turfs.Door(
            id=h.pk, x=x, y=y, building=building_of[h.pk] or f"h{h.pk}", street=street,
            number=_house_number(h.address_line), unit=h.unit,
        )  # fmt: skip
    areas = list(universe.areas.all())
    arterials = Area.objects.filter(_paths(areas), kind=AreaKind.STREET, attributes__arterial=True).exclude(
        geometry=""
    )
    streets = [
        turfs.Street(id=s.pk, points=_centerline(s.geometry, origin), arterial=True) for s in arterials
    ]
    return Ground(doors, {h.pk: h for h in located}, streets)


def _route(ground: Ground, doors: Sequence[turfs.Door]) -> list[Household]:
    route = routes.order_doors(
        routes.Door(id=d.id, x=d.x, y=d.y, street=str(d.street), number=d.number, building=d.building,
                    unit=d.unit or None)
        for d in doors
    )  # fmt: skip
    return [ground.households[int(d.id)] for d in route.doors]


def _write_doors(turf: Turf, ground: Ground, doors: Sequence[turfs.Door]) -> None:
    TurfDoor.objects.filter(turf=turf).delete()
    TurfDoor.objects.bulk_create(
        TurfDoor(turf=turf, household=h, position=i) for i, h in enumerate(_route(ground, doors))
    )


def _refuse_if_knocked(universe: Universe) -> None:
    if Visit.objects.filter(turf__universe=universe).exists():
        raise ValidationError(
            "Doors of this universe were already knocked: its turfs can no longer be re-cut."
        )


@transaction.atomic
def do_cut_universe(actor: User, universe: Universe, target: int) -> CutReport:
    """Cut the universe's households into turfs of about ``target`` doors, each in walking order.

    Earlier turfs of the universe are replaced, unless visits were already made in them.
    Raises ValidationError with a message for a person: no households, a bad target.
    """
    _refuse_if_knocked(universe)
    inside = Q()
    areas = list(universe.areas.all())
    for area in areas:
        inside |= Q(area__path__startswith=area.path)
    chosen = access.households_visible_to(actor).filter(inside)
    wanted = universe_people(actor, universe)
    if wanted is not None:
        chosen = chosen.filter(pk__in=wanted.values("household_id"))
    households = list(chosen.select_related("area") if areas else [])
    ground = _ground(universe, households)
    try:
        cut = turfs.cut_turfs(list(ground.doors.values()), ground.streets, target)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    Turf.objects.filter(universe=universe).delete()
    made = []
    for piece in cut:
        turf = Turf.objects.create(universe=universe, number=piece.id)
        _write_doors(turf, ground, piece.doors)
        made.append(turf)
    record_audit(
        actor, AuditEntry.Verb.UPDATE, "universe", universe.public_id, turfs=len(made), target=target
    )
    return CutReport(made, len(ground.doors), len(households) - len(ground.doors))


def _current(universe: Universe) -> tuple[Ground, list[turfs.Turf], dict[int, Turf]]:
    """The universe's turfs as they stand, for the cutter's hand edits."""
    rows = list(TurfDoor.objects.filter(turf__universe=universe).select_related("household__area"))
    ground = _ground(universe, [r.household for r in rows])
    by_number = {t.number: t for t in universe.turfs.all()}  # the empty ones too
    number_of = {t.pk: n for n, t in by_number.items()}
    doors_of: dict[int, list[turfs.Door]] = {n: [] for n in by_number}
    for row in rows:
        if row.household_id in ground.doors:
            doors_of[number_of[row.turf_id]].append(ground.doors[row.household_id])
    pieces = [turfs.Turf(n, 0, tuple(doors)) for n, doors in sorted(doors_of.items())]
    return ground, pieces, by_number


@transaction.atomic
def do_move_buildings(actor: User, universe: Universe, buildings: Sequence[Area], to: int) -> list[Turf]:
    """Move every door of ``buildings`` (or of every building on a street, for a street: a block) into
    turf number ``to``, in walking order; the turfs they left are ordered again. Turfs left empty go,
    unless doors were knocked in them. The receiving turf is marked hand-edited, so that a re-cut keeps it.
    Returns the turfs that changed."""
    ground, pieces, by_number = _current(universe)
    if to not in by_number:
        raise ValidationError(f"This universe has no turf {to}.")
    wanted: set[Any] = set()
    for area in buildings:
        if area.kind == AreaKind.STREET:
            wanted |= {
                d.building for d in ground.doors.values() if d.street == area.name and _on(area, d, ground)
            }
        else:
            wanted.add(area.pk)
    present = {d.building for p in pieces for d in p.doors}
    if not wanted & present:
        raise ValidationError("None of these buildings has doors in this universe's turfs.")
    moved = turfs.move(pieces, wanted & present, to)
    after = {p.id: p for p in moved}
    changed = []
    for piece in pieces:
        turf = by_number[piece.id]
        new = after.get(piece.id)
        if new is None:
            if turf.visits.exists():
                TurfDoor.objects.filter(turf=turf).delete()
            else:
                turf.delete()
            continue
        if {d.id for d in new.doors} != {d.id for d in piece.doors}:
            _write_doors(turf, ground, new.doors)
            changed.append(turf)
    receiving = by_number[to]
    receiving.hand_edited = True
    receiving.save(update_fields=["hand_edited"])
    record_audit(
        actor,
        AuditEntry.Verb.UPDATE,
        "universe",
        universe.public_id,
        moved_to=to,
        buildings=len(wanted & present),
    )
    return changed


def _on(street: Area, door: turfs.Door, ground: Ground) -> bool:
    """Whether the door's building stands on this street (its area is inside the street's)."""
    return ground.households[int(door.id)].area.path.startswith(street.path)


@transaction.atomic
def do_recut(actor: User, universe: Universe, target: int, keep: Collection[int]) -> list[Turf]:
    """Keep the turfs numbered in ``keep`` as they are and cut the rest again by the cutter's rules
    (``turfs.recut``); turfs that keep their number and doors keep their canvassers."""
    _refuse_if_knocked(universe)
    ground, pieces, by_number = _current(universe)
    try:
        result = turfs.recut(pieces, ground.streets, target, fixed=set(keep))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    before = {p.id: {d.id for d in p.doors} for p in pieces}
    made = []
    for piece in result:
        turf = by_number.get(piece.id) or Turf.objects.create(universe=universe, number=piece.id)
        if {d.id for d in piece.doors} != before.get(piece.id):
            _write_doors(turf, ground, piece.doors)
            turf.canvassers.clear()
        made.append(turf)
    numbers = {p.id for p in result}
    Turf.objects.filter(universe=universe).exclude(number__in=numbers).delete()
    record_audit(
        actor,
        AuditEntry.Verb.UPDATE,
        "universe",
        universe.public_id,
        turfs=len(made),
        target=target,
        kept=len(keep),
    )
    return made


def _paths(areas: Sequence[Area]) -> Q:
    query = Q(pk__in=[])
    for area in areas:
        query |= Q(path__startswith=area.path)
    return query


# --- shifts ----------------------------------------------------------------------------------------


def do_create_shift(
    actor: User, universe: Universe, starts_at: datetime, ends_at: datetime, meeting_point: str, capacity: int
) -> Shift:
    if ends_at <= starts_at:
        raise ValidationError("A shift ends after it starts.")
    if capacity < 0:
        raise ValidationError("The number of places cannot be negative.")
    shift = Shift.objects.create(
        universe=universe,
        starts_at=starts_at,
        ends_at=ends_at,
        meeting_point=meeting_point,
        capacity=capacity,
    )
    record_audit(actor, AuditEntry.Verb.CREATE, "shift", shift.public_id, universe=str(universe.public_id))
    return shift


def shifts_open_to(user: User) -> QuerySet[Shift]:
    """Shifts not yet over of the universes whose every area the user may see (one query: no area
    of the universe outside the user's scope)."""
    upcoming = Shift.objects.filter(ends_at__gt=timezone.now()).select_related("universe")
    if access.scope_paths(user) is access.ALL:
        return upcoming
    outside = Universe.areas.through.objects.filter(universe_id=OuterRef("universe_id")).exclude(
        area_id__in=access.areas_in_scope(user).values("pk")
    )
    return upcoming.filter(~Exists(outside))


def _may_walk(user: User, shift: Shift) -> bool:
    return all(access.area_in_scope(user, a) for a in shift.universe.areas.all())


@transaction.atomic
def do_sign_up(user: User, shift: Shift) -> None:
    """Sign the user up for the shift: refused when it is over, full, or in areas they do not work in."""
    shift = Shift.objects.select_for_update().get(pk=shift.pk)
    if shift.ends_at <= timezone.now():
        raise ValidationError("This shift is over.")
    if not _may_walk(user, shift):
        raise ValidationError("This shift canvasses areas you do not work in.")
    if shift.canvassers.filter(pk=user.pk).exists():
        return
    if shift.capacity and shift.canvassers.count() >= shift.capacity:
        raise ValidationError("This shift is full.")
    shift.canvassers.add(user)


def do_leave_shift(user: User, shift: Shift) -> None:
    """Leave a shift; a turf assigned to the user for it is no longer theirs."""
    shift.canvassers.remove(user)
    for turf in shift.turfs.filter(canvassers=user):
        turf.canvassers.remove(user)
