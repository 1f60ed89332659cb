"""Struggle pages: targets and their places, struggles with demands and a timeline, grievances.

Thin views: read through struggles.access (built on the gate), write through struggles.actions.
A form that fails comes back on its page with the reason; a page that names people is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.people.models import Person
from grassroots.people.search import people_matching
from grassroots.places.models import Area, AreaKind
from grassroots.struggles import actions
from grassroots.struggles.access import (
    access_grievance,
    access_organization,
    access_struggle,
    family_ids,
    organizations_visible_to,
    struggles_visible_to,
)
from grassroots.struggles.forms import (
    DemandForm,
    DemandStatusForm,
    EscalationForm,
    EvidenceForm,
    GrievanceForm,
    GrievanceStatusForm,
    OrganizationForm,
    SiteForm,
    StruggleForm,
    StruggleStatusForm,
    WorkplaceForm,
)
from grassroots.struggles.models import WORKPLACE_KIND, Grievance, Organization, Site, Struggle
from grassroots.struggles.overview import committees_around, struggle_timeline, target_overview, with_counts

PICKER_SIZE = 20
# The form fields a people picker may fill, and whether it picks several people.
PICKER_FIELDS = {"escalation-participants": True, "grievance-person": False}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _editor(request: HttpRequest) -> User:
    user = _user(request)
    if not user.can_edit_people:
        raise PermissionDenied(_("Your role may not change struggles."))
    return user


def _site_areas(user: User) -> QuerySet[Area]:
    return access.areas_in_scope(user).filter(kind__in=actions.SITE_KINDS)


def _workplace_surroundings(user: User) -> QuerySet[Area]:
    """The areas a new workplace may be filed under: streets and the areas around them."""
    return access.areas_in_scope(user).exclude(kind__in=[AreaKind.UNIT, AreaKind.BUILDING, WORKPLACE_KIND])


# --- targets ------------------------------------------------------------------------------------


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    organizations = (
        organizations_visible_to(request.user)
        .filter(archived_at__isnull=not archived)
        # Partners and allies are listed under coalitions, unless a struggle is fought against one.
        .filter(Q(kind__in=Organization.TARGET_KINDS) | Q(struggles__isnull=False))
        .distinct()
        .select_related("parent")
        .annotate(
            place_count=Count("sites", filter=Q(sites__ended_on__isnull=True), distinct=True),
            active_struggles=Count(
                "struggles",
                filter=Q(struggles__status=Struggle.Status.ACTIVE, struggles__archived_at__isnull=True),
                distinct=True,
            ),
        )
        .order_by("name")
    )
    context = {"organizations": organizations, "archived": archived}
    return render(request, "struggles/organization_list.html", context)


def _parent_choices(user: User, organization: Organization | None = None) -> QuerySet[Organization]:
    choices = organizations_visible_to(user).filter(archived_at__isnull=True)
    return choices.exclude(pk=organization.pk) if organization is not None else choices


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    form = OrganizationForm(request.POST or None, parents=_parent_choices(user))
    if request.method == "POST" and form.is_valid():
        try:
            organization = actions.do_create_organization(user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added %s.") % organization.name)
            return redirect("organization_detail", public_id=organization.public_id)
    return render(request, "struggles/organization_form.html", {"form": form, "organization": None})


@login_required
def organization_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    organization = access_organization(user, public_id)
    initial = {
        "kind": organization.kind,
        "name": organization.name,
        "notes": organization.notes,
        "parent": organization.parent.public_id if organization.parent else None,
    }
    form = OrganizationForm(
        request.POST or None, parents=_parent_choices(user, organization), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_organization(user, organization, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Saved %s.") % organization.name)
            return redirect("organization_detail", public_id=organization.public_id)
    return render(request, "struggles/organization_form.html", {"form": form, "organization": organization})


def _render_organization(
    request: HttpRequest,
    organization: Organization,
    site_form: SiteForm | None = None,
    workplace_form: WorkplaceForm | None = None,
) -> HttpResponse:
    user = _user(request)
    overview = target_overview(user, organization)
    record_audit(
        user,
        AuditEntry.Verb.VIEW,
        "organization",
        organization.public_id,
        grievances_shown=len(overview.open_grievances),
    )
    context = {
        "organization": organization,
        "overview": overview,
        "can_edit": user.can_edit_people,
        "site_form": site_form or SiteForm(areas=_site_areas(user)),
        "workplace_form": workplace_form or WorkplaceForm(areas=_workplace_surroundings(user)),
    }
    return render(request, "struggles/organization_detail.html", context)


@login_required
def organization_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The target view: every building and workplace of a landlord or employer and of those acting
    for it, the committees there, the struggles against them and the open grievances."""
    return _render_organization(request, access_organization(request.user, public_id))


