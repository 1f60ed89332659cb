"""The pages: a person's committees, a member's own page, founding a committee, gaps, the map."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry, Role
from grassroots.committees.models import Committee, Membership
from grassroots.committees.tests.helpers import Block
from grassroots.lib.geo import rectangle
from grassroots.people.models import Action
from grassroots.testing import make_household, make_person, make_user, mentions

pytestmark = pytest.mark.django_db


def test_a_persons_page_shows_their_committees_from_the_building_up(block: Block, client: Client) -> None:
    client.force_login(block.city.organizer)
    response = client.get(reverse("person_detail", args=[block.city.ana.public_id]))
    assert response.context["committees"] == [block.committee_a]
    body = response.content.decode()
    assert "12 Elm tenants" in body and "covers their building" in body
    bo = client.get(reverse("person_detail", args=[block.city.bo.public_id])).content.decode()
    assert "No committee covers their home yet." in bo


def test_a_members_own_page_shows_their_committee_and_counts_of_neighbors_only(
    block: Block, client: Client
) -> None:
    # Three supporters on Elm Ave besides Ana: Cy (building A; joined a committee), Dee (building B)
    # and Eve (building B, signed a petition). Fay in building B only had a knock on her door.
    eve = make_person("Eve", "Stone", area=block.building_b, actions=("petition",))
    make_person("Fay", "Quiet", area=block.building_b, actions=("door_knock",))
    ana = make_user("ana", Role.MEMBER, person=block.city.ana)
    client.force_login(ana)
    response = client.get(reverse("committee_mine"))
    assert [m.committee for m, _ in response.context["memberships"]] == [block.committee_a]
    counts = {n.area.kind: n.supporters for n in response.context["neighbors"]}
    assert counts == {"building": 1, "street": 3, "neighborhood": 3}
    body = response.content.decode()
    assert "12 Elm tenants" in body
    # Eve by her full name and surname: "Eve" alone is also the start of the nav's "Events".
    for name in ("Cy", "Okafor", "Dee", "Vance", eve.full_name, eve.last_name, "Fay"):
        assert not mentions(body, name)
    # The nav links to it for users linked to a person.
    assert reverse("committee_mine") in body


def test_a_login_left_on_a_merged_away_record_shows_the_survivors_committees(
    block: Block, client: Client
) -> None:
    from grassroots.people.actions import do_merge_people

    survivor = make_person("Ana", "Peña", area=block.building_a)
    make_user("ana2", Role.MEMBER, person=survivor)
    ana = make_user("ana", Role.MEMBER, person=block.city.ana)
    do_merge_people(block.city.organizer, survivor, block.city.ana)
    client.force_login(ana)
    response = client.get(reverse("committee_mine"))
    assert response.context["person"] == survivor
    assert [m.committee for m, _ in response.context["memberships"]] == [block.committee_a]


def test_founding_a_committee_from_the_founding_list(block: Block, client: Client) -> None:
    home = make_household(block.city.building2, "40 Oak Street", "3")
    gus = make_person(
        "Gus", "Ito", area=block.city.building2, household=home, actions=("signup", "rsvp", "petition")
    )
    hal = make_person("Hal", "Ro", area=block.city.building2, household=home, actions=("signup",))
    make_person("Ida", "No", area=block.city.building2, household=home, actions=("door_knock",))
    client.force_login(block.city.organizer)
    url = reverse("committee_start", args=[block.city.building2.public_id])
    page = client.get(url)
    founders = page.context["founders"]
    assert founders[0] == gus  # three times in the last year, the others once or twice
    assert {p.first_name for p in founders} == {"Gus", "Hal", "Bo"}  # Ida only had a knock
    response = client.post(
        url,
        {
            "name": "40 Oak tenants",
            "people": [str(gus.public_id), str(hal.public_id)],
            "coordinator": str(gus.public_id),
        },
        follow=True,
    )
    committee = Committee.objects.get(name="40 Oak tenants")
    assert response.redirect_chain[-1][0] == reverse("committee_detail", args=[committee.public_id])
    roles = dict(Membership.objects.filter(committee=committee).values_list("person__first_name", "role"))
    assert roles == {"Gus": "coordinator", "Hal": "member"}
    assert committee.area == block.city.building2
    assert Action.objects.filter(kind="committee_joined", person=hal).exists()
    assert AuditEntry.objects.filter(
        verb="search", details__founding_list=str(block.city.building2.public_id)
    ).exists()


def test_a_committee_outside_the_organizers_areas_is_refused_with_a_message(
    block: Block, client: Client
) -> None:
    south = make_user("south", Role.ORGANIZER, scope=[block.city.south])
    client.force_login(south)
    response = client.post(reverse("committee_start", args=[block.building_a.public_id]), {"name": "Raid"})
    assert response.status_code == 200
    assert "12 ELM AVE is outside the areas you work in." in response.content.decode()
    assert not Committee.objects.filter(name="Raid").exists()


def test_adding_a_member_the_user_cannot_see_is_refused_with_a_message(block: Block, client: Client) -> None:
    client.force_login(block.captain)
    response = client.post(
        reverse("committee_members", args=[block.committee_a.public_id]),
        {"person": str(block.dee.public_id), "role": "member", "joined_on": "2026-11-01"},
        follow=True,
    )
    assert "That person does not exist or is outside the areas you work in." in response.content.decode()
    assert not block.committee_a.memberships.filter(person=block.dee).exists()


def test_people_with_no_committee_yet(block: Block, client: Client) -> None:
    client.force_login(block.city.organizer)
    page = client.get(reverse("committee_uncovered", args=[block.city.city.public_id]))
    # Buildings A and B have committees; Bo in the south has none.
    assert [p.first_name for p in page.context["page"]] == ["Bo"]
    covered = client.get(reverse("committee_uncovered", args=[block.building_a.public_id]))
    assert "Everyone here has a committee" in covered.content.decode()


def test_the_coverage_map_shades_supporters_and_marks_committees(block: Block, client: Client) -> None:
    street2 = block.city.building2.parent
    assert street2 is not None
    for area, box in ((block.street, (-74.0, 40.1, -73.95, 40.15)), (street2, (-74.0, 40.0, -73.95, 40.05))):
        area.geometry = json.dumps(rectangle(*box))
        area.save(update_fields=["geometry"])
    client.force_login(block.city.organizer)
    params = {"area": str(block.city.city.public_id), "kind": "street"}
    page = client.get(reverse("committee_coverage"), params)
    rows = {r.area.name: r for r in page.context["rows"]}
    # Ana, Cy and Dee joined their buildings' committees: joining is taking part.
    assert (rows["Elm Ave"].people, rows["Elm Ave"].supporters) == (3, 3)
    assert [c.name for c in rows["Elm Ave"].committees] == ["12 Elm tenants", "14 Elm tenants"]
    assert rows["Oak St"].committees == [] and rows["Oak St"].supporters == 1  # Bo signed up
    features = client.get(reverse("committee_coverage_map"), params).json()["features"]
    by_name = {f["properties"]["name"]: f["properties"] for f in features}
    assert by_name["Elm Ave"]["mark"] == "12 Elm tenants, 14 Elm tenants"
    assert by_name["Oak St"]["mark"] is None and by_name["Oak St"]["value"] == 1.0
    assert by_name["Oak St"]["url"] == reverse("committee_start", args=[street2.public_id])


def test_a_new_committee_goes_under_the_nearest_committee_around_it(block: Block, client: Client) -> None:
    north = Committee.objects.create(name="North committee", area=block.city.north)
    client.force_login(block.city.organizer)
    client.post(
        reverse("committee_new"),
        {"name": "Elm Ave", "kind": "area", "area": str(block.street.public_id), "founded_on": "2026-11-01"},
    )
    assert Committee.objects.get(name="Elm Ave").parent == north
