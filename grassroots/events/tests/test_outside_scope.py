"""Lines typed in by an organizer that match someone on record outside the organizer's areas: the
sign-up sheet refuses them, the kiosk signs them in, and neither repeats the name on record."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.events import actions
from grassroots.events.models import (
    ATTENDED_ACTION,
    PROJECT_ACTION,
    Attendance,
    Event,
    Project,
    ProjectSignup,
)
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def _north_organizer(city: SmallCity, client: Client) -> None:
    client.force_login(make_user("north_org", Role.ORGANIZER, [city.north]))


def _sheet_of_a_project(city: SmallCity, event: Event, client: Client) -> tuple[Project, str]:
    """A project of the event, and the address of its sign-up sheet, opened by the North's organizer."""
    project = actions.do_add_project(city.organizer, event, "Heat campaign")
    _north_organizer(city, client)
    return project, reverse("event_project_sheet", kwargs={"public_id": project.public_id})


def test_the_project_sheet_refuses_a_person_outside_the_organizers_areas_without_naming_them(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    _, sheet = _sheet_of_a_project(small_city, event, client)
    response = client.post(sheet, {"first_name": "Robert", "last_name": "C", "email": "bo@example.net"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Robert C is on record outside the areas you work in" in page
    assert "Added Bo" not in page and "Chen" not in page
    assert not ProjectSignup.objects.exists()
    assert not Action.objects.filter(kind=PROJECT_ACTION, person=small_city.bo).exists()


def test_the_project_sheet_still_adds_a_person_the_organizer_may_see(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    project, sheet = _sheet_of_a_project(small_city, event, client)
    response = client.post(sheet, {"first_name": "A", "email": "ana.pena@example.org"}, follow=True)
    assert "Added Ana to the sheet." in response.content.decode()
    assert list(project.signups.values_list("person", flat=True)) == [small_city.ana.pk]


def test_the_kiosk_greets_a_person_outside_the_organizers_areas_by_the_name_they_typed(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    _north_organizer(small_city, client)
    url = reverse("event_kiosk_sign_in", kwargs={"public_id": event.public_id})
    body = client.post(
        url, {"first_name": "Bobby", "last_name": "C", "email": "bo@example.net"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Welcome, Bobby!" in body
    assert "Chen" not in body
    # Signing in stays open to everyone: the attendance is Bo's.
    assert Attendance.objects.get(event=event).person == small_city.bo
    assert Action.objects.filter(kind=ATTENDED_ACTION, person=small_city.bo).exists()
    body = client.post(
        url, {"first_name": "Bobby", "email": "bo@example.net"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Welcome back, Bobby" in body


def test_the_kiosk_greets_a_person_the_organizer_may_see_by_their_name_on_record(
    small_city: SmallCity, event: Event, client: Client
) -> None:
    _north_organizer(small_city, client)
    url = reverse("event_kiosk_sign_in", kwargs={"public_id": event.public_id})
    body = client.post(
        url, {"first_name": "A", "email": "ana.pena@example.org"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Welcome, Ana!" in body
