"""Secret ballots: who voted is recorded, how they voted cannot be read back — not through the web
app, the admin, or the rows in the database."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.decisions import actions
from grassroots.decisions.models import Ballot, Proposal, VoterReceipt
from grassroots.decisions.tests.helpers import Tenants, make_proposal
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db
Method = Proposal.Method


def _secret_vote(t: Tenants) -> tuple[Proposal, dict[str, str]]:
    proposal = make_proposal(t, Method.MAJORITY, secret=True)
    keys = {}
    for name, choice in (("cy", "yes"), ("ana", "no"), ("eve", "yes")):
        keys[name] = actions.do_cast_vote(t.login(name), proposal, choice=choice).ballot_key
    return proposal, keys


def test_no_column_anywhere_leads_from_a_person_to_a_secret_ballot(tenants: Tenants) -> None:
    # The ballot itself names no one and carries no time.
    ballot_fields = {f.name: f for f in Ballot._meta.get_fields()}
    relations = {name for name, f in ballot_fields.items() if f.is_relation and f.concrete}
    assert relations == {"proposal"}
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in ballot_fields.values())
    # Across every model of the project, one column points at a ballot: the receipt of an open vote.
    pointing = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is Ballot
    ]
    assert pointing == ["decisions.VoterReceipt.ballot"]
    proposal, _ = _secret_vote(tenants)
    receipts = VoterReceipt.objects.filter(proposal=proposal)
    assert receipts.count() == 3
    assert not receipts.filter(ballot__isnull=False).exists()


def test_no_row_written_while_voting_holds_a_ballots_key(tenants: Tenants) -> None:
    proposal, _ = _secret_vote(tenants)
    secrets = {str(b.pk) for b in proposal.ballots.all()} | {str(b.pk.hex) for b in proposal.ballots.all()}
    secrets |= {b.key_hash for b in proposal.ballots.all()}
    written = [
        json.dumps([a.details for a in Action.objects.filter(kind=actions.VOTED)]),
        json.dumps([[e.object_id, e.details] for e in AuditEntry.objects.all()], default=str),
        json.dumps(
            [list(r) for r in VoterReceipt.objects.values_list("id", "person_id", "voted_at")], default=str
        ),
    ]
    for text in written:
        assert not any(secret in text for secret in secrets)


def test_ballots_are_rewritten_under_new_keys_after_each_secret_vote(tenants: Tenants) -> None:
    """Neither a ballot's key nor its place in the table pairs it with the receipt written beside it."""
    proposal, _ = _secret_vote(tenants)
    before = set(proposal.ballots.values_list("pk", flat=True))
    actions.do_cast_vote(tenants.login("fay"), proposal, choice="no")
    after = set(proposal.ballots.values_list("pk", flat=True))
    assert len(after) == 4 and not before & after
    assert actions.tally(proposal)["counts"] == {"yes": 2, "no": 2, "abstain": 0}


def test_only_the_ballot_key_changes_a_secret_vote(tenants: Tenants) -> None:
    proposal, keys = _secret_vote(tenants)
    with pytest.raises(ValidationError, match="give the ballot key"):
        actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes")
    with pytest.raises(ValidationError, match="give the ballot key"):
        actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes", ballot_key="guess")
    outcome = actions.do_cast_vote(tenants.login("ana"), proposal, choice="yes", ballot_key=keys["ana"])
    assert outcome.changed and outcome.ballot_key == keys["ana"]
    assert actions.tally(proposal)["counts"] == {"yes": 3, "no": 0, "abstain": 0}
    assert proposal.receipts.count() == 3


def test_the_admin_registers_no_ballot_and_no_receipt() -> None:
    assert Ballot not in admin.site._registry
    assert VoterReceipt not in admin.site._registry


def test_the_admin_reads_proposals_without_changing_them(tenants: Tenants, client: Client) -> None:
    proposal, _ = _secret_vote(tenants)
    client.force_login(tenants.city.admin)
    assert client.get(reverse("admin:decisions_proposal_changelist")).status_code == 200
    page = client.get(reverse("admin:decisions_proposal_change", args=[proposal.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_the_web_app_shows_a_secret_voter_that_they_voted_never_how(tenants: Tenants, client: Client) -> None:
    t = tenants
    proposal = make_proposal(t, Method.MAJORITY, secret=True)
    client.force_login(t.login("ana"))
    url = reverse("proposal_detail", args=[proposal.public_id])
    response = client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "no"}, follow=True)
    assert "Your secret ballot is cast" in response.content.decode()
    page = client.get(url).content.decode()
    assert "You voted on" in page
    assert "checked" not in page  # no choice is pre-selected: the server does not know it
    # The key sits in Ana's browser alone, and changes her vote from there.
    assert client.cookies[f"ballot-{proposal.public_id}"]["path"] == url
    client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "yes"})
    assert actions.tally(proposal)["counts"]["yes"] == 1
    # The coordinator sees the turnout, not the choice.
    coordinator = Client()
    coordinator.force_login(t.coordinator)
    assert "1 of 5 have voted" in coordinator.get(url).content.decode()


def test_an_open_ballot_shows_the_voter_their_own_choice(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    client.force_login(tenants.login("ana"))
    client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "no"})
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert 'value="no" checked' in page


def test_a_ballot_key_left_on_a_shared_browser_is_not_read_as_the_next_voters(
    tenants: Tenants, client: Client
) -> None:
    t = tenants
    proposal = make_proposal(t, Method.MAJORITY, secret=True)
    vote = reverse("proposal_vote", args=[proposal.public_id])
    detail = reverse("proposal_detail", args=[proposal.public_id])
    client.force_login(t.login("ana"))
    client.post(vote, {"choice": "yes"})
    client.post(reverse("logout"))
    client.force_login(t.login("eve"))
    eve_cast = client.post(vote, {"choice": "no"}, follow=True).content.decode()
    client.post(reverse("logout"))
    assert f"ballot-{proposal.public_id}" in client.cookies  # a logout leaves other cookies be
    # Ana, back on the same browser, is asked for her own key: Eve's is not hers.
    client.force_login(t.login("ana"))
    assert 'name="ballot_key"' in client.get(detail).content.decode()
    changed = client.post(vote, {"choice": "abstain"}, follow=True).content.decode()
    assert "give the ballot key" in changed
    eve_key = eve_cast.split("Its key, ")[1].split(",")[0]
    assert eve_key not in changed
    assert actions.tally(proposal)["counts"] == {"yes": 1, "no": 1, "abstain": 0}
    # Eve, on her next visit, still changes her own vote from there.
    client.post(reverse("logout"))
    client.force_login(t.login("eve"))
    assert 'name="ballot_key"' not in client.get(detail).content.decode()
    client.post(vote, {"choice": "abstain"})
    assert actions.tally(proposal)["counts"] == {"yes": 1, "no": 0, "abstain": 1}