@login_required
def organization_places(request: HttpRequest, public_id: str) -> HttpResponse:
    """The buildings and workplaces in the user's scope matching ``q``: choices for the site form."""
    user = _editor(request)
    access_organization(user, public_id)
    q = request.GET.get("q", "").strip()[:200]
    field = "within" if request.GET.get("field") == "within" else "area"
    areas = _workplace_surroundings(user) if field == "within" else _site_areas(user)
    found = areas.filter(name__icontains=q).order_by("name")[:PICKER_SIZE] if q else []
    choices = [(a.public_id, a.name, a.kind_label) for a in found]
    context = {"choices": choices, "field": field, "many": False, "q": q}
    return render(request, "struggles/_choices.html", context)


@login_required
@require_POST
def organization_site(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add a building or workplace to the organization (POST area, relation), or end one (POST end)."""
    user = _editor(request)
    organization = access_organization(user, public_id)
    if "end" in request.POST:
        site = (
            Site.objects.filter(organization=organization, ended_on__isnull=True)
            .select_related("area", "organization")
            .filter(area__public_id=access.parse_public_id(request.POST["end"]))
            .first()
        )
        if site is None:
            messages.error(request, _("That place is not recorded for %s.") % organization.name)
        else:
            try:
                actions.do_end_site(user, site)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("%s is no longer recorded as current.") % site.area.name)
        return redirect("organization_detail", public_id=organization.public_id)
    form = SiteForm(request.POST, areas=_site_areas(user))
    if form.is_valid():
        try:
            actions.do_add_site(user, organization, form.cleaned_data["area"], form.cleaned_data["relation"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added %s.") % form.cleaned_data["area"].name)
            return redirect("organization_detail", public_id=organization.public_id)
    return _render_organization(request, organization, site_form=form)


@login_required
@require_POST
def organization_workplace(request: HttpRequest, public_id: str) -> HttpResponse:
    """File a workplace new to grassroots under its street and record that the organization employs there."""
    user = _editor(request)
    organization = access_organization(user, public_id)
    form = WorkplaceForm(request.POST, areas=_workplace_surroundings(user))
    if form.is_valid():
        try:
            site = actions.do_add_workplace(
                user, organization, name=form.cleaned_data["name"], within=form.cleaned_data["within"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added %s.") % site.area.name)
            return redirect("organization_detail", public_id=organization.public_id)
    return _render_organization(request, organization, workplace_form=form)


@login_required
@require_POST
def organization_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    organization = access_organization(user, public_id)
    if actions.do_delete_organization(user, organization):
        messages.success(request, _("Deleted %s.") % organization.name)
    else:
        messages.success(request, _("Archived %s: its places and struggles are kept.") % organization.name)
    return redirect("organization_list")


# --- struggles ----------------------------------------------------------------------------------


@login_required
def struggle_list(request: HttpRequest) -> HttpResponse:
    archived = request.GET.get("archived") == "1"
    struggles = with_counts(struggles_visible_to(request.user).filter(archived_at__isnull=not archived))
    context = {"struggles": struggles, "archived": archived}
    return render(request, "struggles/struggle_list.html", context)


@login_required
def struggle_create(request: HttpRequest) -> HttpResponse:
    """Start a struggle against a target (``?target=``), in the target's places the user works in."""
    user = _editor(request)
    target = access_organization(user, request.GET["target"]) if request.GET.get("target") else None
    if target is None:
        targets = organizations_visible_to(user).filter(archived_at__isnull=True).order_by("name")
        return render(request, "struggles/struggle_form.html", {"targets": targets, "target": None})
    places = (
        _site_areas(user)
        .filter(
            organization_sites__organization__in=family_ids(target), organization_sites__ended_on__isnull=True
        )
        .distinct()
    )
    form = StruggleForm(request.POST or None, areas=places, committees=committees_around(places))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            struggle = actions.do_create_struggle(
                user,
                target=target,
                title=data["title"],
                areas=list(data["areas"]),
                committees=list(data["committees"]),
                description=data["description"],
                started_on=data["started_on"],
                demands=form.demand_lines(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Started %s.") % struggle.title)
            return redirect("struggle_detail", public_id=struggle.public_id)
    context = {"form": form, "target": target, "has_places": places.exists()}
    return render(request, "struggles/struggle_form.html", context)


def _render_struggle(request: HttpRequest, struggle: Struggle, **forms: Any) -> HttpResponse:
    user = _user(request)
    people = access.people_visible_to(user)
    timeline = struggle_timeline(user, struggle)
    record_audit(
        user,
        AuditEntry.Verb.VIEW,
        "struggle",
        struggle.public_id,
        grievances_shown=len(timeline.grievances),
    )
    context = {
        "struggle": struggle,
        "areas": list(struggle.areas.order_by("name")),
        "committees": list(struggle.committees.select_related("area")),
        "demands": list(struggle.demands.all()),
        "timeline": timeline,
        "can_edit": user.can_edit_people,
        "escalation_form": forms.get("escalation_form") or EscalationForm(people=people),
        "grievance_form": forms.get("grievance_form") or GrievanceForm(people=people),
        "demand_form": forms.get("demand_form") or DemandForm(),
        "status_form": StruggleStatusForm(initial={"status": struggle.status}),
        "demand_statuses": DemandStatusForm.base_fields["status"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "struggles/struggle_detail.html", context)


@login_required
def struggle_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _render_struggle(request, access_struggle(request.user, public_id))


def _to_struggle(struggle: Struggle, anchor: str = "") -> HttpResponse:
    return redirect(reverse("struggle_detail", kwargs={"public_id": struggle.public_id}) + anchor)


@login_required
def struggle_people(request: HttpRequest, public_id: str) -> HttpResponse:
    """People to choose for a struggle's forms: those matching ``q`` among the people the user may
    see, or, with no ``q``, the people already in the struggle and those living where it is fought."""
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    field = request.GET.get("field", "")
    if field not in PICKER_FIELDS:
        field = "grievance-person"
    q = request.GET.get("q", "").strip()[:200]
    people = access.people_visible_to(user)
    if q:
        people = people_matching(people, q)
    else:
        inside = Q(grievances__struggle=struggle) | Q(participations__escalation__struggle=struggle)
        for area in struggle.areas.all():
            inside |= Q(area__path__startswith=area.path)
        people = people.filter(inside).distinct()
    chosen: list[Person] = list(
        people.select_related("household").order_by("last_name", "first_name")[:PICKER_SIZE]
    )
    record_audit(
        user,
        AuditEntry.Verb.SEARCH,
        "person",
        "",
        query=q,
        struggle=str(struggle.public_id),
        shown=len(chosen),
    )
    choices = [(p.public_id, p.full_name, p.household.one_line if p.household else "") for p in chosen]
    context = {"choices": choices, "field": field, "many": PICKER_FIELDS[field], "q": q}
    return render(request, "struggles/_choices.html", context)


@login_required
@require_POST
def struggle_escalation(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    form = EscalationForm(request.POST, people=access.people_visible_to(user))
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_record_escalation(
                user,
                struggle,
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                description=data["description"],
                participants=list(data["participants"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Added to the timeline."))
            return _to_struggle(struggle, "#timeline")
    return _render_struggle(request, struggle, escalation_form=form)


@login_required
@require_POST
def struggle_grievance(request: HttpRequest, public_id: str) -> HttpResponse:
    """Open a grievance. A person the user may not see fails as a choice that does not exist."""
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    form = GrievanceForm(request.POST, people=access.people_visible_to(user))
    if form.is_valid():
        data = form.cleaned_data
        person: Person = data["person"]
        try:
            actions.do_open_grievance(
                user,
                struggle,
                category=data["category"],
                summary=data["summary"],
                person=person,
                household=person.household if data["whole_household"] else None,
                opened_on=data["opened_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Opened a grievance for %s.") % person.full_name)
            return _to_struggle(struggle, "#timeline")
    return _render_struggle(request, struggle, grievance_form=form)


@login_required
@require_POST
def struggle_demand(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add a demand (POST text), or mark one won, lost or open again (POST demand, status)."""
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    if "demand" in request.POST:
        status_form = DemandStatusForm(request.POST, struggle=struggle)
        if status_form.is_valid():
            actions.do_set_demand_status(
                user, status_form.cleaned_data["demand"], status_form.cleaned_data["status"]
            )
        else:
            messages.error(request, _("Choose a demand and its status."))
        return _to_struggle(struggle, "#demands")
    form = DemandForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_demand(user, struggle, form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return _to_struggle(struggle, "#demands")
    return _render_struggle(request, struggle, demand_form=form)


@login_required
@require_POST
def struggle_status(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    form = StruggleStatusForm(request.POST)
    if form.is_valid():
        actions.do_set_struggle_status(user, struggle, form.cleaned_data["status"])
        messages.success(request, _("The struggle is now %s.") % struggle.get_status_display().lower())
    return _to_struggle(struggle)


@login_required
@require_POST
def struggle_delete(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    struggle = access_struggle(user, public_id)
    if actions.do_delete_struggle(user, struggle):
        messages.success(request, _("Deleted %s.") % struggle.title)
    else:
        messages.success(
            request, _("Archived %s: its demands, timeline and grievances are kept.") % struggle.title
        )
    return redirect("struggle_list")


# --- grievances ---------------------------------------------------------------------------------


def _render_grievance(request: HttpRequest, grievance: Grievance, **forms: Any) -> HttpResponse:
    user = _user(request)
    record_audit(user, AuditEntry.Verb.VIEW, "grievance", grievance.public_id)
    context = {
        "grievance": grievance,
        "history": list(grievance.status_changes.select_related("by")),
        "evidence": list(grievance.evidence.select_related("by")),
        "can_edit": user.can_edit_people,
        "status_form": forms.get("status_form") or GrievanceStatusForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
    }
    return render(request, "struggles/grievance_detail.html", context)


@login_required
def grievance_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _render_grievance(request, access_grievance(request.user, public_id))


@login_required
@require_POST
def grievance_status(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    grievance = access_grievance(user, public_id)
    form = GrievanceStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_grievance_status(
                user, grievance, form.cleaned_data["status"], note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("grievance_detail", public_id=grievance.public_id)
    return _render_grievance(request, grievance, status_form=form)


@login_required
@require_POST
def grievance_evidence(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    grievance = access_grievance(user, public_id)
    form = EvidenceForm(request.POST)
    if form.is_valid():
        try:
            actions.do_add_evidence(
                user, grievance, form.cleaned_data["text"], noted_on=form.cleaned_data["noted_on"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(
                reverse("grievance_detail", kwargs={"public_id": grievance.public_id}) + "#evidence"
            )
    return _render_grievance(request, grievance, evidence_form=form)
