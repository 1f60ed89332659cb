"""A committee's decisions on its pages: who carries each out, named only to those who may see them,
and the latest of the done ones."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import Role
from grassroots.committees.actions import (
    CommitteeData,
    MeetingData,
    do_add_member,
    do_create_committee,
    do_record_decision,
    do_schedule_meetings,
    do_set_decision_done,
)
from grassroots.committees.models import Committee, Decision, Meeting
from grassroots.fixtures import SmallCity
from grassroots.testing import make_person, make_user

pytestmark = pytest.mark.django_db

JOINED = datetime.date(2026, 1, 1)


def _committee_with_a_member_who_moved_south(city: SmallCity) -> tuple[Committee, Meeting]:
    """A North committee: Ana owns one decision, Dee another, then Dee moves to the South."""
    dee = make_person("Dee", "Okafor", area=city.building1, household=city.home1)
    committee = do_create_committee(city.organizer, CommitteeData("Elm tenants", area=city.building1))
    meeting = do_schedule_meetings(
        city.organizer,
        committee,
        MeetingData("Tenants' meeting", timezone.now() + datetime.timedelta(days=3)),
    )[0]
    for person, text in ((city.ana, "Write to the landlord"), (dee, "Call the landlord")):
        do_add_member(city.organizer, committee, person, joined_on=JOINED)
        do_record_decision(city.organizer, committee, text, meeting=meeting, owner=person)
    dee.area, dee.household = city.building2, city.home2
    dee.save(update_fields=["area", "household"])
    return committee, meeting


def _north_organizer(city: SmallCity) -> Client:
    client = Client()
    client.force_login(make_user("north_org", Role.ORGANIZER, [city.north]))
    return client


@pytest.mark.parametrize(
    ("route", "section"), [("committee_detail", "open-decisions"), ("committee_meeting_detail", "decisions")]
)
def test_the_committee_and_meeting_pages_name_no_owner_outside_the_users_areas(
    small_city: SmallCity, route: str, section: str
) -> None:
    committee, meeting = _committee_with_a_member_who_moved_south(small_city)
    shown = committee if route == "committee_detail" else meeting
    page = _north_organizer(small_city).get(reverse(route, args=[shown.public_id]))
    decisions = page.content.decode().split(f'id="{section}"')[1].split("</ul>")[0]
    assert "Ana Peña" in decisions
    assert "Okafor" not in decisions
    assert "a member outside your areas" in decisions


def test_an_organizer_of_the_whole_city_still_sees_every_owner(small_city: SmallCity, client: Client) -> None:
    committee, _ = _committee_with_a_member_who_moved_south(small_city)
    client.force_login(small_city.organizer)
    page = client.get(reverse("committee_detail", args=[committee.public_id])).content.decode()
    assert "Ana Peña" in page and "Dee Okafor" in page
    assert "a member outside your areas" not in page


def test_the_committee_page_shows_the_latest_ten_done_decisions(
    small_city: SmallCity, client: Client
) -> None:
    city = small_city
    committee = do_create_committee(city.organizer, CommitteeData("Elm tenants", area=city.building1))
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(12):
        decision = do_record_decision(city.organizer, committee, f"Task {day}")
        do_set_decision_done(city.organizer, decision)
        Decision.objects.filter(pk=decision.pk).update(done_at=start + datetime.timedelta(days=day))
    client.force_login(city.organizer)
    page = client.get(reverse("committee_detail", args=[committee.public_id]))
    assert [d.text for d in page.context["done_decisions"]] == [f"Task {day}" for day in range(11, 1, -1)]
