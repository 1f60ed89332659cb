"""Every write of decisions: draft, amend, discuss, open, vote, object, close.

The API other apps call (a coalition's endorsement is decided this way):

    proposal = do_create_proposal(actor, body, ProposalData(title=..., method=..., deadline=...))
    do_add_option(actor, proposal, "Candidate A")          # ranked methods only, while a draft
    opening_warnings(proposal)                             # no eligible voters, unreachable quorum...
    do_open_proposal(actor, proposal, despite_warnings=False)
    outcome = do_cast_vote(actor, proposal, choice="yes")  # or ranking=[option ids], objection="..."
    do_close_proposal(actor, proposal)                     # proposal.result holds decisions.tally's dict
    proposal.result["passed"], proposal.result["outcome"]

Each function runs in one transaction, writes its audit entry and raises ValidationError with a
sentence a member can read. ``body`` is a committee, a struggle or (once its app registers it) a
coalition: decisions.bodies says who votes in each.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from grassroots.accounts.access import acting_person, acting_pk
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.decisions import access, bodies
from grassroots.decisions.models import (
    Amendment,
    Ballot,
    Comment,
    Objection,
    Option,
    Proposal,
    VoterReceipt,
)
from grassroots.decisions.tally import eligible_count, tally
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person

Verb = AuditEntry.Verb
Method = Proposal.Method
Status = Proposal.Status
Choice = Ballot.Choice
VOTED = "proposal_voted"  # the people.Action kind of voting: who voted, never how

CHOICES = {
    Method.MAJORITY: (Choice.YES, Choice.NO, Choice.ABSTAIN),
    Method.SUPERMAJORITY: (Choice.YES, Choice.NO, Choice.ABSTAIN),
    Method.CONSENT: (Choice.CONSENT, Choice.STAND_ASIDE, Choice.OBJECT),
}


@dataclass
class ProposalData:
    title: str
    method: str
    deadline: datetime.datetime
    text: str = ""
    quorum: int = 0
    secret: bool = False
    seats: int = 1
    threshold: tuple[int, int] = (2, 3)
    options: Sequence[str | Person] = field(default_factory=tuple)


def _check_runs(actor: User | None, proposal: Proposal) -> None:
    if actor is not None and not access.can_run(actor, proposal):
        raise ValidationError("Only the coordinators and organizers of this body may do that.")


def _check_draft(proposal: Proposal) -> None:
    if proposal.status != Status.DRAFT:
        raise ValidationError(
            "Voting has opened: the proposal can no longer change. Discuss it in the comments."
        )


def _area(proposal: Proposal) -> object:
    return getattr(proposal.body, "area", None)


# --- drafting --------------------------------------------------------------------------------------


@transaction.atomic
def do_create_proposal(actor: User, body: Model, data: ProposalData) -> Proposal:
    """A draft proposal of ``body``; members and those running the body may write one."""
    kind = bodies.kind_of(body)
    if not access.can_take_part(actor, body):
        raise ValidationError(f"Only members of {body} may make proposals to it.")
    title = data.title.strip()
    if not title:
        raise ValidationError("Give the proposal a title.")
    if data.method not in Method.values:
        raise ValidationError(f"Unknown decision method “{data.method}”.")
    if timezone.is_naive(data.deadline):
        raise ValidationError("The deadline needs its time zone.")
    if data.deadline <= timezone.now():
        raise ValidationError("The deadline must be in the future.")
    if data.quorum < 0:
        raise ValidationError("A quorum cannot be negative.")
    if data.method == Method.CONSENT and data.secret:
        raise ValidationError("Consent cannot be secret: objections are answered and withdrawn by name.")
    seats = data.seats if data.method == Method.STV else 1
    if seats < 1:
        raise ValidationError("An election needs at least one seat.")
    numerator, denominator = data.threshold
    if data.method == Method.SUPERMAJORITY and not (denominator > 0 and 1 / 2 < numerator / denominator <= 1):
        raise ValidationError("A supermajority is more than half and at most all: 2/3 or 3/5, say.")
    proposal = Proposal.objects.create(
        **{kind.field: body},
        title=title[:200],
        text=data.text.strip(),
        method=data.method,
        seats=seats,
        threshold_numerator=numerator,
        threshold_denominator=denominator,
        quorum=data.quorum,
        secret=data.secret,
        deadline=data.deadline,
        created_by=actor,
    )
    for option in data.options if proposal.is_ranked else ():
        _add_option(proposal, option)
    record_audit(actor, Verb.CREATE, "proposal", proposal.public_id, body=str(body), method=proposal.method)
    return proposal


def _add_option(proposal: Proposal, option: str | Person) -> Option:
    person = option if isinstance(option, Person) else None
    label = (person.full_name if person else str(option)).strip()
    if not label:
        raise ValidationError("Name the option.")
    if proposal.options.filter(label=label).exists():
        raise ValidationError(f"“{label}” is already an option.")
    return Option.objects.create(
        proposal=proposal, label=label[:200], person=person, position=proposal.options.count()
    )


def _may_edit(actor: User, proposal: Proposal) -> bool:
    return proposal.created_by_id == actor.pk or access.can_run(actor, proposal)


@transaction.atomic
def do_add_option(actor: User, proposal: Proposal, option: str | Person) -> Option:
    """An option of a ranked ballot, or a person standing (by the draft's author or its body's leaders)."""
    _check_draft(proposal)
    if not proposal.is_ranked:
        raise ValidationError("Only ranked-choice proposals have options.")
    if not _may_edit(actor, proposal):
        raise ValidationError("Only the proposal's author and the body's coordinators may add options.")
    added = _add_option(proposal, option)
    record_audit(actor, Verb.UPDATE, "proposal", proposal.public_id, option=added.label)
    return added


@transaction.atomic
def do_propose_amendment(
    actor: User, proposal: Proposal, original: str, replacement: str, reason: str = ""
) -> Amendment:
    _check_draft(proposal)
    if not access.can_take_part(actor, proposal.body):
        raise ValidationError("Only members may propose amendments.")
    if not original.strip():
        raise ValidationError("Quote the passage the amendment changes.")
    if original not in proposal.text:
        raise ValidationError("The passage to change is not in the proposal's text; copy it exactly.")
    amendment = Amendment.objects.create(
        proposal=proposal,
        original=original,
        replacement=replacement.strip(),
        reason=reason.strip(),
        proposed_by=actor,
    )
    record_audit(actor, Verb.CREATE, "amendment", amendment.public_id, proposal=str(proposal.public_id))
    return amendment


@transaction.atomic
def do_decide_amendment(actor: User, amendment: Amendment, *, accept: bool) -> Amendment:
    """Accept (the text changes: the quoted passage is replaced) or reject an amendment."""
    proposal = amendment.proposal
    _check_draft(proposal)
    if not _may_edit(actor, proposal):
        raise ValidationError("Only the proposal's author and the body's coordinators decide amendments.")
    if amendment.status != Amendment.Status.PROPOSED:
        raise ValidationError("This amendment was already decided.")
    if accept:
        if amendment.original not in proposal.text:
            raise ValidationError("The passage this amendment changes is no longer in the text.")
        proposal.text = proposal.text.replace(amendment.original, amendment.replacement, 1)
        proposal.save(update_fields=["text"])
    amendment.status = Amendment.Status.ACCEPTED if accept else Amendment.Status.REJECTED
    amendment.decided_by = actor
    amendment.decided_at = timezone.now()
    amendment.save(update_fields=["status", "decided_by", "decided_at"])
    record_audit(actor, Verb.UPDATE, "amendment", amendment.public_id, status=amendment.status)
    return amendment


@transaction.atomic
def do_comment(actor: User, proposal: Proposal, text: str) -> Comment:
    if not access.can_take_part(actor, proposal.body):
        raise ValidationError("Only members take part in the discussion.")
    if proposal.status == Status.CLOSED:
        raise ValidationError("This proposal is closed.")
    if not text.strip():
        raise ValidationError("Write something first.")
    comment = Comment.objects.create(proposal=proposal, author=actor, text=text.strip())
    record_audit(actor, Verb.CREATE, "comment", comment.public_id, proposal=str(proposal.public_id))
    return comment


# --- opening ---------------------------------------------------------------------------------------


def opening_warnings(proposal: Proposal, day: datetime.date | None = None) -> list[str]:
    """What would make the vote fail whatever anyone does, read before it opens."""
    eligible = bodies.eligible_on(proposal.body, day or timezone.localdate()).count()
    warnings = []
    if eligible == 0:
        warnings.append(f"No one is eligible to vote: {proposal.body} has no members today.")
    elif proposal.quorum > eligible:
        warnings.append(
            f"The quorum can never be met: it asks for {proposal.quorum} voters and only {eligible} "
            "members are eligible."
        )
    if proposal.method == Method.STV and proposal.options.count() <= proposal.seats:
        warnings.append(f"There are no more candidates than the {proposal.seats} seats: all will be elected.")
    return warnings


@transaction.atomic
def do_open_proposal(actor: User | None, proposal: Proposal, *, despite_warnings: bool = False) -> Proposal:
    """Open voting today: eligibility is fixed by today's membership records.

    Refused while ``opening_warnings`` has something to say, unless ``despite_warnings``.
    """
    _check_runs(actor, proposal)
    _check_draft(proposal)
    if proposal.deadline_passed:
        raise ValidationError("The deadline has passed: set a later one before opening.")
    if proposal.is_ranked and proposal.options.count() < 2:
        raise ValidationError("A ranked ballot needs at least two options.")
    warnings = opening_warnings(proposal)
    if warnings and not despite_warnings:
        raise ValidationError([*warnings, "Open it anyway only if that is what you mean."])
    proposal.status = Status.OPEN
    proposal.opened_at = timezone.now()
    proposal.opened_on = timezone.localdate()
    proposal.save(update_fields=["status", "opened_at", "opened_on"])
    record_audit(actor, Verb.UPDATE, "proposal", proposal.public_id, opened=True, warnings=warnings)
    return proposal


# --- voting ----------------------------------------------------------------------------------------


@dataclass
class VoteOutcome:
    receipt: VoterReceipt
    changed: bool  # a vote replaced an earlier one
    ballot_key: str = ""  # secret ballots: what the voter needs to change their vote


def key_hash(proposal: Proposal, key: str) -> str:
    return hashlib.sha256(f"{proposal.public_id}:{key}".encode()).hexdigest()


def ranking_from_ranks(proposal: Proposal, ranks: Mapping[str, str]) -> list[str]:
    """A ballot's ranking from a form's rank per option (option id → "1", "2", ... or blank)."""
    options = {str(o.public_id): o.label for o in proposal.options.all()}
    by_rank: dict[int, str] = {}
    for option_id, raw in ranks.items():
        if not str(raw).strip():
            continue
        if option_id not in options:
            raise ValidationError("That ballot names an option this proposal does not have.")
        try:
            rank = int(raw)
        except ValueError as exc:
            raise ValidationError(f"“{raw}” is not a rank: give 1, 2, 3...") from exc
        if rank < 1:
            raise ValidationError("Ranks start at 1.")
        if rank in by_rank:
            raise ValidationError(
                f"Rank {rank} is given twice ({options[by_rank[rank]]} and {options[option_id]}): "
                "give each option its own rank."
            )
        by_rank[rank] = option_id
    return [by_rank[rank] for rank in sorted(by_rank)]


def _check_ranking(proposal: Proposal, ranking: Sequence[str]) -> list[str]:
    options = {str(o.public_id): o.label for o in proposal.options.all()}
    if not ranking:
        raise ValidationError("Rank at least one option.")
    seen: set[str] = set()
    for key in ranking:
        if key not in options:
            raise ValidationError("That ballot names an option this proposal does not have.")
        if key in seen:
            raise ValidationError(f"{options[key]} is ranked twice: rank each option once.")
        seen.add(key)
    return [str(key) for key in ranking]


def _check_choice(proposal: Proposal, choice: str, objection: str) -> None:
    allowed = CHOICES[Method(proposal.method)]
    if choice not in allowed:
        names = ", ".join(str(Choice(c).label).lower() for c in allowed)
        raise ValidationError(f"Choose one of: {names}.")
    if choice == Choice.OBJECT and not objection.strip():
        raise ValidationError("Say what your objection is: it has to be answered.")


def _shuffle_secret_ballots(proposal: Proposal) -> None:
    """Rewrite the proposal's ballots in a random order under new random keys (see models)."""
    rows = list(Ballot.objects.filter(proposal=proposal).values("choice", "ranking", "key_hash"))
    Ballot.objects.filter(proposal=proposal).delete()
    random.SystemRandom().shuffle(rows)
    Ballot.objects.bulk_create(Ballot(proposal=proposal, **row) for row in rows)


