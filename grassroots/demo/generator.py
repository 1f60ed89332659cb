"""The demo city: a fictional, deterministic Queens-like city to try grassroots on.

``generate_city(seed=1, scale=1.0)`` writes Eastbrook, NY into the current database:
a street grid in about three neighborhoods and forty election districts, some 6,000
buildings, 15,000 households and 25,000 people with their contacts, consents, tags
and timelines. The same seed gives the same city: every name, address, coordinate,
tag and date is drawn from seeded generators in a fixed order, and rows are saved
in that order (only the random UUIDs differ). Sizes grow linearly with ``scale``.

The city is written one neighborhood at a time and one election district at a time,
so memory stays bounded at any scale. Buildings are filed under their election
district by places.actions.assign_points (bulk point-in-polygon), checked against
the plan's own arithmetic.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import TypeVar

from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.db.models import Count, Model, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts.models import Role, User
from grassroots.accounts.two_factor import role_requires_two_factor, secret_of
from grassroots.demo.layout import CityPlan, District, Lot, Neighborhood, plan_city, plan_lots, unit_labels
from grassroots.demo.residents import ALL_TAGS, Batch, Home, Residents
from grassroots.people.models import Action, Consent, EmailAddress, Person, PhoneNumber, Tag
from grassroots.places.actions import assign_points, build_area
from grassroots.places.models import Area, AreaKind, Household

DEMO_CODE = "DEMO"  # the code of the demo city's root area, by which the demo knows its own city
BATCH_SIZE = 1000
OCCUPIED = 0.95  # share of apartments with a household on record

Progress = Callable[[str], None]
M = TypeVar("M", bound=Model)


@dataclass
class CityStats:
    city: str
    seed: int
    scale: float
    areas: dict[str, int] = field(default_factory=dict)
    households: int = 0
    people: int = 0
    emails: int = 0
    phones: int = 0
    consents: int = 0
    tags: int = 0  # tags given to people
    actions: int = 0
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        """Every row written (areas, households, people and all hanging off them)."""
        return sum(self.areas.values()) + sum(
            (self.households, self.people, self.emails, self.phones, self.consents, self.tags, self.actions)
        )

    def summary(self) -> str:
        kinds = ", ".join(f"{n:,} {kind.replace('_', ' ')}" for kind, n in self.areas.items())
        return (
            f"{self.city} (seed {self.seed}, scale {self.scale:g}): {kinds}; "
            f"{self.households:,} households, {self.people:,} people, {self.emails:,} emails, "
            f"{self.phones:,} phones, {self.consents:,} consents, {self.tags:,} tags, "
            f"{self.actions:,} actions; {self.rows:,} rows in {self.seconds:.1f}s"
        )


def find_demo_city() -> Area | None:
    return Area.objects.filter(parent=None, kind=AreaKind.CITY, code=DEMO_CODE).order_by("pk").first()


def _save(model: type[M], rows: Sequence[M]) -> None:
    if rows:
        model._default_manager.bulk_create(rows, batch_size=BATCH_SIZE)


def generate_city(*, seed: int = 1, scale: float = 1.0, progress: Progress | None = None) -> CityStats:
    """Write the demo city into the current database and count what was written."""
    if not connection.features.can_return_rows_from_bulk_insert:
        raise RuntimeError("The demo needs a database that returns ids from bulk inserts.")
    if find_demo_city() is not None:
        raise ValueError("The database already holds the demo city.")
    say = progress or (lambda _message: None)
    started = perf_counter()
    plan = plan_city(seed, scale)
    stats = CityStats(city=plan.name, seed=seed, scale=scale)
    kinds: Counter[str] = Counter()
    say(
        f"Planning {plan.name}: {plan.cols} × {plan.rows} blocks, {len(plan.neighborhoods)} neighborhoods, "
        f"{len(plan.districts)} election districts"
    )
    with transaction.atomic():
        tag_ids = _ensure_tags(ALL_TAGS)
        city = build_area(
            kind=AreaKind.CITY, name=plan.name, code=DEMO_CODE, geometry=plan.geometry(plan.box)
        )
        city.save()
        hood_areas = [
            build_area(
                kind=AreaKind.NEIGHBORHOOD,
                name=hood.name,
                parent=city,
                geometry=plan.geometry(hood.box),
            )
            for hood in plan.neighborhoods
        ]
        _save(Area, hood_areas)
        district_areas: dict[int, Area] = {}
        for hood, hood_area in zip(plan.neighborhoods, hood_areas, strict=True):
            for district in hood.districts:
                district_areas[district.number] = build_area(
                    kind=AreaKind.ELECTION_DISTRICT,
                    name=district.name,
                    parent=hood_area,
                    code=district.code,
                    geometry=plan.geometry(district.box),
                    sort_key=f"{district.number:05d}",
                )
        _save(Area, list(district_areas.values()))
        kinds.update({AreaKind.CITY: 1, AreaKind.NEIGHBORHOOD: len(hood_areas)})
        kinds[AreaKind.ELECTION_DISTRICT] = len(district_areas)

        first_person = 1
        for number, hood in enumerate(plan.neighborhoods, start=1):
            rng = random.Random(f"grassroots-demo:{seed}:neighborhood:{hood.index}")
            lots = _locate(plan, plan_lots(plan, hood, rng), district_areas)
            residents = Residents(rng, first_person)
            before = stats.people
            for district in hood.districts:
                area = district_areas[district.number]
                _write_district(
                    plan, hood, district, area, lots[district.number], residents, tag_ids, stats, kinds
                )
            first_person = residents.counter
            say(
                f"Neighborhood {number}/{len(plan.neighborhoods)}: {hood.name}, "
                f"{len(hood.districts)} election district{'s' if len(hood.districts) != 1 else ''}, "
                f"{sum(len(v) for v in lots.values()):,} buildings, {stats.people - before:,} people"
            )
    stats.areas = {str(kind): kinds[kind] for kind in AreaKind.values if kinds[kind]}
    stats.seconds = perf_counter() - started
    say(stats.summary())
    return stats


def _ensure_tags(names: Iterable[str]) -> dict[str, int]:
    wanted = list(names)
    existing = dict(Tag.objects.filter(name__in=wanted).values_list("name", "pk"))
    missing = [Tag(name=name) for name in wanted if name not in existing]
    _save(Tag, missing)
    existing.update({tag.name: tag.pk for tag in missing})
    return existing


def _locate(plan: CityPlan, lots: list[Lot], district_areas: dict[int, Area]) -> dict[int, list[Lot]]:
    """The lots of a neighborhood by election district, found by point-in-polygon on their centres.

    Every district of the city is a candidate; the answer must agree with the plan.
    """
    located = assign_points([plan.center_lonlat(lot.rect) for lot in lots], list(district_areas.values()))
    by_pk = {area.pk: number for number, area in district_areas.items()}
    grouped: dict[int, list[Lot]] = defaultdict(list)
    for lot, area in zip(lots, located, strict=True):
        found = by_pk.get(area.pk) if area is not None else None
        if found != lot.district.number:
            raise RuntimeError(
                f"{lot.address_line} lies in {area.name if area else 'no election district'}, "
                f"not in {lot.district.name} as planned."
            )
        grouped[found].append(lot)
    return grouped


def _write_district(
    plan: CityPlan,
    hood: Neighborhood,
    district: District,
    district_area: Area,
    lots: list[Lot],
    residents: Residents,
    tag_ids: dict[str, int],
    stats: CityStats,
    kinds: Counter[str],
) -> None:
    """The streets, buildings, apartments, households and people of one election district."""
    rng = residents.rng
    lots = sorted(lots, key=lambda lot: (lot.street.order, lot.number))
    streets: dict[tuple[int, int], Area] = {}
    for lot in lots:
        if lot.street.order not in streets:
            streets[lot.street.order] = build_area(
                kind=AreaKind.STREET,
                name=lot.street.label,
                parent=district_area,
                geometry=plan.geometry(plan.street_in(lot.street, district)),
                attributes={"arterial": True} if lot.street.arterial else None,
            )
    _save(Area, list(streets.values()))

    buildings: list[Area] = []
    units: list[Area] = []
    homes: list[Home] = []
    for lot in lots:
        lon, lat = plan.center_lonlat(lot.rect)
        building = build_area(
            kind=AreaKind.BUILDING,
            name=lot.address_line,
            parent=streets[lot.street.order],
            geometry=plan.geometry(lot.rect),
            centroid=(lon, lat),
            sort_key=f"{lot.number:06d}",
        )
        buildings.append(building)

        if lot.units:
            for label, key in unit_labels(lot.units, lot.unit_style, rng):
                unit = build_area(
                    kind=AreaKind.UNIT,
                    name=f"APT {label}",
                    parent=building,
                    centroid=(lon, lat),
                    sort_key=key,
                )
                units.append(unit)
                if rng.random() < OCCUPIED:
                    homes.append(_home(plan, hood, lot, unit, unit.name, apartment=True, owner_floor=False))
        else:
            for floor in range(1, lot.families + 1):
                label = "" if lot.families == 1 else f"FL {floor}"
                homes.append(_home(plan, hood, lot, building, label, apartment=False, owner_floor=floor == 1))
    _save(Area, buildings)
    _save(Area, units)
    kinds[AreaKind.STREET] += len(streets)
    kinds[AreaKind.BUILDING] += len(buildings)
    kinds[AreaKind.UNIT] += len(units)

    batch = Batch()
    for one in homes:
        residents.fill(one, batch)
    _save(Household, batch.households)
    _save(Person, batch.people)
    _save(EmailAddress, batch.emails)
    _save(PhoneNumber, batch.phones)
    _save(Consent, batch.consents)
    Through = Person.tags.through
    _save(Through, [Through(person_id=person.pk, tag_id=tag_ids[name]) for person, name in batch.tags])
    _save(Action, batch.actions)
    stats.households += len(batch.households)
    stats.people += len(batch.people)
    stats.emails += len(batch.emails)
    stats.phones += len(batch.phones)
    stats.consents += len(batch.consents)
    stats.tags += len(batch.tags)
    stats.actions += len(batch.actions)


def _home(
    plan: CityPlan, hood: Neighborhood, lot: Lot, area: Area, unit: str, *, apartment: bool, owner_floor: bool
) -> Home:
    """A household at a lot's address, in ``area`` (the building, or the apartment's unit)."""
    household = Household(
        area=area,
        address_line=lot.address_line,
        unit=unit,
        city=plan.name.upper(),
        state=plan.state,
        postal_code=hood.postal_code,
        lon=area.centroid_lon,
        lat=area.centroid_lat,
    )
    return Home(household, apartment=apartment, owner_floor=owner_floor, arterial=lot.street.arterial)


def delete_city(city: Area) -> None:
    """Remove a city with everything and everyone in it (for tests and a clean slate)."""
    with transaction.atomic():
        people = Person.objects.filter(area__path__startswith=city.path)
        Person.objects.filter(merged_into__in=people).update(merged_into=None)
        people.delete()
        Household.objects.filter(area__path__startswith=city.path).delete()
        inside = Area.objects.filter(path__startswith=city.path)
        for depth in sorted(set(inside.values_list("depth", flat=True)), reverse=True):
            inside.filter(depth=depth).delete()


# Demo logins ----------------------------------------------------------------------

# Known passwords on purpose: the demo prints them. The demo command adds them only to a
# database that holds nothing but its own city.
DEMO_PASSWORD = "demo-{}-2026"  # noqa: S105
DEMO_ROLES: tuple[tuple[str, str], ...] = (
    ("admin", Role.ADMIN),
    ("organizer", Role.ORGANIZER),
    ("coordinator", Role.COORDINATOR),
    ("canvasser", Role.CANVASSER),
    ("member", Role.MEMBER),
    ("outsider", Role.MEMBER),
)


def create_demo_authenticators() -> list[tuple[str, str, str]]:
    """An authenticator app's key for each demo login whose role must give a code after the password
    (when REQUIRE_2FA is on): (username, key, otpauth URL). Idempotent: a login keeps its key."""
    keys = []
    for user in User.objects.filter(username__in=[name for name, _ in DEMO_ROLES]).order_by("pk"):
        if not role_requires_two_factor(user):
            continue
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Demo authenticator", confirmed=True)
        keys.append((user.username, secret_of(device), device.config_url))
    return keys


def _first(areas: QuerySet[Area]) -> Area | None:
    return areas.order_by("sort_key", "name", "pk").first()


def _describe(area: Area | None) -> str:
    return f"{area.name} ({area.kind_label.lower()})" if area is not None else "no areas"


def create_demo_users(city: Area) -> list[tuple[str, str, str, str]]:
    """The demo logins, one per role, scoped to areas of ``city``: (username, password, role, scope).

    Idempotent: existing demo users get their role, password and scope back.
    """
    hood = _first(Area.objects.filter(parent=city, kind=AreaKind.NEIGHBORHOOD))
    district = _first(
        Area.objects.filter(path__startswith=(hood or city).path, kind=AreaKind.ELECTION_DISTRICT)
    )
    building = (
        Area.objects.filter(path__startswith=(district or hood or city).path, kind=AreaKind.BUILDING)
        .annotate(homes=Count("children"))
        .order_by("-homes", "sort_key", "name", "pk")
        .first()
    )
    scopes: dict[str, Area | None] = {
        "admin": None,
        "organizer": city,
        "coordinator": hood,
        "canvasser": district,
        "member": building,
        "outsider": None,
    }
    logins = []
    with transaction.atomic():
        for username, role in DEMO_ROLES:
            password = DEMO_PASSWORD.format(username)
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role = role
            user.email = f"{username}@example.org"
            user.is_active = True
            user.is_staff = user.is_superuser = role == Role.ADMIN
            validate_password(password, user)
            user.set_password(password)
            user.save()
            area = scopes[username]
            user.scope.set([area] if area is not None else [])
            scope = "everything (administrator)" if role == Role.ADMIN else _describe(area)
            logins.append((username, password, str(role), scope))
    return logins
