"""Every write of common-ground rounds: open, seed, write, vote, hide, close.

Each function runs in one transaction and writes its audit entry. Only a round's participants
(commonground.access.participants) write statements and vote; those who run its body open it,
seed it with statements, hide one that does not belong and close it. A participant's first
statement or vote in a round is one Action on their timeline; what they voted is never in it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from grassroots.accounts.access import acting_person, acting_pk
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.commonground.access import Body, can_run, participants
from grassroots.commonground.models import (
    JOINED_ACTION,
    STATEMENT_LENGTH,
    Round,
    Statement,
    StatementVote,
)
from grassroots.people.actions import do_record_action
from grassroots.people.models import Action, Person

if TYPE_CHECKING:
    from grassroots.decisions.models import Proposal

Verb = AuditEntry.Verb
Choice = StatementVote.Choice


def _check_runs(actor: User, body: Body) -> None:
    if not can_run(actor, body):
        raise ValidationError(_("Only those who run %s may do that.") % body)


def _participant(actor: User, round: Round, person: Person | None = None) -> Person:
    """Who writes or votes: the actor's own person, or ``person`` when the actor runs the round and
    records what a participant wrote or voted on paper (cards collected at a meeting). Refused,
    saying why, unless that person takes part in the round."""
    if not round.is_open:
        raise ValidationError(_("This round is closed: its statements and votes are final."))
    if person is not None and person.pk != acting_pk(actor):
        _check_runs(actor, round.body)
    else:
        person = acting_person(actor)
    if person is None:
        raise ValidationError(_("Your login is not linked to a person, so you cannot take part."))
    if not participants(round.body).filter(pk=person.pk).exists():
        raise ValidationError(_("Only the people of %s take part in this round.") % round.body)
    return person


def _joined(actor: User, round: Round, person: Person) -> None:
    """One Action per person and round: they took part (never how they voted)."""
    key = str(round.public_id)
    if not Action.objects.filter(person=person, kind=JOINED_ACTION, details__round=key).exists():
        do_record_action(
            actor, person, JOINED_ACTION, source="commonground", details={"round": key, "title": round.title}
        )


def _clean(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise ValidationError(_("Write the statement."))
    if len(text) > STATEMENT_LENGTH:
        raise ValidationError(
            _("Keep a statement to %(n)d characters (this one has %(m)d).")
            % {"n": STATEMENT_LENGTH, "m": len(text)}
        )
    return text


def _add_statement(round: Round, text: str, author: Person | None) -> Statement:
    text = _clean(text)
    if round.statements.filter(text__iexact=text, hidden_at__isnull=True).exists():
        raise ValidationError(_("That statement is already in the round: vote on it instead."))
    return Statement.objects.create(round=round, text=text, author=author)


@transaction.atomic
def do_open_round(
    actor: User, body: Body, title: str, *, question: str = "", statements: list[str] | tuple[str, ...] = ()
) -> Round:
    """Open a round in a committee, a struggle or a coalition, seeded with ``statements``."""
    _check_runs(actor, body)
    if not title.strip():
        raise ValidationError(_("Give the round a title."))
    field = str(type(body)._meta.model_name)
    round = Round.objects.create(
        **{field: body}, title=title.strip()[:200], question=question.strip(), created_by=actor
    )
    for text in statements:
        _add_statement(round, text, None)
    record_audit(actor, Verb.CREATE, "round", round.public_id, body=str(body), seeded=len(statements))
    return round


@transaction.atomic
def do_seed_statement(actor: User, round: Round, text: str) -> Statement:
    """A statement from those running the round, with no author."""
    _check_runs(actor, round.body)
    if not round.is_open:
        raise ValidationError(_("This round is closed: its statements and votes are final."))
    statement = _add_statement(round, text, None)
    record_audit(actor, Verb.CREATE, "statement", statement.public_id, round=str(round.public_id))
    return statement


@transaction.atomic
def do_write_statement(actor: User, round: Round, text: str, *, person: Person | None = None) -> Statement:
    """A participant's statement; its author agrees with it (their vote, which they can change)."""
    person = _participant(actor, round, person)
    statement = _add_statement(round, text, person)
    StatementVote.objects.create(statement=statement, person=person, choice=Choice.AGREE)
    _joined(actor, round, person)
    record_audit(actor, Verb.CREATE, "statement", statement.public_id, round=str(round.public_id))
    return statement