def _write_secret_ballot(
    proposal: Proposal, receipt: VoterReceipt | None, ballot_key: str, content: Mapping[str, object]
) -> str:
    """Write a secret ballot (a first one, or the replacement of the one ``ballot_key`` opens) and
    reshuffle them all; returns the voter's key."""
    if receipt is None:
        key = secrets.token_urlsafe(12)
        Ballot.objects.create(proposal=proposal, key_hash=key_hash(proposal, key), **content)
    else:
        mine = Ballot.objects.filter(proposal=proposal, key_hash=key_hash(proposal, ballot_key))
        if not ballot_key or not mine.update(**content):
            raise ValidationError(
                "You have already voted on this secret ballot. To change your vote, give the ballot "
                "key you were shown when you voted."
            )
        key = ballot_key
    _shuffle_secret_ballots(proposal)
    return key


@transaction.atomic
def do_cast_vote(
    actor: User,
    proposal: Proposal,
    *,
    person: Person | None = None,
    choice: str = "",
    ranking: Sequence[str] = (),
    objection: str = "",
    ballot_key: str = "",
) -> VoteOutcome:
    """Cast (or, until the deadline, change) a vote: ``choice`` for yes/no and consent methods,
    ``ranking`` (option public ids, most preferred first) for ranked ones.

    The voter is the actor's own person. Someone running the body may record the vote of another
    eligible ``person`` (a show of hands in a meeting), never on a secret ballot. A second vote
    replaces the first; on a secret ballot only with the ``ballot_key`` the first one returned.
    """
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()  # one vote at a time
    proposal.refresh_from_db()
    voter = person or acting_person(actor)
    if voter is None:
        raise ValidationError("Your login is not linked to a person, so it has no vote.")
    if person is not None and person.pk != acting_pk(actor):
        if proposal.secret:
            raise ValidationError("A secret ballot is cast by the voter alone.")
        _check_runs(actor, proposal)
    if proposal.status == Status.DRAFT:
        raise ValidationError("Voting has not opened yet.")
    if proposal.status == Status.CLOSED or proposal.deadline_passed:
        raise ValidationError(f"Voting closed at {timezone.localtime(proposal.deadline):%Y-%m-%d %H:%M}.")
    assert proposal.opened_on is not None
    if not bodies.eligible_on(proposal.body, proposal.opened_on).filter(pk=voter.pk).exists():
        raise ValidationError(
            f"Only members of {proposal.body} on the day voting opened "
            f"({proposal.opened_on.isoformat()}) may vote on this proposal."
        )
    if proposal.is_ranked:
        content = {"choice": "", "ranking": _check_ranking(proposal, ranking)}
    else:
        _check_choice(proposal, choice, objection)
        content = {"choice": choice, "ranking": []}
    receipt = VoterReceipt.objects.filter(proposal=proposal, person=voter).first()
    now = timezone.now()
    key, open_ballot = "", None
    if proposal.secret:
        key = _write_secret_ballot(proposal, receipt, ballot_key, content)
    elif receipt is not None and receipt.ballot_id is not None:
        Ballot.objects.filter(pk=receipt.ballot_id).update(**content)
    else:
        open_ballot = Ballot.objects.create(proposal=proposal, **content)
    changed = receipt is not None
    if receipt is None:
        receipt = VoterReceipt.objects.create(
            proposal=proposal, person=voter, voted_at=now, ballot=open_ballot
        )
        do_record_action(
            actor,
            voter,
            VOTED,
            occurred_at=now,
            area=_area(proposal),  # type: ignore[arg-type]
            source="decisions",
            details={"proposal": str(proposal.public_id), "title": proposal.title},
        )
    else:
        receipt.changed_at = now
        receipt.save(update_fields=["changed_at"])
    if proposal.method == Method.CONSENT:
        _record_objection(proposal, voter, choice, objection)
    record_audit(actor, Verb.UPDATE if changed else Verb.CREATE, "vote", proposal.public_id, changed=changed)
    return VoteOutcome(receipt, changed, key)


