"""Scripts, questions and answers, canvassing efforts and canvasses, on grassroots.canvass.

* A script is a canvass.Script; its questions (``script_questions``, in order) and OSDI's
  standalone questions are canvass.Question rows. A question's responses are its choices: yes and
  no, the numbers of a scale, or the organizer's choices; a text question is a ``Paragraph``.
  Scripts are written in the web app, where branches and the answers that tag people and call for
  a follow-up are set: the API reads them.
* A canvassing effort is a canvass.Universe (its script, its turfs, their visits); a canvass is a
  canvass.Visit, ``success`` when someone talked, ``status_code`` the door's result. An effort
  made through the API covers the areas its body names (``areas``, grassroots' own field) or
  those its maker works in; its start_time and end_time are its shift.
* An answer is one question's answer in a visit's ``answers``; its id is the visit's (a visit
  answers a question once).
* The record canvass helper takes a canvass through canvass.sync.apply_visits, the action the
  canvass app's phones upload through: answers are checked against the script, tags and
  follow-ups follow from them, and a canvass sent again with an identifier already sent is the
  same canvass, applied once.

Who sees what: a user who may change people sees the efforts whose areas are all in their scope
(and those they walk a turf of) and the canvasses of the doors they may see; a canvasser sees the
efforts they walk a turf of and the canvasses they made. Scripts and questions name no one: every
token reads them.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from ninja import Query
from ninja.errors import HttpError

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry, User
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources import people as people_resource
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.resources.events import when
from grassroots.api.schemas import (
    AnswerOut,
    AnswersOut,
    CanvassesOut,
    CanvassIn,
    CanvassingEffortIn,
    CanvassingEffortOut,
    CanvassingEffortsOut,
    CanvassOut,
    NoticeOut,
    QuestionIn,
    QuestionOut,
    QuestionResponseIn,
    QuestionsOut,
    RecordCanvassIn,
    ScriptIn,
    ScriptOut,
    ScriptQuestionOut,
    ScriptQuestionsOut,
    ScriptsOut,
)
from grassroots.api.server import Conflict, audit, entry, require_write, route, token_of, user_of
from grassroots.canvass import actions as canvass_actions
from grassroots.canvass import scripts
from grassroots.canvass.models import Question, Script, Shift, Turf, TurfDoor, Universe, Visit
from grassroots.canvass.sync import apply_visits
from grassroots.people import actions as people_actions
from grassroots.people.models import Person
from grassroots.places.models import Area

Verb = AuditEntry.Verb
SCRIPT_FILTERS = {**dates("created_at", "updated_at"), "name": Field("name")}
QUESTION_FILTERS = {**dates("created_at", "updated_at"), "name": Field("key")}
EFFORT_FILTERS = {**dates("created_at", "updated_at"), "name": Field("name")}
CANVASS_FILTERS = {
    **dates("received_at", "received_at"),
    "action_date": Field("visited_at", "date"),
    "status_code": Field("result"),
}
# Ids the record canvass helper makes from a client's own identifiers (see _visit_id).
NO_CANVASS = CanvassIn.model_validate({})  # a helper's request without its "canvass" object
CANVASS_IDS = uuid.UUID("5d1c6f0e-2b7a-4c59-9f43-0f1e0c8a9b21")


# Scripts and questions


def _responses(question: Question) -> list[dict[str, str]]:
    if question.kind == Question.Kind.YES_NO:
        return [{"key": "yes", "name": "yes", "title": "Yes"}, {"key": "no", "name": "no", "title": "No"}]
    if question.kind == Question.Kind.SCALE:
        values = [str(n) for n in range(question.scale_min, question.scale_max + 1)]
    elif question.kind == Question.Kind.CHOICE:
        values = [str(c) for c in question.choices]
    else:
        values = []
    return [{"key": v, "name": v, "title": v} for v in values]


def question_json(request: HttpRequest, question: Question) -> dict[str, Any]:
    return {
        **hal.stamp(question.public_id, question.created_at, question.updated_at),
        "name": question.key,
        "title": question.label,
        "description": question.label,
        "summary": question.script.name,
        "question_type": "Paragraph" if question.kind == Question.Kind.TEXT else "SingleChoice",
        "responses": _responses(question),
        "_links": {
            "self": hal.href(request, "questions", question.public_id),
            "osdi:answers": hal.href(request, "questions", question.public_id, "answers"),
            "osdi:script": hal.href(request, "scripts", question.script.public_id),
        },
    }


def script_json(request: HttpRequest, script: Script) -> dict[str, Any]:
    return {
        **hal.stamp(script.public_id, script.created_at, script.updated_at),
        "name": script.name,
        "title": script.name,
        "description": script.introduction,
        "summary": script.introduction,
        "_links": {
            "self": hal.href(request, "scripts", script.public_id),
            "osdi:script_questions": hal.href(request, "scripts", script.public_id, "script_questions"),
        },
    }


def script_question_json(request: HttpRequest, question: Question) -> dict[str, Any]:
    script_id = question.script.public_id
    return {
        **hal.stamp(question.public_id, question.created_at, question.updated_at),
        "sequence": question.position + 1,
        "_links": {
            "self": hal.href(request, "scripts", script_id, "script_questions", question.public_id),
            "osdi:question": hal.href(request, "questions", question.public_id),
            "osdi:script": hal.href(request, "scripts", script_id),
        },
        "_embedded": {"osdi:question": question_json(request, question)},
    }


def _script(request: HttpRequest, script_id: str) -> Script:
    user_of(request)
    script = Script.objects.filter(public_id=access.parse_public_id(script_id)).first()
    if script is None:
        raise Http404("No such script.")
    return script


def _questions() -> Any:
    return Question.objects.select_related("script").order_by("id")


def _question(request: HttpRequest, question_id: str) -> Question:
    user_of(request)
    question = _questions().filter(public_id=access.parse_public_id(question_id)).first()
    if question is None:
        raise Http404("No such question.")
    return question


@route(["GET"], "/scripts", response=ScriptsOut, summary="List scripts", tags=["scripts"])
def list_scripts(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    user_of(request)
    page = page_of(Script.objects.order_by("id"), params, SCRIPT_FILTERS)
    return hal.collection(request, "scripts", page, lambda s: script_json(request, s), "scripts")


@route(["GET"], "/scripts/{script_id}", response=ScriptOut, summary="Read a script", tags=["scripts"])
def get_script(request: HttpRequest, script_id: str) -> dict[str, Any]:
    return script_json(request, _script(request, script_id))


@route(
    ["GET"], "/scripts/{script_id}/script_questions", response=ScriptQuestionsOut,
    summary="A script's questions, in order", tags=["scripts"],
)  # fmt: skip
def list_script_questions(request: HttpRequest, script_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    script = _script(request, script_id)
    questions = _questions().filter(script=script).order_by("position", "id")
    page = page_of(questions, params, QUESTION_FILTERS)
    return hal.collection(
        request, "script_questions", page, lambda q: script_question_json(request, q),
        "scripts", script_id, "script_questions",
    )  # fmt: skip


@route(
    ["GET"], "/scripts/{script_id}/script_questions/{question_id}", response=ScriptQuestionOut,
    summary="Read a script's question", tags=["scripts"],
)  # fmt: skip
def get_script_question(request: HttpRequest, script_id: str, question_id: str) -> dict[str, Any]:
    question = _question(request, question_id)
    if question.script != _script(request, script_id):
        raise Http404("No such question in this script.")
    return script_question_json(request, question)


@route(["GET"], "/questions", response=QuestionsOut, summary="List questions", tags=["questions"])
def list_questions(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    user_of(request)
    page = page_of(_questions(), params, QUESTION_FILTERS)
    return hal.collection(request, "questions", page, lambda q: question_json(request, q), "questions")


@route(
    ["GET"], "/questions/{question_id}", response=QuestionOut, summary="Read a question", tags=["questions"]
)
def get_question(request: HttpRequest, question_id: str) -> dict[str, Any]:
    return question_json(request, _question(request, question_id))


def _fill_script(request: HttpRequest, script: Script, body: ScriptIn) -> list[Question] | None:
    name = (body.name or body.title or "").strip()
    if name and script.name == Script.STANDARD and name != script.name:
        raise Conflict("The standard door script keeps its name: universes without a script ask it.")
    if name:
        script.name = name
    if not script.name:
        raise ValidationError({"name": "Give the script a name."})
    if body.description is not None or body.summary is not None:
        script.introduction = body.description if body.description is not None else body.summary or ""
    if body.questions is None:
        return None
    order = [_question(request, hal.id_from_href(q)) for q in body.questions]
    if any(q.script_id != script.pk for q in order):
        raise ValidationError({"questions": "List only the script's own questions."})
    return order


def _save_script(request: HttpRequest, script: Script, body: ScriptIn) -> Script:
    user = require_write(request)
    created = script.pk is None
    order = _fill_script(request, script, body)
    if created:
        script.created_by = user
    scripts.do_save_script(script, order)
    details = {"questions": [str(q.public_id) for q in order]} if order is not None else {}
    audit(request, Verb.CREATE if created else Verb.UPDATE, "script", script.public_id, **details)
    return script


@route(["POST"], "/scripts", response=ScriptOut, summary="Add a script", tags=["scripts"])
def create_script(request: HttpRequest, body: ScriptIn) -> dict[str, Any]:
    require_write(request)
    return script_json(request, _save_script(request, Script(), body))


@route(
    ["PUT"], "/scripts/{script_id}", response=ScriptOut,
    summary="Change a script's name, description or the order of its questions", tags=["scripts"],
)  # fmt: skip
def update_script(request: HttpRequest, script_id: str, body: ScriptIn) -> dict[str, Any]:
    require_write(request)
    return script_json(request, _save_script(request, _script(request, script_id), body))


API_QUESTIONS = "Questions added through the API"  # the script of a question posted without one
QUESTION_KINDS = {
    "singlechoice": Question.Kind.CHOICE,
    "multichoice": Question.Kind.CHOICE,
    "yesno": Question.Kind.YES_NO,
    "scale": Question.Kind.SCALE,
    "paragraph": Question.Kind.TEXT,
}


def _question_kind(body: QuestionIn, current: str | None) -> str:
    if body.question_type is None:
        if current is not None:
            return current
        return Question.Kind.CHOICE if body.responses else Question.Kind.TEXT
    kind = QUESTION_KINDS.get(body.question_type.strip().lower())
    if kind is None:
        known = ", ".join(["SingleChoice", "MultiChoice", "YesNo", "Scale", "Paragraph"])
        raise ValidationError({"question_type": f"“{body.question_type[:40]}” is not one of {known}."})
    return kind


def _question_script(request: HttpRequest, body: QuestionIn) -> Script:
    script_id = hal.linked_id(body.links, "osdi:script")
    if script_id:
        return _script(request, script_id)
    script, _ = Script.objects.get_or_create(name=API_QUESTIONS)
    return script


def _fill_question(question: Question, body: QuestionIn) -> None:
    """The body's fields onto the question (a field not sent stays as it is)."""
    name = body.name or (body.title if question.pk is None else None)
    if name is not None:
        key = slugify(name).replace("-", "_")[:40].strip("_")
        if not key:
            raise ValidationError({"name": "Give the question a name with letters or digits."})
        question.key = key
    label = body.title or body.description or body.summary
    if label:
        question.label = label[:300]
    if not question.label:
        question.label = body.name or question.key
    question.kind = _question_kind(body, question.kind or None)
    if body.responses is not None and question.kind == Question.Kind.CHOICE:
        question.choices = [str(r.key or r.name or r.title or "").strip() for r in body.responses]
        question.choices = [c for c in question.choices if c]
    if question.kind == Question.Kind.SCALE and body.responses:
        try:
            numbers = [int(str(r.key or r.name or r.title)) for r in body.responses]
        except ValueError:
            raise ValidationError({"responses": "A scale's responses are whole numbers."}) from None
        question.scale_min, question.scale_max = min(numbers), max(numbers)


