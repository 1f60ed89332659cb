"""Who sees which grievances, struggles and targets: always as the access gate decides."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from grassroots.accounts.models import Role
from grassroots.struggles import actions
from grassroots.struggles.access import (
    access_grievance,
    grievances_visible_to,
    organizations_visible_to,
    struggles_visible_to,
)
from grassroots.struggles.tests.conftest import Landlord
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def test_a_user_scoped_to_building_a_cannot_see_building_bs_grievance(landlord: Landlord) -> None:
    c = landlord.city
    tenant_organizer = make_user("elm", Role.COORDINATOR, [c.building1])
    assert set(grievances_visible_to(tenant_organizer)) == {landlord.ana_case}
    assert access_grievance(tenant_organizer, landlord.ana_case.public_id) == landlord.ana_case
    with pytest.raises(Http404):
        access_grievance(tenant_organizer, landlord.bo_case.public_id)


def test_each_role_sees_the_grievances_of_the_people_it_sees(landlord: Landlord) -> None:
    c = landlord.city
    assert set(grievances_visible_to(c.admin)) == {landlord.ana_case, landlord.bo_case}
    assert set(grievances_visible_to(c.organizer)) == {landlord.ana_case, landlord.bo_case}
    assert set(grievances_visible_to(c.coordinator)) == {landlord.ana_case}
    assert set(grievances_visible_to(c.canvasser)) == {landlord.bo_case}
    assert list(grievances_visible_to(c.outsider)) == []


def test_a_household_case_needs_the_household_visible_too(landlord: Landlord) -> None:
    c = landlord.city
    household_only = actions.do_open_grievance(
        c.admin, landlord.struggle, category="repair", summary="Leak", household=c.home2
    )
    assert household_only in grievances_visible_to(c.canvasser)
    assert household_only not in grievances_visible_to(c.coordinator)


def test_tenants_of_one_building_see_the_landlord_and_all_its_struggles(landlord: Landlord) -> None:
    c = landlord.city
    # The canvasser's district holds only the managed building: the whole family is theirs to see.
    assert set(organizations_visible_to(c.canvasser)) == {landlord.landlord, landlord.manager}
    assert list(struggles_visible_to(c.canvasser)) == [landlord.struggle]
    assert list(organizations_visible_to(c.outsider)) == []
    assert list(struggles_visible_to(c.outsider)) == []


def test_a_new_target_without_places_is_visible_to_editors_only(landlord: Landlord) -> None:
    c = landlord.city
    agency = actions.do_create_organization(c.organizer, kind="agency", name="Housing Authority")
    assert agency in organizations_visible_to(c.coordinator)
    assert agency in organizations_visible_to(c.organizer)
    assert agency not in organizations_visible_to(make_user("m", Role.MEMBER, [c.building1]))


def test_opening_a_grievance_for_someone_out_of_sight_is_refused(landlord: Landlord) -> None:
    c = landlord.city
    with pytest.raises(ValidationError, match="not among the people you work with"):
        actions.do_open_grievance(
            c.coordinator, landlord.struggle, category="repair", summary="x", person=c.bo
        )
    with pytest.raises(ValidationError, match="outside the areas you work in"):
        actions.do_open_grievance(
            c.coordinator, landlord.struggle, category="repair", summary="x", household=c.home2
        )
    assert landlord.struggle.grievances.count() == 2


def test_recording_someone_out_of_sight_at_an_action_is_refused(landlord: Landlord) -> None:
    import datetime

    c = landlord.city
    with pytest.raises(ValidationError):
        actions.do_record_escalation(
            c.coordinator,
            landlord.struggle,
            kind="delegation",
            occurred_on=datetime.date(2026, 4, 1),
            participants=[c.ana, c.bo],
        )
    assert not landlord.struggle.escalations.exists()


def test_a_building_committees_coordinator_sees_only_that_buildings_grievances(landlord: Landlord) -> None:
    """The gate gives a committee's coordinator the committee's area; grievances follow it."""
    import datetime

    from django.utils import timezone

    from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
    from grassroots.committees.models import Role as MemberRole
    from grassroots.testing import make_person

    c = landlord.city
    cy = make_person("Cy", "Okafor", area=c.building1)
    committee = do_create_committee(c.organizer, CommitteeData("Elm tenants", area=c.building1))
    joined = timezone.localdate() - datetime.timedelta(days=7)
    do_add_member(c.organizer, committee, cy, role=MemberRole.COORDINATOR, joined_on=joined)
    captain = make_user("captain", Role.COORDINATOR, person=cy)
    assert set(grievances_visible_to(captain)) == {landlord.ana_case}
    assert landlord.landlord in organizations_visible_to(captain)
    with pytest.raises(Http404):
        access_grievance(captain, landlord.bo_case.public_id)
    with pytest.raises(ValidationError):
        actions.do_open_grievance(captain, landlord.struggle, category="repair", summary="x", person=c.bo)
