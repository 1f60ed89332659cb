"""Coalition pages: coalitions with their organizations and delegates, partner organizations with their
contacts, relationships and joint actions, the endorsement workflow, and published endorsements.

Thin views: read through coalitions.access (built on the gate), write through coalitions.actions.
A refused write comes back as a message with the reason. People are named only when the gate
shows them; the rest are counted.
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.coalitions import actions
from grassroots.coalitions.access import (
    access_coalition,
    access_delegate,
    access_endorsement,
    access_member,
    access_partner,
    can_run,
    coalitions_visible_to,
    partners_visible_to,
    published_endorsement,
)
from grassroots.coalitions.models import (
    Contact,
    Endorsement,
    Relationship,
    spans,
)
from grassroots.events import access as event_access
from grassroots.people.models import Person
from grassroots.struggles import access as struggle_access
from grassroots.struggles.models import Organization

# As the endorsement page's "Days to vote" field allows; a vote that long is already a season.
MAX_VOTE_DAYS = 60


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _date(value: str | None) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _done(request: HttpRequest, exc: ValidationError | None, success: str) -> None:
    if exc is None:
        messages.success(request, success)
    else:
        messages.error(request, " ".join(exc.messages))


def _try(request: HttpRequest, success: str, write: Any, *args: Any, **kwargs: Any) -> Any:
    """Call an action; show its success or its refusal as a message. Returns its result or None."""
    try:
        result = write(*args, **kwargs)
    except ValidationError as exc:
        _done(request, exc, success)
        return None
    _done(request, None, success)
    return result


def _person(user: User, public_id: str | None) -> Person:
    if not public_id:
        raise Http404("No such person.")
    return access.access_person(user, public_id)


def _named(user: User, rows: QuerySet[Any]) -> tuple[list[Any], int]:
    """Rows naming a person: those the gate shows the user, and how many others there are."""
    visible = set(
        access.people_visible_to(user).filter(pk__in=rows.values("person_id")).values_list("pk", flat=True)
    )
    shown = [r for r in rows if r.person_id in visible]
    return shown, len(rows) - len(shown)


# --- coalitions ---------------------------------------------------------------------------------


@login_required
def coalition_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        coalition = _try(
            request,
            _("Founded the coalition."),
            actions.do_create_coalition,
            user,
            request.POST.get("name", ""),
            purpose=request.POST.get("purpose", ""),
        )
        if coalition is not None:
            return redirect("coalition_detail", public_id=coalition.public_id)
    coalitions = coalitions_visible_to(user).filter(archived_at__isnull=True)
    partners = (
        partners_visible_to(user)
        .exclude(kind__in=Organization.TARGET_KINDS)
        .filter(archived_at__isnull=True)
        .order_by("name")
    )
    context = {
        "coalitions": coalitions,
        "partners": partners,
        "can_run": can_run(user),
        "kinds": _partner_kinds(),
    }
    return render(request, "coalitions/list.html", context)


def _partner_kinds() -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in Organization.Kind.choices if k not in Organization.TARGET_KINDS]


@login_required
def coalition_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    coalition = access_coalition(user, public_id)
    today = timezone.localdate()
    members = list(coalition.members.select_related("organization"))
    delegates, hidden = _named(
        user,
        coalition.delegates.filter(spans(None, "starts_on", "ends_on")).select_related(
            "person", "organization"
        ),
    )
    past, _hidden_past = _named(
        user, coalition.delegates.filter(ends_on__lte=today).select_related("person", "organization")
    )
    current_orgs = [m.organization for m in members if m.left_on is None or m.left_on > today]
    contacts, _h = _named(
        user,
        Contact.objects.filter(spans(None, "since", "until"), organization__in=current_orgs).select_related(
            "person", "organization"
        ),
    )
    # Delegates and contacts are people, named on the page: a view of personal data.
    record_audit(
        user,
        AuditEntry.Verb.VIEW,
        "coalition",
        coalition.public_id,
        delegates_shown=len(delegates) + len(past),
        contacts_shown=len(contacts),
    )
    context = {
        "coalition": coalition,
        "members": members,
        "delegates": delegates,
        "hidden_delegates": hidden,
        "past_delegates": past,
        "contacts": contacts,
        "endorsements": coalition.endorsements.all(),
        "rounds": coalition.common_ground_rounds.all(),
        "can_run": can_run(user, coalition),
        "partners": partners_visible_to(user)
        .exclude(kind__in=Organization.TARGET_KINDS)
        .exclude(pk__in=[o.pk for o in current_orgs])
        .order_by("name"),
        "today": today,
    }
    return render(request, "coalitions/detail.html", context)


@login_required
@require_POST
def coalition_member(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    coalition = access_coalition(user, public_id, write=True)
    organization = access_partner(user, request.POST.get("organization"))
    joined = _date(request.POST.get("joined_on"))
    _try(
        request,
        _("%s joined the coalition.") % organization.name,
        actions.do_add_member_organization,
        user,
        coalition,
        organization,
        joined_on=joined,
    )
    return redirect("coalition_detail", public_id=coalition.public_id)


@login_required
@require_POST
def coalition_member_end(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    member = access_member(user, public_id)
    _try(
        request,
        _("%s left the coalition.") % member.organization.name,
        actions.do_end_member_organization,
        user,
        member,
        _date(request.POST.get("left_on")),
    )
    return redirect("coalition_detail", public_id=member.coalition.public_id)


@login_required
@require_POST
def coalition_delegate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Add a delegate: an organization's contact (POST ``contact``), from ``starts_on`` to ``ends_on``."""
    user = _user(request)
    coalition = access_coalition(user, public_id, write=True)
    contact = Contact.objects.filter(public_id=access.parse_public_id(request.POST.get("contact"))).first()
    if contact is None:
        raise Http404("No such contact.")
    person = _person(user, str(contact.person.public_id))
    _try(
        request,
        _("%s is a delegate.") % person.full_name,
        actions.do_add_delegate,
        user,
        coalition,
        contact.organization,
        person,
        starts_on=_date(request.POST.get("starts_on")),
        ends_on=_date(request.POST.get("ends_on")),
    )
    return redirect("coalition_detail", public_id=coalition.public_id)


