"""Organizers' pages: list, create, edit, an event with its people through the gate, forms, sheets."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.events import actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import Event, Project, SignupForm
from grassroots.events.tests.conftest import make_event
from grassroots.fixtures import SmallCity
from grassroots.testing import mentions

pytestmark = pytest.mark.django_db


def test_an_organizer_creates_an_event_with_co_sponsors_and_edits_it(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    assert client.get(reverse("event_create")).status_code == 200
    response = client.post(
        reverse("event_create"),
        {
            "title": "Spring organizing meeting",
            "kind": "organizing_meeting",
            "starts_at": "2099-04-02T18:30",
            "ends_at": "2099-04-02T20:30",
            "address": "12 Elm Avenue",
            "area": str(small_city.ed1.public_id),
            "lat": "40.15",
            "lon": "-73.97",
            "capacity": "40",
            "listed": "on",
            "hosts": ["organizer"],
            "sponsors": "Elm Tenants Union, Local 32",
        },
    )
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("event_detail", kwargs={"public_id": event.public_id})
    assert sorted(s.name for s in event.sponsors.all()) == ["Elm Tenants Union", "Local 32"]
    assert list(event.hosts.all()) == [small_city.organizer]
    assert event.consent_wording  # the standard words
    page = client.get(response["Location"]).content.decode()
    assert "Spring organizing meeting" in page and 'id="event-map"' in page
    edit = reverse("event_edit", kwargs={"public_id": event.public_id})
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        starts_at="2099-04-02T18:30", ends_at="2099-04-02T21:00", area=str(small_city.ed1.public_id),
        hosts=["organizer"], title="Spring meeting", listed="on",
    )  # fmt: skip
    assert client.post(edit, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Spring meeting"
    listing = client.get(reverse("event_list")).content.decode()
    assert "Spring meeting" in listing
    assert 'data-kind="organizing_meeting"' in listing


def test_an_online_event_needs_its_link(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    response = client.post(
        reverse("event_create"),
        {"title": "Reading", "kind": "reading_group", "starts_at": "2099-04-02T18:30",
         "ends_at": "2099-04-02T20:30", "online": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "needs the link" in response.content.decode()


def test_the_event_page_shows_who_brought_whom_only_among_visible_people(
    small_city: SmallCity, client: Client
) -> None:
    event = make_event(small_city, area=None)
    ana_code = actions.referral_code_for(small_city.ana)
    actions.do_rsvp(event, Arrival("Ana", email="ana.pena@example.org"))
    actions.do_rsvp(event, Arrival("Bo", "Chen", email="bo@example.net"), referral_code=ana_code)
    actions.do_rsvp(event, Arrival("Dee", "New", email="dee@example.com"), referral_code=ana_code)
    url = reverse("event_detail", kwargs={"public_id": event.public_id})

    client.force_login(small_city.organizer)
    page = client.get(url).content.decode()
    assert "Ana Peña</a> brought Bo Chen, Dee New" in page or "brought Dee New, Bo Chen" in page
    # Ana's page lists the people she brought.
    person_page = client.get(reverse("person_detail", kwargs={"public_id": small_city.ana.public_id}))
    assert [p.first_name for p in person_page.context["brought"]] == ["Bo", "Dee"]

    client.force_login(small_city.canvasser)  # ED 2: Bo only; the event has no area, so it is seen
    page = client.get(url).content.decode()
    assert "Bo Chen" in page
    assert not mentions(page, "Peña") and not mentions(page, "Dee")
    assert 'id="hidden-count"' in page


def test_an_outsider_sees_no_event_of_an_area_not_theirs(small_city: SmallCity, client: Client) -> None:
    event = make_event(small_city)
    client.force_login(small_city.outsider)
    assert client.get(reverse("event_detail", kwargs={"public_id": event.public_id})).status_code == 404
    assert event.title not in client.get(reverse("event_list")).content.decode()


def test_agenda_items_projects_and_paper_sheets(small_city: SmallCity, client: Client) -> None:
    event = make_event(small_city)
    client.force_login(small_city.organizer)
    client.post(
        reverse("event_agenda_add", kwargs={"public_id": event.public_id}),
        {"title": "Heat campaign", "minutes": "8", "presenter_name": "Jo", "project_name": "Heat",
         "sponsor": "Elm Tenants Union"},
    )  # fmt: skip
    project = Project.objects.get()
    assert (project.name, project.sponsor.name if project.sponsor else "") == ("Heat", "Elm Tenants Union")
    assert event.agenda.get().minutes == 8
    sheet = reverse("event_project_sheet", kwargs={"public_id": project.public_id})
    client.post(sheet, {"first_name": "Bo", "last_name": "Chen", "phone": "347 555 0102"})
    assert list(project.signups.values_list("person", flat=True)) == [small_city.bo.pk]
    assert "Bo Chen" in client.get(sheet).content.decode()


def test_an_organizer_builds_a_petition_and_reads_its_signatures(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    client.post(
        reverse("event_form_create"),
        {"title": "Fix the heat", "kind": "petition", "addressee": "Elm Realty", "goal": "50"},
    )
    form = SignupForm.objects.get()
    detail = reverse("event_form_detail", kwargs={"public_id": form.public_id})
    client.post(detail, {"label": "Which floor?", "kind": "choice", "choices": "1\n2\n3"})
    assert list(form.questions.values_list("key", "choices")) == [("which_floor", ["1", "2", "3"])]
    actions.do_submit_form(form, Arrival("Bo", email="bo@example.net"), {"which_floor": "2"})
    page = client.get(detail).content.decode()
    assert "Bo Chen" in page and "<iframe" in page.replace("&lt;", "<")
    client.post(detail, {"is_open": "0"})
    form.refresh_from_db()
    assert not form.is_open


def test_an_organizer_adds_a_person_as_a_host(small_city: SmallCity, client: Client) -> None:
    event = make_event(small_city)
    url = reverse("event_hosts", kwargs={"public_id": event.public_id})
    client.force_login(small_city.coordinator)  # the north: Ana, not Bo
    page = client.get(url, {"q": "Chen"})
    assert "Bo Chen" not in page.content.decode()
    client.post(url, {"person": str(small_city.bo.public_id)})
    assert not event.host_people.exists()
    client.post(url, {"person": str(small_city.ana.public_id)})
    assert list(event.host_people.all()) == [small_city.ana]
    detail = client.get(reverse("event_detail", kwargs={"public_id": event.public_id})).content.decode()
    assert "Hosts" in detail and "Ana Peña" in detail
