"""Each decision method, from drafting to the counted result, through decisions.actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from grassroots.decisions import actions
from grassroots.decisions.models import Amendment, Proposal
from grassroots.decisions.tests.helpers import Tenants, make_proposal
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db
Method = Proposal.Method


def _votes(t: Tenants, proposal: Proposal, **choices: str) -> None:
    for name, choice in choices.items():
        actions.do_cast_vote(t.login(name), proposal, choice=choice)


def test_a_simple_majority_passes_with_more_yes_than_no(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    _votes(tenants, proposal, cy="yes", ana="yes", eve="no", fay="abstain")
    proposal = actions.do_close_proposal(tenants.coordinator, proposal)
    assert proposal.status == "closed"
    assert proposal.result["counts"] == {"yes": 2, "no": 1, "abstain": 1}
    assert (proposal.result["eligible"], proposal.result["voted"]) == (5, 4)
    assert proposal.result["passed"] is True


def test_a_tied_majority_vote_fails(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    _votes(tenants, proposal, cy="yes", ana="no")
    assert actions.do_close_proposal(tenants.coordinator, proposal).result["passed"] is False


def test_a_supermajority_needs_two_thirds_of_yes_and_no(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.SUPERMAJORITY, threshold=(2, 3))
    _votes(tenants, proposal, cy="yes", ana="yes", eve="no")
    assert actions.do_close_proposal(tenants.coordinator, proposal).result["passed"] is True
    proposal = make_proposal(tenants, Method.SUPERMAJORITY, threshold=(3, 4), title="Strike")
    _votes(tenants, proposal, cy="yes", ana="yes", eve="no", fay="abstain")
    closed = actions.do_close_proposal(tenants.coordinator, proposal)
    assert closed.result["passed"] is False
    assert closed.result["threshold"] == "3/4"


def test_a_supermajority_of_half_or_less_is_refused(tenants: Tenants) -> None:
    with pytest.raises(ValidationError, match="more than half"):
        make_proposal(tenants, Method.SUPERMAJORITY, threshold=(1, 2), open_it=False)


def test_consent_is_blocked_until_every_objection_is_withdrawn_by_its_author(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.CONSENT)
    _votes(t, proposal, cy="consent", ana="stand_aside")
    actions.do_cast_vote(
        t.login("eve"), proposal, choice="object", objection="The boiler letter is too soft."
    )
    objection = proposal.objections.get()
    assert objection.stands
    with pytest.raises(ValidationError, match="Only the member who raised"):
        actions.do_withdraw_objection(t.login("ana"), objection)
    with pytest.raises(ValidationError, match="author or the body's coordinators"):
        actions.do_answer_objection(t.login("fay"), objection, "No it is not.")
    actions.do_answer_objection(t.coordinator, objection, "We add a deadline of two weeks.")
    actions.do_withdraw_objection(t.login("eve"), objection)
    objection.refresh_from_db()
    assert not objection.stands and objection.answer
    closed = actions.do_close_proposal(t.coordinator, proposal)
    assert closed.result["passed"] is True
    assert closed.result["objections_withdrawn"] == 1


def test_a_standing_objection_blocks_consent(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.CONSENT)
    _votes(t, proposal, cy="consent", ana="consent", fay="consent")
    actions.do_cast_vote(
        t.login("eve"), proposal, choice="object", objection="Not without the tenants of 14."
    )
    actions.do_answer_objection(t.coordinator, proposal.objections.get(), "They are invited.")
    closed = actions.do_close_proposal(t.coordinator, proposal)
    assert closed.result["passed"] is False
    assert closed.result["outcome"].startswith("Blocked: 1 objection")


def test_objecting_again_in_other_words_replaces_the_earlier_objection(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.CONSENT)
    _votes(t, proposal, cy="consent", ana="consent", fay="consent")
    eve = t.login("eve")
    actions.do_cast_vote(eve, proposal, choice="object", objection="Not without the tenants of 14.")
    actions.do_cast_vote(eve, proposal, choice="object", objection="Not before the tenants of 14 vote.")
    actions.do_cast_vote(eve, proposal, choice="object", objection="Not before the tenants of 14 vote.")
    standing = proposal.objections.filter(withdrawn_at__isnull=True)
    assert list(standing.values_list("text", flat=True)) == ["Not before the tenants of 14 vote."]
    assert proposal.objections.count() == 2
    closed = actions.do_close_proposal(t.coordinator, proposal)
    assert closed.result["outcome"].startswith("Blocked: 1 objection")
    assert closed.result["objections_standing"] == 1


def test_an_objection_needs_its_reason_and_consent_cannot_be_secret(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.CONSENT)
    with pytest.raises(ValidationError, match="Say what your objection is"):
        actions.do_cast_vote(tenants.login("eve"), proposal, choice="object")
    with pytest.raises(ValidationError, match="cannot be secret"):
        make_proposal(tenants, Method.CONSENT, secret=True, open_it=False)


def test_instant_runoff_keeps_every_round(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.INSTANT_RUNOFF, options=["Rent strike", "Petition", "Press"])
    ids = {o.label: str(o.public_id) for o in proposal.options.all()}
    strike, petition, press = ids["Rent strike"], ids["Petition"], ids["Press"]
    for name, ranking in (
        ("cy", [strike]),
        ("ana", [strike, petition]),
        ("eve", [petition, strike]),
        ("fay", [petition]),
        ("gus", [press, petition]),
    ):
        actions.do_cast_vote(t.login(name), proposal, ranking=ranking)
    result = actions.do_close_proposal(t.coordinator, proposal).result
    rounds = result["ranked"]["rounds"]
    assert [r["votes"] for r in rounds] == [
        {strike: "2", petition: "2", press: "1"},
        {strike: "2", petition: "3"},
    ]
    assert rounds[0]["excluded"] == [press]
    assert result["ranked"]["elected_labels"] == ["Petition"]
    assert result["outcome"] == "Chosen: Petition."


def test_stv_elects_two_of_four_with_transfers(tenants: Tenants) -> None:
    t = tenants
    names = ["Ana", "Eve", "Fay", "Gus"]
    proposal = make_proposal(t, Method.STV, seats=2, options=[t.person(n) for n in names])
    ids = {o.label.split()[0]: str(o.public_id) for o in proposal.options.all()}
    for voter, ranking in (
        ("cy", ["Ana", "Eve"]),
        ("ana", ["Ana", "Eve"]),
        ("eve", ["Ana", "Fay"]),
        ("fay", ["Fay", "Gus"]),
        ("gus", ["Gus", "Fay"]),
    ):
        actions.do_cast_vote(t.login(voter), proposal, ranking=[ids[n] for n in ranking])
    result = actions.do_close_proposal(t.coordinator, proposal).result
    ranked = result["ranked"]
    assert ranked["quota"] == "2"  # 5 // 3 + 1
    assert ranked["elected_labels"][0] == "Ana Peña"
    # Ana's surplus of 1 goes on at 1/3: Eve 2/3, Fay 1 + 1/3.
    assert ranked["rounds"][1]["votes"][ids["Fay"]] == "1.33333"
    assert set(ranked["elected_labels"]) == {"Ana Peña", "Fay Lund"}
    assert result["outcome"].startswith("Elected: Ana Peña, Fay Lund")


def test_amendments_change_the_draft_until_it_opens(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.MAJORITY, open_it=False)
    amendment = actions.do_propose_amendment(t.login("eve"), proposal, "before winter", "within two weeks")
    with pytest.raises(ValidationError, match="not in the proposal's text"):
        actions.do_propose_amendment(t.login("eve"), proposal, "the elevator", "the lift")
    with pytest.raises(ValidationError, match="author and the body's coordinators"):
        actions.do_decide_amendment(t.login("fay"), amendment, accept=True)
    actions.do_decide_amendment(t.coordinator, amendment, accept=True)
    proposal.refresh_from_db()
    assert proposal.text == "We ask the landlord to fix the boiler within two weeks."
    rejected = actions.do_propose_amendment(t.login("gus"), proposal, "the landlord", "management")
    actions.do_decide_amendment(t.coordinator, rejected, accept=False)
    assert rejected.status == Amendment.Status.REJECTED
    actions.do_comment(t.login("ana"), proposal, "Two weeks is right.")
    actions.do_open_proposal(t.coordinator, proposal)
    with pytest.raises(ValidationError, match="can no longer change"):
        actions.do_propose_amendment(t.login("eve"), proposal, "two weeks", "one week")


def test_voting_is_an_action_on_the_voters_timeline_once(tenants: Tenants) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")
    actions.do_cast_vote(tenants.login("ana"), proposal, choice="no")
    voted = Action.objects.get(kind=actions.VOTED, person=tenants.person("Ana"))
    assert voted.details == {"proposal": str(proposal.public_id), "title": proposal.title}


def test_a_coordinator_records_a_show_of_hands_but_not_a_secret_ballot(tenants: Tenants) -> None:
    t = tenants
    proposal = make_proposal(t, Method.MAJORITY)
    actions.do_cast_vote(t.coordinator, proposal, person=t.person("Gus"), choice="yes")
    assert proposal.receipts.filter(person=t.person("Gus")).exists()
    with pytest.raises(ValidationError, match="coordinators and organizers"):
        actions.do_cast_vote(t.login("ana"), proposal, person=t.person("Fay"), choice="yes")
    secret = make_proposal(t, Method.MAJORITY, secret=True, title="Secret")
    with pytest.raises(ValidationError, match="cast by the voter alone"):
        actions.do_cast_vote(t.coordinator, secret, person=t.person("Gus"), choice="yes")
