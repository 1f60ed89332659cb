"""Statements and votes of a round: who may write and vote, one vote each, changeable, refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from grassroots.accounts.models import AuditEntry
from grassroots.committees.actions import do_delete_committee, do_end_membership
from grassroots.commonground import actions
from grassroots.commonground.access import access_round, participants, rounds_visible_to
from grassroots.commonground.models import JOINED_ACTION, StatementVote
from grassroots.commonground.tests.conftest import Tenants
from grassroots.people.models import Action
from grassroots.struggles import actions as struggle_actions

pytestmark = pytest.mark.django_db
AGREE, DISAGREE, PASS = (
    c.value for c in (StatementVote.Choice.AGREE, StatementVote.Choice.DISAGREE, StatementVote.Choice.PASS)
)


def test_the_participants_are_the_committees_members_today(tenants: Tenants) -> None:
    assert set(participants(tenants.committee)) == set(tenants.people)
    do_end_membership(tenants.city.organizer, tenants.people[3].memberships.get(), left_on=None)
    assert tenants.people[3] not in participants(tenants.committee)


def test_a_participant_has_one_vote_per_statement_and_can_change_it(tenants: Tenants) -> None:
    statement = tenants.round.statements.first()
    assert statement is not None
    member = tenants.users[1]
    actions.do_vote_statement(member, statement, AGREE)
    actions.do_vote_statement(member, statement, DISAGREE)
    votes = StatementVote.objects.filter(statement=statement)
    assert votes.count() == 1
    vote = votes.get()
    assert vote.choice == DISAGREE and vote.changed_at is not None
    actions.do_vote_statement(member, statement, PASS)
    assert votes.get().choice == PASS


def test_taking_part_is_one_action_on_the_timeline_that_says_nothing_of_the_votes(tenants: Tenants) -> None:
    member = tenants.users[2]
    for statement in tenants.round.statements.all():
        actions.do_vote_statement(member, statement, DISAGREE)
    actions.do_write_statement(member, tenants.round, "The laundry room needs fixing.")
    taken = Action.objects.filter(person=tenants.people[2], kind=JOINED_ACTION)
    assert taken.count() == 1
    assert set(taken.get().details) == {"round", "title"}
    logged = AuditEntry.objects.filter(object_type="statement_vote")
    assert logged.count() == 2 and all(entry.details == {} for entry in logged)


def test_the_author_of_a_statement_agrees_with_it(tenants: Tenants) -> None:
    statement = actions.do_write_statement(
        tenants.users[1], tenants.round, "  Heat   in winter, every winter.  "
    )
    assert statement.text == "Heat in winter, every winter."
    assert statement.author == tenants.people[1]
    assert statement.votes.get().choice == AGREE


def test_it_refuses_a_vote_or_a_statement_from_someone_outside_the_committee(tenants: Tenants) -> None:
    statement = tenants.round.statements.first()
    assert statement is not None
    with pytest.raises(ValidationError, match="not linked to a person"):
        actions.do_vote_statement(tenants.city.organizer, statement, AGREE)
    tenants.city.organizer.person = tenants.city.bo
    tenants.city.organizer.save()
    with pytest.raises(ValidationError, match="Only the people of 12 Elm tenants take part"):
        actions.do_write_statement(tenants.city.organizer, tenants.round, "Outsiders welcome")
    with pytest.raises(ValidationError, match="Only the people of 12 Elm tenants take part"):
        actions.do_vote_statement(tenants.city.organizer, statement, AGREE)
    assert not StatementVote.objects.filter(person=tenants.city.bo).exists()


def test_it_refuses_bad_statements_and_votes(tenants: Tenants) -> None:
    member = tenants.users[1]
    with pytest.raises(ValidationError, match="Write the statement"):
        actions.do_write_statement(member, tenants.round, "   ")
    with pytest.raises(ValidationError, match="280 characters"):
        actions.do_write_statement(member, tenants.round, "x" * 281)
    with pytest.raises(ValidationError, match="already in the round"):
        actions.do_write_statement(member, tenants.round, "repairs come before anything else.")
    statement = tenants.round.statements.first()
    assert statement is not None
    with pytest.raises(ValidationError, match="agree, disagree or pass"):
        actions.do_vote_statement(member, statement, 2)
    actions.do_hide_statement(tenants.users[0], statement)
    with pytest.raises(ValidationError, match="taken out"):
        actions.do_vote_statement(member, statement, AGREE)


def test_a_closed_round_takes_no_more_votes(tenants: Tenants) -> None:
    statement = tenants.round.statements.first()
    assert statement is not None
    with pytest.raises(ValidationError, match="Only those who run"):
        actions.do_close_round(tenants.users[1], tenants.round)
    actions.do_close_round(tenants.users[0], tenants.round)
    with pytest.raises(ValidationError, match="closed"):
        actions.do_vote_statement(tenants.users[1], statement, AGREE)


def test_members_read_the_round_and_outsiders_do_not(tenants: Tenants) -> None:
    from django.http import Http404

    assert tenants.round in rounds_visible_to(tenants.users[2])
    assert access_round(tenants.users[0], tenants.round.public_id, write=True) == tenants.round
    with pytest.raises(Http404):
        access_round(tenants.users[2], tenants.round.public_id, write=True)
    with pytest.raises(Http404):
        access_round(tenants.city.outsider, tenants.round.public_id)
    assert list(rounds_visible_to(tenants.city.canvasser)) == []


def test_a_login_left_on_a_merged_away_record_takes_part_as_the_survivor(tenants: Tenants) -> None:
    """Two records of one member, each with a login: merged, the membership is the survivor's and
    the second login stays on the merged-away record (people.merge). It writes and votes as the
    survivor, and sees the survivor's votes."""
    from grassroots.people.actions import do_merge_people
    from grassroots.testing import make_person, make_user

    survivor = tenants.people[1]
    twin = make_person("Tenant1", "Okafor", area=tenants.city.building1)
    twin_login = make_user("tenant1b", person=twin)
    do_merge_people(tenants.city.organizer, survivor, twin)
    statement = tenants.round.statements.first()
    assert statement is not None

    assert tenants.round in rounds_visible_to(twin_login)
    actions.do_vote_statement(twin_login, statement, DISAGREE)
    written = actions.do_write_statement(twin_login, tenants.round, "Organize the next building too.")
    assert written.author_id == survivor.pk
    assert list(StatementVote.objects.filter(person=twin)) == []
    assert StatementVote.objects.get(statement=statement, person=survivor).choice == DISAGREE
    # The survivor's own login sees that vote as its own, and changes it: one vote, one person.
    actions.do_vote_statement(tenants.users[1], statement, AGREE)
    assert StatementVote.objects.filter(statement=statement).count() == 1


def test_a_closed_rounds_statements_can_no_longer_be_taken_out(tenants: Tenants) -> None:
    statement = tenants.round.statements.first()
    assert statement is not None
    actions.do_close_round(tenants.users[0], tenants.round)
    statement.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        actions.do_hide_statement(tenants.users[0], statement)
    statement.refresh_from_db()
    assert statement.hidden_at is None


def test_the_members_of_a_struggles_archived_committee_no_longer_take_part(tenants: Tenants) -> None:
    c = tenants.city
    landlord = struggle_actions.do_create_organization(c.admin, kind="landlord", name="Brightwater Realty")
    struggle = struggle_actions.do_create_struggle(
        c.admin, target=landlord, title="Repairs now", areas=[c.building1], committees=[tenants.committee]
    )
    assert tenants.people[1] in participants(struggle)
    do_delete_committee(c.organizer, tenants.committee)  # it has members: archived, not deleted
    assert tenants.people[1] not in participants(struggle)
