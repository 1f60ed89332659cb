"""Meetings: recurring schedules, attendance that lands on timelines, decisions, the calendar feed."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.committees.actions import (
    MeetingData,
    do_cancel_meeting,
    do_record_attendance,
    do_record_decision,
    do_schedule_meetings,
)
from grassroots.committees.models import Attendance, Meeting
from grassroots.committees.tests.helpers import Block
from grassroots.people.models import Action
from grassroots.testing import mentions

pytestmark = pytest.mark.django_db

FIRST = datetime.datetime(2026, 12, 1, 23, 30, tzinfo=datetime.UTC)  # a Tuesday evening in New York


def test_a_recurring_meeting_is_one_row_per_occurrence_with_its_own_agenda(block: Block) -> None:
    data = MeetingData(
        "Tenants' meeting",
        FIRST,
        location="Lobby",
        recurrence="FREQ=WEEKLY;INTERVAL=2;COUNT=4",
        agenda=["Heat", "Rent"],
    )
    meetings = do_schedule_meetings(block.captain, block.committee_a, data)
    assert [m.starts_at for m in meetings] == [FIRST + datetime.timedelta(weeks=2 * i) for i in range(4)]
    assert len({m.series for m in meetings}) == 1 and meetings[0].series is not None
    assert [i.title for i in meetings[3].agenda.all()] == ["Heat", "Rent"]
    assert meetings[0].ends_at - meetings[0].starts_at == datetime.timedelta(minutes=90)


def test_a_schedule_without_an_end_is_refused(block: Block) -> None:
    with pytest.raises(ValidationError, match="how many times"):
        do_schedule_meetings(
            block.captain, block.committee_a, MeetingData("x", FIRST, recurrence="FREQ=WEEKLY")
        )
    with pytest.raises(ValidationError, match="Cannot read"):
        do_schedule_meetings(
            block.captain, block.committee_a, MeetingData("x", FIRST, recurrence="FREQ=SOMETIMES;COUNT=2")
        )
    assert not Meeting.objects.exists()


def test_attendance_creates_one_meeting_attended_action_per_person(block: Block) -> None:
    meeting = do_schedule_meetings(block.captain, block.committee_a, MeetingData("Repairs", FIRST))[0]
    recorded = do_record_attendance(block.captain, meeting, [block.cy, block.city.ana])
    assert len(recorded) == 2
    again = do_record_attendance(block.captain, meeting, [block.city.ana])  # the form sent twice
    assert again == []
    actions = Action.objects.filter(kind="meeting_attended")
    assert sorted(a.person.first_name for a in actions) == ["Ana", "Cy"]
    action = actions.get(person=block.city.ana)
    assert action.occurred_at == FIRST
    assert action.recorded_by == block.captain and action.area == block.building_a
    assert action.details["meeting"] == str(meeting.public_id)
    assert Attendance.objects.get(meeting=meeting, person=block.city.ana).action == action


def test_attendance_of_someone_outside_the_coordinators_building_is_refused(block: Block) -> None:
    meeting = do_schedule_meetings(block.captain, block.committee_a, MeetingData("Repairs", FIRST))[0]
    with pytest.raises(ValidationError, match="outside the areas you work in"):
        do_record_attendance(block.captain, meeting, [block.dee])
    assert not Action.objects.filter(kind="meeting_attended").exists()


def test_a_coordinator_records_attendance_on_the_meeting_page(block: Block, client: Client) -> None:
    meeting = do_schedule_meetings(block.captain, block.committee_a, MeetingData("Repairs", FIRST))[0]
    client.force_login(block.captain)
    url = reverse("committee_meeting_detail", args=[meeting.public_id])
    page = client.get(url).content.decode()
    assert 'id="attendance-form"' in page and "Ana Peña" in page and not mentions(page, "Dee")
    response = client.post(
        reverse("committee_meeting_attendance", args=[meeting.public_id]),
        {"people": [str(block.city.ana.public_id)]},
        follow=True,
    )
    assert "Recorded 1 attendance" in response.content.decode()
    assert list(meeting.attendance.values_list("person__first_name", flat=True)) == ["Ana"]
    # Someone outside the coordinator's building: nothing recorded, a clear message.
    response = client.post(
        reverse("committee_meeting_attendance", args=[meeting.public_id]),
        {"people": [str(block.cy.public_id), str(block.dee.public_id)]},
        follow=True,
    )
    assert "outside the areas you work in; nothing was recorded" in response.content.decode()
    assert meeting.attendance.count() == 1


def test_the_meeting_roll_counts_members_on_the_local_day_of_the_meeting(
    block: Block, client: Client
) -> None:
    # 21:00 in New York on 1 December is already 2 December in UTC. Ana left the committee on
    # 2 December: at the meeting she was still a member, and the roll lists her.
    evening = datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)
    block.committee_a.memberships.filter(person=block.city.ana).update(left_on=datetime.date(2026, 12, 2))
    meeting = do_schedule_meetings(block.captain, block.committee_a, MeetingData("Late", evening))[0]
    client.force_login(block.captain)
    page = client.get(reverse("committee_meeting_detail", args=[meeting.public_id]))
    assert [person.first_name for person, _ in page.context["roll"]] == ["Cy", "Ana"]  # by last name


def test_the_committee_page_shows_the_next_meeting_and_open_decisions(block: Block, client: Client) -> None:
    now = timezone.now()
    past = do_schedule_meetings(
        block.captain, block.committee_a, MeetingData("Last month", now - datetime.timedelta(days=30))
    )[0]
    do_schedule_meetings(
        block.captain, block.committee_a, MeetingData("Next week", now + datetime.timedelta(days=7))
    )
    do_schedule_meetings(
        block.captain, block.committee_a, MeetingData("Later", now + datetime.timedelta(days=21))
    )
    open_one = do_record_decision(
        block.captain,
        block.committee_a,
        "Petition the landlord",
        meeting=past,
        owner=block.cy,
        due_on=datetime.date(2026, 12, 24),
    )
    done = do_record_decision(block.captain, block.committee_a, "Book the hall")
    client.force_login(block.captain)
    client.post(reverse("committee_decision_done", args=[done.public_id]), {"done": "1"})
    response = client.get(reverse("committee_detail", args=[block.committee_a.public_id]))
    assert response.context["next_meeting"].title == "Next week"
    assert list(response.context["open_decisions"]) == [open_one]
    body = response.content.decode()
    assert "Petition the landlord" in body and "Cy Okafor" in body


def test_the_calendar_feed_parses_and_holds_every_meeting(block: Block, client: Client) -> None:
    series = do_schedule_meetings(
        block.captain,
        block.committee_a,
        MeetingData(
            "Tenants' meeting",
            FIRST,
            location="Lobby, 12 Elm",
            recurrence="FREQ=MONTHLY;COUNT=3",
            agenda=["Heat"],
        ),
    )
    do_cancel_meeting(block.captain, series[2])
    client.force_login(block.captain)
    response = client.get(reverse("committee_calendar", args=[block.committee_a.public_id]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "12 Elm tenants"
    events = list(calendar.walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [m.starts_at for m in series]
    assert [str(e["uid"]) for e in events] == [f"{m.public_id}@grassroots" for m in series]
    assert {str(e["summary"]) for e in events} == {"Tenants' meeting"}
    assert str(events[0]["location"]) == "Lobby, 12 Elm"
    assert "1. Heat" in str(events[0]["description"])
    assert [str(e["status"]) for e in events] == ["CONFIRMED", "CONFIRMED", "CANCELLED"]
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == datetime.timedelta(minutes=90)
    # Another building's coordinator gets no feed of this committee.
    client.force_login(block.city.canvasser)
    assert client.get(reverse("committee_calendar", args=[block.committee_a.public_id])).status_code == 404


@pytest.mark.parametrize(
    ("first", "dates"),
    [
        ("2031-01-31", ["2031-01-31", "2031-02-28", "2031-03-31", "2031-04-30", "2031-05-31"]),
        ("2032-01-30", ["2032-01-30", "2032-02-29", "2032-03-30", "2032-04-30", "2032-05-30"]),
        ("2031-01-15", ["2031-01-15", "2031-02-15", "2031-03-15", "2031-04-15", "2031-05-15"]),
    ],
)
def test_a_monthly_meeting_late_in_the_month_falls_on_the_last_day_of_a_shorter_month(
    block: Block, client: Client, first: str, dates: list[str]
) -> None:
    client.force_login(block.captain)
    response = client.post(
        reverse("committee_schedule", args=[block.committee_a.public_id]),
        {
            "title": "Monthly",
            "starts_at": f"{first}T19:00",
            "minutes_long": 90,
            "repeat": "FREQ=MONTHLY",
            "times": 5,
        },
    )
    assert response.status_code == 302
    meetings = Meeting.objects.filter(committee=block.committee_a).order_by("starts_at")
    assert [timezone.localtime(m.starts_at).date().isoformat() for m in meetings] == dates
    assert {timezone.localtime(m.starts_at).hour for m in meetings} == {19}
