"""The demo city: deterministic, the planned size, consistent, and filed by real point-in-polygon."""

from __future__ import annotations

import hashlib
import json
import socket
from collections import Counter
from io import StringIO
from typing import Any

import pytest
import shapely
from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.test import RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from grassroots.accounts import access
from grassroots.accounts.models import Role, User
from grassroots.accounts.two_factor import secret_of
from grassroots.demo.generator import create_demo_users, delete_city, find_demo_city, generate_city
from grassroots.demo.layout import plan_city
from grassroots.demo.management.commands.demo import free_port
from grassroots.lib.addresses import normalize_address
from grassroots.lib.geo import parse_geometry
from grassroots.lib.phones import normalize_phone
from grassroots.people.models import Action, Consent, EmailAddress, Person, PhoneNumber
from grassroots.places.actions import assign_points
from grassroots.places.models import Area, AreaKind, Household
from grassroots.testing import totp_code

SMALL = 0.05


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def city_digest() -> str:
    """A digest of everything people see of the city, rows in the order they were saved.

    Areas are named by their chain of names (the UUID paths are random by design).
    """
    digest = hashlib.sha256()
    named: dict[int, str] = {}
    for area in Area.objects.order_by("depth", "pk"):
        named[area.pk] = (named[area.parent_id] + " > " if area.parent_id else "") + area.name
    for area in Area.objects.order_by("pk"):
        row = [
            named[area.pk],
            area.kind,
            area.code,
            area.sort_key,
            area.depth,
            area.geometry,
            area.centroid_lon,
            area.centroid_lat,
            area.min_lon,
            area.min_lat,
            area.max_lon,
            area.max_lat,
        ]
        digest.update(_dump(row).encode())
    for home in Household.objects.order_by("pk"):
        digest.update(_dump([home.one_line, named[home.area_id], home.lat, home.lon]).encode())
    people = Person.objects.order_by("pk").select_related("household")
    for person in people.prefetch_related("tags", "emails", "phones", "consents"):
        row = [
            person.full_name,
            person.household.one_line if person.household else None,
            named[person.area_id],
            person.custom_fields,
            person.created_at.isoformat(),
            sorted(tag.name for tag in person.tags.all()),
            [(e.address, e.is_primary) for e in sorted(person.emails.all(), key=lambda e: e.pk)],
            [(p.number, p.kind, p.is_primary) for p in sorted(person.phones.all(), key=lambda p: p.pk)],
            [
                (c.channel, c.granted, c.recorded_at.isoformat(), c.source)
                for c in sorted(person.consents.all(), key=lambda c: c.pk)
            ],
        ]
        digest.update(_dump(row).encode())
    for action in Action.objects.order_by("pk").select_related("person"):
        row = [
            action.person.full_name,
            action.kind,
            action.occurred_at.isoformat(),
            named[action.area_id] if action.area_id else None,
            action.source,
            action.details,
        ]
        digest.update(_dump(row).encode())
    return digest.hexdigest()


def _fresh_city(seed: int, scale: float = SMALL) -> str:
    city = find_demo_city()
    if city is not None:
        delete_city(city)
    assert not Area.objects.exists()
    generate_city(seed=seed, scale=scale)
    return city_digest()


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_city() -> None:
    first = _fresh_city(seed=7)
    assert Person.objects.exists()
    assert _fresh_city(seed=7) == first


@pytest.mark.django_db
def test_another_seed_builds_another_city() -> None:
    assert _fresh_city(seed=1) != _fresh_city(seed=2)


def test_the_plan_depends_on_the_seed_alone() -> None:
    assert plan_city(3, 0.5) == plan_city(3, 0.5)
    assert plan_city(3, 0.5) != plan_city(4, 0.5)


