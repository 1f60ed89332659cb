"""Committee coordinators see their committee's area through the one gate, and nothing else."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts import access
from grassroots.accounts.models import Role, User
from grassroots.committees import access as committee_access
from grassroots.committees.actions import (
    CommitteeData,
    do_add_member,
    do_create_committee,
    do_delete_committee,
    do_end_membership,
)
from grassroots.committees.models import Membership
from grassroots.committees.tests.helpers import Block
from grassroots.testing import make_area, make_user

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it (the scope is memoized per request)."""
    return User.objects.get(pk=user.pk)


def test_a_coordinator_of_building_a_sees_building_a_and_not_building_b(block: Block) -> None:
    captain = block.captain
    assert set(access.people_visible_to(captain)) == {block.cy, block.city.ana}
    assert block.dee not in access.people_visible_to(captain)
    assert access.access_person(captain, block.city.ana.public_id) == block.city.ana
    with pytest.raises(Http404):
        access.access_person(captain, block.dee.public_id)
    assert list(committee_access.committees_visible_to(captain)) == [block.committee_a]
    with pytest.raises(Http404):
        committee_access.access_committee(captain, block.committee_b.public_id)


def test_the_scope_ends_when_the_coordinator_steps_down(block: Block) -> None:
    membership = Membership.objects.get(person=block.cy, committee=block.committee_a)
    do_end_membership(block.city.organizer, membership, timezone.localdate())
    assert list(access.people_visible_to(fresh(block.captain))) == []


def test_the_scope_ends_when_the_committee_is_archived(block: Block) -> None:
    assert do_delete_committee(block.city.organizer, block.committee_a) == "archived"
    assert list(access.people_visible_to(fresh(block.captain))) == []


def test_a_plain_member_gains_no_scope(block: Block) -> None:
    ana_login = make_user("ana", Role.MEMBER, person=block.city.ana)
    assert list(access.people_visible_to(ana_login)) == []


def test_a_list_of_users_reads_committee_scopes_from_one_prefetch(block: Block) -> None:
    users = list(
        User.objects.order_by("username").prefetch_related("scope", access.committee_scope_prefetch())
    )
    with CaptureQueriesContext(connection) as queries:
        paths = {u.username: access.scope_paths(u) for u in users}
    assert len(queries) == 0
    assert paths["captain"] == [block.building_a.path]
    assert paths["organizer"] == [block.city.city.path]


def test_a_committee_area_outside_the_organizers_scope_is_refused(block: Block) -> None:
    south_organizer = make_user("south", Role.ORGANIZER, scope=[block.city.south])
    with pytest.raises(ValidationError, match="12 ELM AVE is outside the areas you work in"):
        do_create_committee(south_organizer, CommitteeData("Raid", area=block.building_a))


def test_a_membership_for_a_person_the_user_cannot_see_is_refused(block: Block) -> None:
    with pytest.raises(ValidationError, match="outside the areas you work in"):
        do_add_member(block.captain, block.committee_a, block.dee)
    assert not block.committee_a.memberships.filter(person=block.dee).exists()


def test_a_coordinator_cannot_run_another_committee(block: Block, client: Client) -> None:
    client.force_login(block.captain)
    assert client.get(reverse("committee_detail", args=[block.committee_b.public_id])).status_code == 404
    url = reverse("committee_members", args=[block.committee_a.public_id])
    assert client.get(url).status_code == 200
    # A canvasser of the north sees the committee but may not run it.
    canvasser = make_user("north-canvasser", Role.CANVASSER, scope=[block.city.north])
    client.force_login(canvasser)
    assert client.get(reverse("committee_detail", args=[block.committee_a.public_id])).status_code == 200
    assert client.get(url).status_code == 403


def test_an_issue_committee_without_an_area_needs_an_administrator(block: Block) -> None:
    with pytest.raises(ValidationError, match="Choose the area"):
        do_create_committee(block.city.organizer, CommitteeData("Nurses", kind="issue"))
    nurses = do_create_committee(block.city.admin, CommitteeData("Nurses", kind="issue"))
    assert nurses not in committee_access.committees_visible_to(block.city.organizer)
    assert nurses in committee_access.committees_visible_to(block.city.admin)


def test_an_area_committee_must_lie_inside_its_parent(block: Block) -> None:
    far = make_area("Far St", "street", block.city.ed2)
    with pytest.raises(ValidationError, match="not inside 12 Elm tenants"):
        do_create_committee(
            block.city.organizer,
            CommitteeData("Far", area=far, parent=block.committee_a, founded_on=datetime.date(2026, 1, 1)),
        )


def test_a_login_left_on_a_merged_away_record_keeps_the_committees_it_leads(block: Block) -> None:
    """Two records of one coordinator, each with a login: merged, the memberships go to the
    survivor and the second login stays on the merged-away record (people.merge). Both logins
    are the same person's, and both lead the committee."""
    from grassroots.people.actions import do_merge_people
    from grassroots.testing import make_person

    survivor = make_person("Cy", "Okafor", area=block.building_a)
    survivor_login = make_user("cy2", Role.COORDINATOR, person=survivor)
    do_merge_people(block.city.organizer, survivor, block.cy)
    assert not Membership.objects.filter(person=block.cy).exists()
    for user in (fresh(block.captain), fresh(survivor_login)):
        assert user.person_id in (block.cy.pk, survivor.pk)
        assert block.city.ana in access.people_visible_to(user)
        assert block.dee not in access.people_visible_to(user)
        assert list(committee_access.committees_visible_to(user)) == [block.committee_a]
        assert committee_access.leads(user, block.committee_a)
    # Read from the prefetch, as lists of users are.
    listed = User.objects.filter(pk=block.captain.pk).select_related("person")
    captain = listed.prefetch_related(access.committee_scope_prefetch()).get()
    assert block.building_a.path in (access.scope_paths(captain) or [])


def test_the_person_a_login_acts_as_is_read_once_for_a_user_object(
    block: Block, django_assert_num_queries: Any
) -> None:
    from grassroots.people.actions import do_merge_people
    from grassroots.testing import make_person

    survivor = make_person("Cy", "Okafor", area=block.building_a)
    do_merge_people(block.city.organizer, survivor, block.cy)
    captain = fresh(block.captain)  # its login stays on the merged-away record
    with django_assert_num_queries(1):
        assert access.acting_pk(captain) == survivor.pk
        assert access.acting_pk(captain) == survivor.pk
    loaded = User.objects.select_related("person").get(pk=block.captain.pk)
    with django_assert_num_queries(0):
        assert access.acting_pk(loaded) == survivor.pk
    assert access.acting_pk(fresh(block.city.organizer)) is None  # no person linked