@login_required
@require_POST
def coalition_delegate_end(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    delegate = access_delegate(user, public_id)
    _try(
        request,
        _("The delegation ends."),
        actions.do_end_delegate,
        user,
        delegate,
        _date(request.POST.get("ends_on")),
    )
    return redirect("coalition_detail", public_id=delegate.coalition.public_id)


@login_required
@require_POST
def coalition_endorsement(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    coalition = access_coalition(user, public_id, write=True)
    endorsement = _try(
        request,
        _("Started the endorsement: write its questionnaire."),
        actions.do_create_endorsement,
        user,
        coalition,
        candidate=request.POST.get("candidate", ""),
        office=request.POST.get("office", ""),
        kind=request.POST.get("kind", Endorsement.Kind.CANDIDATE),
        questions=request.POST.get("questions", "").splitlines(),
    )
    if endorsement is None:
        return redirect("coalition_detail", public_id=coalition.public_id)
    return redirect("coalition_endorsement_detail", public_id=endorsement.public_id)


# --- partner organizations ----------------------------------------------------------------------


@login_required
@require_POST
def partner_create(request: HttpRequest) -> HttpResponse:
    """A partner organization, made through struggles.actions like every organization."""
    from grassroots.struggles.actions import do_create_organization

    user = _user(request)
    if not can_run(user):
        raise Http404("No such page.")
    kind = request.POST.get("kind", "")
    if kind not in dict(_partner_kinds()):
        messages.error(request, _("Choose what kind of organization it is."))
        return redirect("coalition_list")
    organization = _try(
        request,
        _("Added the organization."),
        do_create_organization,
        user,
        kind=kind,
        name=request.POST.get("name", ""),
    )
    if organization is None:
        return redirect("coalition_list")
    return redirect("coalition_partner", public_id=organization.public_id)


@login_required
def partner_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """An organization's joint work: its coalitions and delegates, endorsements, co-sponsored
    struggles and events, contacts and relationships."""
    user = _user(request)
    organization = access_partner(user, public_id)
    visible_coalitions = coalitions_visible_to(user)
    memberships = organization.coalition_memberships.filter(coalition__in=visible_coalitions).select_related(
        "coalition"
    )
    delegates, hidden_delegates = _named(
        user,
        organization.delegates.filter(coalition__in=visible_coalitions).select_related("person", "coalition"),
    )
    contacts, hidden_contacts = _named(user, organization.contacts.select_related("person"))
    endorsements = Endorsement.objects.filter(
        coalition__in=memberships.values("coalition_id"),
        status__in=[Endorsement.Status.ENDORSED, Endorsement.Status.PUBLISHED, Endorsement.Status.VOTING],
    ).select_related("coalition")
    struggles = struggle_access.struggles_visible_to(user)
    events = event_access.events_visible_to(user)
    joint = organization.cosponsorships.filter(
        Q(struggle__in=struggles) | Q(event__in=events)
    ).select_related("struggle", "event")
    record_audit(
        user, AuditEntry.Verb.VIEW, "organization", organization.public_id, contacts_shown=len(contacts)
    )
    context = {
        "organization": organization,
        "memberships": memberships,
        "delegates": delegates,
        "hidden_delegates": hidden_delegates,
        "contacts": contacts,
        "hidden_contacts": hidden_contacts,
        "relationships": organization.relationships.select_related("other"),
        "relationships_to": organization.relationships_to.select_related("organization"),
        "endorsements": endorsements,
        "joint": joint,
        "can_run": can_run(user),
        "roles": Contact.Role.choices,
        "relationship_kinds": Relationship.Kind.choices,
        "others": partners_visible_to(user).exclude(pk=organization.pk).order_by("name"),
        "struggles": struggles.filter(archived_at__isnull=True)
        .exclude(target=organization)
        .order_by("title"),
        "events": events.order_by("-starts_at")[:50],
        "is_target": organization.kind in Organization.TARGET_KINDS,
    }
    return render(request, "coalitions/partner.html", context)


@login_required
@require_POST
def partner_contact(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    organization = access_partner(user, public_id)
    person = _person(user, request.POST.get("person"))
    _try(
        request,
        _("%s is a contact.") % person.full_name,
        actions.do_add_contact,
        user,
        organization,
        person,
        role=request.POST.get("role", Contact.Role.MEMBER),
        title=request.POST.get("title", ""),
        since=_date(request.POST.get("since")),
    )
    return redirect("coalition_partner", public_id=organization.public_id)


@login_required
def partner_people(request: HttpRequest, public_id: str) -> HttpResponse:
    """People the user may see whose name matches ``q``: choices for the contact form."""
    from grassroots.people.search import people_matching

    user = _user(request)
    access_partner(user, public_id)
    q = request.GET.get("q", "").strip()[:100]
    found = people_matching(access.people_visible_to(user), q)[:20] if q else []
    return render(request, "coalitions/_people.html", {"people": found, "q": q})


@login_required
@require_POST
def partner_relationship(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    organization = access_partner(user, public_id)
    other = access_partner(user, request.POST.get("other"))
    _try(
        request,
        _("Recorded the relationship."),
        actions.do_relate,
        user,
        organization,
        request.POST.get("kind", ""),
        other,
        since=_date(request.POST.get("since")),
        notes=request.POST.get("notes", ""),
    )
    return redirect("coalition_partner", public_id=organization.public_id)


@login_required
@require_POST
def partner_cosponsor(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    organization = access_partner(user, public_id)
    struggle = event = None
    if request.POST.get("struggle"):
        struggle = struggle_access.access_struggle(user, request.POST["struggle"])
    if request.POST.get("event"):
        event = event_access.access_event(user, request.POST["event"])
    _try(
        request,
        _("Recorded the co-sponsorship."),
        actions.do_cosponsor,
        user,
        organization,
        struggle=struggle,
        event=event,
    )
    return redirect("coalition_partner", public_id=organization.public_id)


# --- endorsements -------------------------------------------------------------------------------


@login_required
def endorsement_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    endorsement = access_endorsement(user, public_id)
    proposal = endorsement.proposal
    if endorsement.status == Endorsement.Status.VOTING and proposal is not None and proposal.deadline_passed:
        # The deadline passed since anyone last looked: read the result now.
        with contextlib.suppress(ValidationError):
            actions.do_settle_endorsement(None, endorsement)
        proposal = endorsement.proposal
    context = {
        "endorsement": endorsement,
        "coalition": endorsement.coalition,
        "questions": endorsement.questions.all(),
        "proposal": proposal,
        "can_run": can_run(user, endorsement.coalition),
        "Status": Endorsement.Status,
    }
    return render(request, "coalitions/endorsement.html", context)


@login_required
@require_POST
def endorsement_step(request: HttpRequest, public_id: str) -> HttpResponse:
    """One step of the workflow, named by POST ``step``: question, send, answers, vote, decide, publish."""
    user = _user(request)
    endorsement = access_endorsement(user, public_id, write=True)
    step = request.POST.get("step", "")
    if step == "question":
        _try(
            request,
            _("Added the question."),
            actions.do_add_question,
            user,
            endorsement,
            request.POST.get("text", ""),
        )
    elif step == "send":
        _try(
            request,
            _("The questionnaire is marked as sent."),
            actions.do_send_questionnaire,
            user,
            endorsement,
        )
    elif step == "answers":
        answers = {
            q.pk: request.POST.get(f"answer-{q.pk}", "")
            for q in endorsement.questions.all()
            if f"answer-{q.pk}" in request.POST
        }
        _try(request, _("Saved the answers."), actions.do_record_answers, user, endorsement, answers)
    elif step == "vote":
        days = request.POST.get("days", "").strip()
        deadline = None
        if days:
            # isdecimal, not isdigit: int() refuses some digits (a superscript two) that isdigit accepts.
            if not (days.isdecimal() and 0 < int(days) <= MAX_VOTE_DAYS):
                messages.error(request, _("Give the days to vote as a number from 1 to %d.") % MAX_VOTE_DAYS)
                return redirect("coalition_endorsement_detail", public_id=endorsement.public_id)
            deadline = timezone.now() + datetime.timedelta(days=int(days))
        _try(
            request,
            _("The delegates can vote now."),
            actions.do_open_endorsement_vote,
            user,
            endorsement,
            deadline=deadline,
            secret=request.POST.get("secret") == "1",
        )
    elif step == "decide":
        _decide(request, user, endorsement)
    elif step == "publish":
        _try(
            request,
            _("Published the endorsement."),
            actions.do_publish_endorsement,
            user,
            endorsement,
            request.POST.get("statement", ""),
        )
    else:
        messages.error(request, _("Unknown step."))
    return redirect("coalition_endorsement_detail", public_id=endorsement.public_id)


def _decide(request: HttpRequest, user: User, endorsement: Endorsement) -> None:
    """Close the vote now (those running the coalition may close it early) and read its result."""
    from grassroots.decisions.actions import do_close_proposal

    if endorsement.proposal is not None and endorsement.proposal.is_open:
        try:
            do_close_proposal(user, endorsement.proposal)
        except ValidationError as exc:
            _done(request, exc, "")
            return
    _try(request, _("The vote is counted."), actions.do_settle_endorsement, user, endorsement)


def endorsement_public(request: HttpRequest, public_id: str) -> HttpResponse:
    """A published endorsement, for anyone: the candidate, the questionnaire and answers, the vote's
    counts and the coalition's member organizations. No delegate, contact or voter is named."""
    endorsement = published_endorsement(public_id)
    coalition = endorsement.coalition
    members = coalition.members.filter(spans(endorsement.decided_on, "joined_on", "left_on")).select_related(
        "organization"
    )
    proposal = endorsement.proposal
    context = {
        "endorsement": endorsement,
        "coalition": coalition,
        "organizations": [m.organization for m in members],
        "questions": endorsement.questions.all(),
        "counts": (proposal.result.get("counts") or {}) if proposal else {},
        "eligible": (proposal.result.get("eligible") if proposal else None),
    }
    return render(request, "coalitions/public_endorsement.html", context)
