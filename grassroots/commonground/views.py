"""Common-ground pages: the rounds, a round's statements to vote on, and its opinion groups.

Thin views: read through commonground.access, write through commonground.actions. A refused
write comes back as a message with the reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grassroots.accounts import access as accounts_access
from grassroots.accounts.models import User
from grassroots.coalitions import access as coalition_access
from grassroots.committees import access as committee_access
from grassroots.commonground import actions
from grassroots.commonground.access import (
    Body,
    access_round,
    access_statement,
    can_run,
    rounds_visible_to,
    takes_part,
)
from grassroots.commonground.models import STATEMENT_LENGTH, StatementVote
from grassroots.commonground.reading import read_round
from grassroots.struggles import access as struggle_access


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required guarantees it
    return user


def _bodies_run_by(user: User) -> list[tuple[str, str]]:
    """Where the user may open a round: ("kind:public_id", label) for each body they run."""
    committees = committee_access.committees_visible_to(user).filter(archived_at__isnull=True)
    struggles = struggle_access.struggles_visible_to(user).filter(archived_at__isnull=True)
    coalitions = coalition_access.coalitions_visible_to(user).filter(archived_at__isnull=True)
    choices = [
        (f"committee:{c.public_id}", _("Committee: %s") % c.name) for c in committees if can_run(user, c)
    ]
    choices += [
        (f"struggle:{s.public_id}", _("Struggle: %s") % s.title) for s in struggles if can_run(user, s)
    ]
    choices += [
        (f"coalition:{k.public_id}", _("Coalition: %s") % k.name) for k in coalitions if can_run(user, k)
    ]
    return choices


def _body(user: User, value: str) -> Body:
    kind, _sep, public_id = value.partition(":")
    if kind == "committee":
        return committee_access.access_committee(user, public_id, write=True)
    if kind == "struggle":
        return struggle_access.access_struggle(user, public_id)
    if kind == "coalition":
        return coalition_access.access_coalition(user, public_id, write=True)
    raise ValidationError(_("Choose where the round is held."))


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = (
        rounds_visible_to(request.user)
        .select_related("committee", "struggle", "coalition")
        .annotate(
            statement_count=Count("statements", filter=Q(statements__hidden_at__isnull=True), distinct=True),
            # Votes on a statement taken out of the round no longer count, as on the round's pages.
            voter_count=Count(
                "statements__votes__person", filter=Q(statements__hidden_at__isnull=True), distinct=True
            ),
        )
    )
    return render(
        request,
        "commonground/list.html",
        {"rounds": rounds, "can_open": bool(_bodies_run_by(_user(request)))},
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    bodies = _bodies_run_by(user)
    values = {"body": request.GET.get("body", ""), "title": "", "question": "", "statements": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in values}
        try:
            body = _body(user, values["body"])
            lines = [line for line in values["statements"].splitlines() if line.strip()]
            round = actions.do_open_round(
                user, body, values["title"], question=values["question"], statements=lines
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Opened the round %s.") % round.title)
            return redirect("commonground_round", public_id=round.public_id)
    context = {"bodies": bodies, "values": values, "length": STATEMENT_LENGTH}
    return render(request, "commonground/new.html", context)


@login_required
def round_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    """The statements, each with the viewer's own vote when they take part; counts for everyone."""
    user = _user(request)
    round = access_round(user, public_id)
    statements = list(
        round.statements.filter(hidden_at__isnull=True).annotate(
            agrees=Count("votes", filter=Q(votes__choice=StatementVote.Choice.AGREE)),
            disagrees=Count("votes", filter=Q(votes__choice=StatementVote.Choice.DISAGREE)),
            passes=Count("votes", filter=Q(votes__choice=StatementVote.Choice.PASS)),
        )
    )
    mine: dict[int, int] = {}
    me = accounts_access.acting_pk(user)
    if me is not None:
        mine = dict(
            StatementVote.objects.filter(statement__round=round, person_id=me).values_list(
                "statement_id", "choice"
            )
        )
    for s in statements:
        s.my_vote = mine.get(s.pk)  # type: ignore[attr-defined]
    unvoted = [s for s in statements if s.pk not in mine]
    participating = takes_part(user, round)
    if participating:
        # What still waits for the participant's vote comes first.
        statements = unvoted + [s for s in statements if s.pk in mine]
    context = {
        "round": round,
        "body": round.body,
        "statements": statements,
        "unvoted": len(unvoted),
        "takes_part": participating,
        "can_run": can_run(user, round.body),
        "choices": StatementVote.Choice,
        "length": STATEMENT_LENGTH,
    }
    return render(request, "commonground/round.html", context)


@login_required
def round_groups(request: HttpRequest, public_id: str) -> HttpResponse:
    """The opinion groups: the map, what each group holds, the consensus and where groups divide."""
    user = _user(request)
    round = access_round(user, public_id)
    reading = read_round(round)
    context = {
        "round": round,
        "body": round.body,
        "reading": reading,
        "summary": reading.summary(round),
        "can_run": can_run(user, round.body),
        "can_propose": can_run(user, round.body) and actions.can_draft_proposal(round),
    }
    return render(request, "commonground/groups.html", context)


@login_required
@require_POST
def round_write(request: HttpRequest, public_id: str) -> HttpResponse:
    """A participant writes a statement; someone running the round seeds one (``seed``)."""
    user = _user(request)
    round = access_round(user, public_id)
    text = request.POST.get("text", "")
    try:
        if request.POST.get("seed") and can_run(user, round.body):
            actions.do_seed_statement(user, round, text)
        else:
            actions.do_write_statement(user, round, text)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Added your statement."))
    return redirect("commonground_round", public_id=round.public_id)


@login_required
@require_POST
def round_close(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    round = access_round(user, public_id, write=True)
    actions.do_close_round(user, round)
    messages.success(request, _("Closed the round: its statements and votes are final."))
    return redirect("commonground_round_groups", public_id=round.public_id)


@login_required
@require_POST
def round_proposal(request: HttpRequest, public_id: str) -> HttpResponse:
    """Draft a proposal of the round's body from its consensus statements."""
    user = _user(request)
    round = access_round(user, public_id, write=True)
    try:
        proposal = actions.do_draft_proposal(user, round)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("commonground_round_groups", public_id=round.public_id)
    messages.success(
        request, _("Drafted a proposal from the common ground: edit it, then open it for votes.")
    )
    return redirect("proposal_detail", public_id=proposal.public_id)


@login_required
@require_POST
def statement_vote(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    statement = access_statement(user, public_id)
    try:
        choice = int(request.POST.get("choice", ""))
    except ValueError:
        choice = 99
    try:
        actions.do_vote_statement(user, statement, choice)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    url = reverse("commonground_round", kwargs={"public_id": statement.round.public_id})
    return redirect(f"{url}#statement-{statement.public_id}")


@login_required
@require_POST
def statement_hide(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    statement = access_statement(user, public_id)
    try:
        actions.do_hide_statement(user, statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Took the statement out of the round."))
    return redirect("commonground_round", public_id=statement.round.public_id)
