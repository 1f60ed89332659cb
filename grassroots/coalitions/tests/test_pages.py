"""The coalition pages: the endorsement workflow through its forms, refusals, people through the gate."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.coalitions import actions
from grassroots.coalitions.models import Endorsement, eligible_delegates
from grassroots.coalitions.tests.conftest import Alliance
from grassroots.decisions.actions import do_cast_vote
from grassroots.struggles import actions as struggle_actions

pytestmark = pytest.mark.django_db


def step(client: Client, endorsement: Endorsement, **data: str) -> str:
    url = reverse("coalition_endorsement_step", args=[endorsement.public_id])
    return client.post(url, data, follow=True).content.decode()


def test_an_organizer_takes_an_endorsement_through_its_pages(alliance: Alliance, client: Client) -> None:
    a = alliance
    client.force_login(a.city.organizer)
    response = client.post(
        reverse("coalition_detail_endorsement", args=[a.coalition.public_id]),
        {"candidate": "Rosa Quintero", "office": "Council 7", "questions": "Rent control?\n"},
    )
    endorsement = Endorsement.objects.get()
    assert response["Location"] == reverse("coalition_endorsement_detail", args=[endorsement.public_id])
    step(client, endorsement, step="question", text="Right to counsel?")
    step(client, endorsement, step="send")
    first, second = endorsement.questions.all()
    step(client, endorsement, step="answers", **{f"answer-{first.pk}": "Yes.", f"answer-{second.pk}": "Yes!"})
    page = step(client, endorsement, step="vote", days="3")
    assert "The delegates can vote now." in page
    endorsement.refresh_from_db()
    assert endorsement.proposal is not None and endorsement.status == Endorsement.Status.VOTING
    for user in a.users:
        do_cast_vote(user, endorsement.proposal, choice="yes")
    page = step(client, endorsement, step="decide")
    assert "Passed." in page and "yes 3" in page
    page = step(client, endorsement, step="publish", statement="Our candidate.")
    assert 'id="public-link"' in page
    public = Client().get(reverse("endorsement_public", args=[endorsement.public_id])).content.decode()
    assert "Our candidate." in public and "Delgado" not in public


def test_refusals_come_back_as_messages(alliance: Alliance, client: Client) -> None:
    a = alliance
    client.force_login(a.city.organizer)
    contact = actions.do_add_contact(a.city.organizer, a.organizations[1], a.outsider)
    actions.do_end_contact(a.city.organizer, contact, contact.since + datetime.timedelta(days=1))
    page = client.post(
        reverse("coalition_detail_delegate", args=[a.coalition.public_id]),
        {"contact": str(contact.public_id), "starts_on": "2099-01-01"},
        follow=True,
    ).content.decode()
    assert "Lou Brandt is not a contact of Elm Tenants&#x27; Association on 2099-01-01" in page
    endorsement = actions.do_create_endorsement(a.city.organizer, a.coalition, candidate="Sam")
    assert "at least one question" in step(client, endorsement, step="send")


def test_a_delegate_reads_the_coalition_but_may_not_run_it(alliance: Alliance, client: Client) -> None:
    a = alliance
    a.users[0].scope.add(a.city.building1)  # Iris sees the people of her building, Kim lives elsewhere
    client.force_login(a.users[0])
    page = client.get(reverse("coalition_detail", args=[a.coalition.public_id]))
    assert page.status_code == 200 and b"delegate-form" not in page.content
    assert b"Iris Delgado" in page.content
    assert b"Kim Delgado" not in page.content and b"And 1 delegate outside" in page.content
    seen = AuditEntry.objects.get(verb="view", object_type="coalition", actor=a.users[0])
    shown = len(page.context["delegates"]) + len(page.context["past_delegates"])
    assert seen.object_id == str(a.coalition.public_id) and seen.details["delegates_shown"] == shown > 0
    url = reverse("coalition_detail_endorsement", args=[a.coalition.public_id])
    assert client.post(url, {"candidate": "Sam"}).status_code == 404
    assert not Endorsement.objects.exists()
    client.force_login(a.city.canvasser)
    assert client.get(reverse("coalition_detail", args=[a.coalition.public_id])).status_code == 404


def test_an_organizations_page_shows_joint_actions_endorsements_and_delegates(
    alliance: Alliance, client: Client
) -> None:
    a = alliance
    landlord = struggle_actions.do_create_organization(a.city.admin, kind="landlord", name="Elm Realty")
    struggle_actions.do_add_site(a.city.admin, landlord, a.city.building1, "owns")
    struggle = struggle_actions.do_create_struggle(
        a.city.admin, target=landlord, title="Heat now", areas=[a.city.building1]
    )
    client.force_login(a.city.organizer)
    union = a.organizations[0]
    client.post(
        reverse("coalition_partner_cosponsor", args=[union.public_id]), {"struggle": str(struggle.public_id)}
    )
    client.post(
        reverse("coalition_partner_relationship", args=[union.public_id]),
        {"kind": "opposes", "other": str(landlord.public_id)},
    )
    page = client.get(reverse("coalition_partner", args=[union.public_id])).content.decode()
    joint = page[page.index('id="joint-actions"') :]
    assert "Heat now" in joint
    assert "Iris Delgado" in page and "Eastbrook Housing Coalition" in page
    assert "opposes" in page and "Elm Realty" in page
    # The struggle's page names its co-sponsor, and the target's page links to its own joint work.
    detail = client.get(reverse("struggle_detail", args=[struggle.public_id])).content.decode()
    assert "Local 32 Hospital Workers" in detail[detail.index('id="struggle-cosponsors"') :]
    target = client.get(reverse("organization_detail", args=[landlord.public_id])).content.decode()
    assert reverse("coalition_partner", args=[landlord.public_id]) in target


def test_an_organization_co_sponsors_an_event_and_joins_its_sponsors(
    alliance: Alliance, client: Client
) -> None:
    from grassroots.events.actions import EventData, do_create_event

    a = alliance
    starts = datetime.datetime(2099, 5, 1, 18, tzinfo=datetime.UTC)
    event = do_create_event(
        a.city.organizer,
        EventData(
            "March for rent control",
            starts,
            starts + datetime.timedelta(hours=2),
            address="City Hall steps",
            area=a.city.north,
        ),
    )
    client.force_login(a.city.organizer)
    union = a.organizations[0]
    client.post(
        reverse("coalition_partner_cosponsor", args=[union.public_id]), {"event": str(event.public_id)}
    )
    assert [s.name for s in event.sponsors.all()] == ["Local 32 Hospital Workers"]
    page = client.get(reverse("coalition_partner", args=[union.public_id])).content.decode()
    assert "March for rent control" in page[page.index('id="joint-actions"') :]
    again = client.post(
        reverse("coalition_partner_cosponsor", args=[union.public_id]),
        {"event": str(event.public_id)},
        follow=True,
    )
    assert b"already co-sponsors it" in again.content


def test_an_organizer_ends_a_delegation_and_a_membership_from_the_page(
    alliance: Alliance, client: Client
) -> None:
    a = alliance
    client.force_login(a.city.organizer)
    delegation = a.coalition.delegates.get(person=a.delegates[0])
    client.post(reverse("coalition_delegate_end", args=[delegation.public_id]))
    delegation.refresh_from_db()
    assert delegation.ends_on is not None and a.delegates[0] not in eligible_delegates(a.coalition)
    member = a.coalition.members.get(organization=a.organizations[2])
    client.post(reverse("coalition_member_end", args=[member.public_id]), {"left_on": str(member.joined_on)})
    member.refresh_from_db()
    assert member.left_on is None  # leaving the day it joined is refused, with the reason
    client.force_login(a.users[1])
    assert client.post(reverse("coalition_member_end", args=[member.public_id])).status_code == 404


@pytest.mark.parametrize("days", ["3000000", "61", "0", "²", "soon"])
def test_a_vote_of_days_the_page_does_not_offer_is_refused_with_a_message(
    alliance: Alliance, client: Client, days: str
) -> None:
    a = alliance
    client.force_login(a.city.organizer)
    endorsement = actions.do_create_endorsement(a.city.organizer, a.coalition, candidate="Rosa Quintero")
    actions.do_add_question(a.city.organizer, endorsement, "Rent control?")
    actions.do_send_questionnaire(a.city.organizer, endorsement)
    actions.do_record_answers(a.city.organizer, endorsement, {endorsement.questions.get().pk: "Yes."})
    page = step(client, endorsement, step="vote", days=days)
    assert "Give the days to vote as a number from 1 to 60." in page
    endorsement.refresh_from_db()
    assert endorsement.proposal is None and endorsement.status == Endorsement.Status.ANSWERED
    assert "The delegates can vote now." in step(client, endorsement, step="vote", days="60")
