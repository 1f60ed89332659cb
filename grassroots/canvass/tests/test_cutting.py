"""Cutting a demo universe into turfs: every door once, buildings whole, walk lists in order."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.canvass.actions import do_create_universe, do_cut_universe
from grassroots.canvass.models import Turf, TurfDoor, Visit
from grassroots.canvass.tests.conftest import Canvass
from grassroots.demo.generator import find_demo_city, generate_city
from grassroots.places.models import Area, AreaKind, Household
from grassroots.testing import make_area, make_user

pytestmark = pytest.mark.django_db


@dataclass
class DemoCity:
    city: Area
    district: Area  # its first election district


@pytest.fixture
def demo() -> DemoCity:
    """A small demo city (seed 6, a twentieth of the demo's size) and its first election district."""
    generate_city(seed=6, scale=0.05)
    city = find_demo_city()
    assert city is not None
    district = Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT).first()
    assert district is not None
    return DemoCity(city, district)


def test_a_neighborhood_is_cut_into_walkable_turfs(demo: DemoCity) -> None:
    city = demo.city
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    hood = Area.objects.filter(path__startswith=city.path, kind=AreaKind.NEIGHBORHOOD).first()
    assert hood is not None
    universe = do_create_universe(organizer, "Whole neighborhood", [hood], source={})
    households = Household.objects.filter(area__path__startswith=hood.path).count()
    report = do_cut_universe(organizer, universe, 30)
    assert report.doors == households and report.without_location == 0
    doors = list(TurfDoor.objects.filter(turf__universe=universe).select_related("household__area"))
    assert len(doors) == households  # every door in exactly one turf
    assert len({d.household_id for d in doors}) == households
    # An apartment building's units never land in two turfs.
    turf_of_building: dict[int, set[int]] = {}
    for d in doors:
        area = d.household.area
        building = area.parent_id if area.kind == AreaKind.UNIT else area.pk
        turf_of_building.setdefault(building or 0, set()).add(d.turf_id)
    assert all(len(t) == 1 for t in turf_of_building.values())
    # The demo city's arterials reach the cutter (the cutter's own tests check they are never crossed).
    assert Area.objects.filter(
        path__startswith=hood.path, kind=AreaKind.STREET, attributes__arterial=True
    ).exists()
    # Walk lists are numbered 0..n-1 in each turf.
    for turf in Turf.objects.filter(universe=universe):
        positions = sorted(turf.doors.values_list("position", flat=True))
        assert positions == list(range(len(positions)))
    # Re-cutting replaces the turfs; once doors are knocked it is refused.
    again = do_cut_universe(organizer, universe, 40)
    assert Turf.objects.filter(universe=universe).count() == len(again.turfs)
    first = again.turfs[0]
    door = first.households.first()
    assert door is not None
    Visit.objects.create(
        public_id="00000000-0000-4000-8000-000000000001", turf=first, household=door,
        canvasser=organizer, result="not_home", visited_at="2026-11-20T10:00:00Z",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="already knocked"):
        do_cut_universe(organizer, universe, 30)


def test_bad_targets_get_a_clear_message(demo: DemoCity) -> None:
    city, district = demo.city, demo.district
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    universe = do_create_universe(organizer, "One district", [district], source={})
    with pytest.raises(ValidationError, match="at least one door"):
        do_cut_universe(organizer, universe, 0)
    with pytest.raises(ValidationError, match="choose a target of at most"):
        do_cut_universe(organizer, universe, 10**6)
    empty = do_create_universe(organizer, "Nowhere", [], source={})
    with pytest.raises(ValidationError, match="no households"):
        do_cut_universe(organizer, empty, 50)


