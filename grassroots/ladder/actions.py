"""Every write of the ladder: stages, rules, the queue, curricula, reading groups and progress.

Each function runs in one transaction and writes its audit entry; permission checks that need the
user's role or scope are made here, so the views, the demo and any later API refuse the same things.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.ladder.access import can_edit_ladder, can_run_education
from grassroots.ladder.models import Curriculum, Progress, QueueItem, ReadingGroup, Rule, Session, Stage
from grassroots.ladder.rules import clean_params
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person
from grassroots.places.models import Area

Verb = AuditEntry.Verb
ATTENDED_SESSION = "education_attended"  # Action kinds on the person's timeline
COMPLETED_SESSION = "education_completed"


def _check_ladder_editor(actor: User) -> None:
    if not can_edit_ladder(actor):
        raise ValidationError(_("Only organizers change the ladder."))


def _check_education(actor: User) -> None:
    if not can_run_education(actor):
        raise ValidationError(_("Your role may not run political education."))


def _check_person(actor: User, person: Person) -> None:
    if not access.people_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError(_("That person is outside the areas you work in."))


# --- the ladder --------------------------------------------------------------------------------


@dataclass
class StageData:
    name: str
    position: int
    match: str = Stage.Match.ANY
    description: str = ""
    follow_up: bool = True
    active: bool = True

    def apply(self, stage: Stage) -> Stage:
        stage.name, stage.position, stage.match = self.name.strip()[:80], self.position, self.match
        stage.description, stage.follow_up, stage.active = self.description, self.follow_up, self.active
        return stage


@transaction.atomic
def do_save_stage(actor: User, stage: Stage | None, data: StageData) -> Stage:
    """Create a stage (``stage`` None) or change one. Positions are unique: the order is the ladder."""
    _check_ladder_editor(actor)
    if not data.name.strip():
        raise ValidationError(_("Give the stage a name."))
    if data.match not in Stage.Match.values:
        raise ValidationError(_("Choose how the rules combine."))
    taken = Stage.objects.filter(position=data.position)
    if stage is not None:
        taken = taken.exclude(pk=stage.pk)
    if taken.exists():
        raise ValidationError(_("Another stage is at position %(p)s.") % {"p": data.position})
    created = stage is None
    stage = data.apply(stage or Stage())
    stage.save()
    record_audit(actor, Verb.CREATE if created else Verb.UPDATE, "stage", stage.public_id, name=stage.name)
    return stage


@transaction.atomic
def do_save_rule(actor: User, stage: Stage, rule: Rule | None, kind: str, params: dict[str, Any]) -> Rule:
    _check_ladder_editor(actor)
    cleaned = clean_params(kind, params)
    created = rule is None
    rule = rule or Rule(stage=stage)
    rule.kind, rule.params = kind, cleaned
    rule.save()
    verb = Verb.CREATE if created else Verb.UPDATE
    record_audit(actor, verb, "stage_rule", rule.public_id, stage=stage.name, kind=kind, params=cleaned)
    return rule


@transaction.atomic
def do_delete_rule(actor: User, rule: Rule) -> None:
    _check_ladder_editor(actor)
    record_audit(actor, Verb.DELETE, "stage_rule", rule.public_id, kind=rule.kind, params=rule.params)
    rule.delete()


def do_update_ladder(actor: User) -> None:
    """Recompute the stages of the actor's people now, in the background (the page's button); the
    command and code that has just recorded Actions call engine.update_ladder themselves."""
    from grassroots.ladder.tasks import update_ladder_for

    if not getattr(actor, "can_edit_people", False):
        raise ValidationError(_("Your role may not update the ladder."))
    record_audit(actor, Verb.UPDATE, "ladder", "")
    transaction.on_commit(lambda: update_ladder_for.enqueue(actor.pk))


# --- the follow-up queue ----------------------------------------------------------------------


@transaction.atomic
def do_assign_item(actor: User, item: QueueItem, assignee: User | None) -> QueueItem:
    """Give a follow-up to an organizer who can see the person (None: back to no one)."""
    _check_person(actor, item.person)
    if assignee is not None and (
        not assignee.can_edit_people
        or not access.people_visible_to(assignee).filter(pk=item.person_id).exists()
    ):
        raise ValidationError(
            _("%(user)s cannot see or follow up with this person.") % {"user": assignee.username}
        )
    item.assignee = assignee
    item.save(update_fields=["assignee"])
    record_audit(
        actor, Verb.UPDATE, "follow_up", item.public_id, assignee=assignee.username if assignee else ""
    )
    return item


@transaction.atomic
def do_mark_done(actor: User, item: QueueItem, done: bool = True) -> QueueItem:
    """Mark a follow-up done (or open again); a door follow-up is marked on the canvass side too."""
    _check_person(actor, item.person)
    item.done_at = timezone.now() if done else None
    item.done_by = actor if done else None
    item.save(update_fields=["done_at", "done_by"])
    if item.follow_up is not None:
        item.follow_up.done_at = item.done_at
        item.follow_up.save(update_fields=["done_at"])
    record_audit(actor, Verb.UPDATE, "follow_up", item.public_id, done=done)
    return item


@transaction.atomic
def do_clear_queue(actor: User, items: QuerySet[QueueItem]) -> int:
    """Mark many follow-ups done at once (those of people the actor may see), their door
    follow-ups with them: for a queue worked outside grassroots. Returns how many."""
    from grassroots.canvass.models import FollowUp

    if not getattr(actor, "can_edit_people", False):
        raise ValidationError(_("Your role may not work the follow-up queue."))
    mine = items.filter(done_at__isnull=True, person__in=access.people_visible_to(actor).values("pk"))
    now = timezone.now()
    FollowUp.objects.filter(pk__in=mine.filter(follow_up__isnull=False).values("follow_up_id")).update(
        done_at=now
    )
    count = QueueItem.objects.filter(pk__in=mine.values("pk")).update(done_at=now, done_by=actor)
    record_audit(actor, Verb.UPDATE, "follow_up", "", done=True, count=count)
    return count


# --- political education ----------------------------------------------------------------------


@transaction.atomic
def do_create_curriculum(actor: User, title: str, description: str = "") -> Curriculum:
    _check_education(actor)
    if not title.strip():
        raise ValidationError(_("Give the curriculum a title."))
    # The same curriculum from the same organizer is the form sent twice: keep the first one.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    again = Curriculum.objects.filter(
        title=title.strip()[:200], description=description, created_by=actor
    ).first()
    if again is not None:
        return again
    curriculum = Curriculum.objects.create(
        title=title.strip()[:200], description=description, created_by=actor
    )
    record_audit(actor, Verb.CREATE, "curriculum", curriculum.public_id, title=curriculum.title)
    return curriculum


@transaction.atomic
def do_add_session(actor: User, curriculum: Curriculum, title: str, readings: str = "") -> Session:
    """Add a session at the end of the curriculum. The last session again (same title and
    readings) is the form sent twice: it is returned rather than added a second time."""
    _check_education(actor)
    if not title.strip():
        raise ValidationError(_("Give the session a title."))
    Curriculum.objects.select_for_update().filter(pk=curriculum.pk).first()
    latest = curriculum.sessions.order_by("-position").first()
    if latest is not None and (latest.title, latest.readings) == (title.strip()[:200], readings.strip()):
        return latest
    last = latest.position if latest is not None else 0
    session = Session.objects.create(
        curriculum=curriculum, position=last + 1, title=title.strip()[:200], readings=readings.strip()
    )
    record_audit(actor, Verb.UPDATE, "curriculum", curriculum.public_id, session=session.title)
    return session


@transaction.atomic
def do_create_reading_group(
    actor: User,
    session: Session,
    starts_at: datetime.datetime,
    *,
    location: str = "",
    area: Area | None = None,
    meeting: Any = None,
    event: Any = None,
) -> ReadingGroup:
    """A reading group on ``session``: at a time and place, as a committee meeting or as an event.

    The same group again (same session, time, place, meeting and event) is the form sent twice:
    the group already scheduled is returned."""
    _check_education(actor)
    if area is not None and not access.area_in_scope(actor, area):
        raise ValidationError(_("%(area)s is outside the areas you work in.") % {"area": area.name})
    Session.objects.select_for_update().filter(pk=session.pk).first()
    again = ReadingGroup.objects.filter(
        session=session, starts_at=starts_at, location=location[:300], area=area, meeting=meeting, event=event
    ).first()
    if again is not None:
        return again
    group = ReadingGroup(
        session=session,
        starts_at=starts_at,
        location=location[:300],
        area=area,
        meeting=meeting,
        event=event,
        created_by=actor,
    )
    group.save()
    record_audit(actor, Verb.CREATE, "reading_group", group.public_id, session=session.title)
    return group


@transaction.atomic
def do_record_progress(
    actor: User,
    session: Session,
    people: Iterable[Person],
    *,
    completed: bool = False,
    group: ReadingGroup | None = None,
    at: datetime.datetime | None = None,
) -> list[Progress]:
    """Mark people as having attended (and, with ``completed``, completed) a session.

    Each new step is an Action on the person's timeline as well. Recording the same step again
    changes nothing, so a form sent twice adds no second Action.
    """
    _check_education(actor)
    at = at or (group.starts_at if group is not None else timezone.now())
    chosen = list(dict.fromkeys(people))
    for person in chosen:
        _check_person(actor, person)
    details = {
        "curriculum": session.curriculum.title,
        "session": session.title,
        "session_id": str(session.public_id),
    }
    changed = []
    for person in chosen:
        progress, _created = Progress.objects.get_or_create(
            person=person, session=session, defaults={"group": group, "recorded_by": actor}
        )
        fields = []
        if progress.attended_at is None:
            progress.attended_at = at
            fields.append("attended_at")
            do_record_action(
                actor, person, ATTENDED_SESSION, occurred_at=at, source="education", details=details
            )
        if completed and progress.completed_at is None:
            progress.completed_at = at
            fields.append("completed_at")
            do_record_action(
                actor, person, COMPLETED_SESSION, occurred_at=at, source="education", details=details
            )
        if fields:
            progress.save(update_fields=fields)
            changed.append(progress)
    record_audit(
        actor,
        Verb.UPDATE,
        "curriculum",
        session.curriculum.public_id,
        session=session.title,
        people=len(changed),
        completed=completed,
    )
    return changed
