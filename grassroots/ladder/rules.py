"""What each kind of rule means, as a query: the ids of the people who meet it at a moment.

Every rule becomes one subquery over its facts (Actions, voter records, memberships, education
progress, visits) grouped by person, so a stage is a few ``pk IN (...)`` conditions on Person
and the whole ladder is computed in the database. ``now`` fixes the moment windows end at, so a
windowed rule ("2 meetings in 60 days") lapses when its Actions grow old.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.ladder.models import Rule, RuleKind, Stage

KEY = re.compile(r"^[a-z0-9_]{1,40}$")  # an action kind or a door answer's key
MAX_COUNT = 1000
MAX_WINDOW_DAYS = 3660


def _int(params: dict[str, Any], name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, default)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("%(name)s must be a whole number.") % {"name": name}) from exc
    if not low <= number <= high:
        raise ValidationError(_("%(name)s must be between %(low)s and %(high)s.") % locals())
    return number


def _keys(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else list(value or [])
    keys = [str(v).strip().lower() for v in items if str(v).strip()]
    bad = [k for k in keys if not KEY.match(k)]
    if bad:
        raise ValidationError(_("Not a valid name: %(names)s.") % {"names": ", ".join(bad)})
    return keys


def clean_params(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters of a rule of ``kind``, checked and normalized; ValidationError if they make no sense."""
    if kind == RuleKind.ACTIONS:
        kinds = _keys(params.get("kinds"))
        if not kinds:
            raise ValidationError(_("Name at least one kind of action."))
        cleaned: dict[str, Any] = {
            "kinds": kinds,
            "count": _int(params, "count", 1, 1, MAX_COUNT),
            "window_days": _int(params, "window_days", 0, 0, MAX_WINDOW_DAYS),
        }
        if params.get("result"):
            cleaned["result"] = _keys([params["result"]])[0]
        return cleaned
    if kind == RuleKind.DOOR_ANSWER:
        question = _keys([params.get("question", "")])
        if not question:
            raise ValidationError(_("Name the question (its key, e.g. support)."))
        cleaned = {"question": question[0]}
        if params.get("at_least") not in (None, ""):
            cleaned["at_least"] = _int(params, "at_least", 0, -MAX_COUNT, MAX_COUNT)
        elif params.get("equals") not in (None, ""):
            equals = params["equals"]
            if isinstance(equals, str) and equals.lower() in {"true", "yes"}:
                equals = True
            elif isinstance(equals, str) and equals.lower() in {"false", "no"}:
                equals = False
            cleaned["equals"] = equals
        else:
            raise ValidationError(_("Give the lowest answer that counts, or the answer it must equal."))
        return cleaned
    if kind == RuleKind.VOTER_RECORD:
        return {"on_roll": bool(params.get("on_roll", True))}
    if kind == RuleKind.COMMITTEE:
        from grassroots.committees.models import Role

        roles = _keys(params.get("roles"))
        unknown = [r for r in roles if r not in Role.values]
        if unknown:
            raise ValidationError(_("Unknown committee role: %(roles)s.") % {"roles": ", ".join(unknown)})
        return {"roles": roles}
    if kind == RuleKind.CURRICULUM:
        from grassroots.ladder.models import Curriculum

        curriculum = Curriculum.objects.filter(public_id=str(params.get("curriculum") or "")).first()
        if curriculum is None:
            raise ValidationError(_("Choose a curriculum."))
        return {
            "curriculum": str(curriculum.public_id),
            "count": _int(params, "count", 1, 1, MAX_COUNT),
            "window_days": _int(params, "window_days", 0, 0, MAX_WINDOW_DAYS),
        }
    if kind == RuleKind.CANVASSED:
        return {
            "count": _int(params, "count", 1, 1, MAX_COUNT),
            "window_days": _int(params, "window_days", 0, 0, MAX_WINDOW_DAYS),
        }
    raise ValidationError(_("Unknown kind of rule."))


def _window(field: str, params: dict[str, Any], now: datetime.datetime) -> Q:
    days = int(params.get("window_days") or 0)
    query = Q(**{f"{field}__lte": now})
    if days:
        query &= Q(**{f"{field}__gt": now - datetime.timedelta(days=days)})
    return query


def _at_least(queryset: QuerySet[Any], person_field: str, count: int) -> QuerySet[Any]:
    """The person ids with at least ``count`` rows of ``queryset``."""
    ids = queryset.values(person_field)
    if count <= 1:
        return ids.distinct()
    return ids.annotate(n=Count("pk")).filter(n__gte=count).values(person_field)


