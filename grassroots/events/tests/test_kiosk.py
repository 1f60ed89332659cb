"""The kiosk at the door: walk-ins created or matched, attendance as Actions, projects, membership."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.events import actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import ATTENDED_ACTION, MEMBERSHIP_ACTION, PROJECT_ACTION, Attendance, Event
from grassroots.events.tests.conftest import make_event
from grassroots.events.views import report
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action, Person

pytestmark = pytest.mark.django_db


def sign_in(client: Client, event: Event, **fields: str | list[str]) -> str:
    url = reverse("event_kiosk_sign_in", kwargs={"public_id": event.public_id})
    response = client.post(url, fields, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_walk_ins_are_created_or_matched_and_each_attendance_is_an_action(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    client.force_login(small_city.organizer)
    page = client.get(reverse("event_kiosk", kwargs={"public_id": event.public_id}))
    assert page.status_code == 200
    assert 'hx-post="' in page.content.decode()
    before = Person.objects.count()

    body = sign_in(client, event, first_name="Ana", last_name="Pena", email="ana.pena@example.org")
    assert "Welcome, Ana" in body
    body = sign_in(client, event, first_name="Dee", last_name="Okafor", phone="(718) 555-0199")
    assert "Welcome, Dee" in body
    assert 'id="kiosk-count" hx-swap-oob="true">2<' in body
    assert Person.objects.count() == before + 1  # Ana was matched, Dee is new
    dee = Person.objects.get(first_name="Dee")
    assert dee.area == small_city.ed1
    assert set(Attendance.objects.values_list("person__first_name", "walk_in")) == {
        ("Ana", True),
        ("Dee", True),
    }
    actions_ = Action.objects.filter(kind=ATTENDED_ACTION)
    assert {a.person.first_name for a in actions_} == {"Ana", "Dee"}
    assert all(a.recorded_by == small_city.organizer for a in actions_)

    again = sign_in(client, event, first_name="Ana", email="ana.pena@example.org")
    assert "already signed in" in again
    assert Action.objects.filter(kind=ATTENDED_ACTION).count() == 2


def test_a_sign_in_with_no_name_keeps_the_form_and_says_why(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    client.force_login(small_city.organizer)
    response = client.post(reverse("event_kiosk_sign_in", kwargs={"public_id": event.public_id}), {})
    assert "HX-Trigger" not in response
    assert "This field is required" in response.content.decode()


def test_at_an_organizing_meeting_people_join_projects_and_sign_up_as_members(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    heat = actions.do_add_project(small_city.organizer, event, "Heat campaign", sponsor="Elm tenants")
    actions.do_add_agenda_item(
        small_city.organizer, event, "The heat campaign", minutes=10, presenter_name="Jo", project=heat
    )
    client.force_login(small_city.organizer)
    page = client.get(reverse("event_kiosk", kwargs={"public_id": event.public_id})).content.decode()
    assert "<legend>Projects I want to join</legend>" in page
    assert "I want to become a member" in page
    sign_in(
        client,
        event,
        first_name="Cy",
        email="cy@example.com",
        projects=[str(heat.public_id)],
        membership="on",
    )
    cy = Person.objects.get(first_name="Cy")
    assert list(heat.signups.values_list("person", flat=True)) == [cy.pk]
    assert Action.objects.filter(person=cy, kind=PROJECT_ACTION).count() == 1
    assert Action.objects.filter(person=cy, kind=MEMBERSHIP_ACTION).count() == 1
    item = event.agenda.get()
    assert (item.minutes, item.presenter_name, item.project) == (10, "Jo", heat)


def test_rsvps_against_attendance(small_city: SmallCity) -> None:
    event = make_event(small_city)
    for name in ("A", "B", "C"):
        actions.do_rsvp(event, Arrival(name, "Rsvp", email=f"{name.lower()}@example.com"))
    actions.do_check_in(small_city.organizer, event, Arrival("A", email="a@example.com"))
    actions.do_check_in(small_city.organizer, event, Arrival("Walk", "In", email="w@example.com"))
    numbers = report(event, Person.objects.all())
    assert numbers["going"] == 3
    assert numbers["attended"] == 2
    assert numbers["came_as_rsvped"] == 1
    assert numbers["walk_ins"] == 1
    assert not Attendance.objects.get(person__first_name="A").walk_in


def test_the_kiosk_is_only_for_those_who_run_the_event(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    client.force_login(small_city.canvasser)  # ED 2: not the event's district
    assert client.get(reverse("event_kiosk", kwargs={"public_id": event.public_id})).status_code == 404
    response = client.post(
        reverse("event_kiosk_sign_in", kwargs={"public_id": event.public_id}), {"first_name": "X"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()