def _record_objection(proposal: Proposal, voter: Person, choice: str, text: str) -> None:
    """An "object" vote raises an objection; moving to consent or standing aside withdraws the
    voter's own standing objections (their author's withdrawal).

    A voter has one vote, so at most one standing objection: objecting again in other words
    withdraws the earlier one for the new one (the same words again change nothing)."""
    standing = proposal.objections.filter(person=voter, withdrawn_at__isnull=True)
    if choice == Choice.OBJECT:
        if not standing.filter(text=text.strip()).exists():
            standing.update(withdrawn_at=timezone.now())
            Objection.objects.create(proposal=proposal, person=voter, text=text.strip())
    else:
        standing.update(withdrawn_at=timezone.now())


# --- objections ------------------------------------------------------------------------------------


def _check_open(proposal: Proposal) -> None:
    if proposal.status != Status.OPEN or proposal.deadline_passed:
        raise ValidationError("Voting on this proposal is not open.")


@transaction.atomic
def do_answer_objection(actor: User, objection: Objection, answer: str) -> Objection:
    proposal = objection.proposal
    _check_open(proposal)
    if not _may_edit(actor, proposal):
        raise ValidationError("The proposal's author or the body's coordinators answer objections.")
    if not answer.strip():
        raise ValidationError("Write the answer.")
    objection.answer = answer.strip()
    objection.answered_by = actor
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    record_audit(actor, Verb.UPDATE, "objection", objection.public_id, answered=True)
    return objection


