from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity
from grassroots.people.actions import do_merge_people
from grassroots.people.models import Action, Consent, Person
from grassroots.testing import make_person

pytestmark = pytest.mark.django_db


def _duplicate_of_ana(city: SmallCity) -> Person:
    return make_person(
        "Ana",
        "Pena",
        area=city.building1,
        household=city.home1,
        emails=("ana@example.com", "ana.pena@example.org"),
        phones=("+19295550199",),
        tags=("union member", "tenant"),
        consents={"sms": True},
        actions=("petition", "rsvp", "signup"),
    )


def test_merge_keeps_every_action_tag_and_contact_point(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, _duplicate_of_ana(small_city)
    actions_before = set(Action.objects.filter(person__in=[ana, dup]).values_list("pk", flat=True))

    do_merge_people(small_city.organizer, ana, dup)

    assert set(ana.actions.exclude(kind="merged").values_list("pk", flat=True)) == actions_before
    assert not Action.objects.filter(person=dup).exists()
    assert {t.name for t in ana.tags.all()} == {"tenant", "union member"}
    assert sorted(ana.emails.values_list("address", flat=True)) == ["ana.pena@example.org", "ana@example.com"]
    assert sorted(ana.phones.values_list("number", flat=True)) == ["+17185550101", "+19295550199"]
    assert {c.channel: c.granted for c in Consent.objects.filter(person=ana)} == {"email": True, "sms": True}
    dup.refresh_from_db()
    assert dup.merged_into == ana


def test_the_merge_is_recorded_on_the_timeline_and_in_the_audit_log(small_city: SmallCity) -> None:
    dup = _duplicate_of_ana(small_city)
    do_merge_people(small_city.organizer, small_city.ana, dup)
    merged = small_city.ana.actions.get(kind="merged")
    assert merged.details["merged"] == str(dup.public_id)
    assert merged.recorded_by == small_city.organizer
    assert AuditEntry.objects.filter(verb="merge", object_id=str(small_city.ana.public_id)).exists()


def test_the_newer_consent_wins_a_merge(small_city: SmallCity) -> None:
    dup = make_person("Ana", "Pena", area=small_city.building1, consents={"email": False})
    do_merge_people(small_city.organizer, small_city.ana, dup)
    assert Consent.objects.get(person=small_city.ana, channel="email").granted is False


def test_merging_a_person_with_themselves_is_refused(small_city: SmallCity) -> None:
    with pytest.raises(ValidationError, match="themselves"):
        do_merge_people(small_city.organizer, small_city.ana, small_city.ana)


def test_a_merge_across_scopes_is_refused_and_changes_nothing(small_city: SmallCity) -> None:
    with pytest.raises(ValidationError, match="outside"):
        do_merge_people(small_city.coordinator, small_city.ana, small_city.bo)
    small_city.bo.refresh_from_db()
    assert small_city.bo.merged_into is None
    assert small_city.bo.actions.count() == 2


def test_a_merged_person_cannot_be_merged_again(small_city: SmallCity) -> None:
    dup = _duplicate_of_ana(small_city)
    do_merge_people(small_city.organizer, small_city.ana, dup)
    with pytest.raises(ValidationError, match="already merged"):
        do_merge_people(small_city.organizer, small_city.bo, dup)


def test_merging_through_the_page_moves_the_record_and_redirects_old_links(
    small_city: SmallCity, client: Client
) -> None:
    dup = _duplicate_of_ana(small_city)
    client.force_login(small_city.organizer)
    page = client.get(reverse("person_merge", args=[small_city.ana.public_id]), {"q": "Pena"})
    assert dup in list(page.context["candidates"])
    response = client.post(
        reverse("person_merge", args=[small_city.ana.public_id]), {"other": str(dup.public_id)}
    )
    assert response.status_code == 302
    old_link = client.get(reverse("person_detail", args=[dup.public_id]))
    assert old_link.status_code == 302
    assert old_link["Location"] == reverse("person_detail", args=[small_city.ana.public_id])
    detail = client.get(old_link["Location"]).content.decode()
    assert "Merged in Ana Pena" in detail


def test_the_merge_page_refuses_someone_outside_the_scope_with_a_message(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.coordinator)
    url = reverse("person_merge", args=[small_city.ana.public_id])
    response = client.post(url, {"other": str(small_city.bo.public_id)}, follow=True)
    assert "outside the areas you work in" in response.content.decode()
    small_city.bo.refresh_from_db()
    assert small_city.bo.merged_into is None


def test_the_merge_page_refuses_a_self_merge_with_a_message(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    url = reverse("person_merge", args=[small_city.ana.public_id])
    response = client.post(url, {"other": str(small_city.ana.public_id)}, follow=True)
    assert "cannot be merged with themselves" in response.content.decode()
