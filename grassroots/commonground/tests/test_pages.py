"""The round's pages: voting from the page, the opinion groups, drafting a proposal from the consensus."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.commonground import actions
from grassroots.commonground.models import StatementVote
from grassroots.commonground.planted import plant_votes, stances
from grassroots.commonground.tests.conftest import Tenants, tenants_of
from grassroots.decisions.models import Proposal
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db


def test_a_member_votes_and_changes_their_vote_from_the_page(tenants: Tenants, client: Client) -> None:
    client.force_login(tenants.users[1])
    page = client.get(reverse("commonground_round", args=[tenants.round.public_id]))
    assert page.status_code == 200
    assert b"2 statements wait for your vote" in page.content
    statement = tenants.round.statements.first()
    assert statement is not None
    url = reverse("commonground_statement_vote", args=[statement.public_id])
    assert client.post(url, {"choice": "1"}).status_code == 302
    assert client.post(url, {"choice": "-1"}).status_code == 302
    assert StatementVote.objects.get(statement=statement).choice == -1
    page = client.get(reverse("commonground_round", args=[tenants.round.public_id]))
    assert b"1 statement waits for your vote" in page.content
    assert b'aria-pressed="true">Disagree' in page.content


def test_someone_who_does_not_take_part_sees_no_vote_buttons_and_is_refused(
    tenants: Tenants, client: Client
) -> None:
    client.force_login(tenants.city.organizer)
    page = client.get(reverse("commonground_round", args=[tenants.round.public_id]))
    assert page.status_code == 200 and b"vote-buttons" not in page.content
    statement = tenants.round.statements.first()
    assert statement is not None
    response = client.post(
        reverse("commonground_statement_vote", args=[statement.public_id]), {"choice": "1"}, follow=True
    )
    assert b"not linked to a person" in response.content
    assert not StatementVote.objects.exists()


def test_the_coordinator_sees_the_groups_and_drafts_a_proposal_from_the_consensus(
    small_city: SmallCity, client: Client
) -> None:
    t = tenants_of(small_city, 24)
    table = stances(2, consensus=2, divisive=4, own=2)
    for i in range(len(table) - 2):
        actions.do_seed_statement(t.users[0], t.round, f"Statement number {i + 3}")
    planted = plant_votes([12, 12], table, seed=3, seen=1.0, conviction=0.95)
    statements = list(t.round.statements.order_by("created_at", "id"))
    for row, person in enumerate(t.people):
        for col, statement in enumerate(statements):
            actions.do_vote_statement(t.users[0], statement, int(planted.votes[row, col]), person=person)
    client.force_login(t.users[0])
    page = client.get(reverse("commonground_round_groups", args=[t.round.public_id])).content.decode()
    assert 'id="group-count">2<' in page
    consensus = page[page.index('id="consensus-statements"') : page.index('id="draft-proposal"')]
    assert "Repairs come before anything else." in consensus
    assert "Rent increases should be frozen." in consensus
    assert "Statement number 3" not in consensus
    assert page.count("<circle") == 24
    assert "Tenant" not in page[page.index("<svg") : page.index("</svg>")]  # the map names no one
    response = client.post(reverse("commonground_round_proposal", args=[t.round.public_id]))
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("proposal_detail", args=[proposal.public_id])
    assert proposal.committee == t.committee and proposal.status == Proposal.Status.DRAFT
    assert "Repairs come before anything else." in proposal.text


def test_a_member_may_not_close_the_round_or_draft_a_proposal(tenants: Tenants, client: Client) -> None:
    client.force_login(tenants.users[1])
    for name in ("commonground_round_close", "commonground_round_proposal"):
        assert client.post(reverse(name, args=[tenants.round.public_id])).status_code == 404
    assert tenants.round.closed_at is None and not Proposal.objects.exists()


def test_the_coordinator_opens_a_round_from_the_page(tenants: Tenants, client: Client) -> None:
    client.force_login(tenants.users[0])
    page = client.get(reverse("commonground_new"))
    assert f"committee:{tenants.committee.public_id}".encode() in page.content
    response = client.post(
        reverse("commonground_new"),
        {"body": f"committee:{tenants.committee.public_id}", "title": "Summer", "statements": "One\nTwo\n"},
    )
    assert response.status_code == 302
    assert tenants.committee.common_ground_rounds.get(title="Summer").statements.count() == 2
    client.force_login(tenants.users[1])
    assert b"You do not run" in client.get(reverse("commonground_new")).content


def test_the_list_does_not_count_people_whose_only_votes_were_on_a_statement_taken_out(
    tenants: Tenants, client: Client
) -> None:
    statement = tenants.round.statements.first()
    assert statement is not None
    actions.do_vote_statement(tenants.users[1], statement, 1)
    actions.do_hide_statement(tenants.users[0], statement)
    client.force_login(tenants.users[0])
    response = client.get(reverse("commonground_list"))
    assert response.context["rounds"].get(pk=tenants.round.pk).voter_count == 0
