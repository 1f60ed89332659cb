"""Ladder pages: the funnel, the follow-up queue, and the rule editor with its preview."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import EDITOR_ROLES, AuditEntry, User
from grassroots.ladder import access as ladder_access
from grassroots.ladder import actions, funnel
from grassroots.ladder.forms import RuleForm, StageForm
from grassroots.ladder.models import LadderUpdate, QueueItem, Rule, Stage
from grassroots.ladder.preview import check_ladder, with_change
from grassroots.ladder.rules import clean_params
from grassroots.places.models import AreaKind

PAGE_SIZE = 50
# The kinds of area the funnel can be broken down by, from the largest down.
FUNNEL_KINDS = [
    AreaKind.CITY,
    AreaKind.DISTRICT,
    AreaKind.NEIGHBORHOOD,
    AreaKind.ELECTION_DISTRICT,
    AreaKind.STREET,
    AreaKind.BUILDING,
]
MAX_AREA_ROWS = 500
CHART_HEIGHT = 80  # pixels each side of the over-time chart's axis


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _stages() -> list[Stage]:
    return list(Stage.objects.filter(active=True).order_by("position"))


# --- funnel ------------------------------------------------------------------------------------


def _chart(periods: list[funnel.Period]) -> dict[str, Any]:
    """Bar heights for the over-time chart: moves up above the axis, drops below it."""
    top = max([1, *(p.up for p in periods), *(p.dropped for p in periods)])
    axis = CHART_HEIGHT + 20
    bars = []
    for i, p in enumerate(periods):
        up = round(p.up / top * CHART_HEIGHT)
        bars.append(
            {
                "period": p,
                "x": i * 40 + 30,
                "up": up,
                "up_y": axis - up,
                "down": round(p.dropped / top * CHART_HEIGHT),
            }
        )
    return {"bars": bars, "width": len(periods) * 40 + 40, "axis": axis, "height": axis + CHART_HEIGHT + 20}


@login_required
def ladder_funnel(request: HttpRequest) -> HttpResponse:
    """Counts per stage for the user's scope (or an area inside it), by area, and moves over time."""
    user = _user(request)
    within = access.access_area(user, request.GET["area"]) if request.GET.get("area") else None
    kind = request.GET.get("kind") or AreaKind.NEIGHBORHOOD
    if kind not in FUNNEL_KINDS:
        kind = AreaKind.NEIGHBORHOOD
    period = request.GET.get("period", "week")
    period = period if period in funnel.PERIODS else "week"
    stages = _stages()
    totals = funnel.stage_totals(user, stages, within)
    areas = access.areas_in_scope(user).filter(kind=kind)
    if within is not None:
        areas = areas.filter(path__startswith=within.path)
    area_list = list(areas.order_by("path")[: MAX_AREA_ROWS + 1])
    rows = [r for r in funnel.by_area(user, stages, area_list[:MAX_AREA_ROWS], within) if r.total]
    periods = funnel.movement(user, within, period)
    widest = max([1, *totals])
    context = {
        "stages": stages,
        "totals": [
            {"stage": s, "count": n, "width": round(n / widest * 100)}
            for s, n in zip(stages, totals, strict=True)
        ],
        "total": sum(totals),
        "rows": rows,
        "too_many": len(area_list) > MAX_AREA_ROWS,
        "within": within,
        "kind": kind,
        "kinds": [(k, AreaKind(k).label) for k in FUNNEL_KINDS],
        "choices": access.areas_in_scope(user).filter(kind__in=FUNNEL_KINDS[:4]).order_by("path")[:300],
        "period": period,
        "periods": periods,
        "chart": _chart(periods),
        "can_update": user.can_edit_people,
        "last_update": LadderUpdate.objects.order_by("-at").first(),
    }
    return render(request, "ladder/funnel.html", context)


