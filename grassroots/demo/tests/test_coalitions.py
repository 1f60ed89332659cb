"""The demo coalition: four organizations, delegates, and a published endorsement decided by vote."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import User
from grassroots.coalitions.models import Endorsement
from grassroots.demo.coalitions import create_demo_coalitions
from grassroots.demo.committees import create_demo_committees
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city
from grassroots.demo.struggles import create_demo_struggles

pytestmark = pytest.mark.django_db


def test_the_demo_coalition_endorses_by_a_vote_of_its_delegates(client: Client) -> None:
    generate_city(seed=1, scale=0.05)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    create_demo_committees(city, seed=1)
    create_demo_struggles(city, seed=1)
    made = create_demo_coalitions(city, seed=1)
    assert made is not None
    assert made.coalition.members.count() == 4
    endorsement = made.endorsement
    assert endorsement.status == Endorsement.Status.PUBLISHED
    assert endorsement.proposal is not None
    assert endorsement.proposal.result["counts"] == {"yes": 4, "no": 1, "abstain": 0}
    assert made.organizations[0].cosponsorships.count() >= 1
    page = client.get(reverse("endorsement_public", args=[endorsement.public_id])).content.decode()
    assert "Eastbrook Housing Justice Coalition endorses Marisol Ortega" in page
    # The demo member is a delegate: the coalition is theirs to see.
    client.force_login(User.objects.get(username="member"))
    assert client.get(reverse("coalition_detail", args=[made.coalition.public_id])).status_code == 200
    union = reverse("coalition_partner", args=[made.organizations[0].public_id])
    partner = client.get(union).content.decode()
    assert "Marisol Ortega" in partner and "Joint actions" in partner