def people_meeting(rule: Rule, now: datetime.datetime) -> QuerySet[Any]:
    """A subquery of the ids of the people who meet ``rule`` at ``now``."""
    from grassroots.canvass.models import Visit
    from grassroots.committees.models import Membership, current_on
    from grassroots.ladder.models import Progress
    from grassroots.people.models import Action
    from grassroots.voters.models import VoterRecord

    params = rule.params
    if rule.kind == RuleKind.ACTIONS:
        actions = Action.objects.filter(_window("occurred_at", params, now), kind__in=params["kinds"])
        if params.get("result"):
            actions = actions.filter(details__result=params["result"])
        return _at_least(actions, "person_id", int(params.get("count", 1)))
    if rule.kind == RuleKind.DOOR_ANSWER:
        key = f"details__answers__{params['question']}"
        answer = (
            Q(**{f"{key}__gte": params["at_least"]}) if "at_least" in params else Q(**{key: params["equals"]})
        )
        return Action.objects.filter(answer, occurred_at__lte=now).values("person_id").distinct()
    if rule.kind == RuleKind.VOTER_RECORD:
        records = VoterRecord.objects.filter(person__isnull=False)
        if params.get("on_roll", True):
            records = records.filter(on_roll=True)
        return records.values("person_id").distinct()
    if rule.kind == RuleKind.COMMITTEE:
        memberships = Membership.objects.filter(
            current_on(timezone.localdate(now)),
            committee__dissolved_on__isnull=True,
            committee__archived_at__isnull=True,
        )
        if params.get("roles"):
            memberships = memberships.filter(role__in=params["roles"])
        return memberships.values("person_id").distinct()
    if rule.kind == RuleKind.CURRICULUM:
        done = Progress.objects.filter(
            _window("completed_at", params, now), session__curriculum__public_id=params["curriculum"]
        )
        return _at_least(done, "person_id", int(params.get("count", 1)))
    if rule.kind == RuleKind.CANVASSED:
        visits = Visit.objects.filter(_window("visited_at", params, now), canvasser__person__isnull=False)
        return _at_least(visits, "canvasser__person_id", int(params.get("count", 1)))
    raise ValueError(f"Unknown rule kind {rule.kind!r}")


def stage_condition(stage: Stage, rules: list[Rule], now: datetime.datetime) -> Q | None:
    """The condition on Person for reaching ``stage`` (None: a stage without rules reaches no one)."""
    if not rules:
        return None
    conditions = [Q(pk__in=people_meeting(rule, now)) for rule in rules]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition if stage.match == Stage.Match.ALL else combined | condition
    return combined


def _days(params: dict[str, Any]) -> str:
    days = int(params.get("window_days") or 0)
    return _(" in %(days)s days") % {"days": days} if days else ""


def describe(rule: Rule) -> str:
    """The rule in words, for the editor and the person's page."""
    p = rule.params
    if rule.kind == RuleKind.ACTIONS:
        text = _("%(count)s× %(kinds)s") % {
            "count": p.get("count", 1),
            "kinds": " / ".join(p.get("kinds", [])),
        }
        if p.get("result"):
            text += _(" (result %(result)s)") % {"result": p["result"]}
        return text + _days(p)
    if rule.kind == RuleKind.DOOR_ANSWER:
        if "at_least" in p:
            return _("answered %(q)s ≥ %(v)s at the door") % {"q": p.get("question"), "v": p["at_least"]}
        return _("answered %(q)s = %(v)s at the door") % {"q": p.get("question"), "v": p.get("equals")}
    if rule.kind == RuleKind.VOTER_RECORD:
        return _("has a voter record on the roll") if p.get("on_roll", True) else _("has a voter record")
    if rule.kind == RuleKind.COMMITTEE:
        roles = p.get("roles") or []
        return (
            _("in a committee as %(roles)s") % {"roles": " / ".join(roles)} if roles else _("in a committee")
        )
    if rule.kind == RuleKind.CURRICULUM:
        from grassroots.ladder.models import Curriculum

        curriculum = Curriculum.objects.filter(public_id=p.get("curriculum")).first()
        title = curriculum.title if curriculum else _("a removed curriculum")
        return _("completed %(count)s sessions of %(title)s") % {
            "count": p.get("count", 1),
            "title": title,
        } + _days(p)
    if rule.kind == RuleKind.CANVASSED:
        return _("knocked %(count)s doors as a canvasser") % {"count": p.get("count", 1)} + _days(p)
    return rule.kind
