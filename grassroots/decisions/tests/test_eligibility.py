"""Who may vote (membership on the day voting opened), quorum, warnings, and refused ballots."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.committees.actions import do_add_member, do_delete_committee, do_end_membership
from grassroots.decisions import actions
from grassroots.decisions.models import Proposal
from grassroots.decisions.tests.helpers import Tenants, in_days, make_proposal, merged_away_login
from grassroots.struggles import actions as struggle_actions
from grassroots.struggles.models import Struggle
from grassroots.testing import make_person, make_user

pytestmark = pytest.mark.django_db
Method = Proposal.Method


def _opened_days_ago(proposal: Proposal, days: int) -> Proposal:
    """As if voting had opened ``days`` ago (membership records are dated; the clock is not moved)."""
    Proposal.objects.filter(pk=proposal.pk).update(
        opened_on=timezone.localdate() - datetime.timedelta(days=days)
    )
    proposal.refresh_from_db()
    return proposal


def test_who_joined_after_voting_opened_cannot_vote_and_who_left_after_still_can(tenants: Tenants) -> None:
    t = tenants
    organizer = t.city.organizer
    today = timezone.localdate()
    proposal = _opened_days_ago(make_proposal(t, Method.MAJORITY), 5)
    # Hal joined two days ago, after voting opened.
    hal = make_person("Hal", "Berg", area=t.city.building1)
    do_add_member(organizer, t.committee, hal, joined_on=today - datetime.timedelta(days=2))
    hal_login = make_user("hal", person=hal)
    # Gus left yesterday, after voting opened.
    gus_membership = t.committee.memberships.get(person=t.person("Gus"))
    do_end_membership(organizer, gus_membership, today - datetime.timedelta(days=1))

    with pytest.raises(ValidationError, match="on the day voting opened"):
        actions.do_cast_vote(hal_login, proposal, choice="yes")
    actions.do_cast_vote(t.login("gus"), proposal, choice="no")
    assert actions.tally(proposal)["eligible"] == 5


def _struggle_proposal(t: Tenants, struggle: Struggle | None = None) -> Proposal:
    """A majority vote of a struggle over heat in building 1, that the tenants' committee takes
    part in (a new struggle unless one is given); not yet open."""
    if struggle is None:
        landlord = struggle_actions.do_create_organization(t.city.admin, kind="landlord", name="Elm Realty")
        struggle_actions.do_add_site(t.city.admin, landlord, t.city.building1, "owns")
        struggle = struggle_actions.do_create_struggle(
            t.city.admin, target=landlord, title="Heat", areas=[t.city.building1], demands=["Heat"]
        )
        struggle.committees.add(t.committee)
    data = actions.ProposalData("Escalate to a rent strike", Method.MAJORITY, in_days(3))
    return actions.do_create_proposal(t.city.organizer, struggle, data)


def test_members_of_a_struggles_committees_vote_on_its_proposals(tenants: Tenants) -> None:
    t = tenants
    proposal = _struggle_proposal(t)
    actions.do_open_proposal(t.city.organizer, proposal)
    actions.do_cast_vote(t.login("eve"), proposal, choice="yes")
    with pytest.raises(ValidationError, match="on the day voting opened"):
        actions.do_cast_vote(make_user("stranger", person=t.city.bo), proposal, choice="yes")
    assert actions.tally(proposal)["eligible"] == 5


def test_the_members_of_a_struggles_archived_committee_vote_only_on_what_opened_before(
    tenants: Tenants,
) -> None:
    t = tenants
    before = _struggle_proposal(t)
    actions.do_open_proposal(t.city.organizer, before)
    before = _opened_days_ago(before, 2)
    # The committee is archived today: it no longer speaks for the struggle.
    do_delete_committee(t.city.organizer, t.committee)
    after = _struggle_proposal(t, before.struggle)
    with pytest.raises(ValidationError, match="No one is eligible to vote"):
        actions.do_open_proposal(t.city.organizer, after)
    actions.do_open_proposal(t.city.organizer, after, despite_warnings=True)
    assert actions.tally(before)["eligible"] == 5 and actions.tally(after)["eligible"] == 0
    actions.do_cast_vote(t.login("eve"), before, choice="yes")
    with pytest.raises(ValidationError, match="on the day voting opened"):
        actions.do_cast_vote(t.login("eve"), after, choice="yes")


def test_a_quorum_not_reached_fails_the_proposal(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, quorum=3)
    actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")
    actions.do_cast_vote(tenants.login("eve"), proposal, choice="yes")
    result = actions.do_close_proposal(tenants.coordinator, proposal).result
    assert (result["quorum_met"], result["passed"]) == (False, False)
    assert result["outcome"] == "No quorum: 2 voted, 3 needed."


def test_an_unreachable_quorum_is_warned_before_opening(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, quorum=6, open_it=False)
    assert actions.opening_warnings(proposal) == [
        "The quorum can never be met: it asks for 6 voters and only 5 members are eligible."
    ]
    with pytest.raises(ValidationError, match="quorum can never be met"):
        actions.do_open_proposal(tenants.coordinator, proposal)
    assert actions.do_open_proposal(tenants.coordinator, proposal, despite_warnings=True).is_open


def test_a_body_with_no_members_is_warned_before_opening(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.MAJORITY, open_it=False)
    for membership in t.committee.memberships.all():
        do_end_membership(t.city.organizer, membership, timezone.localdate())
    assert actions.opening_warnings(proposal)[0].startswith("No one is eligible to vote")
    with pytest.raises(ValidationError, match="No one is eligible"):
        actions.do_open_proposal(t.city.organizer, proposal)


def test_a_vote_after_the_deadline_is_refused(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="Voting closed at"):
        actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")


def test_a_vote_before_opening_or_without_a_person_is_refused(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, open_it=False)
    with pytest.raises(ValidationError, match="not opened yet"):
        actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")
    actions.do_open_proposal(tenants.coordinator, proposal)
    with pytest.raises(ValidationError, match="not linked to a person"):
        actions.do_cast_vote(tenants.city.outsider, proposal, choice="yes")


def test_a_second_vote_replaces_the_first(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")
    outcome = actions.do_cast_vote(tenants.login("ana"), proposal, choice="no")
    assert outcome.changed
    assert proposal.ballots.count() == 1 and proposal.receipts.count() == 1
    assert actions.tally(proposal)["counts"] == {"yes": 0, "no": 1, "abstain": 0}


def test_a_choice_the_method_does_not_offer_is_refused(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    with pytest.raises(ValidationError, match="Choose one of: yes, no, abstain"):
        actions.do_cast_vote(tenants.login("ana"), proposal, choice="consent")


def test_a_ranked_ballot_with_a_repeated_rank_or_an_unknown_option_is_refused(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.INSTANT_RUNOFF, options=["Strike", "Petition", "Press"])
    ids = {o.label: str(o.public_id) for o in proposal.options.all()}
    with pytest.raises(ValidationError, match=r"Rank 1 is given twice \(Strike and Petition\)"):
        actions.ranking_from_ranks(proposal, {ids["Strike"]: "1", ids["Petition"]: "1"})
    with pytest.raises(ValidationError, match="not a rank"):
        actions.ranking_from_ranks(proposal, {ids["Strike"]: "first"})
    assert actions.ranking_from_ranks(
        proposal, {ids["Press"]: "2", ids["Strike"]: "1", ids["Petition"]: ""}
    ) == [
        ids["Strike"],
        ids["Press"],
    ]
    with pytest.raises(ValidationError, match="Strike is ranked twice"):
        actions.do_cast_vote(tenants.login("ana"), proposal, ranking=[ids["Strike"], ids["Strike"]])
    with pytest.raises(ValidationError, match="option this proposal does not have"):
        actions.do_cast_vote(tenants.login("ana"), proposal, ranking=["00000000-0000-0000-0000-000000000000"])
    with pytest.raises(ValidationError, match="Rank at least one"):
        actions.do_cast_vote(tenants.login("ana"), proposal, ranking=[])
    assert proposal.receipts.count() == 0


def test_a_ranked_proposal_needs_two_options_to_open(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.INSTANT_RUNOFF, options=["Only one"], open_it=False)
    with pytest.raises(ValidationError, match="at least two options"):
        actions.do_open_proposal(tenants.coordinator, proposal)


def test_only_those_running_the_committee_open_and_close(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, open_it=False)
    with pytest.raises(ValidationError, match="coordinators and organizers"):
        actions.do_open_proposal(tenants.login("ana"), proposal)
    actions.do_open_proposal(tenants.coordinator, proposal)
    with pytest.raises(ValidationError, match="coordinators and organizers"):
        actions.do_close_proposal(tenants.login("ana"), proposal)


def test_the_close_command_counts_proposals_past_their_deadline_once(tenants: Tenants) -> None:
    due = make_proposal(tenants, Method.MAJORITY, title="Due")
    later = make_proposal(tenants, Method.MAJORITY, title="Later")
    actions.do_cast_vote(tenants.login("ana"), due, choice="yes")
    Proposal.objects.filter(pk=due.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    call_command("decisions", "close")
    call_command("decisions", "close")
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("closed", "open")
    assert due.result["passed"] is True
    from grassroots.accounts.models import AuditEntry

    assert AuditEntry.objects.filter(object_id=str(due.public_id), details__closed=True).count() == 1


def test_a_login_left_on_a_merged_away_record_votes_as_the_survivor(tenants: Tenants, client: Client) -> None:
    """Two records of one member, each with a login: merged, the membership is the survivor's and
    the second login stays on the merged-away record (people.merge). It votes as the survivor, once."""
    from grassroots.decisions.models import VoterReceipt

    t = tenants
    eve = t.person("Eve")
    twin_login = merged_away_login(t, "Eve")
    proposal = make_proposal(t, Method.MAJORITY)

    client.force_login(twin_login)
    page = client.get(reverse("proposal_detail", args=[proposal.public_id]))
    assert page.status_code == 200 and page.context["eligible"] and page.context["receipt"] is None
    actions.do_cast_vote(twin_login, proposal, choice="yes")
    assert list(VoterReceipt.objects.filter(proposal=proposal).values_list("person_id", flat=True)) == [
        eve.pk
    ]
    assert (
        client.get(reverse("proposal_detail", args=[proposal.public_id])).context["receipt"].person_id
        == eve.pk
    )
    # Eve's own login changes that vote: the same person, one vote.
    actions.do_cast_vote(t.login("eve"), proposal, choice="no")
    assert actions.tally(proposal)["voted"] == 1
