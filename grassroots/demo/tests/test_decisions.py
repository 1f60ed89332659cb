"""The demo decisions: a counted vote and an open election the demo member can vote in."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import User
from grassroots.demo.committees import create_demo_committees
from grassroots.demo.decisions import create_demo_decisions
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city

pytestmark = pytest.mark.django_db


def test_the_demo_committee_has_a_counted_vote_and_an_open_election(client: Client) -> None:
    generate_city(seed=1, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    assert create_demo_committees(city, seed=1) is not None
    made = create_demo_decisions(seed=1)
    assert made is not None
    assert made.closed.status == "closed"
    counts = made.closed.result["counts"]
    assert sum(counts.values()) == made.closed.result["voted"] == made.closed.result["eligible"]
    assert "our letter" in made.closed.text  # the amendment was accepted
    assert made.election.is_open and made.election.options.count() == 3
    assert made.election.receipts.count() == 2

    member = User.objects.get(username="member")
    client.force_login(member)
    page = client.get(reverse("proposal_detail", args=[made.election.public_id])).content.decode()
    assert 'id="vote-form"' in page
    listing = client.get(reverse("committee_proposals", args=[made.committee.public_id])).content.decode()
    assert made.closed.result["outcome"] in listing
