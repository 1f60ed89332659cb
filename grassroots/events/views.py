"""Organizers' event pages: the list, create and edit, an event with its RSVPs, waitlist, referrals
and attendance, the agenda and project sheets, the kiosk at the door, exports; forms and petitions.

People appear only through the gate: an organizer sees the RSVPs and attendance of people in their
scope, and counts of the rest.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.events import access as event_access
from grassroots.events import actions
from grassroots.events.forms import (
    EventForm,
    KioskForm,
    QuestionForm,
    SheetForm,
    ShiftForm,
    SignupFormForm,
)
from grassroots.events.models import RSVP, Attendance, Event, Submission
from grassroots.events.public_views import embed_snippet
from grassroots.lib.exports import csv_response
from grassroots.lib.phones import format_phone
from grassroots.people.models import Person
from grassroots.people.search import people_matching

Verb = AuditEntry.Verb
# RSVPs listed on an event's page; a large event's full list is its CSV.
LIST_LIMIT = 500


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _areas(user: User) -> Any:
    return access.areas_in_scope(user).exclude(kind="unit").order_by("path")


# --- list, create, edit ------------------------------------------------------------------------


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    events = (
        event_access.events_visible_to(user)
        .select_related("area")
        .annotate(
            going=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.GOING), distinct=True),
            waitlisted=Count("rsvps", filter=Q(rsvps__status=RSVP.Status.WAITLISTED), distinct=True),
            came=Count("attendance", distinct=True),
        )
    )
    now = timezone.now()
    kind = request.GET.get("kind", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    context = {
        "upcoming": events.filter(ends_at__gte=now).order_by("starts_at"),
        "past": events.filter(ends_at__lt=now).order_by("-starts_at")[:50],
        "kinds": Event.Kind.choices,
        "kind": kind,
        "can_create": user.can_edit_people,
    }
    return render(request, "events/list.html", context)


def _event_form(request: HttpRequest, user: User, event: Event | None) -> HttpResponse:
    """The form that makes an event (``event`` None) or changes one."""
    initial = EventForm.initial_for(event) if event else {"listed": True}
    form = EventForm(request.POST or None, areas=_areas(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if event is None:
                saved = actions.do_create_event(user, form.event_data())
                done = _("Created %(title)s.")
            else:
                saved = actions.do_update_event(user, event, form.event_data())
                done = _("Saved %(title)s.")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done % {"title": saved.title})
            return redirect("event_detail", public_id=saved.public_id)
    return render(request, "events/form.html", {"form": form, "event": event})


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.can_edit_people:
        raise PermissionDenied("Your role may not make events.")
    return _event_form(request, user, None)


@login_required
def event_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    return _event_form(request, user, event_access.access_event(user, public_id, write=True))


@login_required
@require_POST
def event_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    actions.do_cancel_event(user, event)
    messages.success(request, _("Cancelled %(title)s.") % {"title": event.title})
    return redirect("event_detail", public_id=event.public_id)


# --- an event ----------------------------------------------------------------------------------


def _visible(user: User) -> QuerySet[Person]:
    return access.people_visible_to(user)


def _visible_ids(visible: QuerySet[Person], ids: Iterable[int | None]) -> set[int]:
    """Which of these people (referrers, say) the user may see: a name is shown only then."""
    return set(visible.filter(pk__in=[i for i in ids if i]).values_list("pk", flat=True))


def report(event: Event, visible: QuerySet[Person]) -> dict[str, int]:
    """RSVPs against attendance, counted over everyone (counts name no one)."""
    rsvps = event.rsvps.all()
    came = set(event.attendance.values_list("person_id", flat=True))
    going = set(rsvps.filter(status=RSVP.Status.GOING).values_list("person_id", flat=True))
    return {
        "going": len(going),
        "waitlisted": rsvps.filter(status=RSVP.Status.WAITLISTED).count(),
        "cancelled": rsvps.filter(status=RSVP.Status.CANCELLED).count(),
        "attended": len(came),
        "came_as_rsvped": len(going & came),
        "no_shows": len(going - came) if event.is_past else 0,
        "walk_ins": event.attendance.filter(walk_in=True).count(),
        "referred": rsvps.filter(referred_by__isnull=False).count(),
        "hidden": rsvps.exclude(person__in=visible).count()
        + event.attendance.filter(rsvp__isnull=True).exclude(person__in=visible).count(),
    }


@login_required
def event_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id)
    record_audit(user, Verb.VIEW, "event", event.public_id)
    visible = _visible(user)
    rsvps = list(
        event.rsvps.filter(person__in=visible)
        .select_related("person", "shift", "referred_by")
        .order_by("status", "created_at")
    )
    going = [r for r in rsvps if r.status == RSVP.Status.GOING]
    attended = set(event.attendance.values_list("person_id", flat=True))
    visible_ids = _visible_ids(visible, (r.referred_by_id for r in rsvps))
    # Who brought whom, among the people the organizer may see: the referrer's name only when visible.
    brought: dict[Person, list[RSVP]] = {}
    for r in rsvps:
        if r.referred_by is not None and r.referred_by_id in visible_ids:
            brought.setdefault(r.referred_by, []).append(r)
    walk_ins = event.attendance.filter(person__in=visible, walk_in=True).select_related("person")
    projects = event.projects.annotate(signed=Count("signups")).select_related("sponsor")
    context = {
        "event": event,
        "can_run": event_access.can_run(user, event),
        "going": going[:LIST_LIMIT],
        "going_more": max(0, len(going) - LIST_LIMIT),
        "waitlist": [r for r in rsvps if r.status == RSVP.Status.WAITLISTED],
        "cancelled": [r for r in rsvps if r.status == RSVP.Status.CANCELLED],
        "attended": attended,
        "walk_ins": walk_ins,
        "brought": sorted(brought.items(), key=lambda kv: -len(kv[1])),
        "visible_referrers": visible_ids,
        "report": report(event, visible),
        "shifts": [(s, actions.seats_left(event, s)) for s in event.shifts.all()],
        "seats_left": actions.seats_left(event),
        "agenda": event.agenda.select_related("presenter", "project"),
        "projects": projects,
        "sponsors": event.sponsors.all(),
        "hosts": event.hosts.all(),
        "host_people": event.host_people.filter(pk__in=visible.values("pk")),
        "shift_form": ShiftForm(),
        "public_url": request.build_absolute_uri(reverse("public_event", kwargs={"slug": event.slug})),
    }
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def event_shift_add(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    form = ShiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the shift a start and an end."))
    else:
        data = form.cleaned_data
        try:
            actions.do_add_shift(
                user,
                event,
                data["starts_at"],
                data["ends_at"],
                title=data["title"],
                capacity=data["capacity"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
    return redirect("event_detail", public_id=event.public_id)


@login_required
def event_hosts(request: HttpRequest, public_id: str) -> HttpResponse:
    """Find people (among those the organizer may see) and add them as the event's hosts."""
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    if request.method == "POST":
        try:
            person = access.access_person(user, request.POST.get("person", ""))
            actions.do_add_host(user, event, person)
        except (ValidationError, Http404):
            messages.error(request, _("That person does not exist or is outside the areas you work in."))
        else:
            messages.success(request, _("%(name)s hosts this event.") % {"name": person.full_name})
            return redirect("event_detail", public_id=event.public_id)
    q = request.GET.get("q", "").strip()[:200]
    candidates: list[Person] = []
    if q:
        hosts = event.host_people.values("pk")
        found = people_matching(_visible(user), q).exclude(pk__in=hosts).select_related("household")
        candidates = list(found[:20])
        record_audit(
            user, Verb.SEARCH, "person", "", query=q, event=str(event.public_id), shown=len(candidates)
        )
    return render(request, "events/hosts.html", {"event": event, "q": q, "candidates": candidates})