def _save_question(request: HttpRequest, question: Question, body: QuestionIn) -> Question:
    require_write(request)
    before = (question.key, question.kind) if question.pk is not None else None
    answered = before is not None and scripts.is_answered(question)
    _fill_question(question, body)
    if answered and before != (question.key, question.kind):
        raise Conflict(
            "Doors have already answered this question: its name (key) and question_type stay as they "
            "are. Add a new question to ask something else."
        )
    scripts.do_save_question(question)
    verb = Verb.CREATE if before is None else Verb.UPDATE
    audit(request, verb, "question", question.public_id, key=question.key, kind=question.kind)
    return question


@route(["POST"], "/questions", response=QuestionOut, summary="Add a question", tags=["questions"])
def create_question(request: HttpRequest, body: QuestionIn) -> dict[str, Any]:
    require_write(request)
    question = Question(script=_question_script(request, body), kind="")
    return question_json(request, _save_question(request, question, body))


@route(
    ["PUT"], "/questions/{question_id}", response=QuestionOut,
    summary="Change a question (an answered question keeps its name and type)", tags=["questions"],
)  # fmt: skip
def update_question(request: HttpRequest, question_id: str, body: QuestionIn) -> dict[str, Any]:
    require_write(request)
    return question_json(request, _save_question(request, _question(request, question_id), body))


