from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db


def test_each_role_sees_exactly_the_people_of_its_areas(small_city: SmallCity) -> None:
    c = small_city
    assert set(access.people_visible_to(c.organizer)) == {c.ana, c.bo}
    assert set(access.people_visible_to(c.admin)) == {c.ana, c.bo}
    assert set(access.people_visible_to(c.coordinator)) == {c.ana}
    assert set(access.people_visible_to(c.canvasser)) == {c.bo}
    assert list(access.people_visible_to(c.outsider)) == []


def test_an_inactive_user_sees_no_one(small_city: SmallCity) -> None:
    small_city.organizer.is_active = False
    small_city.organizer.save()
    assert list(access.people_visible_to(small_city.organizer)) == []


def test_access_person_hides_people_outside_the_scope(small_city: SmallCity) -> None:
    from django.http import Http404

    assert access.access_person(small_city.canvasser, small_city.bo.public_id) == small_city.bo
    with pytest.raises(Http404):
        access.access_person(small_city.canvasser, small_city.ana.public_id)
    with pytest.raises(Http404):
        access.access_person(small_city.canvasser, "not-a-uuid")


def test_nested_scope_areas_are_not_counted_twice(small_city: SmallCity) -> None:
    small_city.organizer.scope.add(small_city.north, small_city.ed1)
    assert access.scope_paths(small_city.organizer) == [small_city.city.path]
    assert access.people_visible_to(small_city.organizer).count() == 2


# Every route asked as every role, for pages and the API: test_policy_matrix.py.


def test_a_canvasser_gets_404_for_people_outside_their_district(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.canvasser)
    assert client.get(reverse("person_detail", args=[small_city.bo.public_id])).status_code == 200
    assert client.get(reverse("person_detail", args=[small_city.ana.public_id])).status_code == 404
    listing = client.get(reverse("people_list"))
    assert [p.first_name for p in listing.context["page"]] == ["Bo"]


def test_a_canvasser_may_not_change_people(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.canvasser)
    url = reverse("person_edit", args=[small_city.bo.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"first_name": "Changed"}).status_code == 403
    small_city.bo.refresh_from_db()
    assert small_city.bo.first_name == "Bo"


@pytest.mark.parametrize(
    "bad", ["nope", "12345", "5b0a1f3e-9c2d-4e8f-a1b2-c3d4e5f60718", "00000000-0000-0000-0000-00000000000g"]
)
def test_unknown_or_malformed_ids_answer_404(small_city: SmallCity, client: Client, bad: str) -> None:
    client.force_login(small_city.admin)
    for name in ("person_detail", "person_edit", "person_merge", "area_detail", "area_map"):
        assert client.get(reverse(name, args=[bad])).status_code == 404, name
    assert client.get(reverse("people_list"), {"area": bad}).status_code == 404


def test_viewing_a_person_is_audited(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    client.get(reverse("person_detail", args=[small_city.ana.public_id]))
    entry = AuditEntry.objects.filter(verb="view").get()
    assert (entry.actor, entry.object_id) == (small_city.organizer, str(small_city.ana.public_id))


def test_searching_people_is_audited_with_the_query(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    client.get(reverse("people_list"), {"q": "Chen"})
    entry = AuditEntry.objects.filter(verb="search").get()
    assert entry.details["query"] == "Chen"
    assert entry.details["shown"] == 1


def test_login_is_throttled_after_repeated_failures(small_city: SmallCity, client: Client) -> None:
    small_city.organizer.set_password("right-horse-battery")
    small_city.organizer.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "organizer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "organizer", "password": "right-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
