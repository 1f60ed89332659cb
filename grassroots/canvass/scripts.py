"""Scripts as organizers write them: typed questions, branches, and the answers that call for an organizer.

A script is data (``models.Script`` and its ``Question`` rows). This module is everything that reads
it: which questions a talk asks given the answers so far (``asked``), whether a phone's answers fit
the script (``clean_answers``, used by the sync), what tags and follow-ups the answers call for
(``effects``), how the app receives the script (``for_app``) and the checks an edit must pass
(``check_question``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from grassroots.canvass.models import Question, Script, Universe, Visit

MAX_TEXT = 2000

# The script a universe uses when it names none: what every door has asked since the first canvass.
STANDARD_QUESTIONS: tuple[dict[str, Any], ...] = (
    {"key": "support", "kind": "scale", "label": "Support, from 1 (against) to 5"},
    {
        "key": "involved", "kind": "yes_no", "label": "Wants to get involved",
        "trigger_values": [True], "tag": "wants to get involved", "follow_up": "Wants to get involved",
    },
    {
        "key": "tenants_meeting", "kind": "yes_no", "label": "Interested in a tenants' meeting",
        "trigger_values": [True], "tag": "tenants' meeting", "follow_up": "Interested in a tenants' meeting",
    },
    {
        "key": "issue", "kind": "text", "label": "An issue they raise",
        "tag": "raised an issue", "follow_up": "Raised an issue",
    },
)  # fmt: skip


def standard_script() -> Script:
    """The standard door script. A migration makes it (canvass 0010) and scripts are never deleted;
    it is made again here only for a database emptied since (tests that empty tables), by the
    universe that needs it. Pages that list scripts do not write."""
    script = Script.objects.filter(name=Script.STANDARD).first()
    if script is not None:
        return script
    with transaction.atomic():
        return make_standard_script(Script, Question)


def make_standard_script(script_model: Any, question_model: Any) -> Any:
    """The standard script, made with its questions when there is none, with these models (the
    migration's, or the app's)."""
    script, created = script_model.objects.get_or_create(name=Script.STANDARD)
    if created:
        question_model.objects.bulk_create(
            question_model(script=script, position=i, **fields) for i, fields in enumerate(STANDARD_QUESTIONS)
        )
    return script


def script_for(universe: Universe) -> Script:
    return universe.script if universe.script is not None else standard_script()


def active(questions: Iterable[Question]) -> list[Question]:
    return [q for q in questions if q.retired_at is None]


# --- answers ---------------------------------------------------------------------------------------


def asked(questions: Sequence[Question], answers: dict[str, Any]) -> list[Question]:
    """The questions a talk asks, in order, given its answers: a question with a branch is asked when
    the question it follows was asked and answered with one of the branch's values."""
    shown: set[str] = set()
    result = []
    for question in questions:
        if question.ask_if_key:
            if question.ask_if_key not in shown:
                continue
            if not any(_same(answers.get(question.ask_if_key), v) for v in question.ask_if_values):
                continue
        shown.add(question.key)
        result.append(question)
    return result


def _same(answer: Any, value: Any) -> bool:
    # True == 1 in Python; a yes is not a 1 on a scale.
    return answer is not None and type(answer) is type(value) and answer == value


def _typed(question: Question, value: Any) -> Any:
    """The answer as its kind stores it, or ValueError with a reason a canvasser can read."""
    label = f"“{question.label}”"
    if question.kind == Question.Kind.YES_NO:
        if not isinstance(value, bool):
            raise ValueError(f"{label} takes yes or no.")
        return value
    if question.kind == Question.Kind.SCALE:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{label} takes a whole number.")
        if not question.scale_min <= value <= question.scale_max:
            raise ValueError(f"{label} takes {question.scale_min} to {question.scale_max}.")
        return value
    if not isinstance(value, str):
        raise ValueError(f"{label} takes text.")
    value = value.strip()
    if question.kind == Question.Kind.CHOICE and value not in question.choices:
        raise ValueError(f"{label} has no choice “{value[:40]}”.")
    if len(value) > MAX_TEXT:
        raise ValueError(f"{label} takes at most {MAX_TEXT} characters.")
    return value


def clean_answers(questions: Sequence[Question], answers: Any) -> dict[str, Any]:
    """A phone's answers checked against the script: ValueError (with the reason) when one answers no
    question of it, has the wrong type, or answers a question the branches did not ask.

    Retired questions still take answers: a phone that loaded the script before the question was
    retired may send them."""
    if not isinstance(answers, dict):
        raise ValueError("answers must be an object.")
    by_key = {q.key: q for q in questions}
    cleaned = {}
    for key, value in answers.items():
        question = by_key.get(key)
        if question is None:
            raise ValueError(f"The script has no question “{str(key)[:40]}”.")
        if value is None or value == "":
            continue
        cleaned[key] = _typed(question, value)
    keys = {q.key for q in asked(questions, cleaned)}
    for key in cleaned:
        if key not in keys:
            question = by_key[key]
            condition = by_key.get(question.ask_if_key)
            after = f"“{condition.label}”" if condition else question.ask_if_key
            raise ValueError(f"“{question.label}” is asked only after certain answers to {after}.")
    return cleaned


@dataclass(frozen=True)
class Effect:
    tag: str
    follow_up: str


