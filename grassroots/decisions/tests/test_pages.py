"""The proposal pages: who sees them, drafting, opening, voting by each method's form, the result."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.decisions.models import Proposal
from grassroots.decisions.tests.helpers import Tenants, make_proposal

pytestmark = pytest.mark.django_db
Method = Proposal.Method


def test_a_member_with_no_area_reads_and_drafts_their_committees_proposals(
    tenants: Tenants, client: Client
) -> None:
    client.force_login(tenants.login("ana"))
    url = reverse("committee_proposals", args=[tenants.committee.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Ask for a meeting with management",
            "text": "About the heat.",
            "method": "majority",
            "deadline": "2099-01-01T20:00",
            "quorum": "2",
            "seats": "1",
            "threshold": "2/3",
        },
    )
    proposal = Proposal.objects.get(title="Ask for a meeting with management")
    assert response["Location"] == reverse("proposal_detail", args=[proposal.public_id])
    assert proposal.status == "draft" and proposal.committee == tenants.committee
    listing = client.get(url).content.decode()
    assert "Ask for a meeting with management" in listing


def test_the_committee_page_links_its_proposals(tenants: Tenants, client: Client) -> None:
    client.force_login(tenants.city.organizer)
    page = client.get(reverse("committee_detail", args=[tenants.committee.public_id])).content.decode()
    assert reverse("committee_proposals", args=[tenants.committee.public_id]) in page


def test_an_outsider_gets_404_everywhere(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY)
    client.force_login(tenants.city.outsider)
    assert client.get(reverse("committee_proposals", args=[tenants.committee.public_id])).status_code == 404
    assert client.get(reverse("proposal_detail", args=[proposal.public_id])).status_code == 404
    response = client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "yes"})
    assert response.status_code == 404
    assert proposal.receipts.count() == 0


def test_a_member_may_not_open_or_close(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, open_it=False)
    client.force_login(tenants.login("ana"))
    assert client.post(reverse("proposal_open", args=[proposal.public_id])).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_the_coordinator_is_warned_then_opens_anyway(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, quorum=9, open_it=False)
    client.force_login(tenants.coordinator)
    url = reverse("proposal_detail", args=[proposal.public_id])
    assert "The quorum can never be met" in client.get(url).content.decode()
    refused = client.post(reverse("proposal_open", args=[proposal.public_id]), follow=True)
    assert "Open it anyway only if" in refused.content.decode()
    client.post(reverse("proposal_open", args=[proposal.public_id]), {"despite_warnings": "1"})
    proposal.refresh_from_db()
    assert proposal.status == "open"


def test_a_ranked_ballot_is_cast_by_rank_and_a_repeated_rank_is_refused(
    tenants: Tenants, client: Client
) -> None:
    proposal = make_proposal(tenants, Method.INSTANT_RUNOFF, options=["Strike", "Petition"])
    strike, petition = (str(o.public_id) for o in proposal.options.all())
    client.force_login(tenants.login("eve"))
    vote = reverse("proposal_vote", args=[proposal.public_id])
    refused = client.post(vote, {f"rank-{strike}": "1", f"rank-{petition}": "1"}, follow=True)
    assert "Rank 1 is given twice (Strike and Petition)" in refused.content.decode()
    client.post(vote, {f"rank-{strike}": "2", f"rank-{petition}": "1"})
    client.force_login(tenants.coordinator)
    client.post(reverse("proposal_close", args=[proposal.public_id]))
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert "Chosen: Petition." in page
    assert 'id="rounds"' in page


def test_a_proposal_past_its_deadline_shows_its_result_when_opened(tenants: Tenants, client: Client) -> None:
    import datetime

    from django.utils import timezone

    proposal = make_proposal(tenants, Method.MAJORITY)
    client.force_login(tenants.login("ana"))
    client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "yes"})
    Proposal.objects.filter(pk=proposal.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=1))
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert "Passed." in page
    late = client.post(reverse("proposal_vote", args=[proposal.public_id]), {"choice": "no"}, follow=True)
    assert "Voting closed at" in late.content.decode()


def test_members_discuss_and_amend_a_draft(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.MAJORITY, open_it=False)
    client.force_login(tenants.login("gus"))
    client.post(reverse("proposal_comment", args=[proposal.public_id]), {"text": "Winter is close."})
    client.post(
        reverse("proposal_amend", args=[proposal.public_id]),
        {"original": "before winter", "replacement": "by November", "reason": "A date"},
    )
    amendment = proposal.amendments.get()
    client.force_login(tenants.coordinator)
    client.post(reverse("proposal_amendment_decide", args=[amendment.public_id]), {"accept": "1"})
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert "Winter is close." in page
    assert "fix the boiler by November" in page


def test_an_objection_is_answered_and_withdrawn_from_the_page(tenants: Tenants, client: Client) -> None:
    proposal = make_proposal(tenants, Method.CONSENT)
    client.force_login(tenants.login("eve"))
    vote = reverse("proposal_vote", args=[proposal.public_id])
    client.post(vote, {"choice": "object", "objection": "Ask the tenants of 14 first."})
    objection = proposal.objections.get()
    client.force_login(tenants.coordinator)
    answer = reverse("proposal_objection_answer", args=[objection.public_id])
    client.post(answer, {"answer": "They are invited."})
    client.force_login(tenants.login("eve"))
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert "They are invited." in page and "Withdraw my objection" in page
    client.post(reverse("proposal_objection_withdraw", args=[objection.public_id]))
    objection.refresh_from_db()
    assert not objection.stands


def test_a_struggles_proposals_are_listed_for_those_who_see_the_struggle(
    tenants: Tenants, client: Client
) -> None:
    from grassroots.struggles import actions as struggle_actions

    admin = tenants.city.admin
    landlord = struggle_actions.do_create_organization(admin, kind="landlord", name="Elm Realty")
    struggle_actions.do_add_site(admin, landlord, tenants.city.building1, "owns")
    struggle = struggle_actions.do_create_struggle(
        admin, target=landlord, title="Heat", areas=[tenants.city.building1], demands=["Heat"]
    )
    url = reverse("struggle_proposals", args=[struggle.public_id])
    client.force_login(tenants.city.organizer)
    assert client.get(url).status_code == 200
    assert url in client.get(reverse("struggle_detail", args=[struggle.public_id])).content.decode()
    client.force_login(tenants.city.outsider)
    assert client.get(url).status_code == 404


def test_a_login_left_on_a_merged_away_record_withdraws_the_objection_it_raised(
    tenants: Tenants, client: Client
) -> None:
    from grassroots.decisions.tests.helpers import merged_away_login

    eve = tenants.person("Eve")
    twin_login = merged_away_login(tenants, "Eve")
    proposal = make_proposal(tenants, Method.CONSENT)
    client.force_login(twin_login)
    vote = reverse("proposal_vote", args=[proposal.public_id])
    client.post(vote, {"choice": "object", "objection": "Ask the tenants of 14 first."})
    objection = proposal.objections.get()
    assert objection.person_id == eve.pk
    page = client.get(reverse("proposal_detail", args=[proposal.public_id])).content.decode()
    assert "Withdraw my objection" in page
    client.post(reverse("proposal_objection_withdraw", args=[objection.public_id]))
    objection.refresh_from_db()
    assert not objection.stands