@transaction.atomic
def do_vote_statement(
    actor: User, statement: Statement, choice: int, *, person: Person | None = None
) -> StatementVote:
    """The actor's vote on a statement (or ``person``'s, recorded by someone running the round):
    one per participant and statement, changed in place."""
    round = statement.round
    person = _participant(actor, round, person)
    if choice not in Choice.values:
        raise ValidationError(_("Vote agree, disagree or pass."))
    if statement.hidden_at is not None:
        raise ValidationError(_("That statement was taken out of the round."))
    vote, created = StatementVote.objects.select_for_update().get_or_create(
        statement=statement, person=person, defaults={"choice": choice}
    )
    if not created and vote.choice != choice:
        vote.choice, vote.changed_at = choice, timezone.now()
        vote.save(update_fields=["choice", "changed_at"])
    _joined(actor, round, person)
    # The audit says a vote was cast or changed, not which: a round's votes stay between voter and count.
    record_audit(actor, Verb.CREATE if created else Verb.UPDATE, "statement_vote", statement.public_id)
    return vote


@transaction.atomic
def do_hide_statement(actor: User, statement: Statement) -> Statement:
    """Take a statement out of the round (off topic, or it names someone); it is kept, not counted."""
    _check_runs(actor, statement.round.body)
    # A closed round's statements and votes are final: its reading may already stand in a proposal.
    if not statement.round.is_open:
        raise ValidationError(_("This round is closed: its statements and votes are final."))
    if statement.hidden_at is None:
        statement.hidden_at = timezone.now()
        statement.save(update_fields=["hidden_at"])
    record_audit(actor, Verb.UPDATE, "statement", statement.public_id, hidden=True)
    return statement


@transaction.atomic
def do_close_round(actor: User, round: Round, *, at: datetime.datetime | None = None) -> Round:
    _check_runs(actor, round.body)
    if round.closed_at is None:
        round.closed_at = at or timezone.now()
        round.save(update_fields=["closed_at"])
    record_audit(actor, Verb.UPDATE, "round", round.public_id, closed=True)
    return round


# --- from common ground to a decision -----------------------------------------------------------

PROPOSAL_DAYS = 7  # the draft's deadline, which its author changes before opening it


def can_draft_proposal(round: Round) -> bool:
    """Whether the round's body holds proposals (decisions.bodies knows its kind)."""
    from grassroots.decisions import bodies

    return type(round.body)._meta.model_name in bodies.KINDS


@transaction.atomic
def do_draft_proposal(actor: User, round: Round) -> Proposal:
    """A draft proposal of the round's body whose text is the round's summary: what every group
    agrees on, and what still divides them. Decided by simple majority unless its author changes it."""
    from grassroots.commonground.reading import read_round
    from grassroots.decisions.actions import ProposalData, do_create_proposal
    from grassroots.decisions.models import Proposal

    _check_runs(actor, round.body)
    if not can_draft_proposal(round):
        raise ValidationError(_("%s does not hold proposals.") % round.body)
    reading = read_round(round)
    if not reading.consensus:
        raise ValidationError(
            _("No statement has the support of every group yet: there is nothing to propose.")
        )
    data = ProposalData(
        title=_("Common ground: %s") % round.title,
        method=Proposal.Method.MAJORITY,
        deadline=timezone.now() + datetime.timedelta(days=PROPOSAL_DAYS),
        text=reading.summary(round),
    )
    proposal = do_create_proposal(actor, round.body, data)
    record_audit(actor, Verb.CREATE, "round", round.public_id, proposal=str(proposal.public_id))
    return proposal
