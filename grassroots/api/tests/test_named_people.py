"""An RSVP or a signature recorded for a person the client names goes to that person, even when
another person, older and outside the token's areas, has the same address."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.accounts.models import Role
from grassroots.events import actions as event_actions
from grassroots.events.models import RSVP, SignupForm, Submission
from grassroots.events.tests.conftest import make_event
from grassroots.fixtures import SmallCity
from grassroots.people.models import EmailAddress, Person
from grassroots.testing import make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def bea(small_city: SmallCity) -> Person:
    """Bea, in the North, shares the family address Bo (in the South) had first."""
    bea = make_person("Bea", "Chen", area=small_city.building1, household=small_city.home1)
    EmailAddress.objects.create(person=bea, address=small_city.bo.emails.get().address, is_primary=True)
    return bea


@pytest.fixture
def north_api(small_city: SmallCity, api_as: Any) -> Any:
    return api_as(make_user("north", Role.ORGANIZER, scope=[small_city.north]))


def _naming(person: Person) -> dict[str, Any]:
    return {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{person.public_id}"}}}


def test_an_rsvp_goes_to_the_person_named(small_city: SmallCity, bea: Person, north_api: Any) -> None:
    event = make_event(small_city)
    answer = north_api.post(f"/api/v2/events/{event.public_id}/attendances", _naming(bea))
    assert answer.status_code in (200, 201), answer.content
    assert list(RSVP.objects.filter(event=event).values_list("person", flat=True)) == [bea.pk]


def test_a_signature_goes_to_the_person_named(small_city: SmallCity, bea: Person, north_api: Any) -> None:
    petition = event_actions.do_create_form(
        small_city.organizer, event_actions.FormData("Fix the boilers", kind=SignupForm.Kind.PETITION)
    )
    answer = north_api.post(f"/api/v2/petitions/{petition.public_id}/signatures", _naming(bea))
    assert answer.status_code in (200, 201), answer.content
    assert list(Submission.objects.filter(form=petition).values_list("person", flat=True)) == [bea.pk]
