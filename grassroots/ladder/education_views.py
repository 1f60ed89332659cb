"""Political education pages: curricula and their sessions, reading groups and who came."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry
from grassroots.committees.access import committees_visible_to
from grassroots.committees.models import Meeting
from grassroots.events.access import events_visible_to
from grassroots.events.models import Event
from grassroots.ladder import access as ladder_access
from grassroots.ladder import actions
from grassroots.ladder.forms import CurriculumForm, ReadingGroupForm, SessionForm
from grassroots.ladder.models import Curriculum, Progress
from grassroots.ladder.views import FUNNEL_KINDS, _user
from grassroots.people.search import people_matching

CANDIDATES = 30


@login_required
def education_list(request: HttpRequest) -> HttpResponse:
    curricula = Curriculum.objects.annotate(session_count=Count("sessions", distinct=True))
    context = {"curricula": curricula, "can_run": ladder_access.can_run_education(_user(request))}
    return render(request, "ladder/education_list.html", context)


@login_required
def education_curriculum_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not ladder_access.can_run_education(user):
        raise PermissionDenied("Your role may not change curricula.")
    form = CurriculumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            curriculum = actions.do_create_curriculum(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("education_curriculum", public_id=curriculum.public_id)
    return render(request, "ladder/curriculum_form.html", {"form": form})


@login_required
def education_curriculum(request: HttpRequest, public_id: str) -> HttpResponse:
    """A curriculum's sessions, readings and reading groups, and how far the user's people got."""
    user = _user(request)
    curriculum = ladder_access.access_curriculum(user, public_id)
    visible = access.people_visible_to(user).values("pk")
    sessions = curriculum.sessions.annotate(
        attended=Count(
            "progress", filter=Q(progress__person__in=visible, progress__attended_at__isnull=False)
        ),
        completed=Count(
            "progress", filter=Q(progress__person__in=visible, progress__completed_at__isnull=False)
        ),
    ).prefetch_related(Prefetch("groups", queryset=ladder_access.groups_visible_to(user)))
    form = SessionForm(request.POST or None)
    if request.method == "POST":
        curriculum = ladder_access.access_curriculum(user, public_id, write=True)
        if form.is_valid():
            try:
                actions.do_add_session(user, curriculum, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("education_curriculum", public_id=curriculum.public_id)
    context = {
        "curriculum": curriculum,
        "sessions": sessions,
        "form": form,
        "can_run": ladder_access.can_run_education(user),
    }
    return render(request, "ladder/curriculum.html", context)


@login_required
def education_session_group_new(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    session = ladder_access.access_session(user, public_id, write=True)
    recent = timezone.now() - datetime.timedelta(days=60)
    meetings = (
        Meeting.objects.filter(
            committee__in=committees_visible_to(user), starts_at__gte=recent, cancelled_at__isnull=True
        )
        .select_related("committee")
        .order_by("starts_at")
    )
    areas = access.areas_in_scope(user).filter(kind__in=FUNNEL_KINDS).order_by("path")
    events = (
        events_visible_to(user)
        .filter(kind=Event.Kind.READING_GROUP, starts_at__gte=recent)
        .order_by("starts_at")
    )
    form = ReadingGroupForm(request.POST or None, areas=areas, meetings=meetings, events=events)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = actions.do_create_reading_group(
                user,
                session,
                data["starts_at"],
                location=data["location"],
                area=data["area"],
                meeting=data["meeting"],
                event=data["event"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Reading group scheduled."))
            return redirect("education_group", public_id=group.public_id)
    return render(request, "ladder/group_form.html", {"form": form, "session": session})


@login_required
def education_group(request: HttpRequest, public_id: str) -> HttpResponse:
    """A reading group: its session and readings, who came and completed it, and finding people to add."""
    user = _user(request)
    group = ladder_access.access_group(user, public_id)
    q = request.GET.get("q", "").strip()[:200]
    people = access.people_visible_to(user)
    candidates = list(people_matching(people, q)[:CANDIDATES]) if q else []
    present = Progress.objects.filter(session=group.session, group=group, person__in=people.values("pk"))
    # Signed in at the group's event (the kiosk) but not yet recorded for the session.
    signed_in = (
        people.filter(events_attended__event=group.event)
        .exclude(education__session=group.session)
        .order_by("last_name", "first_name")
        if group.event is not None
        else people.none()
    )
    record_audit(user, AuditEntry.Verb.VIEW, "reading_group", group.public_id, query=q, shown=len(candidates))
    context = {
        "group": group,
        "session": group.session,
        "present": present.select_related("person"),
        "candidates": candidates,
        "signed_in": list(signed_in),
        "q": q,
        "can_run": ladder_access.can_run_education(user),
    }
    return render(request, "ladder/group.html", context)


@login_required
@require_POST
def education_group_progress(request: HttpRequest, public_id: str) -> HttpResponse:
    """Mark the chosen people as having come (and, ticked, completed the session)."""
    user = _user(request)
    group = ladder_access.access_group(user, public_id, write=True)
    try:
        people = [access.access_person(user, value) for value in request.POST.getlist("people")]
    except Http404:
        messages.error(request, _("Some of the chosen people are outside the areas you work in."))
        return redirect("education_group", public_id=group.public_id)
    try:
        changed = actions.do_record_progress(
            user, group.session, people, completed=request.POST.get("completed") == "1", group=group
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Recorded %(n)s people.") % {"n": len(changed)})
    return redirect("education_group", public_id=group.public_id)
