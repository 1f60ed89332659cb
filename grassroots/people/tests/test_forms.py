from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action, Person
from grassroots.places.models import Household

pytestmark = pytest.mark.django_db


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "first_name": "Dolores",
        "last_name": "Huerta",
        "emails": "dolores@example.org",
        "phones": "(718) 555-0142",
        "address_line": "12 Elm Avenue",
        "tags": "tenant, spanish speaker",
        "consent_email": "on",
        "custom_fields": "preferred_language: Spanish",
    }
    data.update(overrides)
    return data


def test_an_organizer_adds_a_person_at_a_known_address(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    response = client.post(reverse("person_create"), _form(postal_code="11368"))
    person = Person.objects.get(first_name="Dolores")
    assert response["Location"] == reverse("person_detail", args=[person.public_id])
    assert person.household == small_city.home1  # matched on the normalized address
    assert person.area == small_city.building1
    assert list(person.phones.values_list("number", flat=True)) == ["+17185550142"]
    assert {t.name for t in person.tags.all()} == {"tenant", "spanish speaker"}
    assert {c.channel: c.granted for c in person.consents.all()} == {"email": True}
    assert person.custom_fields == {"preferred_language": "Spanish"}
    assert Action.objects.filter(person=person, kind="created").exists()
    assert AuditEntry.objects.filter(verb="create", object_id=str(person.public_id)).exists()


def test_a_new_address_is_filed_under_the_chosen_area(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.coordinator)
    client.post(
        reverse("person_create"), _form(address_line="7 Birch Road", area=str(small_city.ed1.public_id))
    )
    person = Person.objects.get(first_name="Dolores")
    assert person.household is not None
    assert person.household.address_line == "7 BIRCH RD"
    assert person.area == small_city.ed1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phones", "12", "not a valid phone number"),
        ("phones", "call me maybe", "not a phone number"),
        ("emails", "dolores@", "not an email address"),
        ("address_line", "Elm Avenue", "has no house number"),
        ("custom_fields", "no separator here", "Line 1"),
        ("first_name", "", "required"),
    ],
)
def test_a_malformed_field_is_shown_and_nothing_is_saved(
    small_city: SmallCity, client: Client, field: str, value: str, message: str
) -> None:
    client.force_login(small_city.organizer)
    people, households = Person.objects.count(), Household.objects.count()
    response = client.post(reverse("person_create"), _form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    assert (Person.objects.count(), Household.objects.count()) == (people, households)


def test_an_address_outside_the_scope_is_refused_and_nothing_is_saved(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.coordinator)  # North only; 40 Oak St is in the South
    households = Household.objects.count()
    response = client.post(reverse("person_create"), _form(address_line="40 Oak Street", postal_code="11368"))
    assert response.status_code == 200
    assert "outside the areas you work in" in response.content.decode()
    assert not Person.objects.filter(first_name="Dolores").exists()
    assert Household.objects.count() == households


def test_editing_a_person_changes_their_contacts_and_is_audited(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    url = reverse("person_edit", args=[small_city.ana.public_id])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(
        first_name="Anabel", phones="718 555 0101\n+44 20 7946 0958", area=str(small_city.ed1.public_id)
    )
    response = client.post(url, {k: str(v) for k, v in data.items()})
    assert response.status_code == 302
    small_city.ana.refresh_from_db()
    assert small_city.ana.first_name == "Anabel"
    assert sorted(small_city.ana.phones.values_list("number", flat=True)) == ["+17185550101", "+442079460958"]
    assert small_city.ana.household == small_city.home1
    assert {c.channel: c.granted for c in small_city.ana.consents.all()} == {"email": True}
    assert AuditEntry.objects.filter(verb="update", object_id=str(small_city.ana.public_id)).exists()


def test_bulk_tagging_tags_only_people_in_scope(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    ids = [str(small_city.ana.public_id), str(small_city.bo.public_id)]
    client.post(reverse("people_tag"), {"people": ids, "tag": "housing committee"})
    assert {p.first_name for p in Person.objects.filter(tags__name="housing committee")} == {"Ana", "Bo"}

    client.force_login(small_city.coordinator)
    response = client.post(reverse("people_tag"), {"people": ids, "tag": "sneaky"}, follow=True)
    assert "not yours to tag" in response.content.decode()
    assert not Person.objects.filter(tags__name="sneaky").exists()


def test_the_first_email_and_phone_given_become_the_primary_ones(small_city: SmallCity) -> None:
    from grassroots.people import actions
    from grassroots.testing import person_data

    ana = small_city.ana
    first, second = "ana.one@example.org", "ana.two@example.org"
    data = person_data("Ana", "Peña", area=ana.area, emails=[first, second], phones=["+17185550111"])
    actions.do_update_person(small_city.organizer, ana, data)
    for emails, primary in (([second, first], second), ([first], first), ([second], second)):
        data.emails = emails
        actions.do_update_person(small_city.organizer, ana, data)
        assert list(ana.emails.filter(is_primary=True).values_list("address", flat=True)) == [primary]
    data.phones = []
    actions.do_update_person(small_city.organizer, ana, data)
    assert not ana.phones.exists()
