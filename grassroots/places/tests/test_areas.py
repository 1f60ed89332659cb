from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.fixtures import SmallCity
from grassroots.places.actions import assign_points
from grassroots.places.models import Area, Household

pytestmark = pytest.mark.django_db


def test_an_areas_path_nests_inside_its_parents(small_city: SmallCity) -> None:
    c = small_city
    assert c.ed1.path.startswith(c.north.path) and c.north.path.startswith(c.city.path)
    assert c.building1.depth == 4
    assert list(c.building1.ancestors()) == [c.city, c.north, c.ed1, c.building1.parent]
    inside_north = set(c.north.descendants().values_list("name", flat=True))
    assert inside_north == {"ED 1", "Elm Ave", "12 ELM AVE"}


def test_areas_get_a_bounding_box_and_centroid_from_their_polygon(small_city: SmallCity) -> None:
    ed1 = small_city.ed1
    assert (ed1.min_lon, ed1.min_lat, ed1.max_lon, ed1.max_lat) == (-74.0, 40.1, -73.95, 40.2)
    assert ed1.centroid_lon == pytest.approx(-73.975)
    assert ed1.centroid_lat == pytest.approx(40.15)


def test_assign_points_finds_the_election_district_of_each_point(small_city: SmallCity) -> None:
    districts = Area.objects.filter(kind="election_district")
    found = assign_points([(-73.99, 40.15), (-73.99, 40.05), (-73.91, 40.05), (0.0, 0.0)], districts)
    assert found == [small_city.ed1, small_city.ed2, None, None]


def test_an_area_page_counts_households_and_people_per_child(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    response = client.get(reverse("area_detail", args=[small_city.city.public_id]))
    rows = {child.name: (households, people) for child, households, people in response.context["child_rows"]}
    assert rows == {"North": (1, 1), "South": (1, 1)}


def test_area_counts_go_through_the_access_gate(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.canvasser)  # ED 2 only
    response = client.get(reverse("area_detail", args=[small_city.city.public_id]))
    rows = {child.name: people for child, _, people in response.context["child_rows"]}
    assert rows == {"North": 0, "South": 1}
    assert response.context["people_count"] == 1
    assert "12 ELM AVE" not in response.content.decode()


def test_the_map_gets_the_polygons_of_the_children(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.outsider)
    data = json.loads(client.get(reverse("area_map", args=[small_city.city.public_id])).content)
    assert data["type"] == "FeatureCollection"
    assert sorted(f["properties"]["name"] for f in data["features"]) == ["North", "South"]
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_an_area_without_polygons_below_it_draws_itself(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    data = json.loads(client.get(reverse("area_map", args=[small_city.ed1.public_id])).content)
    assert [f["properties"]["name"] for f in data["features"]] == ["ED 1"]


def test_the_places_list_shows_the_roots_with_their_people(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.coordinator)
    response = client.get(reverse("area_list"))
    assert response.context["rows"] == [(small_city.city, 1)]


def test_inside_a_path_means_starting_with_it_and_nothing_else() -> None:
    from grassroots.places.models import prefix_end

    root = Area.objects.create(kind="city", name="Root", path="aaa/")
    paths = ["aaa/", "aaa/b0/", "aaa/b0/c1/", "aaa/bf/", "aab/", "aa/", "aaa", "ab/"]
    Area.objects.bulk_create(Area(kind="street", name=p, path=p, parent=root) for p in paths[1:])
    for prefix in ("aaa/", "aaa/b0/", "aa", "a", "aaa/bf/"):
        found = set(Area.objects.filter(path__startswith=prefix).values_list("path", flat=True))
        assert found == {p for p in paths if p.startswith(prefix)}, prefix
    assert prefix_end("aaa/") == "aaa0"


def test_everything_inside_an_area_is_read_through_the_path_index(small_city: SmallCity) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL reads a LIKE prefix through the pattern index Django makes for it")
    plan = Area.objects.filter(path__startswith=small_city.north.path).explain()
    joined = Household.objects.filter(area__path__startswith=small_city.north.path).explain()
    # Not a scan of every area: a search of the path index's range.
    assert "SCAN places_area" not in plan and "path>? AND path<?" in plan
    assert "SCAN places_area" not in joined


def test_an_area_page_that_names_people_is_audited(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    page = client.get(reverse("area_detail", args=[small_city.building1.public_id]))
    assert "Peña" in page.content.decode()
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.VIEW, object_type="area")
    assert entry.actor == small_city.organizer
    assert entry.object_id == str(small_city.building1.public_id)
    assert entry.details["people"] == 1 and entry.details["households"] == 1


def test_an_area_page_with_no_one_the_user_may_see_writes_no_audit(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.outsider)
    page = client.get(reverse("area_detail", args=[small_city.building1.public_id]))
    assert page.status_code == 200 and "Peña" not in page.content.decode()
    assert not AuditEntry.objects.filter(object_type="area").exists()
