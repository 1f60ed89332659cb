"""Member organizations and delegates on dates; who votes for a coalition on a given day; refusals."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grassroots.coalitions import actions
from grassroots.coalitions.models import eligible_delegates
from grassroots.coalitions.tests.conftest import Alliance
from grassroots.decisions import bodies
from grassroots.struggles.actions import do_create_organization

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_the_delegates_of_member_organizations_are_eligible_on_their_dates(alliance: Alliance) -> None:
    a = alliance
    assert set(eligible_delegates(a.coalition)) == set(a.delegates)
    assert set(bodies.eligible_on(a.coalition)) == set(a.delegates)
    assert list(eligible_delegates(a.coalition, days_ago(61))) == []
    # Iris's term ends ten days ago; Mo, also of the union, takes over from then.
    iris_term = a.coalition.delegates.get(person=a.delegates[0])
    actions.do_end_delegate(a.city.organizer, iris_term, days_ago(10))
    mo = a.delegates[0].__class__.objects.create(first_name="Mo", last_name="Delgado", area=a.city.building1)
    actions.do_add_contact(a.city.organizer, a.organizations[0], mo, since=days_ago(20))
    actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[0], mo, starts_on=days_ago(10))
    assert a.delegates[0] in eligible_delegates(a.coalition, days_ago(11))
    assert mo not in eligible_delegates(a.coalition, days_ago(11))
    assert set(eligible_delegates(a.coalition)) == {mo, a.delegates[1], a.delegates[2]}


def test_an_organization_that_leaves_takes_its_delegates_with_it(alliance: Alliance) -> None:
    a = alliance
    member = a.coalition.members.get(organization=a.organizations[2])
    actions.do_end_member_organization(a.city.organizer, member, days_ago(5))
    assert a.delegates[2] not in eligible_delegates(a.coalition)
    assert a.delegates[2] in eligible_delegates(a.coalition, days_ago(6))
    assert a.coalition.delegates.get(person=a.delegates[2]).ends_on == days_ago(5)


def test_it_refuses_a_delegate_who_is_not_a_contact_of_the_organization(alliance: Alliance) -> None:
    a = alliance
    with pytest.raises(ValidationError, match="Lou Brandt is not a contact of Local 32 Hospital Workers"):
        actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[0], a.outsider)
    # A contact of another organization is not one of this organization's people either.
    with pytest.raises(ValidationError, match="Jo Delgado is not a contact of Local 32"):
        actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[0], a.delegates[1])
    # A contact since today cannot have been a delegate a month ago.
    actions.do_add_contact(a.city.organizer, a.organizations[0], a.outsider)
    with pytest.raises(ValidationError, match="not a contact of Local 32 Hospital Workers on"):
        actions.do_add_delegate(
            a.city.organizer, a.coalition, a.organizations[0], a.outsider, starts_on=days_ago(30)
        )
    actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[0], a.outsider)


def test_it_refuses_delegates_of_non_members_overlaps_and_backwards_dates(alliance: Alliance) -> None:
    a = alliance
    church = do_create_organization(a.city.organizer, kind="faith", name="St. Mark's")
    actions.do_add_contact(a.city.organizer, church, a.outsider, since=days_ago(90))
    with pytest.raises(ValidationError, match="is not a member of Eastbrook Housing Coalition"):
        actions.do_add_delegate(a.city.organizer, a.coalition, church, a.outsider)
    with pytest.raises(ValidationError, match="already a delegate"):
        actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[0], a.delegates[0])
    with pytest.raises(ValidationError, match="end date must come after"):
        actions.do_add_delegate(
            a.city.organizer,
            a.coalition,
            a.organizations[0],
            a.delegates[0],
            starts_on=days_ago(1),
            ends_on=days_ago(3),
        )
    landlord = do_create_organization(a.city.organizer, kind="landlord", name="Brightwater Realty")
    with pytest.raises(ValidationError, match="recorded as a target"):
        actions.do_add_member_organization(a.city.organizer, a.coalition, landlord)


def test_only_organizers_run_coalitions(alliance: Alliance) -> None:
    a = alliance
    with pytest.raises(ValidationError, match="Only organizers and administrators"):
        actions.do_create_coalition(a.city.coordinator, "Splinter")
    with pytest.raises(ValidationError, match="Only organizers and administrators"):
        actions.do_add_delegate(a.users[0], a.coalition, a.organizations[1], a.delegates[1])


def test_relationships_between_organizations(alliance: Alliance) -> None:
    a = alliance
    employer = do_create_organization(a.city.organizer, kind="employer", name="Mercy Hospital")
    relation = actions.do_relate(a.city.organizer, a.organizations[0], "opposes", employer)
    assert str(relation) == "Local 32 Hospital Workers opposes Mercy Hospital"
    with pytest.raises(ValidationError, match="already recorded"):
        actions.do_relate(a.city.organizer, a.organizations[0], "opposes", employer)
    with pytest.raises(ValidationError, match="itself"):
        actions.do_relate(a.city.organizer, employer, "ally", employer)


def test_a_login_left_on_a_merged_away_record_sees_the_coalition_its_survivor_delegates_to(
    alliance: Alliance,
) -> None:
    from grassroots.coalitions.access import coalitions_visible_to
    from grassroots.people.actions import do_merge_people
    from grassroots.testing import make_person, make_user

    iris = alliance.delegates[0]
    twin = make_person("Iris", "Delgado", area=alliance.city.building1)
    twin_login = make_user("iris2", person=twin)
    assert list(coalitions_visible_to(twin_login)) == []
    do_merge_people(alliance.city.organizer, iris, twin)
    next_request = type(twin_login).objects.get(pk=twin_login.pk)  # a user object lives one request
    assert list(coalitions_visible_to(next_request)) == [alliance.coalition]
