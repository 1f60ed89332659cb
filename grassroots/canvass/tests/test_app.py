"""The canvass app's pages: a canvasser sees their own turfs only, and the people they may see."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from grassroots.accounts.models import AuditEntry, Role, User
from grassroots.canvass.models import Turf, TurfDoor, Universe, Visit
from grassroots.people.models import Person
from grassroots.places.models import Household
from grassroots.testing import make_area, make_household, make_person, make_user

pytestmark = pytest.mark.django_db


@dataclass
class Canvass:
    universe: Universe
    turf: Turf
    other_turf: Turf
    homes: list[Household]
    people: list[Person]
    hidden: Person
    canvasser: User
    other: User
    organizer: User


@pytest.fixture
def canvass() -> Canvass:
    city = make_area("Eastbrook", kind="district")
    east = make_area("East", parent=city)
    west = make_area("West", parent=city)
    homes = [make_household(east) for _ in range(3)]
    people = [make_person(f"Resident{i}", "Okafor", area=east, household=h) for i, h in enumerate(homes)]
    # A household across the line: on the canvasser's turf, but its people are outside their scope.
    far_home = make_household(west)
    hidden = make_person("Hidden", "Okafor", area=west, household=far_home)
    universe = Universe.objects.create(name="Eastbrook doors")
    universe.areas.add(city)
    turf = Turf.objects.create(universe=universe, number=1)
    other_turf = Turf.objects.create(universe=universe, number=2)
    # Stored out of walking order, to show the app gets them in order.
    for position, home in [(2, homes[2]), (0, homes[0]), (3, far_home), (1, homes[1])]:
        TurfDoor.objects.create(turf=turf, household=home, position=position)
    TurfDoor.objects.create(turf=other_turf, household=make_household(east), position=0)
    canvasser = make_user("canvasser", Role.CANVASSER, scope=[east])
    other = make_user("other", Role.CANVASSER, scope=[east])
    organizer = make_user("organizer", Role.ORGANIZER, scope=[city])
    turf.canvassers.add(canvasser)
    other_turf.canvassers.add(other)
    homes.append(far_home)
    return Canvass(universe, turf, other_turf, homes, people, hidden, canvasser, other, organizer)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def app_url(turf: Turf) -> str:
    return reverse("canvass_turf_app", args=[turf.public_id])


def data_url(turf: Turf) -> str:
    return reverse("canvass_turf_app_data", args=[turf.public_id])


def test_a_canvasser_sees_only_their_own_turfs(canvass: Canvass) -> None:
    page = logged_in(canvass.canvasser).get(reverse("canvass_my_turfs")).content.decode()
    assert app_url(canvass.turf) in page and "4 doors" in page
    assert app_url(canvass.other_turf) not in page


def test_someone_with_no_turf_is_told_so(canvass: Canvass) -> None:
    page = logged_in(canvass.organizer).get(reverse("canvass_my_turfs")).content.decode()
    assert "No turf is assigned to you yet" in page


def test_the_app_page_names_its_data_sync_and_worker(canvass: Canvass) -> None:
    response = logged_in(canvass.canvasser).get(app_url(canvass.turf))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'data-data-url="{data_url(canvass.turf)}"' in page
    assert f'data-sync-url="{reverse("canvass_sync")}"' in page
    assert 'data-worker-url="/canvass/sw.js"' in page
    assert "grassroots/canvass-app.js" in page
    assert "csrftoken" in response.cookies  # the app sends it with every upload


def test_the_walk_list_comes_in_order_with_the_people_the_canvasser_may_see(canvass: Canvass) -> None:
    Visit.objects.create(
        public_id=uuid.uuid4(),
        turf=canvass.turf,
        household=canvass.homes[1],
        canvasser=canvass.canvasser,
        result=Visit.Result.NOT_HOME,
        visited_at="2026-11-21T14:05:00-05:00",
    )
    data = logged_in(canvass.canvasser).get(data_url(canvass.turf)).json()
    assert data["turf"] == {"id": str(canvass.turf.public_id), "number": 1, "universe": "Eastbrook doors"}
    assert [d["household"] for d in data["doors"]] == [str(h.public_id) for h in canvass.homes]
    assert [d["position"] for d in data["doors"]] == [0, 1, 2, 3]
    first = data["doors"][0]
    assert first["address"] == canvass.homes[0].address_line and first["unit"] == ""
    assert first["people"] == [
        {"id": str(canvass.people[0].public_id), "name": "Resident0 Okafor", "do_not_contact": False}
    ]
    # The last door is on the turf, but who lives there is outside the canvasser's scope.
    assert data["doors"][3]["people"] == []
    assert str(canvass.hidden.public_id) not in json.dumps(data)
    assert [d["last_result"] for d in data["doors"]] == [None, "not_home", None, None]
    results = {r["value"]: r for r in data["results"]}
    assert results["not_home"]["revisit"] and not results["contact"]["revisit"]
    assert set(results) == set(Visit.Result.values)
    assert [(q["key"], q["kind"]) for q in data["script"]["questions"]] == [
        ("support", "scale"),
        ("involved", "yes_no"),
        ("tenants_meeting", "yes_no"),
        ("issue", "text"),
    ]


def test_each_download_of_a_turf_for_the_app_is_audited_as_the_walk_list_is(canvass: Canvass) -> None:
    phone = logged_in(canvass.canvasser)
    for _ in range(2):
        assert phone.get(data_url(canvass.turf)).status_code == 200
    entries = AuditEntry.objects.filter(object_type="walk_list", object_id=str(canvass.turf.public_id))
    assert [(e.actor, e.verb, e.details) for e in entries] == [
        (canvass.canvasser, AuditEntry.Verb.VIEW, {"doors": 4, "source": "app"})
    ] * 2
    # A turf that is not theirs gives nothing away, and leaves no entry.
    assert phone.get(data_url(canvass.other_turf)).status_code == 404
    assert not AuditEntry.objects.filter(object_id=str(canvass.other_turf.public_id)).exists()


@pytest.mark.parametrize("url", [app_url, data_url])
def test_another_canvassers_turf_does_not_exist_for_you(canvass: Canvass, url: Callable[[Turf], str]) -> None:
    client = logged_in(canvass.canvasser)
    assert client.get(url(canvass.other_turf)).status_code == 404
    # Not even an organizer opens a turf that is not theirs to walk.
    assert logged_in(canvass.organizer).get(url(canvass.turf)).status_code == 404


def test_malformed_and_unknown_turf_ids_are_404(canvass: Canvass) -> None:
    client = logged_in(canvass.canvasser)
    assert client.get("/canvass/turfs/not-a-uuid/app/").status_code == 404
    assert client.get(f"/canvass/turfs/{uuid.uuid4()}/app.json").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(canvass: Canvass, client: Client) -> None:
    for url in (reverse("canvass_my_turfs"), app_url(canvass.turf), data_url(canvass.turf)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_service_worker_is_served_under_the_app(client: Client) -> None:
    response = client.get(reverse("canvass_service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/canvass/"
    assert response["Cache-Control"] == "no-cache"
    assert b'addEventListener("fetch"' in response.content


def test_the_universe_page_shows_each_turfs_progress(canvass: Canvass) -> None:
    canvass.turf.canvassers.add(canvass.other)

    def knock(home: Household, result: str, answers: dict[str, object] | None = None) -> None:
        Visit.objects.create(
            public_id=uuid.uuid4(),
            turf=canvass.turf,
            household=home,
            canvasser=canvass.canvasser,
            result=result,
            answers=answers or {},
            visited_at="2026-11-21T14:05:00-05:00",
        )

    knock(canvass.homes[0], Visit.Result.NOT_HOME)
    knock(canvass.homes[0], Visit.Result.CONTACT, {"support": 4})  # the same door, on the way back
    knock(canvass.homes[1], Visit.Result.CONTACT)
    knock(canvass.homes[2], Visit.Result.REFUSED)
    client = logged_in(canvass.organizer)
    response = client.get(reverse("universe_detail", args=[canvass.universe.public_id]))
    rows = {t.number: t for t in response.context["turfs"]}
    assert (rows[1].door_count, rows[1].knocked, rows[1].contacts, rows[1].answered) == (4, 3, 2, 1)
    assert (rows[2].door_count, rows[2].knocked, rows[2].contacts, rows[2].answered) == (1, 0, 0, 0)
    assert response.context["households"] == 5  # the existing counts are still there
    page = response.content.decode()
    assert 'id="turf-progress"' in page and "canvasser, other" in page


def test_the_universe_page_shows_the_title_canvassers_see_and_what_it_is_for(canvass: Canvass) -> None:
    canvass.universe.title = "Meet your neighbours"
    canvass.universe.description = "Before the tenants' meeting <b>"
    canvass.universe.save()
    page = logged_in(canvass.organizer).get(reverse("universe_detail", args=[canvass.universe.public_id]))
    text = page.content.decode()
    assert "Canvassers see: Meet your neighbours" in text
    assert "Before the tenants&#x27; meeting &lt;b&gt;" in text


def test_the_universe_page_counts_turfs_in_a_fixed_number_of_queries(
    canvass: Canvass, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(3, 13):
        turf = Turf.objects.create(universe=canvass.universe, number=number)
        turf.canvassers.add(canvass.canvasser)
    client = logged_in(canvass.organizer)
    url = reverse("universe_detail", args=[canvass.universe.public_id])
    client.get(url)  # warm the session and the scope
    with django_assert_max_num_queries(12):
        client.get(url)
