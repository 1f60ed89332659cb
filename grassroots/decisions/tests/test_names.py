"""Who objected and who spoke in a proposal's discussion: named only to a user who may see them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.decisions import actions
from grassroots.decisions.models import Proposal
from grassroots.decisions.tests.helpers import Tenants, make_proposal
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def _consent_with_an_objector_who_moved_south(t: Tenants) -> Proposal:
    """Ana (North) and Eve object and comment; then Eve moves to the South."""
    proposal = make_proposal(t, Proposal.Method.CONSENT)
    for name in ("Ana", "Eve"):
        login = t.login(name)
        actions.do_cast_vote(login, proposal, choice="object", objection=f"{name} says the rent is too high.")
        actions.do_comment(login, proposal, f"{name} will bring the leases.")
    eve = t.person("Eve")
    eve.area, eve.household = t.city.building2, t.city.home2
    eve.save(update_fields=["area", "household"])
    return proposal


def _page(user_client: Client, proposal: Proposal) -> str:
    return user_client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()


def test_an_organizer_of_the_north_sees_no_name_of_a_south_objector_or_commenter(
    tenants: Tenants, client: Client
) -> None:
    proposal = _consent_with_an_objector_who_moved_south(tenants)
    client.force_login(make_user("north_org", Role.ORGANIZER, [tenants.city.north]))
    page = _page(client, proposal)
    objections = page.split('id="objections"')[1].split("</section>")[0]
    assert "Ana Peña" in objections
    assert "Marsh" not in objections
    assert "a member outside your areas</strong>: Eve says the rent is too high." in objections
    assert "Marsh" not in page  # nor in the discussion
    assert "a member outside your areas" in page.split("Eve will bring the leases.")[0].rsplit("<li>", 1)[1]


def test_an_organizer_of_the_city_sees_every_objector_and_commenter(tenants: Tenants, client: Client) -> None:
    proposal = _consent_with_an_objector_who_moved_south(tenants)
    client.force_login(tenants.city.organizer)
    page = _page(client, proposal)
    assert page.count("Eve Marsh") == 2 and page.count("Ana Peña") == 2
    assert "a member outside your areas" not in page


def test_a_member_sees_their_own_name_on_their_objection(tenants: Tenants, client: Client) -> None:
    proposal = _consent_with_an_objector_who_moved_south(tenants)
    client.force_login(tenants.login("eve"))
    page = _page(client, proposal)
    assert "Eve Marsh</strong>: Eve says the rent is too high." in page
    assert "Withdraw my objection" in page


def test_a_fellow_member_sees_who_objected_and_who_spoke(tenants: Tenants, client: Client) -> None:
    # Fay has no areas of her own: she sees her fellow members' names because they deliberate
    # together (an objection is answered by talking with the one who raised it).
    proposal = _consent_with_an_objector_who_moved_south(tenants)
    client.force_login(tenants.login("fay"))
    page = _page(client, proposal)
    assert page.count("Eve Marsh") == 2 and page.count("Ana Peña") == 2
    assert "a member outside your areas" not in page
