"""Proposal pages: a body's proposals (with a new draft), and a proposal with its text, amendments,
discussion, the vote form of its method, objections, and its result with every round once closed.

A secret ballot's key is kept in a cookie of the voter's own browser, scoped to the proposal's
pages, so they can change their vote from the same device; the server stores only its hash. The
cookie is signed for the voter's person: on a browser shared at a meeting, the key another member
left there is not read as the current voter's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access as accounts_access
from grassroots.accounts.models import User
from grassroots.decisions import access, actions, bodies
from grassroots.decisions.forms import ProposalForm
from grassroots.decisions.models import Ballot, Proposal, VoterReceipt
from grassroots.decisions.tally import eligible_count

Status = Proposal.Status


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _attempt(request: HttpRequest, write: Callable[[], Any], success: str) -> bool:
    try:
        write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success)
    return True


def _to_proposal(proposal: Proposal) -> HttpResponse:
    return redirect("proposal_detail", public_id=proposal.public_id)


# --- a body's proposals ----------------------------------------------------------------------------


def _proposals_page(request: HttpRequest, body: Model, back: str) -> HttpResponse:
    user = _user(request)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = actions.do_create_proposal(user, body, form.proposal_data())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Drafted “%(title)s”.") % {"title": proposal.title})
            return _to_proposal(proposal)
    proposals = Proposal.objects.filter(bodies.body_filter(body)).order_by("status", "-created_at")
    context = {
        "body": body,
        "back": back,
        "proposals": proposals,
        "form": form,
        "can_propose": access.can_take_part(user, body),
    }
    return render(request, "decisions/list.html", context)


@login_required
def committee_proposals(request: HttpRequest, public_id: str) -> HttpResponse:
    body = access.access_body(_user(request), "committee", public_id)
    return _proposals_page(request, body, reverse("committee_detail", args=[public_id]))


@login_required
def struggle_proposals(request: HttpRequest, public_id: str) -> HttpResponse:
    body = access.access_body(_user(request), "struggle", public_id)
    return _proposals_page(request, body, reverse("struggle_detail", args=[public_id]))


# --- one proposal ----------------------------------------------------------------------------------


def _cookie(proposal: Proposal) -> str:
    return f"ballot-{proposal.public_id}"


def _cookie_salt(proposal: Proposal, person_pk: int | None) -> str:
    return f"{_cookie(proposal)}:{person_pk}"


def _kept_key(request: HttpRequest, proposal: Proposal, person_pk: int | None) -> str:
    """The ballot key this browser keeps for ``person_pk``; "" when there is none, or when the
    cookie was signed for someone else (a member who voted earlier on the same browser)."""
    if person_pk is None:
        return ""
    value = request.get_signed_cookie(_cookie(proposal), default="", salt=_cookie_salt(proposal, person_pk))
    return str(value)


def _rounds_table(result: dict[str, Any]) -> dict[str, Any]:
    """The ranked result as rows (one per option, its votes in each round) for the template."""
    ranked = result["ranked"]
    rounds = ranked["rounds"]
    labels = {o["id"]: o["label"] for o in ranked["options"]}
    rows = [
        {
            "label": o["label"],
            "elected": o["id"] in ranked["elected"],
            "votes": [r["votes"].get(o["id"], "") for r in rounds],
        }
        for o in ranked["options"]
    ]
    events = [
        {
            "number": r["number"],
            "exhausted": r["exhausted"],
            "excluded": [labels[key] for key in r["excluded"]],
            "elected": [labels[key] for key in r["elected"]],
            "note": r["note"],
        }
        for r in rounds
    ]
    return {"rows": rows, "rounds": events, "quota": ranked["quota"], "ties": ranked["ties"]}


def _named_to(user: User, body: Model, ids: set[int]) -> set[int]:
    """Those of these people (objectors, commenters) the page names to the user: the people the
    user may see, and, to a member of the body, their fellow members, who deliberate together
    (consent asks an objector to be answered). Others are "a member outside your areas"."""
    named = set(accounts_access.people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    if access.is_member(user, body):
        named |= set(bodies.eligible_on(body).filter(pk__in=ids).values_list("pk", flat=True))
    return named


def _my_vote(proposal: Proposal, receipt: VoterReceipt | None) -> Ballot | None:
    """The user's own ballot on an open vote (never on a secret one: nothing links them)."""
    if receipt is None or proposal.secret or receipt.ballot_id is None:
        return None
    return Ballot.objects.filter(pk=receipt.ballot_id).first()


