"""The ladder's pages: funnel, queue, rule editor with its preview, education, the person's page."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.models import FollowUp
from grassroots.fixtures import SmallCity
from grassroots.ladder import actions
from grassroots.ladder.engine import update_ladder
from grassroots.ladder.models import QueueItem, Rule, Spell, Stage
from grassroots.people.models import Action

pytestmark = pytest.mark.django_db


def test_the_rule_editor_previews_counts_and_saves_only_what_was_previewed(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    stage = Stage.objects.get(name="Member")
    url = reverse("ladder_stage_rule_new", args=[stage.public_id])
    form = {"kind": "actions", "kinds": "signup, rsvp", "count": "1", "window_days": "0"}
    # Saving straight away shows the preview instead: nothing is saved unseen.
    page = client.post(url, {**form, "save": "1"})
    assert (
        page.status_code == 200
        and not Rule.objects.filter(stage=stage, kind="actions", params__count=1)
        .exclude(pk__in=stage.rules.values("pk"))
        .exists()
    )
    before = stage.rules.count()
    assert page.context["candidate_count"] == 1  # Bo signed up
    assert b"preview-count" in page.content
    member = next(c for c in page.context["checks"] if c.stage.pk == stage.pk)
    assert member.matched == 1 and any(r.changed for r in member.rules)
    assert stage.rules.count() == before
    saved = client.post(url, {**form, "save": "1", "previewed": page.context["previewed"]})
    assert saved.status_code == 302
    assert stage.rules.count() == before + 1
    # A misspelt kind matches no one: the preview warns.
    page = client.post(url, {**form, "kinds": "sigup", "preview": "1"})
    assert page.context["candidate_count"] == 0
    assert "No one" in page.content.decode()


def test_the_rules_page_warns_of_rules_that_match_no_one_and_unreachable_stages(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.organizer)
    checks = {c.stage.name: c for c in client.get(reverse("ladder_rules")).context["checks"]}
    assert checks["Supporter"].matched == 1  # Bo
    assert checks["Organizer"].matched == 0 and checks["Organizer"].warnings
    stage = Stage.objects.get(name="Organizer")
    # Two rules that each match someone but never the same person: they contradict.
    actions.do_save_stage(
        small_city.organizer, stage, actions.StageData("Organizer", 70, match=Stage.Match.ALL)
    )
    stage.rules.all().delete()
    actions.do_save_rule(small_city.organizer, stage, None, "actions", {"kinds": "signup"})
    actions.do_save_rule(small_city.organizer, stage, None, "actions", {"kinds": "door_knock"})
    checks = {c.stage.name: c for c in client.get(reverse("ladder_rules")).context["checks"]}
    assert [r.matched for r in checks["Organizer"].rules] == [1, 1]
    assert "contradict" in checks["Organizer"].warnings[0]
    # Bo meets Supporter, but also a higher stage: no one stands at Supporter any more.
    actions.do_save_stage(
        small_city.organizer, stage, actions.StageData("Organizer", 70, match=Stage.Match.ANY)
    )
    checks = {c.stage.name: c for c in client.get(reverse("ladder_rules")).context["checks"]}
    assert (checks["Supporter"].matched, checks["Supporter"].reached) == (1, 0)
    assert "higher stage" in checks["Supporter"].warnings[0]


def test_a_coordinator_sees_the_counts_of_their_scope_and_may_not_edit(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.coordinator)
    checks = {c.stage.name: c for c in client.get(reverse("ladder_rules")).context["checks"]}
    assert checks["Supporter"].matched == 0  # Bo lives in the south
    stage = Stage.objects.get(name="Member")
    assert client.get(reverse("ladder_stage_rule_new", args=[stage.public_id])).status_code == 403
    assert client.get(reverse("ladder_stage_edit", args=[stage.public_id])).status_code == 403


def test_an_organizer_adds_a_stage_after_a_preview(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    form = {"name": "Cadre", "position": "80", "match": "any", "follow_up": "on", "active": "on"}
    page = client.post(reverse("ladder_stage_new"), {**form, "preview": "1"})
    cadre = next(c for c in page.context["checks"] if c.stage.name == "Cadre")
    assert "no rules" in cadre.warnings[0]
    client.post(reverse("ladder_stage_new"), {**form, "save": "1", "previewed": page.context["previewed"]})
    assert Stage.objects.get(name="Cadre").position == 80
    # A second stage at the same position is refused.
    page = client.post(
        reverse("ladder_stage_new"),
        {**form, "name": "Twin", "save": "1", "previewed": page.context["previewed"]},
    )
    assert not Stage.objects.filter(name="Twin").exists()


def test_the_person_page_shows_the_stage_and_its_history(small_city: SmallCity, client: Client) -> None:
    ana = small_city.ana
    now = timezone.now()
    Action.objects.create(person=ana, kind="signup", occurred_at=now - datetime.timedelta(days=3))
    update_ladder(now=now - datetime.timedelta(days=2))
    Action.objects.create(person=ana, kind="membership", occurred_at=now - datetime.timedelta(days=1))
    update_ladder(now=now)
    client.force_login(small_city.coordinator)
    page = client.get(reverse("person_detail", args=[ana.public_id])).content.decode()
    history = page[page.index('id="ladder-history"') :]
    history = history[: history.index("</ul>")]
    assert "<strong>Member</strong>" in history and "Supporter" in history and "moved up" in history
    assert "Moved up from Supporter to Member" in page  # the open follow-up, for the coordinator
    assert QueueItem.objects.filter(person=ana).count() == 2  # Supporter, then Member


def test_the_funnel_page_shows_the_users_scope(small_city: SmallCity, client: Client) -> None:
    update_ladder(now=timezone.now() - datetime.timedelta(days=1))  # before Bo's sign-up: no one yet
    update_ladder()
    client.force_login(small_city.organizer)
    page = client.get(reverse("ladder_funnel"), {"kind": "neighborhood"})
    totals = {t["stage"].name: t["count"] for t in page.context["totals"]}
    assert totals["Supporter"] == 1 and page.context["total"] == 1
    assert [(r.area.name, r.total) for r in page.context["rows"]] == [("South", 1)]
    assert page.context["periods"][-1].up == 1  # Bo joined the ladder this week
    assert b"<svg" in page.content and b'id="last-update"' in page.content
    client.force_login(small_city.coordinator)
    page = client.get(reverse("ladder_funnel"), {"period": "month"})
    assert page.context["total"] == 0 and page.context["rows"] == []
    assert sum(p.up for p in page.context["periods"]) == 0


def test_the_update_button_recomputes_the_users_scope(
    small_city: SmallCity, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    def press(user: User) -> None:
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("ladder_update"))

    press(small_city.coordinator)
    assert not Spell.objects.filter(person=small_city.bo).exists()  # outside the north
    press(small_city.canvasser)  # a canvasser may not
    assert not Spell.objects.exists()
    press(small_city.organizer)
    assert Spell.objects.filter(person=small_city.bo, left_at__isnull=True).get().stage.name == "Supporter"
    assert AuditEntry.objects.filter(object_type="ladder").count() == 2


def test_a_reading_group_records_progress_as_actions(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.coordinator)
    client.post(reverse("education_curriculum_new"), {"title": "Housing and power"})
    from grassroots.ladder.models import Curriculum, Progress, ReadingGroup

    curriculum = Curriculum.objects.get()
    url = reverse("education_curriculum", args=[curriculum.public_id])
    client.post(url, {"title": "Who owns the city", "readings": "Chapter 1\nChapter 2"})
    session = curriculum.sessions.get()
    assert session.reading_list == ["Chapter 1", "Chapter 2"]
    client.post(
        reverse("education_session_group_new", args=[session.public_id]),
        {"starts_at": "2026-03-03T19:00", "location": "Library", "area": str(small_city.north.public_id)},
    )
    group = ReadingGroup.objects.get()
    page = client.get(reverse("education_group", args=[group.public_id]), {"q": "Ana"})
    assert [p.first_name for p in page.context["candidates"]] == ["Ana"]
    progress_url = reverse("education_group_progress", args=[group.public_id])
    client.post(progress_url, {"people": [str(small_city.ana.public_id)], "completed": "1"})
    client.post(progress_url, {"people": [str(small_city.ana.public_id)], "completed": "1"})  # again
    progress = Progress.objects.get()
    assert progress.completed_at == group.starts_at
    assert Action.objects.filter(person=small_city.ana, kind__startswith="education_").count() == 2
    # Bo is outside the coordinator's areas: refused, nothing recorded.
    client.post(progress_url, {"people": [str(small_city.bo.public_id)]})
    assert Progress.objects.count() == 1
    page = client.get(url)
    assert [(s.attended, s.completed) for s in page.context["sessions"]] == [(1, 1)]
    client.force_login(small_city.canvasser)  # sees no one in the north
    page = client.get(url)
    assert [(s.attended, s.completed) for s in page.context["sessions"]] == [(0, 0)]
    assert client.get(reverse("education_group", args=[group.public_id])).status_code == 404


def test_door_follow_ups_are_marked_done_from_the_queue(small_city: SmallCity, client: Client) -> None:
    follow_up = FollowUp.objects.create(person=small_city.ana, reason="Wants to get involved")
    update_ladder()
    item = QueueItem.objects.get(follow_up=follow_up)
    client.force_login(small_city.coordinator)
    page = client.get(reverse("ladder_queue"))
    assert [i.reason for i in page.context["page"]] == ["Wants to get involved"]
    client.post(reverse("ladder_item_done", args=[item.public_id]), {"done": "1"})
    follow_up.refresh_from_db()
    item.refresh_from_db()
    assert item.done_at is not None and follow_up.done_at == item.done_at
    assert list(client.get(reverse("ladder_queue")).context["page"]) == []


def test_a_reading_group_held_as_an_event_records_its_sign_ins(small_city: SmallCity, client: Client) -> None:
    from grassroots.events import actions as event_actions
    from grassroots.events.arrivals import Arrival
    from grassroots.events.models import Event
    from grassroots.ladder.models import Progress

    c = small_city
    # Noon tomorrow, local time: the form reads local times, and at noon there is no clock change.
    starts = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=1
    )
    data = event_actions.EventData(
        "Reading group", starts, starts + datetime.timedelta(hours=2), address="12 Elm Avenue", area=c.north
    )
    data.kind = Event.Kind.READING_GROUP
    event = event_actions.do_create_event(c.organizer, data)
    curriculum = actions.do_create_curriculum(c.organizer, "Housing is a right")
    session = actions.do_add_session(c.organizer, curriculum, "Who owns the city")
    client.force_login(c.coordinator)
    client.post(
        reverse("education_session_group_new", args=[session.public_id]),
        {"starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "event": str(event.public_id)},
    )
    from grassroots.ladder.models import ReadingGroup

    group = ReadingGroup.objects.get()
    assert group.event == event
    event_actions.do_check_in(c.organizer, event, Arrival("Ana", "Peña", email="ana.pena@example.org"))
    event_actions.do_check_in(c.organizer, event, Arrival("Walk", "In", email="walk.in@example.org"))
    page = client.get(reverse("education_group", args=[group.public_id]))
    assert sorted(p.first_name for p in page.context["signed_in"]) == ["Ana", "Walk"]
    people = [str(p.public_id) for p in page.context["signed_in"]]
    client.post(reverse("education_group_progress", args=[group.public_id]), {"people": people})
    assert Progress.objects.filter(session=session, attended_at__isnull=False).count() == 2
    assert client.get(reverse("education_group", args=[group.public_id])).context["signed_in"] == []


def test_education_forms_sent_twice_make_one_curriculum_session_and_group(
    small_city: SmallCity, client: Client
) -> None:
    from grassroots.ladder.models import Curriculum, ReadingGroup

    client.force_login(small_city.coordinator)
    form = {"title": "Housing and power", "description": "Six weeks"}
    first = client.post(reverse("education_curriculum_new"), form)
    second = client.post(reverse("education_curriculum_new"), form)
    curriculum = Curriculum.objects.get()
    assert first["Location"] == second["Location"]
    url = reverse("education_curriculum", args=[curriculum.public_id])
    for _ in range(2):
        client.post(url, {"title": "Who owns the city", "readings": "Chapter 1"})
    session = curriculum.sessions.get()
    group_form = {
        "starts_at": "2026-03-03T19:00",
        "location": "Library",
        "area": str(small_city.north.public_id),
    }
    for _ in range(2):
        client.post(reverse("education_session_group_new", args=[session.public_id]), group_form)
    assert ReadingGroup.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="reading_group", verb=AuditEntry.Verb.CREATE).count() == 1
    # A second session, or a second group at another time, is still added.
    client.post(url, {"title": "Who builds it", "readings": ""})
    client.post(url, {"title": "Who owns the city", "readings": "Chapter 1"})  # a review, after the second
    assert list(curriculum.sessions.values_list("position", "title")) == [
        (1, "Who owns the city"), (2, "Who builds it"), (3, "Who owns the city"),
    ]  # fmt: skip
    client.post(
        reverse("education_session_group_new", args=[session.public_id]),
        {**group_form, "starts_at": "2026-03-10T19:00"},
    )
    assert ReadingGroup.objects.count() == 2
