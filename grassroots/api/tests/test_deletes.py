"""DELETE where OSDI has it: what grassroots deletes, what it closes, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from grassroots.accounts.models import AuditEntry
from grassroots.events import actions as event_actions
from grassroots.events.models import SignupForm
from grassroots.fixtures import SmallCity
from grassroots.people.models import Person

pytestmark = pytest.mark.django_db


def test_a_person_is_not_deleted_and_the_answer_says_so(small_city: SmallCity, api_as: Any) -> None:
    url = f"/api/v2/people/{small_city.ana.public_id}"
    response = api_as(small_city.admin).delete(url)
    assert response.status_code == 405 and "not deleted" in response.json()["error"]
    assert Person.objects.filter(pk=small_city.ana.pk).exists()
    # The access gate answers first: a person out of sight is not found.
    assert api_as(small_city.canvasser).delete(url).status_code == 404
    assert api_as(small_city.admin).delete(f"{url}/").status_code == 405


@pytest.mark.parametrize("kind", ["signup", "petition"])
def test_deleting_a_form_or_petition_closes_it(small_city: SmallCity, api_as: Any, kind: str) -> None:
    form = event_actions.do_create_form(
        small_city.organizer, event_actions.FormData("Rent strike", kind=kind, area=small_city.city)
    )
    url = f"/api/v2/{'forms' if kind == 'signup' else 'petitions'}/{form.public_id}"
    assert api_as(small_city.organizer, read_only=True).delete(url).status_code == 403
    assert api_as(small_city.canvasser).delete(url).status_code == 403
    assert api_as(small_city.outsider).delete(url).status_code in {403, 404}
    form.refresh_from_db()
    assert form.is_open
    response = api_as(small_city.organizer).delete(url)
    assert response.status_code == 200 and "closed" in response.json()["notice"]
    form.refresh_from_db()
    assert not form.is_open and SignupForm.objects.filter(pk=form.pk).exists()
    assert AuditEntry.objects.filter(verb="update", object_id=str(form.public_id)).exists()
