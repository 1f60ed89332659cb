"""Stages from rules, stored as spells: the highest stage wins, reruns change nothing, lapses drop."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from grassroots.accounts.models import Role
from grassroots.committees.actions import CommitteeData, do_add_member, do_create_committee
from grassroots.fixtures import SmallCity
from grassroots.ladder import actions
from grassroots.ladder.engine import stage_of, update_ladder
from grassroots.ladder.models import Spell, Stage
from grassroots.people.models import Action, Person
from grassroots.testing import make_person, make_user

pytestmark = pytest.mark.django_db

# A day from now: the fixtures' own Actions (made "now") are all before it.
NOW = timezone.now().replace(microsecond=0) + datetime.timedelta(days=1)


def act(
    person: Person, kind: str, days_ago: float, now: datetime.datetime = NOW, **details: object
) -> Action:
    return Action.objects.create(
        person=person, kind=kind, occurred_at=now - datetime.timedelta(days=days_ago), details=details
    )


def stage_name(person: Person) -> str | None:
    spell = stage_of(person)
    return spell.stage.name if spell else None


def test_a_person_stands_at_the_highest_stage_whose_rules_they_meet(small_city: SmallCity) -> None:
    c = small_city
    # Ana: a door knock with no one home is not a contact; Bo signed up and RSVPed: a supporter.
    update_ladder(now=NOW)
    assert stage_name(c.ana) is None
    assert stage_name(c.bo) == "Supporter"
    # A talk at the door makes Ana contacted; joining a committee puts her four stages higher at once.
    act(c.ana, "door_knock", 3, result="contact", answers={"support": 2})
    update_ladder(now=NOW)
    assert stage_name(c.ana) == "Contacted"
    committee = do_create_committee(c.organizer, CommitteeData("Elm tenants", area=c.building1))
    do_add_member(c.organizer, committee, c.ana, joined_on=timezone.localdate() - datetime.timedelta(days=30))
    update_ladder(now=NOW)
    assert stage_name(c.ana) == "Committee member"
    history = list(Spell.objects.filter(person=c.ana).order_by("entered_at", "id"))
    assert [(s.stage.name, s.came_from and s.came_from.name, s.left_going) for s in history] == [
        ("Contacted", None, Spell.Going.UP),
        ("Committee member", "Contacted", ""),
    ]
    assert history[0].left_at == history[1].entered_at == NOW
    assert not history[0].initial  # the first update (where everyone stood) found Ana nowhere


def test_updating_twice_changes_nothing(small_city: SmallCity) -> None:
    act(small_city.ana, "meeting_attended", 5)
    first = update_ladder(now=NOW)
    assert first.entered == 2
    assert all(Spell.objects.values_list("initial", flat=True))  # the first update: where people stood
    before = list(Spell.objects.values_list("person_id", "stage_id", "entered_at", "left_at"))
    again = update_ladder(now=NOW + datetime.timedelta(hours=1))
    assert (again.entered, again.moved_up, again.dropped, again.queued) == (0, 0, 0, 0)
    assert list(Spell.objects.values_list("person_id", "stage_id", "entered_at", "left_at")) == before


def test_a_person_drops_a_stage_when_a_windowed_rule_lapses(small_city: SmallCity) -> None:
    ana = small_city.ana
    act(ana, "meeting_attended", 20)
    act(ana, "meeting_attended", 5)  # two meetings in 60 days: a volunteer
    update_ladder(now=NOW)
    assert stage_name(ana) == "Volunteer"
    # 45 days on, the first meeting is 65 days old: one meeting in the window, a supporter again.
    later = NOW + datetime.timedelta(days=45)
    report = update_ladder(now=later)
    assert (report.dropped, report.entered, report.moved_up) == (1, 1, 0)
    assert stage_name(ana) == "Supporter"
    volunteer, supporter = Spell.objects.filter(person=ana).order_by("entered_at")
    assert (volunteer.left_at, volunteer.left_going) == (later, Spell.Going.DOWN)
    assert (supporter.came_from, supporter.entered_at, supporter.left_at) == (volunteer.stage, later, None)
    assert not supporter.moved_up
    # A third meeting brings her back up.
    act(ana, "meeting_attended", 1, now=later)
    update_ladder(now=later)
    assert stage_name(ana) == "Volunteer"
    assert Spell.objects.filter(person=ana).count() == 3


def test_a_person_off_every_rule_leaves_the_ladder(small_city: SmallCity) -> None:
    action = act(small_city.ana, "shift_led", 10)
    update_ladder(now=NOW)
    assert stage_name(small_city.ana) == "Volunteer"
    Action.objects.filter(pk=action.pk).update(kind="shift_cancelled")  # recorded by mistake
    update_ladder(now=NOW)
    assert stage_name(small_city.ana) is None
    assert Spell.objects.get(person=small_city.ana).left_going == Spell.Going.DOWN


def test_completed_sessions_of_a_curriculum_can_be_a_rule(small_city: SmallCity) -> None:
    c = small_city
    curriculum = actions.do_create_curriculum(c.organizer, "Tenant power")
    sessions = [actions.do_add_session(c.organizer, curriculum, f"Session {i}") for i in range(1, 5)]
    cadre = actions.do_save_stage(c.organizer, None, actions.StageData("Cadre", 80))
    actions.do_save_rule(
        c.organizer, cadre, None, "curriculum", {"curriculum": str(curriculum.public_id), "count": 3}
    )
    for session in sessions[:2]:
        actions.do_record_progress(c.organizer, session, [c.ana], completed=True, at=NOW)
    actions.do_record_progress(c.organizer, sessions[2], [c.ana], completed=False, at=NOW)
    update_ladder(now=NOW)
    assert stage_name(c.ana) != "Cadre"  # two completed, one only attended
    actions.do_record_progress(c.organizer, sessions[2], [c.ana], completed=True, at=NOW)
    update_ladder(now=NOW + datetime.timedelta(minutes=1))
    assert stage_name(c.ana) == "Cadre"
    assert Action.objects.filter(person=c.ana, kind=actions.COMPLETED_SESSION).count() == 3
    assert Action.objects.filter(person=c.ana, kind=actions.ATTENDED_SESSION).count() == 3


def test_rules_of_a_stage_can_all_be_required(small_city: SmallCity) -> None:
    c = small_city
    stage = Stage.objects.get(name="Member")
    actions.do_save_rule(c.organizer, stage, None, "actions", {"kinds": "rsvp", "count": 1})
    act(c.ana, "membership", 3)
    update_ladder(now=NOW)
    assert stage_name(c.ana) == "Member"  # any one rule
    stage.match = Stage.Match.ALL
    stage.save()
    update_ladder(now=NOW)
    assert stage_name(c.ana) is None  # a membership but no RSVP
    assert stage_name(c.bo) == "Supporter"  # an RSVP but no membership
    act(c.ana, "rsvp", 1)
    update_ladder(now=NOW)
    assert stage_name(c.ana) == "Member"


def test_updating_some_people_leaves_the_others(small_city: SmallCity) -> None:
    update_ladder(now=NOW)
    act(small_city.ana, "signup", 1)
    act(small_city.bo, "shift_led", 1)
    update_ladder(now=NOW, people=[small_city.ana])
    assert stage_name(small_city.ana) == "Supporter"
    assert stage_name(small_city.bo) == "Supporter"  # not yet recomputed


def test_only_organizers_change_the_ladder(small_city: SmallCity) -> None:
    from django.core.exceptions import ValidationError

    stage = Stage.objects.get(name="Member")
    for user in (small_city.coordinator, make_user("someone", Role.CANVASSER)):
        with pytest.raises(ValidationError):
            actions.do_save_rule(user, stage, None, "actions", {"kinds": "rsvp"})
    with pytest.raises(ValidationError):
        actions.do_save_rule(small_city.organizer, stage, None, "actions", {"kinds": "no spaces allowed"})
    make_person("Cy", area=small_city.ed1)


def test_the_default_ladder_is_seeded_only_into_an_empty_table(small_city: SmallCity) -> None:
    from grassroots.ladder.defaults import seed_default_ladder

    assert seed_default_ladder() == 0  # the migration seeded it
    Stage.objects.all().delete()  # as a flush of every table does
    assert seed_default_ladder() == 7
    assert list(Stage.objects.values_list("name", flat=True))[::3] == ["Voter", "Volunteer", "Organizer"]
    update_ladder(now=NOW)
    assert stage_name(small_city.bo) == "Supporter"
