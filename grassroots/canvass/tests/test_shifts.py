"""Canvass shifts: an organizer sets a time and a place, canvassers sign up, turfs are given for the shift."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import Role
from grassroots.canvass.actions import shifts_open_to
from grassroots.canvass.models import Shift, Universe
from grassroots.canvass.tests.conftest import Canvass
from grassroots.fixtures import SmallCity
from grassroots.testing import make_area, make_user

pytestmark = pytest.mark.django_db


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_canvassers_sign_up_for_a_shift_and_see_their_turf_for_it(client: Client, canvass: Canvass) -> None:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[canvass.district])
    client.force_login(organizer)
    universe = canvass.turf.universe
    url = reverse("universe_turfs", args=[universe.public_id])
    # Noon in two days, local time: the form reads local times, and at noon there is no clock change.
    saturday = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + timedelta(days=2)
    form = {"shift_new": "1", "meeting_point": "Library steps", "capacity": "2"}
    response = client.post(
        url, {**form, "starts_at": local(saturday), "ends_at": local(saturday)}, follow=True
    )
    assert "ends after it starts" in response.content.decode()
    assert not Shift.objects.exists()
    client.post(url, {**form, "starts_at": local(saturday), "ends_at": local(saturday + timedelta(hours=3))})
    shift = Shift.objects.get()
    assert (shift.meeting_point, shift.capacity) == ("Library steps", 2)

    # Canvassers of the district see it and sign up until it is full; someone elsewhere does not see it.
    sign_up = reverse("canvass_shift_sign_up", args=[shift.public_id])
    for user in (canvass.canvasser, canvass.other):
        phone = Client()
        phone.force_login(user)
        assert "Library steps" in phone.get(reverse("canvass_my_turfs")).content.decode()
        phone.post(sign_up)
    late = make_user("late", Role.CANVASSER, scope=[canvass.district])
    phone = Client()
    phone.force_login(late)
    response = phone.post(sign_up, follow=True)
    assert "This shift is full." in response.content.decode()
    assert set(shift.canvassers.values_list("username", flat=True)) == {"canvasser", "other"}
    stranger = Client()
    stranger.force_login(make_user("stranger", Role.CANVASSER, scope=[make_area("Other town", kind="city")]))
    assert "Library steps" not in stranger.get(reverse("canvass_my_turfs")).content.decode()
    assert stranger.post(sign_up).status_code == 404

    # The organizer gives a pair one turf for the shift; each sees it with the time and the place.
    client.post(
        url,
        {
            "assign": str(canvass.turf.public_id),
            "canvassers": ["canvasser", "other"],
            "shift": str(shift.public_id),
        },
    )
    canvass.turf.refresh_from_db()
    assert canvass.turf.shift == shift
    mine = Client()
    mine.force_login(canvass.canvasser)
    page = mine.get(reverse("canvass_my_turfs")).content.decode()
    assert "meet at Library steps" in page
    # Leaving the shift gives up the turf for it.
    mine.post(sign_up, {"leave": "1"})
    assert list(canvass.turf.canvassers.values_list("username", flat=True)) == ["other"]
    assert list(shift.canvassers.values_list("username", flat=True)) == ["other"]


def test_a_shift_that_is_over_takes_no_one(client: Client, canvass: Canvass) -> None:
    yesterday = timezone.now() - timedelta(days=1)
    shift = Shift.objects.create(
        universe=canvass.turf.universe, starts_at=yesterday, ends_at=yesterday + timedelta(hours=2)
    )
    client.force_login(canvass.canvasser)
    assert client.post(reverse("canvass_shift_sign_up", args=[shift.public_id])).status_code == 404
    assert not shift.canvassers.exists()


def test_a_shift_is_open_to_those_who_work_in_every_area_of_its_universe(small_city: SmallCity) -> None:
    c = small_city
    soon = timezone.now() + timedelta(days=1)
    shifts = {}
    for name, areas in {"north": [c.ed1], "both": [c.ed1, c.ed2], "nowhere": []}.items():
        universe = Universe.objects.create(name=name)
        universe.areas.set(areas)
        shifts[name] = Shift.objects.create(
            universe=universe, starts_at=soon, ends_at=soon + timedelta(hours=2)
        )
    past = Shift.objects.create(
        universe=shifts["north"].universe,
        starts_at=soon - timedelta(days=3),
        ends_at=soon - timedelta(days=2),
    )
    expected = {
        c.admin: {"north", "both", "nowhere"},
        c.organizer: {"north", "both", "nowhere"},  # the whole city
        c.coordinator: {"north", "nowhere"},  # the north: "both" reaches the south
        c.canvasser: {"nowhere"},  # ED 2 only
        c.outsider: {"nowhere"},  # no area at all
    }
    for user, names in expected.items():
        open_to = shifts_open_to(user)
        assert {s.universe.name for s in open_to} == names, user.username
        assert past not in open_to


@pytest.mark.parametrize(
    "starts_at",
    ["2031-02-30T10:00", "2031-01-01T25:00", "9999-12-31T23:00", "soon"],
)
def test_a_shift_at_a_moment_that_does_not_exist_is_refused_with_a_message(
    client: Client, canvass: Canvass, starts_at: str
) -> None:
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[canvass.district]))
    url = reverse("universe_turfs", args=[canvass.turf.universe.public_id])
    form = {"shift_new": "1", "meeting_point": "Library steps", "capacity": "2"}
    response = client.post(url, {**form, "starts_at": starts_at, "ends_at": "2031-03-01T13:00"}, follow=True)
    assert response.status_code == 200
    assert "Give the shift&#x27;s start and end as a date and a time." in response.content.decode()
    assert not Shift.objects.exists()
