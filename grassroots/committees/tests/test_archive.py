"""Deleting a committee with members or history archives it: nothing it recorded disappears."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import AuditEntry
from grassroots.committees.actions import (
    CommitteeData,
    MeetingData,
    do_create_committee,
    do_delete_committee,
    do_record_attendance,
    do_record_decision,
    do_schedule_meetings,
)
from grassroots.committees.models import (
    Attendance,
    Committee,
    Decision,
    Meeting,
    Membership,
    active_committees,
)
from grassroots.committees.tests.helpers import Block

pytestmark = pytest.mark.django_db


def test_deleting_a_committee_with_history_archives_it_and_keeps_everything(
    block: Block, client: Client
) -> None:
    organizer, committee = block.city.organizer, block.committee_a
    starts = datetime.datetime(2026, 3, 3, 23, tzinfo=datetime.UTC)
    meeting = do_schedule_meetings(organizer, committee, MeetingData("Repairs", starts, agenda=["Boiler"]))[0]
    do_record_attendance(organizer, meeting, [block.cy, block.city.ana])
    do_record_decision(organizer, committee, "Write to the landlord", meeting=meeting, owner=block.cy)
    before = (
        Membership.objects.count(),
        Meeting.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
    )

    client.force_login(organizer)
    response = client.post(reverse("committee_delete", args=[committee.public_id]), follow=True)
    assert "was archived: everything it recorded is kept" in response.content.decode()

    committee.refresh_from_db()
    assert committee.archived_at is not None
    assert committee not in active_committees()
    after = (
        Membership.objects.count(),
        Meeting.objects.count(),
        Attendance.objects.count(),
        Decision.objects.count(),
    )
    assert after == before == (3, 1, 2, 1)
    # The archived committee is still readable, and listed among the archived.
    page = client.get(reverse("committee_detail", args=[committee.public_id]))
    assert page.status_code == 200 and "Cy Okafor" in page.content.decode()
    assert committee in client.get(reverse("committee_list"), {"archived": "1"}).context["committees"]
    assert committee not in client.get(reverse("committee_list")).context["committees"]
    # Restoring brings it back.
    client.post(reverse("committee_restore", args=[committee.public_id]))
    assert Committee.objects.get(pk=committee.pk).archived_at is None


def test_a_committee_with_nothing_recorded_is_really_deleted(block: Block) -> None:
    empty = do_create_committee(block.city.organizer, CommitteeData("Typo", area=block.street))
    assert do_delete_committee(block.city.organizer, empty) == "deleted"
    assert not Committee.objects.filter(pk=empty.pk).exists()
    assert AuditEntry.objects.filter(verb="delete", object_type="committee", details__name="Typo").exists()


def test_a_committee_with_a_subcommittee_is_archived(block: Block) -> None:
    street = do_create_committee(block.city.organizer, CommitteeData("Elm Ave", area=block.street))
    block.committee_b.parent = street
    block.committee_b.save()
    assert do_delete_committee(block.city.organizer, street) == "archived"
