"""People pages: the searchable list, a person's page, create/edit, bulk tagging and merging."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, Role, User
from grassroots.committees.coverage import committees_for_person
from grassroots.events.access import people_brought_by
from grassroots.ladder.views import person_ladder
from grassroots.lib.exports import csv_response
from grassroots.people import actions, rights
from grassroots.people.forms import PersonForm
from grassroots.people.models import Person, Tag
from grassroots.people.search import people_matching
from grassroots.places.models import Area

PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _filtered_people(request: HttpRequest) -> tuple[QuerySet[Person], dict[str, Any]]:
    user = _user(request)
    people = access.people_visible_to(user)
    q = request.GET.get("q", "").strip()[:200]
    area: Area | None = None
    tag: Tag | None = None
    if q:
        people = people_matching(people, q)
    if request.GET.get("area"):
        area = access.access_area(user, request.GET["area"])
        people = people.filter(area__path__startswith=area.path)
    if request.GET.get("tag"):
        tag = Tag.objects.filter(name=request.GET["tag"]).first()
        people = people.filter(tags=tag) if tag else people.none()
    people = people.select_related("household").prefetch_related(
        Prefetch("emails"), Prefetch("phones"), Prefetch("tags")
    )
    return people, {"q": q, "area": area, "tag": tag}


FILTER_KINDS = ("city", "district", "neighborhood", "election_district")


def _area_choices(request: HttpRequest) -> QuerySet[Area]:
    """The larger areas of the user's scope, to narrow the list by."""
    return access.areas_in_scope(_user(request)).filter(kind__in=FILTER_KINDS).order_by("path")


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    people, filters = _filtered_people(request)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    record_audit(
        request.user,
        AuditEntry.Verb.SEARCH,
        "person",
        "",
        query=filters["q"],
        area=str(getattr(filters["area"], "public_id", "")),
        tag=getattr(filters["tag"], "name", ""),
        page=page.number,
        shown=len(page.object_list),
    )
    context = {"page": page, "tags": Tag.objects.all(), "area_choices": _area_choices(request), **filters}
    template = "people/_results.html" if request.headers.get("HX-Request") else "people/list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    person = access.access_person(request.user, public_id)
    if str(person.public_id) != public_id:
        return redirect("person_detail", public_id=person.public_id)
    record_audit(request.user, AuditEntry.Verb.VIEW, "person", person.public_id)
    area_chain = [*person.area.ancestors(), person.area]
    context = {
        "person": person,
        "emails": person.emails.all(),
        "phones": person.phones.all(),
        "consents": person.consents.all(),
        "tags": person.tags.all(),
        "areas": area_chain,
        "housemates": access.people_visible_to(request.user)
        .filter(household=person.household)
        .exclude(pk=person.pk)
        if person.household_id
        else Person.objects.none(),
        "actions": person.actions.select_related("area", "recorded_by")[:200],
        "merged_from": person.merged_from.all(),
        # What organizers owe this person after a door (canvass.FollowUp): open ones first.
        "follow_ups": person.follow_ups.all()[:20],
        # Whom they brought through their share links (events), among the people the user may see.
        "brought": people_brought_by(request.user, person),
        # The voter registrations of this person that the user may see (voters.VoterRecord).
        "voter_records": access.voters_visible_to(request.user).filter(person=person),
        # Where is this person's committee? Those covering their home from the building up, and theirs.
        "committees": committees_for_person(person),
        "memberships": person.memberships.select_related("committee").order_by("left_on", "-joined_on"),
        "can_edit": _user(request).can_edit_people,
        "can_export": _may_export_or_erase(_user(request)),
        # Their stage on the ladder and its history, their education, their open follow-ups.
        "ladder": person_ladder(person),
    }
    return render(request, "people/detail.html", context)


def _editor(request: HttpRequest) -> User:
    user = _user(request)
    if not user.can_edit_people:
        raise PermissionDenied("Your role may not change people.")
    return user


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    areas = access.areas_in_scope(user).exclude(kind="unit")
    form = PersonForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.do_create_person(user, form.person_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Added {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "people/form.html", {"form": form, "person": None})


@login_required
def person_edit(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    person = access.access_person(user, public_id, write=True)
    areas = access.areas_in_scope(user).exclude(kind="unit")
    form = PersonForm(request.POST or None, areas=areas, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_person(user, person, form.person_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved {person.full_name}.")
            return redirect("person_detail", public_id=person.public_id)
    return render(request, "people/form.html", {"form": form, "person": person})


@login_required
@require_POST
def people_tag(request: HttpRequest) -> HttpResponse:
    user = _editor(request)
    ids = [access.parse_public_id(v) for v in request.POST.getlist("people")]
    people = list(access.people_visible_to(user).filter(public_id__in=ids))
    if len(people) != len(set(ids)):
        messages.error(request, "Some of the chosen people are not yours to tag; nothing was changed.")
    elif not people:
        messages.error(request, "Choose the people to tag first.")
    else:
        try:
            added = actions.do_tag_people(user, people, request.POST.get("tag", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Tagged {added} people “{request.POST['tag'].strip()}”.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/people/") else "people_list")


@login_required
def person_merge(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _editor(request)
    survivor = access.access_person(user, public_id, write=True)
    candidates = Person.objects.none()
    other: Person | None = None
    q = request.GET.get("q", "").strip()[:200]
    if q:
        candidates = people_matching(access.people_visible_to(user), q).exclude(pk=survivor.pk)[:20]
    if request.method == "POST":
        try:
            other = access.access_person(user, request.POST.get("other", ""), write=True)
        except (Http404, PermissionDenied):
            # An id the user may not see reads the same as a missing one.
            messages.error(request, "That person does not exist or is outside the areas you work in.")
            return redirect("person_merge", public_id=survivor.public_id)
        try:
            actions.do_merge_people(user, survivor, other)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("person_merge", public_id=survivor.public_id)
        messages.success(request, f"Merged {other.full_name} into {survivor.full_name}.")
        return redirect("person_detail", public_id=survivor.public_id)
    return render(request, "people/merge.html", {"person": survivor, "candidates": candidates, "q": q})


def _may_export_or_erase(user: User) -> bool:
    """A whole record leaves the database, or is gone for good: administrators and organizers only."""
    return user.is_active and (user.is_superuser or user.role in {Role.ADMIN, Role.ORGANIZER})


def _rights_officer(request: HttpRequest, public_id: str) -> tuple[User, Person]:
    user = _user(request)
    if not _may_export_or_erase(user):
        raise PermissionDenied("Only organizers and administrators export or erase a person.")
    return user, access.access_person(user, public_id, write=True)


@login_required
def person_export(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """Everything held about a person (their right of access), as JSON or as CSV."""
    user, person = _rights_officer(request, public_id)
    fmt = "csv" if request.GET.get("format") == "csv" else "json"
    record = actions.do_export_person(user, person, fmt=fmt)
    filename = f"person-{person.public_id}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, rights.CSV_HEADER, rights.record_csv_rows(record))
    response = HttpResponse(rights.record_json(record), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def person_erase(request: HttpRequest, public_id: str) -> HttpResponse:
    """Erase a person on their request, once the organizer has typed their full name to confirm."""
    user, person = _rights_officer(request, public_id)
    error = ""
    if person.erased_at is None and request.method == "POST":
        if request.POST.get("confirm", "").strip() != person.full_name:
            error = "Type the person's full name exactly as shown to confirm."
        else:
            try:
                actions.do_erase_person(user, person)
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, "Erased: the record keeps only what the figures count.")
                return redirect("person_detail", public_id=person.public_id)
    return render(request, "people/erase.html", {"person": person, "error": error})