@login_required
@require_POST
def event_rsvp_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    rsvp = event_access.access_rsvp(user, public_id)
    promoted = actions.do_cancel_rsvp(user, rsvp)
    messages.success(
        request,
        _("Cancelled the RSVP; %(n)d moved up from the waitlist.") % {"n": len(promoted)},
    )
    return redirect("event_detail", public_id=rsvp.event.public_id)


# --- agenda and project sheets -----------------------------------------------------------------


@login_required
@require_POST
def event_agenda_add(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    post = request.POST
    try:
        project = None
        if post.get("project_name", "").strip():
            project = actions.do_add_project(
                user, event, post["project_name"], description=post.get("project_description", ""),
                sponsor=post.get("sponsor", ""),
            )  # fmt: skip
        minutes = int(post.get("minutes") or 5)
        actions.do_add_agenda_item(
            user,
            event,
            post.get("title", "") or (project.name if project else ""),
            minutes=minutes,
            presenter_name=post.get("presenter_name", ""),
            project=project,
        )
    except ValueError:
        messages.error(request, _("The minutes must be a number."))
    except ValidationError as exc:
        _refuse(request, exc)
    return redirect(reverse("event_detail", kwargs={"public_id": event.public_id}) + "#agenda")


@login_required
def event_project_sheet(request: HttpRequest, public_id: str) -> HttpResponse:
    """A project's sign-up sheet: who wants to join, and a line to type in from the paper sheet."""
    user = _user(request)
    project = event_access.access_project(user, public_id)
    can_run = event_access.can_run(user, project.event)
    form = SheetForm(request.POST or None, consent_wording=project.event.consent_wording)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied("You do not run this event.")
        if form.is_valid():
            try:
                person = actions.do_sign_up_for_project(user, project, form.arrival())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Added %(name)s to the sheet.") % {"name": person.first_name})
                return redirect("event_project_sheet", public_id=project.public_id)
    record_audit(user, Verb.VIEW, "project", project.public_id)
    signups = project.signups.select_related("person")
    visible = _visible(user)
    context = {
        "project": project,
        "event": project.event,
        "signups": signups.filter(person__in=visible),
        "hidden": signups.exclude(person__in=visible).count(),
        "form": form,
        "can_run": can_run,
    }
    return render(request, "events/project.html", context)


# --- the kiosk ---------------------------------------------------------------------------------


@login_required
def event_kiosk(request: HttpRequest, public_id: str) -> HttpResponse:
    """The tablet at the door: one form, sent with htmx, cleared for the next person."""
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    context = {
        "event": event,
        "form": KioskForm(event=event),
        "count": event.attendance.count(),
    }
    return render(request, "events/kiosk.html", context)


@login_required
@require_POST
def event_kiosk_sign_in(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    form = KioskForm(request.POST, event=event)
    context: dict[str, Any] = {"event": event, "form": form}
    if form.is_valid():
        try:
            checked = actions.do_check_in(
                user,
                event,
                form.arrival(),
                projects=form.cleaned_data.get("projects") or [],
                membership=bool(form.cleaned_data.get("membership")),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            context["checked"] = checked
    context["count"] = event.attendance.count()
    response = render(request, "events/_kiosk_result.html", context)
    if "checked" in context:
        response["HX-Trigger"] = "kiosk-signed-in"
    return response


# --- exports -----------------------------------------------------------------------------------


def _phone(number: str) -> str:
    return format_phone(number) if number else ""


def _name(person: Person | None, visible_ids: set[int]) -> str:
    return person.full_name if person is not None and person.pk in visible_ids else ""


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="minutes")


@login_required
def event_rsvps_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    visible = _visible(user)
    rsvps = (
        event.rsvps.filter(person__in=visible)
        .select_related("person", "shift", "referred_by")
        .order_by("created_at", "id")
    )
    came = set(event.attendance.values_list("person_id", flat=True))
    referrers = _visible_ids(visible, rsvps.values_list("referred_by_id", flat=True))
    record_audit(user, Verb.EXPORT, "event", event.public_id, export="rsvps", rows=rsvps.count())
    header = [
        "first_name", "last_name", "email", "phone", "status", "shift", "rsvp_at", "referred_by", "attended",
        "person_id",
    ]  # fmt: skip

    def rows() -> Iterator[list[Any]]:
        for r in rsvps.iterator(chunk_size=500):
            yield [
                r.person.first_name, r.person.last_name, r.email, _phone(r.phone), r.status,
                str(r.shift) if r.shift else "", _when(r.created_at),
                _name(r.referred_by, referrers), "yes" if r.person_id in came else "no",
                str(r.person.public_id),
            ]  # fmt: skip

    return csv_response(f"rsvps-{event.slug}.csv", header, rows())


@login_required
def event_attendance_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    user = _user(request)
    event = event_access.access_event(user, public_id, write=True)
    attendance = (
        Attendance.objects.filter(event=event, person__in=_visible(user))
        .select_related("person", "rsvp")
        .prefetch_related("person__emails", "person__phones")
        .order_by("checked_in_at", "id")
    )
    record_audit(user, Verb.EXPORT, "event", event.public_id, export="attendance", rows=attendance.count())
    header = ["first_name", "last_name", "email", "phone", "checked_in_at", "walk_in", "rsvp", "person_id"]

    def rows() -> Iterator[list[Any]]:
        for a in attendance:
            emails = [e.address for e in a.person.emails.all()]
            phones = [p.number for p in a.person.phones.all()]
            yield [
                a.person.first_name, a.person.last_name, emails[0] if emails else "",
                _phone(phones[0]) if phones else "", _when(a.checked_in_at),
                "yes" if a.walk_in else "no", a.rsvp.status if a.rsvp else "", str(a.person.public_id),
            ]  # fmt: skip

    return csv_response(f"attendance-{event.slug}.csv", header, rows())


# --- forms and petitions -----------------------------------------------------------------------


@login_required
def event_form_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    forms = event_access.forms_visible_to(user).annotate(signed=Count("submissions"))
    return render(request, "events/forms_list.html", {"forms": forms, "can_create": user.can_edit_people})


@login_required
def event_form_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.can_edit_people:
        raise PermissionDenied("Your role may not make forms.")
    form = SignupFormForm(request.POST or None, areas=_areas(user))
    if request.method == "POST" and form.is_valid():
        try:
            made = actions.do_create_form(user, form.form_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Created %(title)s. Now add its questions.") % {"title": made.title})
            return redirect("event_form_detail", public_id=made.public_id)
    return render(request, "events/signup_form_form.html", {"form": form})


@login_required
def event_form_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    signup_form = event_access.access_form(user, public_id)
    can_run = event_access.can_run(user, signup_form)
    question_form = QuestionForm(request.POST or None)
    if request.method == "POST":
        if not can_run:
            raise PermissionDenied("You do not run this form.")
        if "is_open" in request.POST:
            actions.do_set_form_open(user, signup_form, request.POST["is_open"] == "1")
            return redirect("event_form_detail", public_id=signup_form.public_id)
        if question_form.is_valid():
            data = question_form.cleaned_data
            try:
                actions.do_add_question(
                    user, signup_form, data["label"], kind=data["kind"],
                    choices=(data.get("choices") or "").splitlines(), required=data["required"],
                )  # fmt: skip
            except ValidationError as exc:
                question_form.add_error(None, exc)
            else:
                return redirect("event_form_detail", public_id=signup_form.public_id)
    record_audit(user, Verb.VIEW, "form", signup_form.public_id)
    visible = _visible(user)
    submissions = signup_form.submissions.select_related("person", "referred_by")
    shown = list(submissions.filter(person__in=visible)[:200])
    context = {
        "visible_referrers": _visible_ids(visible, (s.referred_by_id for s in shown)),
        "signup_form": signup_form,
        "questions": signup_form.questions.all(),
        "submissions": shown,
        "total": submissions.count(),
        "hidden": submissions.exclude(person__in=visible).count(),
        "question_form": question_form,
        "can_run": can_run,
        "public_url": request.build_absolute_uri(reverse("public_form", kwargs={"slug": signup_form.slug})),
        "embed": embed_snippet(signup_form),
    }
    return render(request, "events/signup_form_detail.html", context)


@login_required
def event_form_submissions_csv(request: HttpRequest, public_id: str) -> StreamingHttpResponse:
    user = _user(request)
    signup_form = event_access.access_form(user, public_id, write=True)
    questions = list(signup_form.questions.all())
    visible = _visible(user)
    submissions = (
        Submission.objects.filter(form=signup_form, person__in=visible)
        .select_related("person", "referred_by")
        .order_by("created_at", "id")
    )
    referrers = _visible_ids(visible, submissions.values_list("referred_by_id", flat=True))
    record_audit(
        user, Verb.EXPORT, "form", signup_form.public_id, export="submissions", rows=submissions.count()
    )
    header = ["first_name", "last_name", "email", "phone", "submitted_at", "referred_by"] + [
        q.key for q in questions
    ]

    def rows() -> Iterator[list[Any]]:
        for s in submissions.iterator(chunk_size=500):
            yield [
                s.person.first_name, s.person.last_name, s.email, _phone(s.phone),
                _when(s.created_at),
                _name(s.referred_by, referrers),
                *(s.answers.get(q.key, "") for q in questions),
            ]  # fmt: skip

    return csv_response(f"{signup_form.slug}.csv", header, rows())