@transaction.atomic
def do_withdraw_objection(actor: User, objection: Objection) -> Objection:
    """Only the objector withdraws an objection (usually once its answer satisfies them)."""
    _check_open(objection.proposal)
    me = acting_pk(actor)
    if me is None or me != objection.person_id:
        raise ValidationError("Only the member who raised an objection can withdraw it.")
    if objection.withdrawn_at is None:
        objection.withdrawn_at = timezone.now()
        objection.save(update_fields=["withdrawn_at"])
    record_audit(actor, Verb.UPDATE, "objection", objection.public_id, withdrawn=True)
    return objection


# --- closing ---------------------------------------------------------------------------------------


@transaction.atomic
def do_close_proposal(actor: User | None, proposal: Proposal) -> Proposal:
    """Close voting and keep the counted result. ``actor`` None: closed at its deadline.

    Closing twice changes nothing: only an open proposal is claimed, by a conditional update.
    """
    _check_runs(actor, proposal)
    if proposal.status == Status.DRAFT:
        raise ValidationError("A draft has not opened for votes yet.")
    now = timezone.now()
    claimed = Proposal.objects.filter(pk=proposal.pk, status=Status.OPEN).update(
        status=Status.CLOSED, closed_at=now
    )
    proposal.refresh_from_db()
    if not claimed:
        return proposal
    proposal.result = tally(proposal)
    proposal.save(update_fields=["result"])
    record_audit(
        actor,
        Verb.UPDATE,
        "proposal",
        proposal.public_id,
        closed=True,
        at_deadline=actor is None,
        outcome=proposal.result["outcome"],
    )
    return proposal


def close_due_proposals(now: datetime.datetime | None = None) -> list[Proposal]:
    """Close every open proposal whose deadline has passed (the ``decisions close`` command)."""
    due = Proposal.objects.filter(status=Status.OPEN, deadline__lte=now or timezone.now())
    return [do_close_proposal(None, proposal) for proposal in due.order_by("deadline", "pk")]


def close_if_due(proposal: Proposal) -> Proposal:
    """Close a proposal whose deadline passed, when someone looks at it before the command ran."""
    if proposal.status == Status.OPEN and proposal.deadline_passed:
        return do_close_proposal(None, proposal)
    return proposal


__all__ = [
    "ProposalData",
    "VoteOutcome",
    "close_due_proposals",
    "close_if_due",
    "do_add_option",
    "do_answer_objection",
    "do_cast_vote",
    "do_close_proposal",
    "do_comment",
    "do_create_proposal",
    "do_decide_amendment",
    "do_open_proposal",
    "do_propose_amendment",
    "do_withdraw_objection",
    "eligible_count",
    "opening_warnings",
    "ranking_from_ranks",
    "tally",
]
