"""The follow-up queue: what lands in it, for whom, once, and who sees it."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import Role, User
from grassroots.canvass.models import FollowUp
from grassroots.fixtures import SmallCity
from grassroots.ladder import actions
from grassroots.ladder.access import queue_visible_to
from grassroots.ladder.engine import update_ladder
from grassroots.ladder.models import QueueItem
from grassroots.people.models import Action, Person
from grassroots.testing import make_person, make_user

pytestmark = pytest.mark.django_db


def act(person: Person, kind: str, days_ago: float, **details: object) -> None:
    moment = timezone.now() - datetime.timedelta(days=days_ago)
    Action.objects.create(person=person, kind=kind, occurred_at=moment, details=details)


def queued(person: Person) -> list[tuple[str, str, str | None]]:
    return [
        (i.kind, i.reason, i.assignee.username if i.assignee else None)
        for i in QueueItem.objects.filter(person=person).order_by("created_at", "id")
    ]


def test_a_first_meeting_with_no_next_step_is_queued_for_the_nearest_organizer(small_city: SmallCity) -> None:
    c = small_city
    quiet = make_person("Quiet", "One", area=c.building1)
    busy = make_person("Busy", "One", area=c.building1)
    fresh = make_person("Fresh", "One", area=c.building1)
    old = make_person("Old", "One", area=c.building1)
    act(quiet, "meeting_attended", 20)
    act(quiet, "door_knock", 3, result="contact")  # our knock is not their step
    act(busy, "event_attended", 20)
    act(busy, "rsvp", 4)  # a next step
    act(fresh, "meeting_attended", 5)  # too soon to chase
    act(old, "meeting_attended", 90)  # history
    update_ladder()
    # The coordinator's scope (the north) is nearer than the organizer's (the whole city).
    assert queued(quiet) == [
        ("first_meeting", "Came to a first meeting 20 days ago, no next step since", "coordinator")
    ]
    assert [k for k, *_ in queued(busy)] == ["moved_up"]  # the RSVP was a next step
    assert queued(fresh) == [("moved_up", "Reached Supporter", "coordinator")]  # news: it was recent
    assert queued(old) == []  # reached Supporter long ago: not news
    assert update_ladder().queued == 0  # once only


def test_door_answers_and_moves_up_are_queued_once(small_city: SmallCity) -> None:
    c = small_city
    FollowUp.objects.create(person=c.bo, reason="Wants to get involved")
    act(c.ana, "door_knock", 2, result="contact")
    update_ladder()
    assert queued(c.bo) == [
        ("door", "Wants to get involved", "organizer"),  # the canvasser may not follow up
        ("moved_up", "Reached Supporter", "organizer"),
    ]
    assert queued(c.ana) == []  # Contacted is not a stage that asks for a follow-up
    act(c.ana, "volunteered", 1)
    update_ladder()
    assert queued(c.ana) == [("moved_up", "Moved up from Contacted to Volunteer", "coordinator")]
    update_ladder()
    assert QueueItem.objects.count() == 3


def test_each_user_sees_the_queue_of_their_scope(small_city: SmallCity, client: Client) -> None:
    c = small_city
    FollowUp.objects.create(person=c.ana, reason="Ana asked about the building meeting")
    FollowUp.objects.create(person=c.bo, reason="Bo asked about rent")
    update_ladder()
    assert {i.person for i in queue_visible_to(c.organizer)} == {c.ana, c.bo}
    assert {i.person for i in queue_visible_to(c.coordinator)} == {c.ana}
    assert {i.person for i in queue_visible_to(c.canvasser)} == {c.bo}
    assert not queue_visible_to(c.outsider).exists()

    client.force_login(c.coordinator)
    page = client.get(reverse("ladder_queue"))
    assert page.context["who"] == "mine"
    assert [i.reason for i in page.context["page"]] == ["Ana asked about the building meeting"]
    assert "Bo asked" not in page.content.decode()
    # The organizer's own queue, and everyone's.
    client.force_login(c.organizer)
    mine = client.get(reverse("ladder_queue"))
    assert {i.person for i in mine.context["page"]} == {c.bo}
    everyone = client.get(reverse("ladder_queue"), {"who": "all"})
    assert {i.person for i in everyone.context["page"]} == {c.ana, c.bo}
    theirs = client.get(reverse("ladder_queue"), {"who": "coordinator"})
    assert {i.person for i in theirs.context["page"]} == {c.ana}
    assert dict(everyone.context["queues"]) == {"coordinator": 1, "organizer": 2}
    # An item of someone outside the scope is not there to change.
    client.force_login(c.coordinator)
    bo_item = QueueItem.objects.filter(person=c.bo).first()
    assert bo_item is not None
    assert client.post(reverse("ladder_item_done", args=[bo_item.public_id])).status_code == 404


def test_a_follow_up_is_given_only_to_an_organizer_who_sees_the_person(small_city: SmallCity) -> None:
    c = small_city
    FollowUp.objects.create(person=c.bo, reason="Wants to get involved")
    update_ladder()
    item = QueueItem.objects.get(kind=QueueItem.Kind.DOOR)
    south = make_user("south-coordinator", Role.COORDINATOR, [c.south])
    actions.do_assign_item(c.organizer, item, south)
    assert QueueItem.objects.get(pk=item.pk).assignee == south
    for wrong in (c.coordinator, c.canvasser):  # the north; not an editor
        with pytest.raises(ValidationError):
            actions.do_assign_item(c.organizer, item, wrong)
    with pytest.raises(ValidationError):  # the coordinator cannot see Bo
        actions.do_mark_done(c.coordinator, item)


def test_a_worked_queue_is_cleared_at_once_within_the_scope(small_city: SmallCity) -> None:
    c = small_city
    ana_door = FollowUp.objects.create(person=c.ana, reason="Ana wants to get involved")
    FollowUp.objects.create(person=c.bo, reason="Bo wants to get involved")
    update_ladder()
    assert actions.do_clear_queue(c.coordinator, QueueItem.objects.all()) == 1  # Ana's only
    ana_door.refresh_from_db()
    assert ana_door.done_at is not None
    assert (
        list(QueueItem.objects.filter(done_at__isnull=True).values_list("person", flat=True)) == [c.bo.pk] * 2
    )
    with pytest.raises(ValidationError):
        actions.do_clear_queue(c.canvasser, QueueItem.objects.all())


def test_a_follow_up_goes_to_the_new_organizer_when_the_person_moves_away(small_city: SmallCity) -> None:
    c = small_city
    quiet = make_person("Quiet", "One", area=c.building1)
    act(quiet, "meeting_attended", 20)
    update_ladder()
    assert queued(quiet) == [
        ("first_meeting", "Came to a first meeting 20 days ago, no next step since", "coordinator")
    ]
    # Quiet moves to the south, which the north's coordinator does not see.
    Person.objects.filter(pk=quiet.pk).update(area=c.building2, household=c.home2)
    assert not queue_visible_to(c.coordinator).filter(person=quiet).exists()
    update_ladder()
    assert [who for *_, who in queued(quiet)] == ["organizer"]  # the city's organizer sees the south
    # A follow-up given by hand to someone who still sees the person stays theirs.
    item = QueueItem.objects.get(person=quiet)
    south = make_user("south", Role.COORDINATOR, [c.south])
    actions.do_assign_item(c.admin, item, south)
    update_ladder()
    assert [who for *_, who in queued(quiet)] == ["south"]
    # A closed login's follow-ups go back to someone who can do them.
    User.objects.filter(pk=south.pk).update(is_active=False)
    update_ladder()
    assert [who for *_, who in queued(quiet)] == ["organizer"]


def test_the_pages_of_done_follow_ups_stay_on_the_done_ones(small_city: SmallCity, client: Client) -> None:
    c = small_city
    done = timezone.now()
    QueueItem.objects.bulk_create(
        QueueItem(key=f"done:{i}", person=c.ana, kind=QueueItem.Kind.DOOR, reason=f"Done {i}", done_at=done)
        for i in range(60)
    )
    QueueItem.objects.create(key="open", person=c.ana, kind=QueueItem.Kind.DOOR, reason="Still open")
    client.force_login(c.organizer)
    page = client.get(reverse("ladder_queue"), {"who": "all", "done": "1"})
    [next_link] = re.findall(r'href="([^"]*page=2)"', page.content.decode())
    second = client.get(reverse("ladder_queue") + next_link.replace("&amp;", "&"))
    assert second.context["show_done"] and len(second.context["page"].object_list) == 10
    assert "Still open" not in second.content.decode()