# Visits, as canvasses and answers


def _visits(request: HttpRequest) -> Any:
    """The visits the token's user may see (see the module docstring)."""
    user = user_of(request)
    visits = Visit.objects.filter(household__in=access.households_visible_to(user).values("pk"))
    if not user.can_edit_people:
        visits = visits.filter(canvasser=user)
    return visits.select_related("turf__universe__script", "person").order_by("id")


def _answer_value(question: Question, value: Any) -> dict[str, Any]:
    if question.kind == Question.Kind.TEXT:
        return {"value": str(value)}
    return {"responses": [scripts.show_value(value)]}


def answer_json(request: HttpRequest, visit: Visit, question: Question) -> dict[str, Any]:
    links: dict[str, Any] = {
        "self": hal.href(request, "questions", question.public_id, "answers", visit.public_id),
        "osdi:question": hal.href(request, "questions", question.public_id),
        "osdi:canvass": _canvass_href(request, visit),
    }
    if visit.person is not None:
        links["osdi:person"] = hal.href(request, "people", visit.person.public_id)
    return {
        **hal.stamp(visit.public_id, visit.received_at, visit.received_at),
        "action_date": hal.osdi_date(visit.visited_at),
        **_answer_value(question, visit.answers[question.key]),
        "_links": links,
    }


def _asking(question: Question) -> Q:
    """The visits whose universe asks this question's script and that answered it."""
    universes = Q(turf__universe__script=question.script)
    if question.script.name == Script.STANDARD:
        universes |= Q(turf__universe__script__isnull=True)
    return universes & Q(answers__has_key=question.key)


