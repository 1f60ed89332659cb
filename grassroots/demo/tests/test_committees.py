"""The demo committees: every level, roles, meetings recorded, a captain who sees one building."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory
from django.urls import reverse

from grassroots.accounts import access
from grassroots.accounts.models import User
from grassroots.committees.models import Attendance, Decision, Meeting, Membership, Role
from grassroots.demo.committees import CAPTAIN, create_demo_committees, demo_committee_logins
from grassroots.demo.generator import create_demo_users, find_demo_city, generate_city
from grassroots.people.models import Action
from grassroots.places.models import AreaKind

pytestmark = pytest.mark.django_db

SMALL = 0.05


def test_the_demo_founds_committees_at_every_level_with_meetings(client: Client) -> None:
    generate_city(seed=1, scale=SMALL)
    city = find_demo_city()
    assert city is not None
    create_demo_users(city)
    made = create_demo_committees(city, seed=1)
    assert made is not None
    assert made.neighborhood.area is not None and made.neighborhood.area.kind == AreaKind.NEIGHBORHOOD
    assert [c.area.kind for c in made.streets if c.area] == [AreaKind.STREET] * 2
    assert [c.area.kind for c in made.buildings if c.area] == [AreaKind.BUILDING] * 4
    assert made.by_area[made.buildings[0].area_id or 0] == made.buildings[0]
    # Nested: each building under its street's committee when there is one, else the neighborhood's.
    for committee in made.buildings:
        assert committee.parent in [*made.streets, made.neighborhood]
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {Role.MEMBER, Role.COORDINATOR, Role.ORGANIZER}
    assert Membership.objects.filter(left_on__isnull=False).count() == 1  # history kept
    assert Meeting.objects.filter(minutes__gt="").count() == len(made.all)
    assert (
        Decision.objects.filter(done_at__isnull=True).exists()
        and Decision.objects.filter(done_at__isnull=False).exists()
    )
    assert Action.objects.filter(kind="meeting_attended").count() == Attendance.objects.count() > 0

    # The captain logs in and sees their building's people, and only those.
    ((username, password, _, scope),) = demo_committee_logins()
    assert username == CAPTAIN and "building" in scope
    captain = authenticate(RequestFactory().post("/login/"), username=username, password=password)
    assert isinstance(captain, User)
    home = made.buildings[0].area
    assert home is not None
    seen = access.people_visible_to(captain)
    assert seen.exists() and not seen.exclude(area__path__startswith=home.path).exists()
    # The demo member finds their committee and its next meeting on their own page.
    member = User.objects.get(username="member")
    client.force_login(member)
    page = client.get(reverse("committee_mine"))
    assert [m.committee for m, meeting in page.context["memberships"]] == [made.buildings[0]]
    assert page.context["memberships"][0][1] is not None
