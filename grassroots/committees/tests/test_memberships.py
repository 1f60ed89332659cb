"""Memberships keep their history; the same person's terms in one committee never overlap."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from grassroots.committees.actions import do_add_member, do_end_membership
from grassroots.committees.models import Membership, Role
from grassroots.committees.tests.helpers import Block
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
MAR = datetime.date(2026, 3, 1)
JUN = datetime.date(2026, 6, 1)


def test_overlapping_dates_for_the_same_person_and_committee_are_refused(block: Block) -> None:
    committee, organizer = block.committee_a, block.city.organizer
    cy = block.cy  # a member since thirty days ago, with no end
    with pytest.raises(ValidationError) as refused:
        do_add_member(organizer, committee, cy, joined_on=JAN)
    assert "Cy Okafor is already in 12 Elm tenants from" in refused.value.messages[0]
    assert "choose dates that do not overlap" in refused.value.messages[0]
    assert committee.memberships.filter(person=cy).count() == 1


def test_terms_that_touch_but_do_not_overlap_are_kept_as_history(block: Block) -> None:
    # Ana, from the building next door, serves 14 Elm's committee in two terms, one after the other.
    organizer, committee, ana = block.city.organizer, block.committee_b, block.city.ana
    first = do_add_member(organizer, committee, ana, joined_on=JAN, left_on=MAR)
    second = do_add_member(organizer, committee, ana, role=Role.COORDINATOR, joined_on=MAR)
    with pytest.raises(ValidationError, match="already in 14 Elm tenants from 2026-01-01 until 2026-03-01"):
        do_add_member(organizer, committee, ana, joined_on=datetime.date(2026, 2, 1), left_on=JUN)
    do_end_membership(organizer, second, JUN)
    rows = list(
        committee.memberships.filter(person=ana)
        .order_by("joined_on")
        .values_list("role", "joined_on", "left_on")
    )
    assert rows == [("member", JAN, MAR), ("coordinator", MAR, JUN)]
    assert first.pk != second.pk
    # Joining is on the person's timeline, dated the day they joined.
    joined = Action.objects.filter(person=ana, kind="committee_joined", details__committee="14 Elm tenants")
    assert sorted(a.occurred_at.date() for a in joined) == [JAN, MAR]


def test_a_membership_must_end_after_it_starts(block: Block) -> None:
    with pytest.raises(ValidationError, match="must end after the day it starts"):
        do_add_member(block.city.organizer, block.committee_b, block.city.ana, joined_on=MAR, left_on=JAN)
    membership = Membership.objects.get(person=block.dee)
    with pytest.raises(ValidationError, match="must end later"):
        do_end_membership(block.city.organizer, membership, membership.joined_on)
