"""A canvasser's offline visits reach the server exactly once, however often the upload is retried."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.canvass.models import Visit
from grassroots.canvass.sync import apply_visits
from grassroots.canvass.tests.conftest import Canvass, upload, visit
from grassroots.people.models import Action, Person
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def test_the_same_batch_three_times_makes_one_set_of_visits(canvass: Canvass, phone: Client) -> None:
    batch = [visit(canvass, i, person=str(canvass.people[i].public_id)) for i in range(1, 11)]
    first = upload(phone, batch)
    assert len(first["applied"]) == 10 and first["rejected"] == []
    for _ in range(2):
        again = upload(phone, batch)
        assert again["applied"] == [] and sorted(again["already"]) == sorted(v["id"] for v in batch)
    assert Visit.objects.count() == 10
    assert Action.objects.filter(kind="door_knock").count() == 10
    action = canvass.people[3].actions.get(kind="door_knock")
    assert action.details["visit"] == batch[2]["id"] and action.recorded_by == canvass.canvasser


def test_a_batch_cut_half_way_then_retried_loses_nothing_and_doubles_nothing(
    canvass: Canvass, phone: Client
) -> None:
    batch = [visit(canvass, i, "not_home") for i in range(10)]
    # The connection dropped after the server had applied the first half: the phone never heard back.
    upload(phone, batch[:5])
    report = upload(phone, batch)
    assert sorted(report["already"]) == sorted(v["id"] for v in batch[:5])
    assert sorted(report["applied"]) == sorted(v["id"] for v in batch[5:])
    assert sorted(str(v) for v in Visit.objects.values_list("public_id", flat=True)) == sorted(
        v["id"] for v in batch
    )


def test_a_door_visit_without_a_person_is_an_action_for_the_household(
    canvass: Canvass, phone: Client
) -> None:
    upload(phone, [visit(canvass, 0, "not_home")])
    knocked = Person.objects.filter(actions__kind="door_knock").values_list("first_name", flat=True)
    assert sorted(knocked) == ["Resident0", "Second"]


def test_bad_items_are_rejected_one_by_one_and_the_rest_applies(canvass: Canvass, phone: Client) -> None:
    good = visit(canvass, 1)
    items: list[Any] = [
        good,
        "not an object",
        {**visit(canvass, 2), "id": "not-a-uuid"},
        {**visit(canvass, 3), "result": "exploded"},
        {**visit(canvass, 4), "visited_at": "yesterday"},
        {**visit(canvass, 5), "turf": str(canvass.other_turf.public_id)},  # another canvasser's turf
        {**visit(canvass, 6), "household": str(canvass.stranger_home.public_id)},  # not in the turf
        {**visit(canvass, 7), "person": str(canvass.people[0].public_id)},  # lives elsewhere
        {**visit(canvass, 8), "answers": ["not", "an", "object"]},
    ]
    report = upload(phone, items)
    assert report["applied"] == [good["id"]]
    reasons = [r["reason"] for r in report["rejected"]]
    assert len(reasons) == 8
    assert "must be an object" in reasons[0]
    assert "not a valid id" in reasons[1]
    assert "Unknown door result" in reasons[2]
    assert "date and time" in reasons[3]
    assert "not assigned to you" in reasons[4]
    assert "not in your turf" in reasons[5]
    assert "does not live at this door" in reasons[6]
    assert "answers" in reasons[7]
    assert Visit.objects.count() == 1


def test_two_canvassers_at_one_door_both_count(canvass: Canvass, phone: Client, client: Client) -> None:
    canvass.turf.canvassers.add(canvass.other)
    upload(phone, [visit(canvass, 2)])
    partner = Client()
    partner.force_login(canvass.other)
    upload(partner, [visit(canvass, 2)])
    assert Visit.objects.filter(household=canvass.homes[2]).count() == 2


def test_someone_else_cannot_replay_a_visit_id(canvass: Canvass, phone: Client) -> None:
    mine = visit(canvass, 3)
    upload(phone, [mine])
    canvass.turf.canvassers.add(canvass.other)
    thief = Client()
    thief.force_login(canvass.other)
    report = upload(thief, [mine])
    assert report["rejected"] == [
        {"id": mine["id"], "reason": "This visit id was already used by someone else."}
    ]
    assert Visit.objects.get().canvasser == canvass.canvasser


def test_malformed_uploads_get_a_clear_error(phone: Client) -> None:
    url = reverse("canvass_sync")
    assert phone.post(url, "{not json", content_type="application/json").status_code == 400
    assert phone.post(url, "[]", content_type="application/json").status_code == 400
    report = phone.post(url, json.dumps({"visits": "x"}), content_type="application/json").json()
    assert report["rejected"][0]["reason"] == "The upload must hold a list of visits."
    assert phone.get(url).status_code == 405


def test_the_walk_list_is_in_order_and_only_for_its_people(
    canvass: Canvass, phone: Client, client: Client
) -> None:
    page = phone.get(reverse("walk_list", args=[canvass.turf.public_id]))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [door.household for door, _, _ in rows] == canvass.homes
    assert [p.first_name for p in rows[0][1]] == ["Resident0", "Second"]
    # Another canvasser's turf, and a stranger: 404.
    assert phone.get(reverse("walk_list", args=[canvass.other_turf.public_id])).status_code == 404
    outsider = Client()
    outsider.force_login(make_user("outsider", Role.MEMBER))
    assert outsider.get(reverse("walk_list", args=[canvass.turf.public_id])).status_code == 404


def test_answers_that_matter_tag_the_person_and_leave_follow_ups(canvass: Canvass, phone: Client) -> None:
    from grassroots.canvass.models import FollowUp

    resident = canvass.people[4]
    answers = {"support": 5, "involved": True, "tenants_meeting": True, "issue": "No heat since October"}
    upload(phone, [visit(canvass, 4, person=str(resident.public_id), answers=answers)])
    assert sorted(resident.tags.values_list("name", flat=True)) == [
        "raised an issue", "tenants' meeting", "wants to get involved",
    ]  # fmt: skip
    reasons = sorted(FollowUp.objects.filter(person=resident).values_list("reason", flat=True))
    assert reasons == [
        "Interested in a tenants' meeting", "Raised an issue: No heat since October", "Wants to get involved",
    ]  # fmt: skip
    # A "no" or a door with no one named leaves nothing to follow up.
    upload(phone, [visit(canvass, 5, person=str(canvass.people[5].public_id), answers={"involved": False})])
    upload(phone, [visit(canvass, 6, "not_home")])
    assert FollowUp.objects.count() == 3
    # The organizer sees them on the person's page.
    organizer = make_user("organizer", Role.ORGANIZER, scope=[canvass.district])
    page = Client()
    page.force_login(organizer)
    body = page.get(reverse("person_detail", args=[resident.public_id])).content.decode()
    assert "No heat since October" in body


def test_an_organizer_applies_visits_to_turfs_they_organize_only_when_asked(canvass: Canvass) -> None:
    organizer = make_user("organizer", Role.ORGANIZER, scope=[canvass.district])
    item = visit(canvass, 2, person=str(canvass.people[2].public_id))
    refused = apply_visits(organizer, [item])
    assert refused.rejected == [{"id": item["id"], "reason": "This turf is not assigned to you."}]
    assert apply_visits(organizer, [item], organizer=True).applied == [item["id"]]
    # A canvasser does not organize: the flag gives them no other turf.
    other = visit(canvass, 3)
    other["turf"] = str(canvass.other_turf.public_id)
    assert apply_visits(canvass.canvasser, [other], organizer=True).rejected
    outsider = make_user("elsewhere", Role.ORGANIZER, scope=[])
    assert apply_visits(outsider, [visit(canvass, 4)], organizer=True).rejected
    assert Visit.objects.get().canvasser == organizer


@pytest.mark.parametrize(
    ("visited_at", "reason"),
    [
        ("2026-02-30T10:00:00", "date and time"),  # shaped right, but there is no February 30
        ("2026-01-01T25:00:00Z", "date and time"),
        ("9999-12-31T23:59:59-05:00", "out of range"),  # in UTC, the year 10000
        ("0001-01-01T00:00:00+05:00", "out of range"),  # in UTC, the year 0
    ],
)
def test_a_visit_at_a_moment_that_cannot_be_stored_is_rejected_and_the_rest_applies(
    canvass: Canvass, phone: Client, visited_at: str, reason: str
) -> None:
    before, after = visit(canvass, 1), visit(canvass, 3)
    bad = {**visit(canvass, 2), "visited_at": visited_at}
    report = upload(phone, [before, bad, after])
    assert report["applied"] == [before["id"], after["id"]]
    assert [r["id"] for r in report["rejected"]] == [bad["id"]]
    assert reason in report["rejected"][0]["reason"]
    # The same batch again, as the phone retries it: the queue moves on.
    again = upload(phone, [before, bad, after])
    assert sorted(again["already"]) == sorted([before["id"], after["id"]])
    assert [r["id"] for r in again["rejected"]] == [bad["id"]]
    assert Visit.objects.count() == 2


def test_an_item_that_fails_in_an_unforeseen_way_is_rejected_alone(
    canvass: Canvass, phone: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from grassroots.canvass import sync

    record_actions = sync._record_actions
    doomed = canvass.homes[2]

    def fail_at_one_door(user: Any, visit: Visit, household: Any, *args: Any) -> None:
        record_actions(user, visit, household, *args)
        if household == doomed:
            raise RuntimeError("an unforeseen failure")

    monkeypatch.setattr(sync, "_record_actions", fail_at_one_door)
    batch = [visit(canvass, i, "not_home") for i in (1, 2, 3)]
    report = upload(phone, batch)
    assert report["applied"] == [batch[0]["id"], batch[2]["id"]]
    assert report["rejected"] == [{"id": batch[1]["id"], "reason": "The server could not apply this visit."}]
    # Nothing of the failed item stays: neither its visit nor the Actions written before the failure.
    assert not Visit.objects.filter(household=doomed).exists()
    assert not Action.objects.filter(person__household=doomed).exists()
    assert Visit.objects.count() == 2