@login_required
def proposal_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = actions.close_if_due(access.access_proposal(user, public_id))
    body = proposal.body
    can_run = access.can_run(user, proposal)
    me = accounts_access.acting_pk(user)
    receipt = VoterReceipt.objects.filter(proposal=proposal, person_id=me).first() if me else None
    eligible = (
        proposal.opened_on is not None
        and me is not None
        and bodies.eligible_on(body, proposal.opened_on).filter(pk=me).exists()
    )
    mine = _my_vote(proposal, receipt)
    options = list(proposal.options.all())
    my_ranks = {key: i for i, key in enumerate(mine.ranking, start=1)} if mine else {}
    comments = list(proposal.comments.select_related("author__person"))
    objections = list(proposal.objections.select_related("person"))
    named = {o.person_id for o in objections} | {
        c.author.person_id for c in comments if c.author and c.author.person_id
    }
    context = {
        "proposal": proposal,
        "body": body,
        "body_url": _body_url(proposal),
        "can_run": can_run,
        "may_edit": can_run or proposal.created_by_id == user.pk,
        "can_take_part": access.can_take_part(user, body),
        "eligible": eligible,
        "me": me,  # the person the login acts as
        "receipt": receipt,
        "my_choice": mine.choice if mine else "",
        "options": [(o, my_ranks.get(str(o.public_id), "")) for o in options],
        "rank_numbers": range(1, len(options) + 1),
        "choices": [
            (c, Ballot.Choice(c).label) for c in actions.CHOICES.get(Proposal.Method(proposal.method), ())
        ],
        "has_key": bool(_kept_key(request, proposal, me)),
        "amendments": proposal.amendments.select_related("proposed_by"),
        "comments": comments,
        "objections": objections,
        "visible_people": _named_to(user, body, named) | ({me} if me else set()),
        "eligible_count": eligible_count(proposal) if proposal.opened_on else None,
        "voted_count": proposal.receipts.count(),
        "warnings": actions.opening_warnings(proposal) if can_run and proposal.status == Status.DRAFT else [],
        "result": proposal.result if proposal.status == Status.CLOSED else None,
        "table": _rounds_table(proposal.result)
        if proposal.status == Status.CLOSED and proposal.is_ranked
        else None,
    }
    return render(request, "decisions/proposal.html", context)


def _body_url(proposal: Proposal) -> str:
    """The page of the body's proposals (``<field>_proposals``); a body without one (a coalition,
    whose app lists its votes on its own pages) links to the body's own page if it names one."""
    body = proposal.body
    for name in (f"{bodies.kind_of(body).field}_proposals", f"{bodies.kind_of(body).field}_detail"):
        try:
            return reverse(name, args=[body.public_id])  # type: ignore[attr-defined]
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_POST
def proposal_vote(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id)
    me = accounts_access.acting_pk(user)
    key = request.POST.get("ballot_key", "").strip() or _kept_key(request, proposal, me)
    try:
        ranking: list[str] = []
        if proposal.is_ranked:
            ranks = {
                k.removeprefix("rank-"): request.POST.get(k, "")
                for k in request.POST
                if k.startswith("rank-")
            }
            ranking = actions.ranking_from_ranks(proposal, ranks)
        outcome = actions.do_cast_vote(
            user,
            proposal,
            choice=request.POST.get("choice", ""),
            ranking=ranking,
            objection=request.POST.get("objection", ""),
            ballot_key=key,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _to_proposal(proposal)
    response = _to_proposal(proposal)
    if outcome.ballot_key:
        messages.success(
            request,
            _(
                "Your secret ballot is cast. Its key, %(key)s, is kept in this browser so you can change "
                "your vote until the deadline; note it to change it from another device."
            )
            % {"key": outcome.ballot_key},
        )
        response.set_signed_cookie(
            _cookie(proposal),
            outcome.ballot_key,
            salt=_cookie_salt(proposal, me),
            expires=proposal.deadline,
            path=reverse("proposal_detail", args=[proposal.public_id]),
            httponly=True,
            samesite="Strict",
            secure=request.is_secure(),
        )
    else:
        messages.success(request, _("Your vote is changed.") if outcome.changed else _("Your vote is cast."))
    return response


def _write_then_show(
    request: HttpRequest, proposal: Proposal, write: Callable[[], Any], success: str
) -> HttpResponse:
    _attempt(request, write, success)
    return _to_proposal(proposal)


@login_required
@require_POST
def proposal_open(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id, run=True)
    despite = request.POST.get("despite_warnings") == "1"
    write = partial(actions.do_open_proposal, user, proposal, despite_warnings=despite)
    return _write_then_show(request, proposal, write, _("Voting is open."))


@login_required
@require_POST
def proposal_close(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id, run=True)
    write = partial(actions.do_close_proposal, user, proposal)
    return _write_then_show(request, proposal, write, _("Voting is closed and counted."))


@login_required
@require_POST
def proposal_option(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id)
    write = partial(actions.do_add_option, user, proposal, request.POST.get("label", ""))
    return _write_then_show(request, proposal, write, _("Option added."))


@login_required
@require_POST
def proposal_amend(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id)
    post = request.POST
    write = partial(
        actions.do_propose_amendment,
        user,
        proposal,
        post.get("original", ""),
        post.get("replacement", ""),
        post.get("reason", ""),
    )
    return _write_then_show(request, proposal, write, _("Amendment proposed."))


@login_required
@require_POST
def proposal_comment(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    proposal = access.access_proposal(user, public_id)
    write = partial(actions.do_comment, user, proposal, request.POST.get("text", ""))
    return _write_then_show(request, proposal, write, _("Comment added."))


@login_required
@require_POST
def proposal_amendment_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    amendment = access.access_amendment(user, public_id)
    accept = request.POST.get("accept") == "1"
    write = partial(actions.do_decide_amendment, user, amendment, accept=accept)
    done = _("Amendment accepted: the text is changed.") if accept else _("Amendment rejected.")
    return _write_then_show(request, amendment.proposal, write, done)


@login_required
@require_POST
def proposal_objection_answer(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    objection = access.access_objection(user, public_id)
    write = partial(actions.do_answer_objection, user, objection, request.POST.get("answer", ""))
    return _write_then_show(request, objection.proposal, write, _("Answer recorded."))


@login_required
@require_POST
def proposal_objection_withdraw(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    objection = access.access_objection(user, public_id)
    write = partial(actions.do_withdraw_objection, user, objection)
    return _write_then_show(request, objection.proposal, write, _("Objection withdrawn."))
