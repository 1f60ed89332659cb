"""Committee pages: the list, a committee with its members, meetings and decisions, the coverage
map, founding a committee, the people with no committee yet, and a member's own committee."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.committees import access as committee_access
from grassroots.committees import actions, coverage
from grassroots.committees.calendar import committee_calendar
from grassroots.committees.forms import CommitteeForm, MeetingForm, MembershipForm
from grassroots.committees.models import (
    Committee,
    Decision,
    Meeting,
    Membership,
    Role,
    active_committees,
    current_on,
)
from grassroots.lib.geo import feature_collection
from grassroots.people.models import Person
from grassroots.people.search import people_matching
from grassroots.places.models import Area, AreaKind

PAGE_SIZE = 50
# The kinds of area a coverage map can show, from the largest down.
COVERAGE_KINDS = [AreaKind.NEIGHBORHOOD, AreaKind.ELECTION_DISTRICT, AreaKind.STREET, AreaKind.BUILDING]
# Above this many areas the map asks for a smaller area to look inside.
COVERAGE_LIMIT = 2500
# Kinds offered in the new-committee form (buildings come from "Start a committee here").
FORM_KINDS = [
    AreaKind.CITY,
    AreaKind.DISTRICT,
    AreaKind.NEIGHBORHOOD,
    AreaKind.ELECTION_DISTRICT,
    AreaKind.STREET,
]


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _date(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError(_("“%(value)s” is not a date.") % {"value": value})
    return parsed


def _refuse(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


def _visible_person(user: User, public_id: str) -> Person:
    """A person the user may see, or a ValidationError that reads the same whether they exist or not."""
    try:
        return access.access_person(user, public_id)
    except Http404 as exc:
        raise ValidationError(_("That person does not exist or is outside the areas you work in.")) from exc


def _attempt(request: HttpRequest, write: Callable[[], Any], success: str) -> bool:
    try:
        write()
    except ValidationError as exc:
        _refuse(request, exc)
        return False
    messages.success(request, success)
    return True


# --- list, new, detail -------------------------------------------------------------------------


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    archived = request.GET.get("archived") == "1"
    committees = committee_access.committees_visible_to(user).select_related("area", "parent")
    committees = committees.filter(archived_at__isnull=not archived)
    committees = committees.annotate(
        members=Count("memberships", filter=current_on(prefix="memberships__"), distinct=True)
    ).order_by("area__path", "name")
    context = {
        "committees": committees,
        "archived": archived,
        "can_found": user.can_edit_people,
    }
    return render(request, "committees/list.html", context)


def _area_choices(user: User, extra: Area | None) -> QuerySet[Area]:
    areas = access.areas_in_scope(user).filter(kind__in=FORM_KINDS)
    if extra is not None:
        areas = access.areas_in_scope(user).filter(Q(kind__in=FORM_KINDS) | Q(pk=extra.pk))
    return areas.order_by("path")


@login_required
def committee_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.can_edit_people:
        raise PermissionDenied("Your role may not found committees.")
    chosen = access.access_area(user, request.GET["area"]) if request.GET.get("area") else None
    parents = active_committees().filter(pk__in=committee_access.committees_visible_to(user).values("pk"))
    initial = {"area": chosen.public_id} if chosen else {}
    form = CommitteeForm(
        request.POST or None, areas=_area_choices(user, chosen), parents=parents, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.committee_data()
        if data.parent is None and data.area is not None:
            data.parent = actions.nearest_parent(data.area)
        try:
            committee = actions.do_create_committee(user, data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Founded %(name)s.") % {"name": committee.name})
            return redirect("committee_detail", public_id=committee.public_id)
    return render(request, "committees/form.html", {"form": form})


def _members(user: User, committee: Committee) -> tuple[list[Membership], list[Membership], int]:
    """Current and past memberships of people the user may see, and how many others there are."""
    visible = access.people_visible_to(user).values("pk")
    all_members = committee.memberships.select_related("person")
    shown = list(all_members.filter(person__in=visible).order_by("role", "person__last_name"))
    hidden = all_members.exclude(person__in=visible).filter(current_on()).count()
    current = [m for m in shown if m.is_current]
    past = [m for m in shown if not m.is_current]
    return current, past, hidden


def next_meeting(committee: Committee) -> Meeting | None:
    return (
        committee.meetings.filter(cancelled_at__isnull=True, ends_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )


def _open_decisions(committee: Committee) -> QuerySet[Decision]:
    return committee.decisions.filter(done_at__isnull=True).select_related("owner", "meeting")


def _visible_owners(user: User, decisions: list[Decision]) -> set[int]:
    """Which owners of these decisions the user may see: an owner's name is shown only then (a
    member may have moved out of the user's areas since the decision was given to them)."""
    ids = {d.owner_id for d in decisions if d.owner_id}
    return set(access.people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


@login_required
def committee_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    committee = committee_access.access_committee(user, public_id)
    record_audit(user, AuditEntry.Verb.VIEW, "committee", committee.public_id)
    current, past, hidden = _members(user, committee)
    now = timezone.now()
    meetings = committee.meetings.annotate(present=Count("attendance"))
    open_decisions = list(_open_decisions(committee))
    # The latest ten: the model orders decisions by done_at ascending, the oldest first.
    done_decisions = list(
        committee.decisions.filter(done_at__isnull=False)
        .select_related("owner")
        .order_by("-done_at", "-id")[:10]
    )
    context = {
        "committee": committee,
        "areas": [*committee.area.ancestors(), committee.area] if committee.area else [],
        "subcommittees": committee_access.committees_visible_to(user)
        .filter(parent=committee)
        .select_related("area"),
        "current": current,
        "past": past,
        "hidden": hidden,
        "next_meeting": next_meeting(committee),
        "upcoming": meetings.filter(ends_at__gte=now).order_by("starts_at")[:6],
        "recent": meetings.filter(ends_at__lt=now).order_by("-starts_at")[:6],
        "open_decisions": open_decisions,
        "done_decisions": done_decisions,
        "visible_owners": _visible_owners(user, open_decisions),
        "can_run": committee_access.can_run(user, committee),
        "roles": Role.choices,
        "today": timezone.localdate(),
    }
    return render(request, "committees/detail.html", context)


@login_required
def committee_members(request: HttpRequest, public_id: str) -> HttpResponse:
    """Find people to add (in the committee's area by default) and add one with a role and dates."""
    user = _user(request)
    committee = committee_access.access_committee(user, public_id, write=True)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = _visible_person(user, request.POST.get("person", ""))
            actions.do_add_member(
                user,
                committee,
                person,
                role=form.cleaned_data["role"],
                joined_on=form.cleaned_data["joined_on"],
                left_on=form.cleaned_data["left_on"],
            )
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(
                request,
                _("Added %(name)s to %(committee)s.")
                % {"name": person.full_name, "committee": committee.name},
            )
            return redirect("committee_detail", public_id=committee.public_id)
    q = request.GET.get("q", "").strip()[:200]
    people = access.people_visible_to(user)
    if q:
        people = people_matching(people, q)
    elif committee.area is not None:
        people = coverage.supporters(people.filter(area__path__startswith=committee.area.path))
    members = committee.memberships.filter(current_on()).values("person_id")
    candidates = list(people.exclude(pk__in=members).select_related("household")[:PAGE_SIZE])
    record_audit(
        user,
        AuditEntry.Verb.SEARCH,
        "person",
        "",
        query=q,
        committee=str(committee.public_id),
        shown=len(candidates),
    )
    context = {"committee": committee, "form": form, "candidates": candidates, "q": q}
    return render(request, "committees/members.html", context)


@login_required
@require_POST
def committee_membership_end(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    membership = committee_access.access_membership(user, public_id)
    try:
        left_on = _date(request.POST.get("left_on"))
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        _attempt(
            request,
            lambda: actions.do_end_membership(user, membership, left_on),
            _("%(name)s left %(committee)s.")
            % {"name": membership.person.full_name, "committee": membership.committee.name},
        )
    return redirect("committee_detail", public_id=membership.committee.public_id)


@login_required
@require_POST
def committee_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    committee = committee_access.access_committee(user, public_id, write=True)
    try:
        outcome = actions.do_delete_committee(user, committee)
    except ValidationError as exc:
        _refuse(request, exc)
        return redirect("committee_detail", public_id=committee.public_id)
    if outcome == "archived":
        messages.success(
            request,
            _("%(name)s has members or history, so it was archived: everything it recorded is kept.")
            % {"name": committee.name},
        )
        return redirect("committee_detail", public_id=committee.public_id)
    messages.success(request, _("Deleted %(name)s.") % {"name": committee.name})
    return redirect("committee_list")


@login_required
@require_POST
def committee_restore(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    committee = committee_access.access_committee(user, public_id, write=True)
    _attempt(
        request,
        lambda: actions.do_restore_committee(user, committee),
        _("Restored %(name)s.") % {"name": committee.name},
    )
    return redirect("committee_detail", public_id=committee.public_id)


@login_required
def committee_calendar_feed(request: HttpRequest, public_id: str) -> HttpResponse:
    committee = committee_access.access_committee(_user(request), public_id)
    meetings = committee.meetings.prefetch_related("agenda").order_by("starts_at")
    response = HttpResponse(
        committee_calendar(committee, meetings), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="committee-{committee.public_id}.ics"'
    return response


# --- meetings ----------------------------------------------------------------------------------


@login_required
def committee_schedule(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    committee = committee_access.access_committee(user, public_id, write=True)
    form = MeetingForm(
        request.POST or None, initial={"title": _("%(name)s meeting") % {"name": committee.name}}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meetings = actions.do_schedule_meetings(user, committee, form.meeting_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Scheduled %(count)d meeting(s).") % {"count": len(meetings)})
            return redirect("committee_meeting_detail", public_id=meetings[0].public_id)
    return render(request, "committees/meeting_form.html", {"committee": committee, "form": form})


@login_required
def committee_meeting_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """A meeting: its agenda, who came (the attendance form), minutes and decisions."""
    user = _user(request)
    meeting = committee_access.access_meeting(user, public_id)
    committee = meeting.committee
    record_audit(user, AuditEntry.Verb.VIEW, "meeting", meeting.public_id)
    visible = access.people_visible_to(user)
    present = {
        a.person_id: a
        for a in meeting.attendance.filter(person__in=visible.values("pk")).select_related("person")
    }
    members = [
        m.person
        for m in committee.memberships.filter(
            current_on(timezone.localdate(meeting.starts_at)), person__in=visible.values("pk")
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    ]
    roll = list({p.pk: p for p in [*members, *(a.person for a in present.values())]}.values())
    decisions = list(meeting.decisions.select_related("owner"))
    context = {
        "meeting": meeting,
        "committee": committee,
        "agenda": meeting.agenda.all(),
        "roll": [(person, person.pk in present) for person in roll],
        "present_count": meeting.attendance.count(),
        "decisions": decisions,
        "visible_owners": _visible_owners(user, decisions),
        "owners": members,
        "can_run": committee_access.can_run(user, committee),
        "series": Meeting.objects.filter(series=meeting.series).order_by("starts_at")
        if meeting.series
        else [],
    }
    return render(request, "committees/meeting.html", context)


def _back_to(meeting: Meeting) -> HttpResponse:
    return redirect("committee_meeting_detail", public_id=meeting.public_id)


@login_required
@require_POST
def committee_meeting_attendance(request: HttpRequest, public_id: str) -> HttpResponse:
    """Record who came: every ticked person not yet recorded gets an attendance and an Action."""
    user = _user(request)
    meeting = committee_access.access_meeting(user, public_id, write=True)
    ids = [access.parse_public_id(v) for v in request.POST.getlist("people")]
    people = list(access.people_visible_to(user).filter(public_id__in=ids))
    if len(people) != len(set(ids)):
        messages.error(
            request, _("Some of the chosen people are outside the areas you work in; nothing was recorded.")
        )
        return _back_to(meeting)
    if not people:
        messages.error(request, _("Tick the people who came first."))
        return _back_to(meeting)
    try:
        recorded = actions.do_record_attendance(user, meeting, people)
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Recorded %(count)d attendance(s).") % {"count": len(recorded)})
    return _back_to(meeting)


def _meeting_write(
    request: HttpRequest, public_id: str, write: Callable[[User, Meeting], object], success: str
) -> HttpResponse:
    """The small meeting forms: check the user runs the committee, write, say so, back to the meeting."""
    user = _user(request)
    meeting = committee_access.access_meeting(user, public_id, write=True)
    _attempt(request, lambda: write(user, meeting), success)
    return _back_to(meeting)


@login_required
@require_POST
def committee_meeting_agenda(request: HttpRequest, public_id: str) -> HttpResponse:
    title, notes = request.POST.get("title", ""), request.POST.get("notes", "")
    return _meeting_write(
        request,
        public_id,
        lambda user, meeting: actions.do_add_agenda_item(user, meeting, title, notes),
        _("Added to the agenda."),
    )


@login_required
@require_POST
def committee_meeting_minutes(request: HttpRequest, public_id: str) -> HttpResponse:
    minutes = request.POST.get("minutes", "")
    return _meeting_write(
        request,
        public_id,
        lambda user, meeting: actions.do_record_minutes(user, meeting, minutes),
        _("Saved the minutes."),
    )


@login_required
@require_POST
def committee_meeting_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    return _meeting_write(request, public_id, actions.do_cancel_meeting, _("Cancelled the meeting."))


@login_required
@require_POST
def committee_meeting_decision(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    meeting = committee_access.access_meeting(user, public_id, write=True)
    try:
        owner = _visible_person(user, request.POST["owner"]) if request.POST.get("owner") else None
        due_on = _date(request.POST.get("due_on"))
        actions.do_record_decision(
            user, meeting.committee, request.POST.get("text", ""), meeting=meeting, owner=owner, due_on=due_on
        )
    except ValidationError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, _("Recorded the decision."))
    return _back_to(meeting)


@login_required
@require_POST
def committee_decision_done(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    decision = committee_access.access_decision(user, public_id)
    done = request.POST.get("done", "1") == "1"
    _attempt(request, lambda: actions.do_set_decision_done(user, decision, done), _("Saved."))
    back = request.POST.get("next", "")
    return redirect(
        back
        if back.startswith("/committees/")
        else reverse("committee_detail", args=[decision.committee.public_id])
    )


# --- coverage, founding, gaps ------------------------------------------------------------------


def _coverage_query(request: HttpRequest) -> tuple[Area | None, str, list[Area]]:
    """The area to look inside (the user's own by default), the kind of area shown, and the areas."""
    user = _user(request)
    if request.GET.get("area"):
        within: Area | None = access.access_area(user, request.GET["area"])
    else:
        within = access.areas_in_scope(user).order_by("depth", "path").first()
    kind = request.GET.get("kind") or AreaKind.ELECTION_DISTRICT
    if kind not in COVERAGE_KINDS:
        raise Http404("No such kind of area.")
    if within is None:
        return None, kind, []
    areas = (
        access.areas_in_scope(user)
        .filter(kind=kind, path__startswith=within.path)
        .order_by("sort_key", "name")
    )
    return within, kind, list(areas[: COVERAGE_LIMIT + 1])


def _coverage_rows(row: coverage.Coverage) -> list[list[str]]:
    committees = row.committees or row.covered_by
    return [
        [_("People"), f"{row.people:,}"],
        [_("Supporters"), f"{row.supporters:,} ({row.share:.0%})"],
        [_("Committees"), ", ".join(c.name for c in committees) if committees else _("none yet")],
    ]


@login_required
def committee_coverage(request: HttpRequest) -> HttpResponse:
    """Where the movement has supporters and committees: the map and a table, gaps first."""
    user = _user(request)
    within, kind, areas = _coverage_query(request)
    too_many = len(areas) > COVERAGE_LIMIT
    rows = [] if too_many else coverage.coverage(user, areas)
    rows.sort(key=lambda r: (bool(r.committees or r.covered_by), -r.supporters, r.area.name))
    query = request.GET.urlencode()
    context = {
        "within": within,
        "kind": kind,
        "kinds": [(k.value, k.label) for k in COVERAGE_KINDS],
        "rows": rows[:300],
        "too_many": too_many,
        "scale_max": max((r.share for r in rows), default=0.0) or 1.0,
        "geojson_url": reverse("committee_coverage_map") + (f"?{query}" if query else ""),
        "choices": access.areas_in_scope(user).filter(kind__in=FORM_KINDS).order_by("path")[:500],
        "can_found": user.can_edit_people,
    }
    return render(request, "committees/coverage.html", context)


@login_required
def committee_coverage_map(request: HttpRequest) -> JsonResponse:
    """The coverage as GeoJSON for choropleth.js: ``value`` is the supporters' share of the people,
    ``mark`` names the committees working there."""
    user = _user(request)
    _, _kind, areas = _coverage_query(request)
    features = []
    if len(areas) <= COVERAGE_LIMIT:
        for row in coverage.coverage(user, [a for a in areas if a.geometry]):
            feature = row.area.geojson_feature()
            if feature is None:
                continue
            feature["properties"].update(
                value=row.share if row.people else None,
                url=reverse("committee_start", args=[row.area.public_id])
                if not (row.committees or row.covered_by)
                else reverse("area_detail", args=[row.area.public_id]),
                rows=_coverage_rows(row),
                mark=", ".join(c.name for c in row.committees) or None,
            )
            features.append(feature)
    return feature_collection(features)


@login_required
def committee_start(request: HttpRequest, public_id: str) -> HttpResponse:
    """Start a committee here: the founding list (supporters by engagement) and the form."""
    user = _user(request)
    area = access.access_area(user, public_id)
    founders = coverage.founding_list(user, area)
    record_audit(
        user, AuditEntry.Verb.SEARCH, "person", "", founding_list=str(area.public_id), shown=len(founders)
    )
    parent = actions.nearest_parent(area)
    if request.method == "POST":
        if not user.can_edit_people:
            raise PermissionDenied("Your role may not found committees.")
        try:
            chosen = [_visible_person(user, v) for v in request.POST.getlist("people")]
            coordinator_id = request.POST.get("coordinator", "")
            coordinator = _visible_person(user, coordinator_id) if coordinator_id else None
            data = actions.CommitteeData(
                name=request.POST.get("name", ""),
                kind=Committee.Kind.AREA,
                area=area,
                parent=parent,
                founded_on=_date(request.POST.get("founded_on")),
            )
            committee = actions.do_start_committee(user, data, chosen, coordinator=coordinator)
        except ValidationError as exc:
            _refuse(request, exc)
        else:
            messages.success(
                request,
                _("Founded %(name)s with %(count)d members.")
                % {"name": committee.name, "count": committee.memberships.count()},
            )
            return redirect("committee_detail", public_id=committee.public_id)
    context = {
        "area": area,
        "founders": founders,
        "parent": parent,
        "existing": coverage.committees_covering(area),
        "suggested_name": _("%(area)s committee")
        % {"area": area.name.title() if area.name.isupper() else area.name},
        "checked": 10,
        "today": timezone.localdate(),
        "can_found": user.can_edit_people and access.area_in_scope(user, area),
    }
    return render(request, "committees/start.html", context)


@login_required
def committee_uncovered(request: HttpRequest, public_id: str) -> HttpResponse:
    """People in an area whose home no active committee covers yet."""
    user = _user(request)
    area = access.access_area(user, public_id)
    people = coverage.uncovered_people(user, area).select_related("household", "area")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    record_audit(
        user,
        AuditEntry.Verb.SEARCH,
        "person",
        "",
        uncovered=str(area.public_id),
        page=page.number,
        shown=len(page.object_list),
    )
    context = {"area": area, "page": page, "covering": coverage.committees_covering(area)}
    return render(request, "committees/uncovered.html", context)


# --- a member's own committee ------------------------------------------------------------------


@login_required
def committee_mine(request: HttpRequest) -> HttpResponse:
    """You are not alone: your committees, their next meetings, and how many neighbors are with us."""
    person = access.acting_person(_user(request))  # a login left on a merged-away record: the survivor
    context: dict[str, Any] = {"person": person}
    if person is not None:
        memberships = list(
            coverage.current_memberships(person).prefetch_related(
                Prefetch(
                    "committee__decisions",
                    queryset=Decision.objects.filter(done_at__isnull=True, owner=person),
                    to_attr="mine",
                )
            )
        )
        context.update(
            memberships=[(m, next_meeting(m.committee)) for m in memberships],
            covering=[
                c
                for c in coverage.committees_for_person(person)
                if c.pk not in {m.committee_id for m in memberships}
            ],
            neighbors=coverage.neighbors_in_the_movement(person),
        )
    return render(request, "committees/mine.html", context)
