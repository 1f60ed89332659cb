"""Every write of committees: found, archive, members, meetings, attendance, minutes, decisions.

Each function runs in one transaction and writes its audit entry. Checks that need the user's
scope (the committee's area, the people named) are made here, so the views, the demo and any
later API refuse the same things with the same messages.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.committees.access import can_run
from grassroots.committees.models import (
    AgendaItem,
    Attendance,
    Committee,
    Decision,
    Meeting,
    Membership,
    Role,
)
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person
from grassroots.places.models import Area

Verb = AuditEntry.Verb
MAX_OCCURRENCES = 52  # a year of weekly meetings; a longer series is scheduled again later


def _check_runs(actor: User, committee: Committee) -> None:
    if not can_run(actor, committee):
        raise ValidationError(f"You do not run the committee {committee.name}.")


def _check_person(actor: User, person: Person) -> None:
    if not access.people_visible_to(actor).filter(pk=person.pk).exists():
        # Said the same way whether the person exists or not: nothing leaks.
        raise ValidationError("That person is outside the areas you work in.")


# --- committees --------------------------------------------------------------------------------


@dataclass
class CommitteeData:
    name: str
    kind: str = Committee.Kind.AREA
    area: Area | None = None
    parent: Committee | None = None
    founded_on: datetime.date | None = None


def nearest_parent(area: Area) -> Committee | None:
    """The active committee of the nearest area holding ``area``: where a new committee belongs."""
    from grassroots.committees.coverage import committees_covering

    return next((c for c in committees_covering(area) if c.area_id != area.pk), None)


@transaction.atomic
def do_create_committee(actor: User, data: CommitteeData) -> Committee:
    name = data.name.strip()
    if not name:
        raise ValidationError("Give the committee a name.")
    if data.area is None:
        if access.scope_paths(actor) is not access.ALL:
            raise ValidationError("Choose the area this committee works in.")
    elif not access.area_in_scope(actor, data.area):
        raise ValidationError(f"{data.area.name} is outside the areas you work in.")
    if data.kind == Committee.Kind.AREA and data.area is None:
        raise ValidationError("An area committee needs its area.")
    if not getattr(actor, "can_edit_people", False):
        raise ValidationError("Your role may not found committees.")
    parent_area = data.parent.area if data.parent is not None else None
    if parent_area is not None and data.area is not None and not data.area.path.startswith(parent_area.path):
        assert data.parent is not None
        raise ValidationError(f"{data.area.name} is not inside {data.parent.name}'s area.")
    committee = Committee.objects.create(
        name=name[:200],
        kind=data.kind,
        area=data.area,
        parent=data.parent,
        founded_on=data.founded_on or timezone.localdate(),
        created_by=actor,
    )
    record_audit(actor, Verb.CREATE, "committee", committee.public_id, name=committee.name)
    return committee


def has_history(committee: Committee) -> bool:
    return (
        committee.memberships.exists()
        or committee.meetings.exists()
        or committee.decisions.exists()
        or committee.subcommittees.exists()
    )


@transaction.atomic
def do_delete_committee(actor: User, committee: Committee) -> str:
    """Delete a committee with nothing recorded, or archive one that has members or history.

    Returns "deleted" or "archived". An archived committee keeps every membership, meeting and
    decision; it stops counting as active (coverage, targets, the access gate).
    """
    _check_runs(actor, committee)
    if has_history(committee):
        if committee.archived_at is None:
            committee.archived_at = timezone.now()
            committee.save(update_fields=["archived_at"])
        record_audit(actor, Verb.UPDATE, "committee", committee.public_id, archived=True)
        return "archived"
    record_audit(actor, Verb.DELETE, "committee", committee.public_id, name=committee.name)
    committee.delete()
    return "deleted"


@transaction.atomic
def do_restore_committee(actor: User, committee: Committee) -> Committee:
    _check_runs(actor, committee)
    committee.archived_at = None
    committee.save(update_fields=["archived_at"])
    record_audit(actor, Verb.UPDATE, "committee", committee.public_id, archived=False)
    return committee


# --- members -----------------------------------------------------------------------------------


def _overlaps(
    committee: Committee, person: Person, start: datetime.date, end: datetime.date | None
) -> Membership | None:
    """A membership of the person in the committee sharing a day with [start, end)."""
    clash = Q(left_on__isnull=True) | Q(left_on__gt=start)
    if end is not None:
        clash &= Q(joined_on__lt=end)
    return committee.memberships.filter(clash, person=person).order_by("joined_on").first()


def _day_of(day: datetime.date) -> datetime.datetime:
    """When to date an Action of a given day: now for today or later, noon of a past day."""
    if day >= timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@transaction.atomic
def do_add_member(
    actor: User,
    committee: Committee,
    person: Person,
    *,
    role: str = Role.MEMBER,
    joined_on: datetime.date | None = None,
    left_on: datetime.date | None = None,
) -> Membership:
    """Add a person to a committee; refused when it overlaps their other membership of it."""
    # Lock the committee so two requests adding the same person cannot both pass the check.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    _check_runs(actor, committee)
    _check_person(actor, person)
    if role not in Role.values:
        raise ValidationError(f"Unknown role “{role}”.")
    if not committee.is_active:
        raise ValidationError(f"{committee.name} is archived or dissolved: it takes no new members.")
    start = joined_on or timezone.localdate()
    if left_on is not None and left_on <= start:
        raise ValidationError("A membership must end after the day it starts.")
    clash = _overlaps(committee, person, start, left_on)
    if clash is not None:
        until = clash.left_on.isoformat() if clash.left_on else "now"
        raise ValidationError(
            f"{person.full_name} is already in {committee.name} from {clash.joined_on.isoformat()} "
            f"until {until}: end that membership first, or choose dates that do not overlap."
        )
    membership = Membership.objects.create(
        committee=committee, person=person, role=role, joined_on=start, left_on=left_on, created_by=actor
    )
    do_record_action(
        actor,
        person,
        "committee_joined",
        occurred_at=_day_of(start),
        area=committee.area,
        source="committees",
        details={"committee": committee.name, "role": role},
    )
    record_audit(
        actor, Verb.CREATE, "membership", membership.public_id, committee=str(committee.public_id), role=role
    )
    return membership


@transaction.atomic
def do_end_membership(
    actor: User, membership: Membership, left_on: datetime.date | None = None
) -> Membership:
    _check_runs(actor, membership.committee)
    end = left_on or timezone.localdate()
    if membership.left_on is not None and membership.left_on <= end:
        raise ValidationError("This membership has already ended.")
    if end <= membership.joined_on:
        raise ValidationError(
            f"A membership that began on {membership.joined_on.isoformat()} must end later."
        )
    membership.left_on = end
    membership.save(update_fields=["left_on"])
    record_audit(actor, Verb.UPDATE, "membership", membership.public_id, left_on=end.isoformat())
    return membership


@transaction.atomic
def do_start_committee(
    actor: User,
    data: CommitteeData,
    founders: Sequence[Person],
    *,
    coordinator: Person | None = None,
) -> Committee:
    """Found a committee with its first members (from the founding list); one may coordinate."""
    committee = do_create_committee(actor, data)
    for person in dict.fromkeys([*founders, *([coordinator] if coordinator else [])]):
        role = Role.COORDINATOR if person == coordinator else Role.MEMBER
        do_add_member(actor, committee, person, role=role, joined_on=committee.founded_on)
    return committee


# --- meetings ----------------------------------------------------------------------------------


@dataclass
class MeetingData:
    title: str
    starts_at: datetime.datetime
    duration: datetime.timedelta = datetime.timedelta(hours=1, minutes=30)
    location: str = ""
    recurrence: str = ""  # an RRULE ("FREQ=WEEKLY;COUNT=6"); empty for a one-off
    agenda: Sequence[str] = ()


def occurrences(first: datetime.datetime, recurrence: str) -> list[datetime.datetime]:
    """The start of each meeting of a schedule: the first alone, or as the RRULE repeats it.

    A rule must end (COUNT or UNTIL); at most MAX_OCCURRENCES meetings are made at once.
    """
    if not recurrence:
        return [first]
    rule_text = recurrence.removeprefix("RRULE:")
    if "COUNT=" not in rule_text and "UNTIL=" not in rule_text:
        raise ValidationError("Say how many times the meeting repeats, or until when.")
    try:
        rule = rrulestr(rule_text, dtstart=first)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"Cannot read the repeat rule “{recurrence}”.") from exc
    starts: list[datetime.datetime] = []
    for start in rule:
        if len(starts) == MAX_OCCURRENCES:
            break
        starts.append(start)
    return starts or [first]


@transaction.atomic
def do_schedule_meetings(actor: User, committee: Committee, data: MeetingData) -> list[Meeting]:
    """One meeting, or one row per occurrence of a recurring one, each with the agenda given."""
    _check_runs(actor, committee)
    if not committee.is_active:
        raise ValidationError(f"{committee.name} is archived or dissolved.")
    title = data.title.strip() or f"{committee.name} meeting"
    if timezone.is_naive(data.starts_at):
        raise ValidationError("A meeting's time needs its time zone.")
    starts = occurrences(data.starts_at, data.recurrence)
    series = uuid.uuid4() if len(starts) > 1 or data.recurrence else None
    meetings = []
    for start in starts:
        meeting = Meeting.objects.create(
            committee=committee,
            title=title[:200],
            starts_at=start,
            ends_at=start + data.duration,
            location=data.location.strip()[:300],
            series=series,
            recurrence=data.recurrence[:200],
            created_by=actor,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=i, title=item.strip()[:300])
            for i, item in enumerate(a for a in data.agenda if a.strip())
        )
        meetings.append(meeting)
    record_audit(
        actor,
        Verb.CREATE,
        "meeting",
        meetings[0].public_id,
        committee=str(committee.public_id),
        count=len(meetings),
    )
    return meetings


@transaction.atomic
def do_add_agenda_item(actor: User, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    _check_runs(actor, meeting.committee)
    if not title.strip():
        raise ValidationError("Give the agenda item a title.")
    position = meeting.agenda.count()
    item = AgendaItem.objects.create(
        meeting=meeting, position=position, title=title.strip()[:300], notes=notes
    )
    record_audit(actor, Verb.UPDATE, "meeting", meeting.public_id, agenda_item=item.title)
    return item


@transaction.atomic
def do_record_attendance(actor: User, meeting: Meeting, people: Iterable[Person]) -> list[Attendance]:
    """Mark people as present; each new attendance is also a meeting_attended Action.

    Recording someone twice changes nothing, so a form sent again adds no second Action.
    """
    _check_runs(actor, meeting.committee)
    if meeting.cancelled_at is not None:
        raise ValidationError("This meeting was cancelled.")
    chosen = list(dict.fromkeys(people))
    for person in chosen:
        _check_person(actor, person)
    already = set(meeting.attendance.values_list("person_id", flat=True))
    recorded = []
    for person in chosen:
        if person.pk in already:
            continue
        action = do_record_action(
            actor,
            person,
            "meeting_attended",
            occurred_at=meeting.starts_at,
            area=meeting.committee.area,
            source="committees",
            details={
                "meeting": str(meeting.public_id),
                "committee": meeting.committee.name,
                "title": meeting.title,
            },
        )
        recorded.append(
            Attendance.objects.create(meeting=meeting, person=person, action=action, recorded_by=actor)
        )
    record_audit(actor, Verb.UPDATE, "meeting", meeting.public_id, attended=len(recorded))
    return recorded


@transaction.atomic
def do_record_minutes(actor: User, meeting: Meeting, minutes: str) -> Meeting:
    _check_runs(actor, meeting.committee)
    meeting.minutes = minutes.strip()
    meeting.minutes_recorded_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_recorded_at"])
    record_audit(actor, Verb.UPDATE, "meeting", meeting.public_id, minutes=len(meeting.minutes))
    return meeting


@transaction.atomic
def do_cancel_meeting(actor: User, meeting: Meeting) -> Meeting:
    _check_runs(actor, meeting.committee)
    if meeting.attendance.exists():
        raise ValidationError("Attendance is recorded for this meeting: it took place.")
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["cancelled_at"])
    record_audit(actor, Verb.UPDATE, "meeting", meeting.public_id, cancelled=True)
    return meeting


# --- decisions ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_decision(
    actor: User,
    committee: Committee,
    text: str,
    *,
    meeting: Meeting | None = None,
    owner: Person | None = None,
    due_on: datetime.date | None = None,
) -> Decision:
    _check_runs(actor, committee)
    if not text.strip():
        raise ValidationError("Say what was decided.")
    if meeting is not None and meeting.committee_id != committee.pk:
        raise ValidationError("That meeting is another committee's.")
    if owner is not None:
        _check_person(actor, owner)
    decision = Decision.objects.create(
        committee=committee,
        meeting=meeting,
        text=text.strip()[:500],
        owner=owner,
        due_on=due_on,
        created_by=actor,
    )
    record_audit(actor, Verb.CREATE, "decision", decision.public_id, committee=str(committee.public_id))
    return decision


@transaction.atomic
def do_set_decision_done(actor: User, decision: Decision, done: bool = True) -> Decision:
    _check_runs(actor, decision.committee)
    decision.done_at = timezone.now() if done else None
    decision.save(update_fields=["done_at"])
    record_audit(actor, Verb.UPDATE, "decision", decision.public_id, done=done)
    return decision
