"""Applying the visits a canvasser's phone uploads: each exactly once, each checked on its own.

The phone gives every visit an id (a UUID) when it is recorded, and keeps the visit in its
queue until the server has answered for it. The server applies each item of a batch in a
savepoint of its own:

* applied — new: the visit and its Action are written;
* already — a visit with that id exists (the same upload retried, or cut off half way and sent
  again): nothing is written twice, and the phone may drop it from its queue;
* rejected — malformed, for a turf not assigned to this canvasser, for a door not in the turf,
  or an id already used by someone else: a reason the app shows; the rest of the batch applies.
  An item that fails in a way not foreseen is rejected too (and logged): were the whole upload to
  fail, the phone would send the same batch again, and its queue would be stuck for good.

A visit for one person is an Action on that person; a visit to the door with no one named
(not home, no answer) is an Action on each person of the household the canvasser may see. A talk
whose answers matter for organizing (the script's questions say which: wants to get involved, a
tenants' meeting, an issue raised) tags the person and leaves a FollowUp for an organizer. Answers
are checked against the turf's script (scripts.clean_answers): types, choices and branches.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, transaction

from grassroots.accounts import access
from grassroots.accounts.models import User
from grassroots.canvass import scripts
from grassroots.canvass.models import FollowUp, Question, Script, Turf, TurfDoor, Visit
from grassroots.lib.moments import NotAMoment, read_moment
from grassroots.people.models import Action, Person, Tag
from grassroots.places.models import Household

log = logging.getLogger(__name__)

MAX_BATCH = 500
MAX_NOTE = 2000


@dataclass
class SyncReport:
    applied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"applied": self.applied, "already": self.already, "rejected": self.rejected}


class Rejected(Exception):
    pass


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Rejected(f"{what} is not a valid id.") from None


def _when(value: Any) -> datetime:
    if not isinstance(value, str):
        raise Rejected("visited_at is not a date and time (ISO 8601).")
    try:
        return read_moment(value)
    except NotAMoment as exc:
        raise Rejected(f"visited_at {exc} (ISO 8601).") from None


def apply_visits(user: User, items: Any, *, organizer: bool = False) -> SyncReport:
    """Apply a batch of visits from ``user``'s phone; see the module docstring.

    ``organizer``: the visits may also be for turfs of universes the user organizes (all its
    areas in their scope, a role that may change people), as when an organizer enters the
    canvass of a paper walk list through the API."""
    report = SyncReport()
    if not isinstance(items, list):
        report.rejected.append({"id": "", "reason": "The upload must hold a list of visits."})
        return report
    if len(items) > MAX_BATCH:
        report.rejected.append({"id": "", "reason": f"Send at most {MAX_BATCH} visits at a time."})
        return report
    turfs: dict[uuid.UUID, Turf | None] = {}
    scripts_of: dict[Any, list[Question]] = {}
    for item in items:
        raw_id = str(item.get("id", "")) if isinstance(item, dict) else ""
        try:
            with transaction.atomic():
                outcome = _apply_one(user, item, turfs, scripts_of, organizer=organizer)
        except Rejected as exc:
            report.rejected.append({"id": raw_id, "reason": str(exc)})
        except (OperationalError, InterfaceError):
            # The database itself failed, not this item: fail the upload, and the phone keeps
            # the whole batch to send again.
            raise
        except Exception:
            # A bad item must not stop the batch (see the module docstring). The phone keeps a
            # rejected visit, with the reason, for the canvasser to see.
            log.exception("canvass sync: visit %r could not be applied", raw_id)
            report.rejected.append({"id": raw_id, "reason": "The server could not apply this visit."})
        else:
            (report.applied if outcome == "applied" else report.already).append(raw_id)
    return report


def _turf(
    user: User, turf_id: uuid.UUID, cache: dict[uuid.UUID, Turf | None], *, organizer: bool = False
) -> Turf:
    if turf_id not in cache:
        turf = Turf.objects.filter(public_id=turf_id).select_related("universe__script").first()
        if turf is not None and not turf.canvassers.filter(pk=user.pk).exists():
            organizes = organizer and user.can_edit_people
            if not (organizes and all(access.area_in_scope(user, a) for a in turf.universe.areas.all())):
                turf = None
        cache[turf_id] = turf
    turf = cache[turf_id]
    if turf is None:
        raise Rejected("This turf is not assigned to you.")
    return turf


def _questions(turf: Turf, script_id: Any, cache: dict[Any, list[Question]]) -> list[Question]:
    """The questions the visit was asked: of the script the phone names (an organizer may have given
    the universe another script since the phone loaded it), else of the turf's script. Retired
    questions are included: a phone may still ask them."""
    key: Any = ("universe", turf.universe_id)
    script = None
    if script_id:
        key = ("script", str(script_id))
        if key not in cache:
            script = Script.objects.filter(public_id=_uuid(script_id, "The script")).first()
            if script is None:
                raise Rejected("The script this visit was asked from no longer exists.")
    if key not in cache:
        cache[key] = list((script or scripts.script_for(turf.universe)).questions.all())
    return cache[key]


def _apply_one(
    user: User,
    item: Any,
    turfs: dict[uuid.UUID, Turf | None],
    scripts_of: dict[Any, list[Question]],
    *,
    organizer: bool = False,
) -> str:
    if not isinstance(item, dict):
        raise Rejected("A visit must be an object.")
    visit_id = _uuid(item.get("id"), "The visit's id")
    existing = Visit.objects.filter(public_id=visit_id).only("canvasser_id").first()
    if existing is not None:
        if existing.canvasser_id != user.pk:
            raise Rejected("This visit id was already used by someone else.")
        return "already"
    turf = _turf(user, _uuid(item.get("turf"), "The turf"), turfs, organizer=organizer)
    household_id = _uuid(item.get("household"), "The door")
    door = TurfDoor.objects.filter(turf=turf, household__public_id=household_id).select_related("household")
    household = next((d.household for d in door), None)
    if household is None:
        raise Rejected("This door is not in your turf.")
    result = item.get("result")
    if result not in Visit.Result.values:
        raise Rejected(f"Unknown door result “{result}”.")
    questions = _questions(turf, item.get("script"), scripts_of)
    try:
        answers = scripts.clean_answers(questions, item.get("answers") or {})
    except ValueError as exc:
        raise Rejected(str(exc)) from None
    person = None
    if item.get("person"):
        person = (
            access.people_visible_to(user)
            .filter(public_id=_uuid(item["person"], "The person"), household=household)
            .first()
        )
        if person is None:
            raise Rejected("This person does not live at this door.")
    visited_at = _when(item.get("visited_at"))
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                public_id=visit_id,
                turf=turf,
                household=household,
                person=person,
                canvasser=user,
                result=result,
                language=str(item.get("language") or "")[:40],
                answers=answers,
                note=str(item.get("note") or "")[:MAX_NOTE],
                visited_at=visited_at,
            )
            _record_actions(user, visit, household, person, questions)
    except IntegrityError:
        # The same id arrived twice at once (two retries racing): the other one applied it.
        if Visit.objects.filter(public_id=visit_id, canvasser=user).exists():
            return "already"
        raise Rejected("This visit id was already used by someone else.") from None
    return "applied"


def _follow_up(visit: Visit, person: Person, questions: Sequence[Question]) -> None:
    """Tags and follow-ups from the answers of a talk with ``person``, as the script's questions say."""
    for effect in scripts.effects(questions, visit.answers):
        if effect.tag:
            tag, _ = Tag.objects.get_or_create(name=effect.tag)
            person.tags.add(tag)
        if effect.follow_up:
            FollowUp.objects.create(person=person, visit=visit, reason=effect.follow_up)


def _record_actions(
    user: User, visit: Visit, household: Household, person: Person | None, questions: Sequence[Question]
) -> None:
    people = (
        [person] if person is not None else list(access.people_visible_to(user).filter(household=household))
    )
    details = {"visit": str(visit.public_id), "result": visit.result, "turf": visit.turf.number}
    if visit.answers:
        details["answers"] = visit.answers
    if person is not None and visit.result == Visit.Result.CONTACT and visit.answers:
        _follow_up(visit, person, questions)
    Action.objects.bulk_create(
        Action(
            person=p,
            kind="door_knock",
            occurred_at=visit.visited_at,
            area_id=household.area_id,
            recorded_by=user,
            source="canvass",
            details=details,
        )
        for p in people
    )