def effects(questions: Sequence[Question], answers: dict[str, Any]) -> list[Effect]:
    """The tags and follow-ups the answers call for: a trigger value answered, or any text."""
    found = []
    for question in asked(questions, answers):
        answer = answers.get(question.key)
        if answer is None or not (question.tag or question.follow_up):
            continue
        if question.kind == Question.Kind.TEXT:
            if not answer:
                continue
            reason = f"{question.follow_up}: {answer}" if question.follow_up else ""
        elif any(_same(answer, v) for v in question.trigger_values):
            reason = question.follow_up
        else:
            continue
        found.append(Effect(question.tag, reason[:300]))
    return found


def for_app(script: Script) -> dict[str, Any]:
    """The script as the canvass app asks it (active questions only)."""
    return {
        "id": str(script.public_id),
        "name": script.name,
        "introduction": script.introduction,
        "questions": [
            {
                "key": q.key,
                "kind": q.kind,
                "label": q.label,
                "choices": q.choices,
                "min": q.scale_min,
                "max": q.scale_max,
                "ask_if": {"key": q.ask_if_key, "values": q.ask_if_values} if q.ask_if_key else None,
            }
            for q in active(script.questions.all())
        ],
    }


# --- editing ---------------------------------------------------------------------------------------


def parse_value(question: Question, text: str) -> Any:
    """A value typed by an organizer (a branch or trigger value) as the question's answers store it."""
    text = text.strip()
    if question.kind == Question.Kind.YES_NO:
        lowered = text.lower()
        if lowered in {"yes", "y", "true"}:
            return True
        if lowered in {"no", "n", "false"}:
            return False
        raise ValueError(f"“{question.label}” is answered yes or no, not “{text}”.")
    if question.kind == Question.Kind.SCALE:
        try:
            return _typed(question, int(text))
        except ValueError:
            raise ValueError(
                f"“{question.label}” is answered {question.scale_min} to {question.scale_max}, not “{text}”."
            ) from None
    return _typed(question, text)


def show_value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return str(value)


def is_answered(question: Question) -> bool:
    """Whether any visit holds an answer to this question (then its meaning may no longer change)."""
    if question.pk is None:
        return False
    return Visit.objects.filter(
        turf__universe__in=_universes_asking(question.script), answers__has_key=question.key
    ).exists()


def _universes_asking(script: Script) -> Any:
    if script.name == Script.STANDARD:
        return Universe.objects.filter(script__isnull=True) | Universe.objects.filter(script=script)
    return Universe.objects.filter(script=script)


def check_question(question: Question, earlier: Sequence[Question]) -> None:
    """Refuse a question that cannot be asked: ValidationError with messages for the organizer."""
    errors = []
    if question.kind == Question.Kind.CHOICE and len(question.choices) < 2:
        errors.append("A question with choices needs at least two.")
    if question.kind == Question.Kind.SCALE and question.scale_min >= question.scale_max:
        errors.append("A scale runs from a smaller number to a larger one.")
    if question.ask_if_key:
        before = {q.key: q for q in earlier}
        if question.ask_if_key not in before:
            errors.append("A question can follow only a question asked before it.")
        elif not question.ask_if_values:
            errors.append("Say after which answers the question is asked.")
        else:
            try:
                for value in question.ask_if_values:
                    _typed(before[question.ask_if_key], value)
            except ValueError as exc:
                errors.append(str(exc))
    try:
        for value in question.trigger_values:
            _typed(question, value)
    except ValueError as exc:
        errors.append(str(exc))
    if question.pk is not None:
        stored = Question.objects.get(pk=question.pk)
        changed = (stored.key, stored.kind, stored.ask_if_key, stored.ask_if_values) != (
            question.key, question.kind, question.ask_if_key, question.ask_if_values,
        )  # fmt: skip
        if changed and is_answered(stored):
            errors.append(
                "Doors have already answered this question: its key, kind and branch stay as they are "
                "(retire it and add a new one to ask something else)."
            )
    if errors:
        raise ValidationError(errors)


def do_save_question(question: Question) -> Question:
    """Add or change a question of a script: checked as ``check_question`` checks an edit, new
    questions last in their script."""
    with transaction.atomic():
        Script.objects.select_for_update().filter(pk=question.script_id).first()
        others = Question.objects.filter(script_id=question.script_id).exclude(pk=question.pk)
        if question.pk is None:
            last = others.order_by("-position").values_list("position", flat=True).first()
            question.position = 0 if last is None else last + 1
        if others.filter(key=question.key).exists():
            raise ValidationError({"name": "The script already has a question of that name."})
        check_question(question, list(others.filter(position__lt=question.position)))
        question.save()
    return question


def do_save_script(script: Script, order: Sequence[Question] | None = None) -> Script:
    """Add or change a script; ``order``, its questions in the order they are asked, must keep every
    branch after the question it follows."""
    with transaction.atomic():
        if Script.objects.filter(name=script.name).exclude(pk=script.pk).exists():
            raise ValidationError({"name": "Another script has that name."})
        script.save()
        if order is not None:
            if {q.pk for q in order} != set(script.questions.values_list("pk", flat=True)):
                raise ValidationError({"questions": "List each of the script's questions once."})
            for i, question in enumerate(order):
                check_question(question, list(order[:i]))
                question.position = i
            Question.objects.bulk_update(order, ["position"])
    return script
