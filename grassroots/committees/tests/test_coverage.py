"""Coverage of a generated city, counted again person by person; committees from the building up."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role
from grassroots.committees.actions import CommitteeData, do_create_committee, do_delete_committee
from grassroots.committees.coverage import (
    SUPPORT_KINDS,
    committees_for_person,
    coverage,
    founding_list,
    neighbors_in_the_movement,
    supporters,
    uncovered_people,
)
from grassroots.demo.generator import find_demo_city, generate_city
from grassroots.events.actions import (
    EventData,
    FormData,
    do_check_in,
    do_create_event,
    do_create_form,
    do_rsvp,
    do_submit_form,
)
from grassroots.events.arrivals import Arrival
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, AreaKind
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def _is_supporter(actions: list[Action]) -> bool:
    for action in actions:
        answers = action.details.get("answers", {})
        if action.kind in SUPPORT_KINDS or answers.get("involved") is True:
            return True
        if isinstance(answers.get("support"), int) and answers["support"] >= 4:
            return True
    return False


def _area_of_kind(person: Person, kind: str, by_path: dict[str, Area]) -> Area | None:
    return next(
        (
            by_path[p]
            for p in [*person.area.ancestor_paths(), person.area.path]
            if by_path.get(p) and by_path[p].kind == kind
        ),
        None,
    )


@pytest.fixture
def city() -> Area:
    generate_city(seed=6, scale=0.05)
    found = find_demo_city()
    assert found is not None
    return found


def test_coverage_of_a_generated_city_matches_a_count_person_by_person(city: Area) -> None:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    # Canvass answers: support 5 and "wants to get involved" make supporters, support 2 does not.
    contacted_only = list(Person.objects.exclude(actions__kind__in=SUPPORT_KINDS).order_by("pk")[:3])
    for person, answers in zip(
        contacted_only, ({"support": 5}, {"involved": True}, {"support": 2}), strict=True
    ):
        Action.objects.create(
            person=person, kind="door_knock", area=person.area, details={"answers": answers}
        )

    districts = list(Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT))
    hood = Area.objects.filter(path__startswith=city.path, kind=AreaKind.NEIGHBORHOOD).order_by("pk").first()
    assert hood is not None
    building = (
        Area.objects.filter(path__startswith=districts[0].path, kind=AreaKind.BUILDING).order_by("pk").first()
    )
    assert building is not None
    on_building = do_create_committee(organizer, CommitteeData("First building", area=building))
    on_hood = do_create_committee(organizer, CommitteeData("Whole neighborhood", area=hood))
    archived = do_create_committee(organizer, CommitteeData("Gone", area=districts[-1]))
    archived.archived_at = timezone.now()
    archived.save()

    rows = {row.area.pk: row for row in coverage(organizer, districts)}

    by_path = {a.path: a for a in Area.objects.filter(path__startswith=city.path)}
    people_in: Counter[int] = Counter()
    supporters_in: Counter[int] = Counter()
    for person in Person.objects.select_related("area").prefetch_related("actions"):
        district = _area_of_kind(person, AreaKind.ELECTION_DISTRICT, by_path)
        if district is None:
            continue
        people_in[district.pk] += 1
        supporters_in[district.pk] += _is_supporter(list(person.actions.all()))
    assert sum(supporters_in.values()) > 0
    assert sum(people_in.values()) == Person.objects.count()
    for district in districts:
        row = rows[district.pk]
        assert (row.people, row.supporters) == (people_in[district.pk], supporters_in[district.pk]), (
            district.name
        )
        assert row.committees == ([on_building] if district == districts[0] else [])
        assert row.covered_by == ([on_hood] if district.path.startswith(hood.path) else [])
    assert 0 < rows[districts[0].pk].share < 1
    # The support-2 answer alone made no supporter, the other two did.
    chosen = Person.objects.filter(pk__in=[p.pk for p in contacted_only])
    assert set(supporters(chosen)) == set(contacted_only[:2])


def test_a_persons_committees_run_from_their_building_up(city: Area) -> None:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    person = Person.objects.filter(area__kind=AreaKind.UNIT).select_related("area").order_by("pk").first()
    assert person is not None
    chain = {a.kind: a for a in person.area.ancestors()}
    building, street = chain[AreaKind.BUILDING], chain[AreaKind.STREET]
    district, hood = chain[AreaKind.ELECTION_DISTRICT], chain[AreaKind.NEIGHBORHOOD]
    made = {}
    for name, area in (("Hood", hood), ("Street", street), ("Building", building), ("District", district)):
        made[name] = do_create_committee(organizer, CommitteeData(name, area=area))
    # Not theirs: another building on the same street, and an archived committee of their district.
    neighbor = Area.objects.filter(parent=street, kind=AreaKind.BUILDING).exclude(pk=building.pk).first()
    assert neighbor is not None
    do_create_committee(organizer, CommitteeData("Next door", area=neighbor))
    assert do_delete_committee(organizer, made["District"]) == "deleted"  # no history: really gone
    made["District"] = do_create_committee(organizer, CommitteeData("District", area=district))
    made["District"].archived_at = timezone.now()
    made["District"].save()

    assert [c.name for c in committees_for_person(person)] == ["Building", "Street", "Hood"]


def test_people_with_no_committee_yet_and_the_founding_list(city: Area) -> None:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    district = (
        Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT)
        .order_by("pk")
        .first()
    )
    assert district is not None
    everyone = Person.objects.filter(area__path__startswith=district.path)
    assert set(uncovered_people(organizer, district)) == set(everyone)
    street = Area.objects.filter(path__startswith=district.path, kind=AreaKind.STREET).order_by("pk").first()
    assert street is not None
    do_create_committee(organizer, CommitteeData("One street", area=street))
    on_street = everyone.filter(area__path__startswith=street.path)
    assert on_street.exists()
    assert set(uncovered_people(organizer, district)) == set(everyone.exclude(pk__in=on_street))
    assert list(uncovered_people(organizer, street)) == []

    founders = founding_list(organizer, district)
    assert founders, "the generated district has supporters"
    keys = [(-p.engagement, -p.last_seen.timestamp()) for p in founders]  # type: ignore[attr-defined]
    assert keys == sorted(keys)
    assert all(p.area.path.startswith(district.path) for p in founders)
    assert all(p.actions.filter(kind__in=SUPPORT_KINDS).exists() for p in founders)
    # Through the gate: someone scoped elsewhere gets no founding list here.
    elsewhere = make_user("elsewhere", Role.ORGANIZER, scope=[street])
    other = (
        Area.objects.filter(path__startswith=city.path, kind=AreaKind.ELECTION_DISTRICT)
        .exclude(pk=district.pk)
        .first()
    )
    assert other is not None
    assert founding_list(elsewhere, other) == []


def test_an_rsvp_a_signature_and_a_sign_in_at_an_event_make_supporters(small_city: SmallCity) -> None:
    c = small_city
    start = timezone.now() + datetime.timedelta(days=3)
    event = do_create_event(
        c.organizer,
        EventData(
            "Tenants' meeting", start, start + datetime.timedelta(hours=2), address="12 Elm Ave", area=c.ed1
        ),
    )
    petition = do_create_form(c.organizer, FormData("Freeze the rent", kind="petition", area=c.ed1))
    zoe = do_rsvp(event, Arrival("Zoe", "Ray", email="zoe@example.org")).rsvp.person
    yan = do_submit_form(petition, Arrival("Yan", "Li", email="yan@example.org"), {}).submission.person
    xi = do_check_in(c.organizer, event, Arrival("Xi", "Wu", email="xi@example.org")).person
    found = {zoe, yan, xi}
    assert found <= set(supporters(Person.objects.all()))
    assert coverage(c.organizer, [c.ed1])[0].supporters == 3
    assert found <= set(founding_list(c.organizer, c.ed1))
    north = next(n for n in neighbors_in_the_movement(c.ana) if n.area == c.north)
    assert north.supporters == 3