def _audit_shown(request: HttpRequest, visits: list[Visit], **details: Any) -> None:
    shown = sorted({str(v.person.public_id) for v in visits if v.person is not None})
    audit(request, Verb.VIEW, "person", "", shown=shown, **details)


@route(
    ["GET"], "/questions/{question_id}/answers", response=AnswersOut, summary="A question's answers",
    tags=["questions"],
)  # fmt: skip
def list_answers(request: HttpRequest, question_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    question = _question(request, question_id)
    page = page_of(_visits(request).filter(_asking(question)), params, dates("received_at", "received_at"))
    _audit_shown(request, page.items, question=str(question.public_id))
    return hal.collection(
        request,
        "answers",
        page,
        lambda v: answer_json(request, v, question),
        "questions",
        question_id,
        "answers",
    )


@route(
    ["GET"], "/questions/{question_id}/answers/{answer_id}", response=AnswerOut, summary="Read an answer",
    tags=["questions"],
)  # fmt: skip
def get_answer(request: HttpRequest, question_id: str, answer_id: str) -> dict[str, Any]:
    question = _question(request, question_id)
    visit = _visits(request).filter(_asking(question), public_id=access.parse_public_id(answer_id)).first()
    if visit is None:
        raise Http404("No such answer.")
    _audit_shown(request, [visit], answer=str(visit.public_id))
    return answer_json(request, visit, question)


# Canvassing efforts and canvasses


def _efforts(request: HttpRequest) -> Any:
    user = user_of(request)
    walked = Q(pk__in=Turf.objects.filter(canvassers=user).values("universe_id"))
    if user.can_edit_people:
        outside = Area.objects.exclude(pk__in=access.areas_in_scope(user).values("pk"))
        has_areas = Exists(Universe.areas.through.objects.filter(universe_id=OuterRef("pk")))
        organized = Q(has_areas) & ~Q(areas__in=outside)
        walked |= organized
    shifts = Shift.objects.filter(universe=OuterRef("pk"))
    return (
        Universe.objects.filter(walked)
        .select_related("script")
        .prefetch_related(Prefetch("areas", queryset=Area.objects.order_by("path")))
        .annotate(
            total_canvasses=Count("turfs__visits"),
            start_time=Subquery(shifts.order_by("starts_at").values("starts_at")[:1]),
            end_time=Subquery(shifts.order_by("-ends_at").values("ends_at")[:1]),
        )
        .order_by("id")
    )


def _effort(request: HttpRequest, effort_id: str) -> Universe:
    universe = _efforts(request).filter(public_id=access.parse_public_id(effort_id)).first()
    if universe is None:
        raise Http404("No such canvassing effort.")
    return universe


def _standard_script(request: HttpRequest) -> Script:
    """The standard door script, read once a request: a page of efforts without a script of their
    own links it for each."""
    script: Script | None = getattr(request, "_standard_script", None)
    if script is None:
        script = scripts.standard_script()
        request._standard_script = script  # type: ignore[attr-defined]  # per-request memo
    return script


def effort_json(request: HttpRequest, universe: Universe) -> dict[str, Any]:
    script = universe.script if universe.script is not None else _standard_script(request)
    base = ("canvassing_efforts", universe.public_id)
    return {
        **hal.stamp(universe.public_id, universe.created_at, universe.updated_at),
        "name": universe.name,
        "title": universe.title or universe.name,
        "description": universe.description or universe.name,
        "summary": universe.description or universe.name,
        "type": "in-person",
        "areas": [{"id": str(a.public_id), "name": a.name, "kind": a.kind} for a in universe.areas.all()],
        "total_canvasses": getattr(universe, "total_canvasses", 0),
        "start_time": hal.osdi_date(getattr(universe, "start_time", None)),
        "end_time": hal.osdi_date(getattr(universe, "end_time", None)),
        "browser_url": request.build_absolute_uri(reverse("universe_detail", args=[universe.public_id])),
        "_links": {
            "self": hal.href(request, *base),
            "osdi:script": hal.href(request, "scripts", script.public_id),
            "osdi:canvasses": hal.href(request, *base, "canvasses"),
            "osdi:record_canvass_helper": hal.href(request, *base, "record_canvass_helper"),
        },
    }


def _canvass_href(request: HttpRequest, visit: Visit) -> dict[str, str]:
    return hal.href(
        request, "canvassing_efforts", visit.turf.universe.public_id, "canvasses", visit.public_id
    )


def canvass_json(request: HttpRequest, visit: Visit) -> dict[str, Any]:
    links: dict[str, Any] = {
        "self": _canvass_href(request, visit),
        "osdi:canvassing_effort": hal.href(request, "canvassing_efforts", visit.turf.universe.public_id),
        "osdi:answers": hal.href(
            request,
            "canvassing_efforts",
            visit.turf.universe.public_id,
            "canvasses",
            visit.public_id,
            "answers",
        ),
    }
    if visit.person is not None:
        links["osdi:target"] = hal.href(request, "people", visit.person.public_id)
    return {
        **hal.stamp(visit.public_id, visit.received_at, visit.received_at),
        "action_date": hal.osdi_date(visit.visited_at),
        "contact_type": "in-person",
        "input_type": "mobile",
        "success": visit.result == Visit.Result.CONTACT,
        "status_code": visit.result,
        "_links": links,
    }


@route(
    ["GET"], "/canvassing_efforts", response=CanvassingEffortsOut, summary="List canvassing efforts",
    tags=["canvassing"],
)  # fmt: skip
def list_efforts(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    page = page_of(_efforts(request), params, EFFORT_FILTERS)
    return hal.collection(
        request, "canvassing_efforts", page, lambda u: effort_json(request, u), "canvassing_efforts"
    )


@route(
    ["GET"], "/canvassing_efforts/{effort_id}", response=CanvassingEffortOut,
    summary="Read a canvassing effort", tags=["canvassing"],
)  # fmt: skip
def get_effort(request: HttpRequest, effort_id: str) -> dict[str, Any]:
    return effort_json(request, _effort(request, effort_id))


IN_PERSON = {"in-person", "in_person", "inperson", "door", "canvass"}


def _effort_type(body: CanvassingEffortIn) -> None:
    if body.type is not None and body.type.strip().lower() not in IN_PERSON:
        raise ValidationError(
            {"type": f"“{body.type[:40]}” is not served: a grassroots effort knocks on doors (in-person)."}
        )


def _effort_areas(user: User, given: list[str] | None) -> list[Area]:
    """The areas named (ids or hrefs), or the areas the user works in when none are named."""
    if given is None:
        paths = access.scope_paths(user)
        found = (
            Area.objects.filter(parent__isnull=True)
            if paths is access.ALL
            else Area.objects.filter(path__in=paths)
        )
        areas = list(found.order_by("path"))
        if not areas:
            raise ValidationError({"areas": "You work in no areas: name the areas the effort canvasses."})
        return areas
    ids: list[uuid.UUID] = []
    for i, value in enumerate(given):
        try:
            ids.append(uuid.UUID(hal.id_from_href(value)))
        except ValueError:
            raise ValidationError({f"areas.{i}": f"“{value[:60]}” is not an area's id."}) from None
    by_id = {a.public_id: a for a in Area.objects.filter(public_id__in=ids)}
    missing = [str(i) for i in ids if i not in by_id]
    if missing:
        raise ValidationError({"areas": f"No such area: {', '.join(missing[:5])}."})
    if not ids:
        raise ValidationError({"areas": "Name at least one area."})
    areas = [by_id[i] for i in dict.fromkeys(ids)]
    outside = [a.name for a in areas if not access.area_in_scope(user, a)]
    if outside:
        raise PermissionDenied(f"Outside the areas you work in: {', '.join(outside[:5])}.")
    return areas


def _effort_script(request: HttpRequest, body: CanvassingEffortIn) -> Script | None:
    script_id = hal.linked_id(body.links, "osdi:script")
    if not script_id:
        return None
    try:
        return _script(request, script_id)
    except Http404:
        raise ValidationError({"_links.osdi:script": "No such script."}) from None


def _shift_times(
    body: CanvassingEffortIn, shift: Shift | None
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The effort's shift from start_time and end_time (a time not sent stays the shift's)."""
    start = when(body.start_time, "start_time") or (shift.starts_at if shift else None)
    end = when(body.end_time, "end_time") or (shift.ends_at if shift else None)
    if start is None and end is None:
        return None
    if start is None or end is None:
        field = "start_time" if start is None else "end_time"
        raise ValidationError({field: "Give start_time and end_time together: they are the effort's shift."})
    if end <= start:
        raise ValidationError({"end_time": "The effort ends after it starts."})
    return start, end


def _names(universe: Universe, body: CanvassingEffortIn) -> None:
    name = (body.name or body.title or "").strip()
    if name:
        universe.name = name
    if not universe.name:
        raise ValidationError({"name": "Give the effort a name."})
    if body.title is not None:
        universe.title = body.title.strip()
    if body.description is not None or body.summary is not None:
        universe.description = body.description if body.description is not None else body.summary or ""


def _effort_to_change(request: HttpRequest, effort_id: str) -> tuple[User, Universe]:
    """The effort and the token's user, who may change it: a writer whose scope holds all its areas
    (walking one of its turfs shows an effort, it does not make it one's own)."""
    user = require_write(request)
    universe = _effort(request, effort_id)
    if not all(access.area_in_scope(user, a) for a in universe.areas.all()):
        raise PermissionDenied("This effort canvasses areas you do not work in.")
    return user, universe


@route(
    ["POST"], "/canvassing_efforts", response=CanvassingEffortOut, summary="Add a canvassing effort",
    tags=["canvassing"],
)  # fmt: skip
def create_effort(request: HttpRequest, body: CanvassingEffortIn) -> dict[str, Any]:
    """A universe of the areas named (or the user's own), asking the script linked, with a shift
    from start_time to end_time when they are sent."""
    user = require_write(request)
    _effort_type(body)
    draft = Universe()
    _names(draft, body)
    areas = _effort_areas(user, body.areas)
    script = _effort_script(request, body)
    times = _shift_times(body, None)
    token = token_of(request)
    with transaction.atomic():
        universe = canvass_actions.do_create_universe(
            user,
            draft.name,
            areas,
            source={"from": "api", "identifiers": body.identifiers[:10]},
            title=draft.title,
            description=draft.description,
            script=script,
            audit={"source": "api", "token": str(token.public_id)},
        )
        if times is not None:
            canvass_actions.do_create_shift(user, universe, *times, meeting_point="", capacity=0)
    return effort_json(request, _effort(request, str(universe.public_id)))


@route(
    ["PUT"], "/canvassing_efforts/{effort_id}", response=CanvassingEffortOut,
    summary="Change a canvassing effort: its names, script, shift, or its areas before it is cut into turfs",
    tags=["canvassing"],
)  # fmt: skip
def update_effort(request: HttpRequest, effort_id: str, body: CanvassingEffortIn) -> dict[str, Any]:
    user, universe = _effort_to_change(request, effort_id)
    _effort_type(body)
    changed = [f for f in ("name", "title", "description", "summary") if getattr(body, f) is not None]
    _names(universe, body)
    script = _effort_script(request, body)
    if script is not None:
        universe.script = script
        changed.append("script")
    areas = _effort_areas(user, body.areas) if body.areas is not None else None
    if areas is not None and universe.turfs.exists():
        raise Conflict("This effort is cut into turfs: its areas stay those the turfs were cut from.")
    shifts = list(universe.shifts.all()[:2])
    if (body.start_time or body.end_time) and len(shifts) > 1:
        raise Conflict("This effort has several shifts: change their times in the web app.")
    times = _shift_times(body, shifts[0] if shifts else None) if body.start_time or body.end_time else None
    with transaction.atomic():
        universe.save()
        if areas is not None:
            universe.areas.set(areas)
            changed.append("areas")
        if times is not None and shifts:
            shifts[0].starts_at, shifts[0].ends_at = times
            shifts[0].save(update_fields=["starts_at", "ends_at"])
        elif times is not None:
            canvass_actions.do_create_shift(user, universe, *times, meeting_point="", capacity=0)
        if times is not None:
            changed.append("shift")
        audit(request, Verb.UPDATE, "universe", universe.public_id, changed=changed)
    return effort_json(request, _effort(request, effort_id))


@route(
    ["GET"], "/canvassing_efforts/{effort_id}/canvasses", response=CanvassesOut,
    summary="A canvassing effort's canvasses", tags=["canvassing"],
)  # fmt: skip
def list_canvasses(request: HttpRequest, effort_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    universe = _effort(request, effort_id)
    page = page_of(_visits(request).filter(turf__universe=universe), params, CANVASS_FILTERS)
    _audit_shown(request, page.items, canvassing_effort=str(universe.public_id))
    return hal.collection(
        request, "canvasses", page, lambda v: canvass_json(request, v),
        "canvassing_efforts", effort_id, "canvasses",
    )  # fmt: skip


def _canvass(request: HttpRequest, effort_id: str, canvass_id: str) -> Visit:
    universe = _effort(request, effort_id)
    visit = (
        _visits(request).filter(turf__universe=universe, public_id=access.parse_public_id(canvass_id)).first()
    )
    if visit is None:
        raise Http404("No such canvass.")
    return visit


@route(
    ["GET"], "/canvassing_efforts/{effort_id}/canvasses/{canvass_id}", response=CanvassOut,
    summary="Read a canvass", tags=["canvassing"],
)  # fmt: skip
def get_canvass(request: HttpRequest, effort_id: str, canvass_id: str) -> dict[str, Any]:
    visit = _canvass(request, effort_id, canvass_id)
    _audit_shown(request, [visit], canvass=str(visit.public_id))
    return canvass_json(request, visit)


@route(
    ["GET"], "/canvassing_efforts/{effort_id}/canvasses/{canvass_id}/answers", response=AnswersOut,
    summary="A canvass's answers", tags=["canvassing"],
)  # fmt: skip
def list_canvass_answers(
    request: HttpRequest, effort_id: str, canvass_id: str, params: Query[ListQuery]
) -> dict[str, Any]:
    visit = _canvass(request, effort_id, canvass_id)
    script = scripts.script_for(visit.turf.universe)
    questions = script.questions.filter(key__in=list(visit.answers)).select_related("script").order_by("id")
    page = page_of(questions, params, QUESTION_FILTERS)
    _audit_shown(request, [visit], canvass=str(visit.public_id), what="answers")
    return hal.collection(
        request, "answers", page, lambda q: answer_json(request, visit, q),
        "canvassing_efforts", effort_id, "canvasses", canvass_id, "answers",
    )  # fmt: skip


@route(
    ["GET"], "/people/{person_id}/canvasses", response=CanvassesOut, summary="A person's canvasses",
    tags=["canvassing"],
)  # fmt: skip
def list_person_canvasses(request: HttpRequest, person_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    person = access.access_person(user_of(request), person_id)
    page = page_of(_visits(request).filter(person=person), params, CANVASS_FILTERS)
    audit(request, Verb.VIEW, "person", person.public_id, what="canvasses")
    return hal.collection(
        request, "canvasses", page, lambda v: canvass_json(request, v), "people", person_id, "canvasses"
    )


# The record canvass helper


def _visit_id(user: User, identifiers: list[str]) -> uuid.UUID:
    """The visit's id: ours when the client sends one of our identifiers, else made from the client's
    first identifier and the user, so that the same canvass sent again is the same visit."""
    ours = f"{settings.OSDI_NAMESPACE}:"
    for identifier in identifiers:
        if identifier.startswith(ours):
            try:
                return uuid.UUID(identifier.removeprefix(ours))
            except ValueError:
                continue
    if identifiers:
        return uuid.uuid5(CANVASS_IDS, f"{user.pk}:{identifiers[0]}")
    return uuid.uuid4()


def _typed_answer(question: Question, given: QuestionResponseIn, field: str) -> Any:
    """A client's response as the script's answers store it (canvass.scripts checks it after)."""
    raw: Any = given.responses[0] if given.responses else given.value
    if raw is None:
        return None
    if question.kind == Question.Kind.YES_NO and not isinstance(raw, bool):
        lowered = str(raw).strip().lower()
        if lowered not in {"yes", "y", "true", "no", "n", "false"}:
            raise ValidationError({field: f"“{question.label}” is answered yes or no."})
        return lowered in {"yes", "y", "true"}
    if question.kind == Question.Kind.SCALE and not isinstance(raw, bool):
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValidationError({field: f"“{question.label}” is answered with a number."}) from None
    return raw if isinstance(raw, bool) else str(raw)


def _answers(script: Script, body: RecordCanvassIn) -> dict[str, Any]:
    by_id = {str(q.public_id): q for q in script.questions.all()}
    answers: dict[str, Any] = {}
    given = [("add_answers", a) for a in body.add_answers] + [
        ("add_questions_responses_uri", a) for a in body.add_questions_responses_uri
    ]
    for i, (name, answer) in enumerate(given):
        field = f"{name}.{i if name == 'add_answers' else i - len(body.add_answers)}.question"
        question = by_id.get(hal.id_from_href(answer.question))
        if question is None:
            raise ValidationError({field: "This question is not in the canvassing effort's script."})
        answers[question.key] = _typed_answer(question, answer, field)
    return answers


def _door(user: User, universe: Universe, person: Person) -> TurfDoor:
    """The person's door in the effort: in a turf the user walks if there is one."""
    mine = Turf.canvassers.through.objects.filter(turf_id=OuterRef("turf_id"), user=user)
    door = (
        TurfDoor.objects.filter(turf__universe=universe, household_id=person.household_id or 0)
        .select_related("turf", "household")
        .annotate(mine=Exists(mine))
        .order_by("-mine", "turf__number")
        .first()
    )
    if door is None:
        raise ValidationError({"person": "This person's door is in no turf of this canvassing effort."})
    return door


def _result(canvass: CanvassIn, answers: dict[str, Any]) -> str:
    code = (canvass.status_code or "").strip()
    if code in Visit.Result.values:
        return code
    if code:
        known = ", ".join(Visit.Result.values)
        raise ValidationError({"canvass.status_code": f"“{code}” is not one of {known}."})
    return Visit.Result.CONTACT if canvass.success is not False or answers else Visit.Result.NOT_HOME


def record_canvass(request: HttpRequest, universe: Universe, person: Person, body: RecordCanvassIn) -> Visit:
    """Record one canvass of ``person`` in ``universe`` as a phone would upload it (see the docstring)."""
    token = token_of(request)
    user = token.user
    if token.read_only:
        raise PermissionDenied("This token is read-only.")
    if body.add_tags and not user.can_edit_people:
        raise PermissionDenied("Your role may not tag people.")
    canvass = body.canvass or NO_CANVASS
    door = _door(user, universe, person)
    script = scripts.script_for(universe)
    answers = _answers(script, body)
    visit_id = _visit_id(user, [*canvass.identifiers, *body.identifiers])
    item = {
        "id": str(visit_id),
        "turf": str(door.turf.public_id),
        "household": str(door.household.public_id),
        "person": str(person.public_id),
        "result": _result(canvass, answers),
        "visited_at": (when(canvass.action_date, "canvass.action_date") or timezone.now()).isoformat(),
        "answers": answers,
        "language": canvass.language or "",
        "note": canvass.note or "",
        "script": str(script.public_id),
    }
    report = apply_visits(user, [item], organizer=True)
    if report.rejected:
        raise ValidationError({"canvass": report.rejected[0]["reason"]})
    for tag in body.add_tags:
        people_actions.do_tag_people(user, [person], tag)
    if report.applied:
        audit(request, Verb.CREATE, "visit", visit_id, person=str(person.public_id), answers=sorted(answers))
    return _visits(request).get(public_id=visit_id)


def _target(request: HttpRequest, body: RecordCanvassIn) -> Person:
    person_id = hal.linked_id(body.links, "osdi:person") or hal.linked_id(body.links, "osdi:target")
    person_id = person_id or hal.linked_id((body.canvass or NO_CANVASS).links, "osdi:target")
    if person_id:
        return access.access_person(user_of(request), person_id)
    if body.person is not None:
        return people_resource.signup(request, body.person, [], [])
    raise ValidationError({"person": "Give the person canvassed (person, or a link osdi:person)."})


@route(
    ["POST"], "/canvassing_efforts/{effort_id}/record_canvass_helper", response=CanvassOut,
    summary="Record canvass helper: a canvass of a person, with their answers", tags=["canvassing"],
)  # fmt: skip
def record_canvass_helper(request: HttpRequest, effort_id: str, body: RecordCanvassIn) -> dict[str, Any]:
    universe = _effort(request, effort_id)
    return canvass_json(request, record_canvass(request, universe, _target(request, body), body))


def _effort_of(request: HttpRequest, person: Person, body: RecordCanvassIn) -> Universe:
    """The effort a canvass of ``person`` belongs to: the one linked, else the newest effort the
    token's user may see whose turfs hold the person's door."""
    links = [(body.canvass or NO_CANVASS).links, body.links]
    effort_id = next((e for e in (hal.linked_id(x, "osdi:canvassing_effort") for x in links) if e), "")
    if effort_id:
        return _effort(request, effort_id)
    doors = TurfDoor.objects.filter(household_id=person.household_id or 0).values("turf__universe_id")
    universe = _efforts(request).filter(pk__in=doors).order_by("-created_at", "-id").first()
    if universe is None:
        field = "canvass._links.osdi:canvassing_effort"
        raise ValidationError({field: "Link the canvassing effort: none holds this person's door."})
    return universe


@route(
    ["POST"], "/people/{person_id}/record_canvass_helper", response=CanvassOut,
    summary="Record canvass helper for a person (osdi:canvassing_effort linked, or the one of their door)",
    tags=["canvassing"],
)  # fmt: skip
def record_person_canvass_helper(
    request: HttpRequest, person_id: str, body: RecordCanvassIn
) -> dict[str, Any]:
    person = access.access_person(user_of(request), person_id)
    return canvass_json(request, record_canvass(request, _effort_of(request, person, body), person, body))


@route(
    ["POST"], "/people/{person_id}/canvasses", response=CanvassOut,
    summary="Record a canvass of a person (the record canvass helper without answers)",
    tags=["canvassing"],
)  # fmt: skip
def create_person_canvass(request: HttpRequest, person_id: str, body: CanvassIn) -> dict[str, Any]:
    helper = RecordCanvassIn.model_validate({"canvass": body.model_dump(by_alias=True)})
    return record_person_canvass_helper(request, person_id, helper)


# What is not deleted through the API, and why


def _refuse_delete(request: HttpRequest, what: str, why: str) -> dict[str, str]:
    user_of(request)
    raise HttpError(405, f"A {what} is not deleted through the API: {why}")


@route(
    ["DELETE"],
    "/scripts/{script_id}",
    response=NoticeOut,
    summary="Scripts are not deleted",
    tags=["scripts"],
)
def delete_script(request: HttpRequest, script_id: str) -> dict[str, str]:
    _script(request, script_id)
    return _refuse_delete(
        request, "script", "scripts are edited in the web app, and visits keep their answers."
    )


@route(
    ["DELETE"], "/questions/{question_id}", response=NoticeOut, summary="Questions are not deleted",
    tags=["questions"],
)  # fmt: skip
def delete_question(request: HttpRequest, question_id: str) -> dict[str, str]:
    _question(request, question_id)
    return _refuse_delete(request, "question", "a question with answers is retired in the web app instead.")


@route(
    ["DELETE"], "/canvassing_efforts/{effort_id}", response=NoticeOut,
    summary="Delete a canvassing effort no door has been knocked for", tags=["canvassing"],
)  # fmt: skip
def delete_effort(request: HttpRequest, effort_id: str) -> dict[str, str]:
    _, universe = _effort_to_change(request, effort_id)
    if Visit.objects.filter(turf__universe=universe).exists():
        raise Conflict(
            "Doors have been knocked for this effort: its visits are the canvass's history, and stay."
        )
    with transaction.atomic():
        universe.delete()
        audit(request, Verb.DELETE, "universe", universe.public_id)
    return hal.notice("canvassing effort")


@route(
    ["DELETE"], "/canvassing_efforts/{effort_id}/canvasses/{canvass_id}", response=NoticeOut,
    summary="Canvasses are not deleted", tags=["canvassing"],
)  # fmt: skip
def delete_canvass(request: HttpRequest, effort_id: str, canvass_id: str) -> dict[str, str]:
    _canvass(request, effort_id, canvass_id)
    return _refuse_delete(request, "canvass", "a visit is what happened at a door, and it is kept.")


people_resource.PERSON_RELS.append("canvasses")
entry("scripts", "scripts", "The collection of scripts in the system")
entry("questions", "questions", "The collection of questions in the system")
entry("canvassing_efforts", "canvassing_efforts", "The collection of canvassing efforts in the system")