@pytest.mark.django_db
def test_a_city_at_scale_one_has_the_planned_sizes() -> None:
    stats = generate_city(seed=1, scale=1.0)

    counts = dict(Area.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    assert counts == stats.areas
    assert counts[AreaKind.CITY] == 1
    assert 2 <= counts[AreaKind.NEIGHBORHOOD] <= 5
    assert 30 <= counts[AreaKind.ELECTION_DISTRICT] <= 50
    assert 100 <= counts[AreaKind.STREET] <= 600
    assert 5_000 <= counts[AreaKind.BUILDING] <= 7_000
    apartments = (
        Area.objects.filter(kind=AreaKind.BUILDING).annotate(units=Count("children")).filter(units__gt=0)
    )
    assert 0.01 <= apartments.count() / counts[AreaKind.BUILDING] <= 0.08
    assert set(apartments.values_list("units", flat=True)) <= set(range(6, 41))
    assert counts[AreaKind.UNIT] == sum(apartments.values_list("units", flat=True))

    assert 13_000 <= Household.objects.count() == stats.households <= 17_000
    assert 22_000 <= Person.objects.count() == stats.people <= 28_000
    assert Action.objects.count() == stats.actions > stats.people // 2
    assert EmailAddress.objects.count() == stats.emails > stats.people // 3
    assert PhoneNumber.objects.count() == stats.phones > stats.people // 2
    assert Consent.objects.count() == stats.consents > 0
    assert Person.tags.through.objects.count() == stats.tags > 0
    # Some people have no phone, many have one, a few two.
    phones = Counter(Person.objects.annotate(n=Count("phones")).values_list("n", flat=True))
    assert phones[0] > 0 and phones[1] > phones[2] > 0
    # Actions are dated in 2026, timezone-aware.
    dates = Action.objects.values_list("occurred_at", flat=True)
    first, last = dates.order_by("occurred_at")[0], dates.order_by("-occurred_at")[0]
    assert first.year == last.year == 2026 and first.tzinfo is not None


@pytest.mark.django_db
def test_buildings_are_filed_in_the_district_that_holds_them() -> None:
    """assign_points agrees with testing every election district's polygon one by one."""
    generate_city(seed=3, scale=0.1)
    districts = list(Area.objects.filter(kind=AreaKind.ELECTION_DISTRICT).order_by("pk"))
    assert len(districts) >= 4
    polygons = [(district, parse_geometry(district.geometry)) for district in districts]
    buildings = list(Area.objects.filter(kind=AreaKind.BUILDING).order_by("pk").select_related("parent"))
    assert len(buildings) > 300
    points = [(float(b.centroid_lon or 0), float(b.centroid_lat or 0)) for b in buildings]
    located = assign_points(points, Area.objects.filter(kind=AreaKind.ELECTION_DISTRICT))
    for building, point, found in zip(buildings, points, located, strict=True):
        holding = [d for d, polygon in polygons if shapely.contains(polygon, shapely.Point(point))]
        assert len(holding) == 1, building.name
        assert found is not None and found == holding[0]
        assert building.parent is not None
        assert building.parent.parent_id == found.pk  # building > street > election district
        assert parse_geometry(building.geometry).within(polygons[districts.index(found)][1])


@pytest.mark.django_db
def test_every_household_lives_in_a_building_or_an_apartment() -> None:
    generate_city(seed=4, scale=SMALL)
    kinds = set(Household.objects.values_list("area__kind", flat=True))
    assert kinds == {AreaKind.BUILDING, AreaKind.UNIT}
    for home in Household.objects.select_related("area", "area__parent"):
        building = home.area.parent if home.area.kind == AreaKind.UNIT else home.area
        assert building is not None and building.kind == AreaKind.BUILDING
        assert building.name == home.address_line
        if home.area.kind == AreaKind.UNIT:
            assert home.unit == home.area.name
        assert (home.lon, home.lat) == (building.centroid_lon, building.centroid_lat)


@pytest.mark.django_db
def test_every_person_lives_where_their_household_does() -> None:
    generate_city(seed=5, scale=SMALL)
    assert Person.objects.filter(household=None).count() == 0
    people = Person.objects.select_related("household")
    assert all(person.household and person.area_id == person.household.area_id for person in people)
    assert not Action.objects.exclude(area_id=F("person__area_id")).exists()


@pytest.mark.django_db
def test_addresses_and_phone_numbers_are_stored_normalized() -> None:
    generate_city(seed=6, scale=SMALL)
    seen = set()
    for home in Household.objects.order_by("pk"):
        again = normalize_address(home.address_line, home.unit, home.city, home.state, home.postal_code)
        assert (again.line1, again.unit, again.city, again.state, again.postal_code) == (
            home.address_line,
            home.unit,
            home.city,
            home.state,
            home.postal_code,
        )
        seen.add((home.address_line, home.unit, home.postal_code))
    assert len(seen) == Household.objects.count()
    for number in PhoneNumber.objects.values_list("number", flat=True)[:2000]:
        assert normalize_phone(number) == number
    assert EmailAddress.objects.values("address").distinct().count() == EmailAddress.objects.count()


@pytest.mark.django_db
def test_names_carry_their_accents_and_households_share_surnames() -> None:
    generate_city(seed=1, scale=0.2)
    names = set(Person.objects.values_list("first_name", flat=True)) | set(
        Person.objects.values_list("last_name", flat=True)
    )
    assert any(ch in "".join(names) for ch in "áéíóúñ")
    shared = 0
    homes = Household.objects.annotate(n=Count("members")).filter(n__gte=2).prefetch_related("members")
    for home in homes:
        surnames = [p.last_name for p in home.members.all()]
        shared += any(surnames.count(s) > 1 for s in surnames)
    assert shared > 0.6 * homes.count()


@pytest.mark.django_db
def test_the_demo_logins_see_what_their_role_allows() -> None:
    generate_city(seed=1, scale=SMALL)
    city = find_demo_city()
    assert city is not None
    logins = create_demo_users(city)
    assert create_demo_users(city) == logins  # idempotent
    assert User.objects.count() == len(logins) == 6
    roles = {username: role for username, _, role, _ in logins}
    assert roles == {
        "admin": Role.ADMIN,
        "organizer": Role.ORGANIZER,
        "coordinator": Role.COORDINATOR,
        "canvasser": Role.CANVASSER,
        "member": Role.MEMBER,
        "outsider": Role.MEMBER,
    }
    seen = {}
    for username, password, _, _ in logins:
        user = authenticate(RequestFactory().post("/login/"), username=username, password=password)
        assert isinstance(user, User)
        seen[username] = access.people_visible_to(user).count()
    everyone = Person.objects.count()
    assert seen["admin"] == seen["organizer"] == everyone
    assert everyone > seen["coordinator"] > seen["canvasser"] > seen["member"] > 0
    assert seen["outsider"] == 0
    assert User.objects.get(username="admin").is_superuser
    assert User.objects.get(username="member").scope.get().kind == AreaKind.BUILDING


@pytest.mark.django_db
def test_the_demo_command_loads_the_city_once_and_prints_the_logins() -> None:
    out = StringIO()
    call_command("demo", "--no-serve", "--scale", str(SMALL), "--seed", "2", stdout=out)
    assert "Building the demo city" in out.getvalue()
    assert "demo-organizer-2026" in out.getvalue()
    # The organizer's second factor: a key to add to an authenticator app, whose codes work.
    assert "otpauth://totp/grassroots%3Aorganizer?secret=" in out.getvalue()
    device = TOTPDevice.objects.get(user__username="organizer", confirmed=True)
    assert secret_of(device) in out.getvalue()
    assert device.verify_token(totp_code(device))
    people = Person.objects.count()
    assert people > 0
    # The demo has voters, results and turfs for its canvasser to walk.
    from grassroots.canvass.models import Turf
    from grassroots.results.models import Contest
    from grassroots.voters.models import VoterRecord

    assert VoterRecord.objects.exists() and Contest.objects.count() == 2
    walker = User.objects.get(username="canvasser")
    assert Turf.objects.filter(canvassers=walker).count() >= 1
    assert "the canvasser walks" in out.getvalue()

    out = StringIO()
    call_command("demo", "--no-serve", "--scale", str(SMALL), stdout=out)
    assert "already loaded" in out.getvalue()
    assert Person.objects.count() == people
    assert User.objects.filter(username__in=["organizer", "outsider", "admin"]).count() == 3


@pytest.mark.django_db(transaction=True)  # flush empties tables as in real use, not inside a test transaction
def test_the_demo_command_rebuilds_the_city_when_asked_for_a_fresh_one() -> None:
    try:
        call_command("demo", "--no-serve", "--scale", str(SMALL), "--seed", "2", stdout=StringIO())
        first = city_digest()
        out = StringIO()
        call_command("demo", "--no-serve", "--fresh", "--scale", str(SMALL), "--seed", "3", stdout=out)
        assert "Building the demo city" in out.getvalue()
        assert city_digest() != first
        assert Area.objects.filter(kind=AreaKind.CITY).count() == 1
        assert User.objects.count() == 7  # one login per role, and a building committee's captain
    finally:
        # flush re-creates the content types under new ids; forget the cached ones.
        ContentType.objects.clear_cache()


@pytest.mark.django_db
def test_the_demo_command_leaves_a_database_of_real_areas_alone() -> None:
    Area.objects.create(kind=AreaKind.CITY, name="Real City", path="000000000001/")
    with pytest.raises(CommandError, match="not the demo city"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert not User.objects.exists()


def test_a_busy_port_is_skipped() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert free_port(port) != port