@login_required
@require_POST
def ladder_update(request: HttpRequest) -> HttpResponse:
    """Recompute the stages now: everyone for an administrator, the user's scope for others."""
    try:
        actions.do_update_ladder(_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Updating the ladder for your areas: the numbers change in a moment."))
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/ladder/") else "ladder_funnel")


# --- the follow-up queue ------------------------------------------------------------------------


@login_required
def ladder_queue(request: HttpRequest) -> HttpResponse:
    """Each organizer's queue: mine by default, anyone's the user may see, or the unassigned."""
    user = _user(request)
    visible = ladder_access.queue_visible_to(user)
    who = request.GET.get("who") or ("mine" if visible.filter(assignee=user).exists() else "all")
    show_done = request.GET.get("done") == "1"
    items = visible.filter(done_at__isnull=not show_done)
    if who == "mine":
        items = items.filter(assignee=user)
    elif who == "unassigned":
        items = items.filter(assignee__isnull=True)
    elif who != "all":
        items = items.filter(assignee__username=who)
    items = items.select_related("person", "assignee").order_by("-created_at", "-id")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    queues = (
        visible.filter(done_at__isnull=True)
        .values_list("assignee__username")
        .annotate(n=Count("pk"))
        .order_by("assignee__username")
    )
    record_audit(
        user, AuditEntry.Verb.SEARCH, "follow_up", "", who=who, done=show_done, shown=len(page.object_list)
    )
    context = {
        "page": page,
        "who": who,
        "show_done": show_done,
        "queues": list(queues),
        "organizers": User.objects.filter(is_active=True, role__in=EDITOR_ROLES).order_by("username")
        if user.can_edit_people
        else User.objects.none(),
        "can_work": user.can_edit_people,
    }
    return render(request, "ladder/queue.html", context)


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/ladder/queue/") else "ladder_queue")


@login_required
@require_POST
def ladder_item_done(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    item = ladder_access.access_item(user, public_id)
    done = request.POST.get("done", "1") == "1"
    try:
        actions.do_mark_done(user, item, done)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return _back_to_queue(request)


@login_required
@require_POST
def ladder_item_assign(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    item = ladder_access.access_item(user, public_id)
    username = request.POST.get("assignee", "")
    assignee = User.objects.filter(username=username, is_active=True).first() if username else None
    try:
        if username and assignee is None:
            raise ValidationError(_("No such organizer."))
        actions.do_assign_item(user, item, assignee)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Follow-up given to %(who)s.") % {"who": username or _("no one")})
    return _back_to_queue(request)


# --- the rule editor ----------------------------------------------------------------------------


def _editor(request: HttpRequest) -> User:
    user = _user(request)
    if not ladder_access.can_edit_ladder(user):
        raise PermissionDenied("Only organizers change the ladder.")
    return user


def _fingerprint(*parts: Any) -> str:
    """What a preview showed, so that saving saves exactly what was previewed."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


@login_required
def ladder_rules(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "checks": check_ladder(user),
        "retired": Stage.objects.filter(active=False),
        "can_edit": ladder_access.can_edit_ladder(user),
    }
    return render(request, "ladder/rules.html", context)


def _stage_page(request: HttpRequest, stage: Stage | None) -> HttpResponse:
    user = _editor(request)
    form = StageForm(request.POST or None, initial=StageForm.initial_for(stage))
    context: dict[str, Any] = {"form": form, "stage": stage}
    if request.method == "POST" and form.is_valid():
        data = form.stage_data()
        candidate = data.apply(Stage(pk=stage.pk, public_id=stage.public_id) if stage else Stage())
        fingerprint = _fingerprint(data.__dict__)
        if "save" in request.POST and request.POST.get("previewed") == fingerprint:
            try:
                saved = actions.do_save_stage(user, stage, data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved the stage %(name)s.") % {"name": saved.name})
                return redirect("ladder_rules")
        context.update(checks=check_ladder(user, with_change(stage=candidate)), previewed=fingerprint)
    return render(request, "ladder/stage_form.html", context)


@login_required
def ladder_stage_new(request: HttpRequest) -> HttpResponse:
    return _stage_page(request, None)


@login_required
def ladder_stage_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    return _stage_page(request, ladder_access.access_stage(_user(request), public_id, write=True))


def _rule_page(request: HttpRequest, stage: Stage, rule: Rule | None) -> HttpResponse:
    user = _editor(request)
    form = RuleForm(request.POST or None, initial=RuleForm.initial_for(rule))
    context: dict[str, Any] = {"form": form, "stage": stage, "rule": rule}
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            params = clean_params(kind, form.params())
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, "ladder/rule_form.html", context)
        fingerprint = _fingerprint(kind, params)
        if "save" in request.POST and request.POST.get("previewed") == fingerprint:
            try:
                actions.do_save_rule(user, stage, rule, kind, form.params())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved the rule of %(stage)s.") % {"stage": stage.name})
                return redirect("ladder_rules")
        candidate = Rule(pk=rule.pk if rule else None, stage=stage, kind=kind, params=params)
        checks = check_ladder(user, with_change(rule=candidate), changed=candidate)
        matched = [r.matched for c in checks for r in c.rules if r.changed]
        context.update(
            checks=checks,
            previewed=fingerprint,
            candidate=candidate,
            candidate_count=matched[0] if matched else None,
        )
    return render(request, "ladder/rule_form.html", context)


@login_required
def ladder_stage_rule_new(request: HttpRequest, public_id: str) -> HttpResponse:
    return _rule_page(request, ladder_access.access_stage(_user(request), public_id, write=True), None)


@login_required
def ladder_rule_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    rule = ladder_access.access_rule(_user(request), public_id, write=True)
    return _rule_page(request, rule.stage, rule)


@login_required
@require_POST
def ladder_rule_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    rule = ladder_access.access_rule(user, public_id, write=True)
    actions.do_delete_rule(user, rule)
    messages.success(request, _("Deleted a rule of %(stage)s.") % {"stage": rule.stage.name})
    return redirect("ladder_rules")


def person_ladder(person: Any) -> dict[str, Any]:
    """What a person's page shows of the ladder: their stage, its history, their education, their
    open follow-ups (the caller has already checked the user may see the person)."""
    from grassroots.ladder.models import Progress, Spell

    return {
        "spells": Spell.objects.filter(person=person)
        .select_related("stage", "came_from")
        .order_by("-entered_at", "-id"),
        "progress": Progress.objects.filter(person=person)
        .select_related("session__curriculum")
        .order_by("session__curriculum__title", "session__position"),
        "queue": QueueItem.objects.filter(person=person, done_at__isnull=True).select_related("assignee"),
    }
