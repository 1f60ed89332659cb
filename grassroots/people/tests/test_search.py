from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts import access
from grassroots.fixtures import SmallCity
from grassroots.people.search import people_matching

pytestmark = pytest.mark.django_db


def _found(city: SmallCity, text: str) -> set[str]:
    return {p.first_name for p in people_matching(access.people_visible_to(city.organizer), text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ana", {"Ana"}),  # first name, any case
        ("peña", {"Ana"}),  # last name with its accent
        ("Ana Peña", {"Ana"}),  # every word must match
        ("Ana Chen", set()),
        ("bo@example.net", {"Bo"}),  # email
        ("example", {"Ana", "Bo"}),
        ("(347) 555-0102", {"Bo"}),  # phone, as typed
        ("5550101", {"Ana"}),  # phone, partial digits
        ("Oak", {"Bo"}),  # address
        ("40 Oak Street", {"Bo"}),  # address, spelled out: matched on its normalized form
        ("12 ELM AVE", {"Ana"}),
        ("nobody", set()),
    ],
)
def test_search_finds_people_by_each_field(small_city: SmallCity, text: str, expected: set[str]) -> None:
    assert _found(small_city, text) == expected


def test_search_never_leaves_the_scope(small_city: SmallCity) -> None:
    people = people_matching(access.people_visible_to(small_city.canvasser), "example")
    assert [p.first_name for p in people] == ["Bo"]


def test_search_as_you_type_returns_only_the_results(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    response = client.get(reverse("people_list"), {"q": "chen"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Bo Chen" in body and "Ana Peña" not in body


def test_the_list_filters_by_area_and_tag(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    by_area = client.get(reverse("people_list"), {"area": str(small_city.north.public_id)})
    assert [p.first_name for p in by_area.context["page"]] == ["Ana"]
    by_tag = client.get(reverse("people_list"), {"tag": "volunteer"})
    assert [p.first_name for p in by_tag.context["page"]] == ["Bo"]
    unknown_tag = client.get(reverse("people_list"), {"tag": "no-such-tag"})
    assert unknown_tag.context["page"].paginator.count == 0


def test_the_list_page_runs_a_fixed_number_of_queries(
    small_city: SmallCity, client: Client, django_assert_max_num_queries: Any
) -> None:
    from grassroots.testing import make_person

    for i in range(30):
        make_person(
            f"Extra{i}", "Person", area=small_city.building1, emails=(f"x{i}@example.org",), tags=("tenant",)
        )
    client.force_login(small_city.organizer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("people_list"))
    assert response.context["page"].paginator.count == 32