def test_the_command_cuts_and_says_so(demo: DemoCity) -> None:
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    district = demo.district
    admin = make_user("admin", Role.ADMIN)
    do_create_universe(admin, "ED walk", [district], source={})
    out = io.StringIO()
    call_command("canvass", "cut", "ED walk", "--doors", "25", stdout=out)
    assert "turfs" in out.getvalue() and Turf.objects.count() >= 1
    with pytest.raises(CommandError, match="at least one door"):
        call_command("canvass", "cut", "ED walk", "--doors", "0", stdout=io.StringIO())
    with pytest.raises(CommandError, match="No universe"):
        call_command("canvass", "cut", "nowhere", stdout=io.StringIO())


def test_an_organizer_cuts_assigns_and_sees_the_turfs_on_a_map(client: Client, demo: DemoCity) -> None:
    city, district = demo.city, demo.district
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    walker = make_user("walker", Role.CANVASSER, scope=[district])
    make_user("elsewhere", Role.CANVASSER, scope=[make_area("Other town", kind="city")])
    universe = do_create_universe(organizer, "ED walk", [district], source={})
    client.force_login(organizer)
    url = reverse("universe_turfs", args=[universe.public_id])
    assert client.post(url, {"doors": "0"}).status_code == 302
    assert not Turf.objects.exists()
    client.post(url, {"doors": "25"})
    turfs = list(Turf.objects.filter(universe=universe))
    assert turfs
    page = client.get(url)
    assert [u.username for u in page.context["canvassers"]] == ["organizer", "walker"]
    client.post(url, {"assign": str(turfs[0].public_id), "canvassers": ["walker", "elsewhere"]})
    assert [u.username for u in turfs[0].canvassers.all()] == ["walker"]
    data = client.get(reverse("universe_turfs_map", args=[universe.public_id])).json()
    assert len(data["features"]) == len(turfs)
    assert data["features"][0]["properties"]["value"] == 0.0
    client.force_login(walker)
    assert client.get(url).status_code == 403


