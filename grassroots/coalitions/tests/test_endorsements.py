"""An endorsement from questionnaire to public page, decided by the delegates through a proposal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.coalitions import actions
from grassroots.coalitions.models import Endorsement
from grassroots.coalitions.tests.conftest import Alliance
from grassroots.decisions.actions import do_cast_vote
from grassroots.decisions.models import Proposal
from grassroots.testing import make_user, mentions

pytestmark = pytest.mark.django_db
Status = Endorsement.Status


def answered(a: Alliance) -> Endorsement:
    endorsement = actions.do_create_endorsement(
        a.city.organizer,
        a.coalition,
        candidate="Rosa Quintero",
        office="City Council, District 7",
        questions=["Will you back universal rent control?", "Will you fund the tenants' right to counsel?"],
    )
    actions.do_send_questionnaire(a.city.organizer, endorsement)
    first, second = endorsement.questions.all()
    actions.do_record_answers(a.city.organizer, endorsement, {first.pk: "Yes, on every unit."})
    assert endorsement.status == Status.SENT  # one answer missing
    actions.do_record_answers(a.city.organizer, endorsement, {second.pk: "Yes, from the first budget."})
    assert endorsement.status == Status.ANSWERED
    return endorsement


def test_an_endorsement_goes_from_questionnaire_to_a_published_page(
    alliance: Alliance, client: Client
) -> None:
    a = alliance
    endorsement = answered(a)
    actions.do_open_endorsement_vote(a.city.organizer, endorsement)
    assert endorsement.status == Status.VOTING
    proposal = endorsement.proposal
    assert proposal is not None and proposal.coalition == a.coalition and proposal.is_open
    assert proposal.method == Proposal.Method.SUPERMAJORITY
    assert "Yes, on every unit." in proposal.text
    with pytest.raises(ValidationError, match="still voting"):
        actions.do_settle_endorsement(a.city.organizer, endorsement)
    for user, choice in zip(a.users, ("yes", "yes", "no"), strict=True):
        do_cast_vote(user, proposal, choice=choice)
    # Two of three is the two-thirds needed.
    from grassroots.decisions.actions import do_close_proposal

    do_close_proposal(a.city.organizer, proposal)
    actions.do_settle_endorsement(a.city.organizer, endorsement)
    assert endorsement.status == Status.ENDORSED
    assert proposal.result["counts"] == {"yes": 2, "no": 1, "abstain": 0}

    public = reverse("endorsement_public", args=[endorsement.public_id])
    assert client.get(public).status_code == 404  # not published yet
    actions.do_publish_endorsement(a.city.organizer, endorsement, "A tenant organizer we trust.")
    page = client.get(public)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Eastbrook Housing Coalition endorses Rosa Quintero" in body
    assert "Yes, from the first budget." in body and "Local 32 Hospital Workers" in body
    assert "2 yes" in body
    for delegate in a.delegates:
        assert not mentions(body, delegate.first_name)


def test_a_vote_that_fails_declines_and_cannot_be_published(alliance: Alliance) -> None:
    a = alliance
    endorsement = answered(a)
    actions.do_open_endorsement_vote(a.city.organizer, endorsement)
    assert endorsement.proposal is not None
    do_cast_vote(a.users[0], endorsement.proposal, choice="yes")
    do_cast_vote(a.users[1], endorsement.proposal, choice="no")
    from grassroots.decisions.actions import do_close_proposal

    do_close_proposal(a.city.organizer, endorsement.proposal)
    actions.do_settle_endorsement(a.city.organizer, endorsement)
    assert endorsement.status == Status.DECLINED
    with pytest.raises(ValidationError, match="did not vote to endorse"):
        actions.do_publish_endorsement(a.city.organizer, endorsement)


def test_only_the_coalitions_delegates_vote_on_an_endorsement(alliance: Alliance) -> None:
    a = alliance
    endorsement = answered(a)
    actions.do_open_endorsement_vote(a.city.organizer, endorsement)
    assert endorsement.proposal is not None
    stranger = make_user("lou", person=a.outsider)
    with pytest.raises(ValidationError, match="Only members of Eastbrook Housing Coalition"):
        do_cast_vote(stranger, endorsement.proposal, choice="yes")
    # A delegate whose term starts after the day voting opened does not vote on it either.
    actions.do_add_contact(a.city.organizer, a.organizations[1], a.outsider)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    actions.do_add_delegate(a.city.organizer, a.coalition, a.organizations[1], a.outsider, starts_on=tomorrow)
    with pytest.raises(ValidationError, match="on the day voting opened"):
        do_cast_vote(stranger, endorsement.proposal, choice="yes")
    assert endorsement.proposal.receipts.count() == 0


def test_the_steps_come_in_order(alliance: Alliance) -> None:
    a = alliance
    endorsement = actions.do_create_endorsement(a.city.organizer, a.coalition, candidate="Yes on 12")
    with pytest.raises(ValidationError, match="at least one question"):
        actions.do_send_questionnaire(a.city.organizer, endorsement)
    with pytest.raises(ValidationError, match="not open now"):
        actions.do_open_endorsement_vote(a.city.organizer, endorsement)
    actions.do_add_question(a.city.organizer, endorsement, "Who funds the campaign?")
    actions.do_send_questionnaire(a.city.organizer, endorsement)
    with pytest.raises(ValidationError, match="not open now"):
        actions.do_add_question(a.city.organizer, endorsement, "Too late")
    with pytest.raises(ValidationError, match="not open now"):
        actions.do_publish_endorsement(a.city.organizer, endorsement)


def test_a_coalition_with_no_delegates_is_warned_before_its_vote_opens(alliance: Alliance) -> None:
    a = alliance
    empty = actions.do_create_coalition(a.city.organizer, "Paper Coalition")
    endorsement = actions.do_create_endorsement(
        a.city.organizer, empty, candidate="Sam Lee", questions=["Why?"]
    )
    actions.do_send_questionnaire(a.city.organizer, endorsement)
    actions.do_record_answers(a.city.organizer, endorsement, {endorsement.questions.get().pk: "Because."})
    with pytest.raises(ValidationError, match="No one is eligible to vote"):
        actions.do_open_endorsement_vote(a.city.organizer, endorsement)
    endorsement.refresh_from_db()
    assert endorsement.status == Status.ANSWERED and endorsement.proposal is None
