"""The struggle pages, as a coordinator, a tenant organizer and an outsider use them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grassroots.accounts.models import AuditEntry, Role
from grassroots.people.models import Action
from grassroots.struggles import actions
from grassroots.struggles.models import STRUGGLE_ACTION, Grievance, Organization, Struggle
from grassroots.struggles.tests.conftest import Landlord
from grassroots.testing import make_user, mentions

pytestmark = pytest.mark.django_db


def test_the_struggle_page_names_only_the_people_the_user_may_see(landlord: Landlord, client: Client) -> None:
    client.force_login(landlord.city.coordinator)
    response = client.get(reverse("struggle_detail", args=[landlord.struggle.public_id]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "No heat in 3B" in body and "Ana Peña" in body
    assert "Overcharged" not in body and not mentions(body, "Chen")
    assert "1 more grievance is of people outside your areas." in body
    assert "Fix the boilers" in body and "12 Elm tenants" in body
    assert AuditEntry.objects.filter(verb="view", object_type="struggle").exists()


def test_a_coordinator_opens_a_grievance_from_the_struggle_page(landlord: Landlord, client: Client) -> None:
    c = landlord.city
    client.force_login(c.coordinator)
    url = reverse("struggle_grievance", args=[landlord.struggle.public_id])
    response = client.post(
        url,
        {
            "grievance-person": str(c.ana.public_id),
            "grievance-whole_household": "on",
            "grievance-category": "harassment",
            "grievance-summary": "Super shouts at tenants",
            "grievance-opened_on": "2026-05-02",
        },
    )
    assert response.status_code == 302
    case = Grievance.objects.get(summary="Super shouts at tenants")
    assert (case.person, case.household, case.area, case.created_by) == (
        c.ana,
        c.home1,
        c.building1,
        c.coordinator,
    )
    page = client.get(reverse("struggle_detail", args=[landlord.struggle.public_id])).content.decode()
    assert "Super shouts at tenants" in page


def test_a_grievance_for_someone_out_of_sight_is_refused_with_a_message(
    landlord: Landlord, client: Client
) -> None:
    c = landlord.city
    client.force_login(c.coordinator)
    response = client.post(
        reverse("struggle_grievance", args=[landlord.struggle.public_id]),
        {
            "grievance-person": str(c.bo.public_id),
            "grievance-category": "repair",
            "grievance-summary": "Sneaky",
            "grievance-opened_on": "2026-05-02",
        },
    )
    assert response.status_code == 200
    assert "That person does not exist or is outside the areas you work in." in response.content.decode()
    assert not Grievance.objects.filter(summary="Sneaky").exists()


def test_recording_an_action_puts_it_on_the_timeline_and_the_ladder(
    landlord: Landlord, client: Client
) -> None:
    c = landlord.city
    client.force_login(c.organizer)
    response = client.post(
        reverse("struggle_escalation", args=[landlord.struggle.public_id]),
        {
            "escalation-kind": "petition",
            "escalation-occurred_on": "2026-04-10",
            "escalation-description": "Petition with 40 signatures delivered",
            "escalation-participants": [str(c.ana.public_id), str(c.bo.public_id)],
        },
    )
    assert response.status_code == 302
    assert Action.objects.filter(kind=STRUGGLE_ACTION).count() == 2
    page = client.get(reverse("struggle_detail", args=[landlord.struggle.public_id])).content.decode()
    assert "Petition with 40 signatures delivered" in page


def test_the_people_picker_offers_only_visible_people(landlord: Landlord, client: Client) -> None:
    c = landlord.city
    client.force_login(c.coordinator)
    url = reverse("struggle_people", args=[landlord.struggle.public_id])
    assert "Ana Peña" in client.get(url).content.decode()
    assert "Chen" not in client.get(url, {"q": "chen"}).content.decode()
    body = client.get(url, {"q": "pen", "field": "escalation-participants"}).content.decode()
    assert 'type="checkbox" name="escalation-participants"' in body
    assert AuditEntry.objects.filter(verb="search", details__query="pen").exists()


def test_the_target_page_shows_all_buildings_and_counts_hidden_grievances(
    landlord: Landlord, client: Client
) -> None:
    client.force_login(landlord.city.coordinator)
    response = client.get(reverse("organization_detail", args=[landlord.landlord.public_id]))
    body = response.content.decode()
    assert "12 ELM AVE" in body and "40 OAK ST" in body and "Keystone Management" in body
    assert "No heat in 3B" in body and "Overcharged" not in body
    assert "And 1 open grievance of people outside your areas." in body


def test_deleting_from_the_pages_archives(landlord: Landlord, client: Client) -> None:
    client.force_login(landlord.city.organizer)
    client.post(reverse("struggle_delete", args=[landlord.struggle.public_id]))
    client.post(reverse("organization_delete", args=[landlord.landlord.public_id]))
    assert Struggle.objects.get().archived_at is not None
    assert Organization.objects.get(pk=landlord.landlord.pk).archived_at is not None
    assert list(client.get(reverse("struggle_list")).context["struggles"]) == []
    assert [
        s.title for s in client.get(reverse("struggle_list"), {"archived": "1"}).context["struggles"]
    ] == ["Repairs now"]


def test_a_member_reads_but_may_not_write(landlord: Landlord, client: Client) -> None:
    client.force_login(make_user("tenant", Role.MEMBER, [landlord.city.building1]))
    assert client.get(reverse("struggle_detail", args=[landlord.struggle.public_id])).status_code == 200
    url = reverse("grievance_evidence", args=[landlord.ana_case.public_id])
    assert client.post(url, {"text": "x", "noted_on": "2026-01-01"}).status_code == 403
    assert not landlord.ana_case.evidence.exists()


def test_the_grievance_page_changes_status_and_takes_evidence(landlord: Landlord, client: Client) -> None:
    client.force_login(landlord.city.coordinator)
    case = landlord.ana_case
    client.post(
        reverse("grievance_status", args=[case.public_id]), {"status": "in_progress", "note": "Called"}
    )
    client.post(
        reverse("grievance_evidence", args=[case.public_id]),
        {"text": "Heat log, 48F", "noted_on": "2026-03-02"},
    )
    page = client.get(reverse("grievance_detail", args=[case.public_id])).content.decode()
    assert "In progress" in page and "Called" in page and "Heat log, 48F" in page
    assert client.get(reverse("grievance_detail", args=[landlord.bo_case.public_id])).status_code == 404


def test_starting_a_struggle_offers_the_targets_places_in_scope(landlord: Landlord, client: Client) -> None:
    c = landlord.city
    client.force_login(c.coordinator)
    url = reverse("struggle_create") + f"?target={landlord.landlord.public_id}"
    form = client.get(url).content.decode()
    assert "12 ELM AVE" in form and "40 OAK ST" not in form
    response = client.post(
        url,
        {
            "title": "Boiler fight",
            "started_on": "2026-02-01",
            "areas": [str(c.building1.public_id)],
            "committees": [str(landlord.committee.public_id)],
            "demands": "New boiler\n\nHeat by November",
        },
    )
    assert response.status_code == 302
    struggle = Struggle.objects.get(title="Boiler fight")
    assert list(struggle.areas.all()) == [c.building1]
    assert list(struggle.demands.values_list("text", flat=True)) == ["New boiler", "Heat by November"]


def test_adding_a_building_to_a_target(landlord: Landlord, client: Client) -> None:
    c = landlord.city
    client.force_login(c.organizer)
    agency = client.post(reverse("organization_create"), {"kind": "employer", "name": "Corner Grocer"})
    org = Organization.objects.get(name="Corner Grocer")
    assert agency.status_code == 302
    picker = client.get(reverse("organization_places", args=[org.public_id]), {"q": "oak"}).content.decode()
    assert "40 OAK ST" in picker
    client.post(
        reverse("organization_site", args=[org.public_id]),
        {"area": str(c.building2.public_id), "relation": "employs"},
    )
    assert list(org.sites.values_list("area__name", flat=True)) == ["40 OAK ST"]


def test_adding_a_workplace_from_the_target_page(landlord: Landlord, client: Client) -> None:
    c = landlord.city
    client.force_login(c.organizer)
    street = c.building2.parent
    assert street is not None
    picker = reverse("organization_places", args=[landlord.manager.public_id])
    assert "Oak St" in client.get(picker, {"q": "oak", "field": "within"}).content.decode()
    response = client.post(
        reverse("organization_workplace", args=[landlord.manager.public_id]),
        {"name": "Oak Street Depot", "within": str(street.public_id)},
    )
    assert response.status_code == 302
    page = client.get(reverse("organization_detail", args=[landlord.landlord.public_id])).content.decode()
    assert "Oak Street Depot" in page


def test_the_struggle_list_takes_the_same_queries_for_more_struggles(
    landlord: Landlord, client: Client, django_assert_max_num_queries: Any
) -> None:
    c = landlord.city
    client.force_login(c.coordinator)
    client.get(reverse("struggle_list"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("struggle_list"))
    for n in range(5):
        actions.do_create_struggle(c.admin, target=landlord.landlord, title=f"Fight {n}", areas=[c.building1])
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("struggle_list"))
    assert len(response.context["struggles"]) == 6


def test_a_demand_sent_twice_comes_back_with_the_reason_not_a_second_demand(
    landlord: Landlord, client: Client
) -> None:
    client.force_login(landlord.city.coordinator)
    url = reverse("struggle_demand", args=[landlord.struggle.public_id])
    assert client.post(url, {"text": "Fix the roof"}).status_code == 302
    response = client.post(url, {"text": "Fix the roof"})
    assert response.status_code == 200
    assert "That demand is already written down." in response.content.decode()
    assert landlord.struggle.demands.filter(text="Fix the roof").count() == 1