def test_a_universe_can_be_narrowed_by_tags_and_last_contact(client: Client, demo: DemoCity) -> None:
    from grassroots.people.models import Action, Person, Tag

    city, district = demo.city, demo.district
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    universe = do_create_universe(organizer, "Tenants", [district], source={})
    tag = Tag.objects.create(name="tenant leader")
    people = list(Person.objects.filter(area__path__startswith=district.path).order_by("pk")[:3])
    for person in people:
        person.tags.add(tag)
    # One of them was visited yesterday: a universe of the not-recently-contacted leaves their door out.
    Action.objects.filter(person__in=people).delete()
    Action.objects.create(person=people[0], kind="door_knock")
    homes = {p.household_id for p in people}
    client.force_login(organizer)
    url = reverse("universe_turfs", args=[universe.public_id])
    client.post(url, {"doors": "1", "tags": ["tenant leader"]})
    cut = set(TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", flat=True))
    assert cut == homes
    client.post(url, {"doors": "1", "tags": ["tenant leader"], "not_contacted_days": "30"})
    cut = set(TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", flat=True))
    others = {p.household_id for p in people[1:]}
    assert cut == others if people[0].household_id not in others else cut == homes
    universe.refresh_from_db()
    assert universe.filters == {"tags": ["tenant leader"], "not_contacted_days": 30}


def test_a_universe_can_be_narrowed_by_voter_status_party_and_history(client: Client) -> None:
    """Democrats on the roll, active, who voted in the primary and not in the general: the turnout list."""
    import datetime

    from grassroots.testing import make_household, make_person
    from grassroots.voters.models import VoteHistory, VoterRecord

    district = make_area("Election District 44", kind="election_district")
    primary, general = datetime.date(2026, 6, 23), datetime.date(2026, 11, 3)
    homes = {}
    # (name, status, party, elections voted in, on the roll)
    voters = [
        ("target", "A", "DEM", [primary], True),
        ("voted-both", "A", "DEM", [primary, general], True),
        ("republican", "A", "REP", [primary], True),
        ("inactive", "I", "DEM", [primary], True),
        ("removed", "A", "DEM", [primary], False),
        ("never-voted", "A", "DEM", [], True),
    ]
    for i, (name, status, party, voted, on_roll) in enumerate(voters):
        home = make_household(district)
        home.lon, home.lat = -73.9 + i * 0.0003, 40.7
        home.save()
        homes[name] = home.pk
        person = make_person(name, "Voter", area=district, household=home)
        record = VoterRecord.objects.create(
            state="NY", voter_id=f"V{i}", layout="ny", first_name=name, last_name="Voter", area=district,
            status=status, party=party, on_roll=on_roll, row_hash="x", person=person,
        )  # fmt: skip
        for day in voted:
            VoteHistory.objects.create(
                state="NY", voter_id=record.voter_id, record=record, election_date=day, election_name=str(day)
            )
    organizer = make_user("organizer", Role.ORGANIZER, scope=[district])
    universe = do_create_universe(organizer, "Turnout", [district], source={})
    client.force_login(organizer)
    url = reverse("universe_turfs", args=[universe.public_id])
    choices = client.get(url).context["voter"]
    assert [v for v, _ in choices["party"]] == ["DEM", "REP"]  # by how many voters, most first
    assert [v for v, _ in choices["elections"]] == ["2026-11-03", "2026-06-23"]
    client.post(
        url,
        {
            "doors": "1",
            "statuses": ["A"],
            "parties": ["DEM"],
            "voted": ["2026-06-23"],
            "not_voted": ["2026-11-03"],
        },
    )
    cut = set(TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", flat=True))
    assert cut == {homes["target"]}
    universe.refresh_from_db()
    assert universe.filters == {
        "statuses": ["A"], "parties": ["DEM"], "voted": ["2026-06-23"], "not_voted": ["2026-11-03"],
    }  # fmt: skip
    # A party alone: every Democrat still on the roll, voter or not.
    client.post(url, {"doors": "1", "parties": ["DEM"], "voted": ["not a date"]})
    cut = set(TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", flat=True))
    assert cut == {homes[n] for n in ("target", "voted-both", "inactive", "never-voted")}


def test_an_organizer_moves_a_building_and_a_block_by_hand_and_recuts_the_rest(
    client: Client, demo: DemoCity
) -> None:
    city, district = demo.city, demo.district
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    universe = do_create_universe(organizer, "ED hand edits", [district], source={})
    client.force_login(organizer)
    url = reverse("universe_turfs", args=[universe.public_id])
    client.post(url, {"doors": "20"})
    all_doors = set(TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", flat=True))

    def building_of(door: TurfDoor) -> Area:
        area = door.household.area
        return area.parent if area.kind == AreaKind.UNIT and area.parent else area

    def turf_of_doors() -> dict[int, int]:
        return dict(
            TurfDoor.objects.filter(turf__universe=universe).values_list("household_id", "turf__number")
        )

    second = TurfDoor.objects.filter(turf__universe=universe, turf__number=2).select_related(
        "household__area"
    )
    building = building_of(second[0])
    homes = {d.household_id for d in second if building_of(d) == building}
    client.post(url, {"move": "1", "areas": [str(building.public_id)], "to": "1"})
    where = turf_of_doors()
    assert {where[h] for h in homes} == {1}
    assert set(where) == all_doors  # nothing lost, nothing doubled
    first = Turf.objects.get(universe=universe, number=1)
    assert first.hand_edited
    assert sorted(first.doors.values_list("position", flat=True)) == list(range(first.doors.count()))

    # A whole street (a block) at once.
    street = building.parent
    assert street is not None and street.kind == AreaKind.STREET
    client.post(url, {"move": "1", "areas": [str(street.public_id)], "to": "1"})
    on_street = set(
        TurfDoor.objects.filter(
            turf__universe=universe, household__area__path__startswith=street.path
        ).values_list("household_id", flat=True)
    )
    assert on_street and {turf_of_doors()[h] for h in on_street} == {1}

    # Bad input: a message, nothing changed.
    before = turf_of_doors()
    response = client.post(url, {"move": "1", "areas": [str(building.public_id)], "to": "999"}, follow=True)
    assert "no turf 999" in response.content.decode()
    assert turf_of_doors() == before

    # Keep turf 1 as edited; the rest are cut again, every building whole.
    kept = set(first.doors.values_list("household_id", flat=True))
    client.post(url, {"recut": "1", "keep": ["1"], "target": "20"})
    assert (
        set(Turf.objects.get(universe=universe, number=1).doors.values_list("household_id", flat=True))
        == kept
    )
    after = turf_of_doors()
    assert set(after) == all_doors
    turfs_of_building: dict[int, set[int]] = {}
    for door in TurfDoor.objects.filter(turf__universe=universe).select_related("household__area", "turf"):
        turfs_of_building.setdefault(building_of(door).pk, set()).add(door.turf.number)
    assert all(len(numbers) == 1 for numbers in turfs_of_building.values())


def test_the_printed_walk_list_draws_the_walk_door_by_door(client: Client, demo: DemoCity) -> None:
    city, district = demo.city, demo.district
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    universe = do_create_universe(organizer, "ED print", [district], source={})
    do_cut_universe(organizer, universe, 20)
    turf = Turf.objects.filter(universe=universe).first()
    assert turf is not None
    client.force_login(organizer)
    page = client.get(reverse("walk_list", args=[turf.public_id]))
    route = page.context["route"]
    doors = list(turf.doors.select_related("household").order_by("position"))
    assert [n for n, _, _ in route["points"]] == list(range(1, len(doors) + 1))
    # North up: a door further north is drawn higher (a smaller y); everything inside the box.
    (n1, _, y1), (n2, _, y2) = max(
        ((a, b) for a in route["points"] for b in route["points"]),
        key=lambda pair: doors[pair[0][0] - 1].household.lat - doors[pair[1][0] - 1].household.lat,
    )
    assert doors[n1 - 1].household.lat > doors[n2 - 1].household.lat and y1 < y2
    assert all(0 <= x <= route["width"] and 0 <= y <= route["height"] for _, x, y in route["points"])
    assert page.content.decode().count('class="stop"') == len(doors)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"voted": ["2024-02-30"]}, "“2024-02-30” is not a date."),
        ({"not_voted": ["2024-13-01"]}, "“2024-13-01” is not a date."),
        ({"not_contacted_days": "1000000"}, "Give at most 3,660 days without contact."),
        ({"not_contacted_days": "3661"}, "Give at most 3,660 days without contact."),
    ],
)
def test_a_universe_filter_that_cannot_be_met_is_refused_and_not_saved(
    client: Client, canvass: Canvass, form: dict[str, object], message: str
) -> None:
    universe = canvass.turf.universe
    universe.filters = {"tags": ["tenant leader"]}
    universe.save(update_fields=["filters"])
    turfs = set(Turf.objects.values_list("pk", flat=True))
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[canvass.district]))
    url = reverse("universe_turfs", args=[universe.public_id])
    response = client.post(url, {"doors": "1", "parties": ["DEM"], **form}, follow=True)
    assert response.status_code == 200
    assert message in [str(m) for m in response.context["messages"]]
    universe.refresh_from_db()
    assert universe.filters == {"tags": ["tenant leader"]}
    assert set(Turf.objects.values_list("pk", flat=True)) == turfs


def test_ten_years_without_contact_is_a_filter_a_universe_keeps(client: Client, canvass: Canvass) -> None:
    universe = canvass.turf.universe
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[canvass.district]))
    url = reverse("universe_turfs", args=[universe.public_id])
    assert client.post(url, {"doors": "1", "not_contacted_days": "3660"}).status_code == 302
    universe.refresh_from_db()
    assert universe.filters == {"not_contacted_days": 3660}
