"""The result of a proposal: its ballots counted by its method, with quorum and every round.

``tally(proposal)`` reads the ballots and the eligibility records and returns a plain dict (what
``Proposal.result`` keeps when the proposal closes, so the result stays as it was counted when
memberships change later). It never reads who cast which ballot: counting needs only the ballots.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from grassroots.decisions import bodies, counting
from grassroots.decisions.models import Ballot, Proposal

Method = Proposal.Method
Choice = Ballot.Choice


def number(value: Fraction) -> str:
    """A count as text: whole numbers plainly, fractions of STV transfers to five places."""
    if value.denominator == 1:
        return str(value.numerator)
    return f"{float(value):.5f}"


def eligible_count(proposal: Proposal) -> int:
    day = proposal.opened_on
    return bodies.eligible_on(proposal.body, day).count() if day else 0


def _ranked(proposal: Proposal, rankings: list[list[str]]) -> dict[str, Any]:
    options = list(proposal.options.all())
    keys = [str(o.public_id) for o in options]
    labels = {str(o.public_id): o.label for o in options}
    seed = str(proposal.public_id)
    if proposal.method == Method.STV:
        count = counting.single_transferable_vote(rankings, keys, proposal.seats, seed=seed)
    else:
        count = counting.instant_runoff(rankings, keys, seed=seed)

    def named(text: str) -> str:
        for key, label in labels.items():
            text = text.replace(key, label)
        return text

    return {
        "seats": count.seats,
        "quota": number(count.quota) if count.quota is not None else None,
        "valid": count.valid,
        "options": [{"id": key, "label": labels[key]} for key in keys],
        "rounds": [
            {
                "number": r.number,
                "votes": {key: number(v) for key, v in r.votes.items()},
                "exhausted": number(r.exhausted),
                "elected": r.elected,
                "excluded": r.excluded,
                "note": named(r.note),
            }
            for r in count.rounds
        ],
        "elected": count.elected,
        "elected_labels": [labels[key] for key in count.elected],
        "ties": [named(t) for t in count.ties],
    }


def tally(proposal: Proposal) -> dict[str, Any]:
    """Count the proposal's ballots now (open or closed); see the module's docstring."""
    ballots = list(proposal.ballots.values_list("choice", "ranking"))
    eligible = eligible_count(proposal)
    voted = proposal.receipts.count()
    quorum_met = voted >= proposal.quorum and voted > 0
    result: dict[str, Any] = {
        "method": proposal.method,
        "eligible": eligible,
        "voted": voted,
        "quorum": proposal.quorum,
        "quorum_met": quorum_met,
        "secret": proposal.secret,
    }
    choices = [choice for choice, _ in ballots]
    if proposal.is_ranked:
        result["ranked"] = _ranked(proposal, [list(ranking) for _, ranking in ballots])
        passed = bool(result["ranked"]["elected"])
        summary = ", ".join(result["ranked"]["elected_labels"]) or "no one"
        people = proposal.method == Method.STV or proposal.options.filter(person__isnull=False).exists()
        outcome = f"Elected: {summary}." if people else f"Chosen: {summary}."
    elif proposal.method == Method.CONSENT:
        standing = proposal.objections.filter(withdrawn_at__isnull=True).count()
        result["counts"] = {c: choices.count(c) for c in (Choice.CONSENT, Choice.STAND_ASIDE, Choice.OBJECT)}
        result["objections_standing"] = standing
        result["objections_withdrawn"] = proposal.objections.filter(withdrawn_at__isnull=False).count()
        passed = standing == 0
        outcome = "Passed by consent." if passed else f"Blocked: {standing} objection(s) stand."
    else:
        threshold = proposal.threshold if proposal.method == Method.SUPERMAJORITY else None
        yes, no, abstain = (choices.count(c) for c in (Choice.YES, Choice.NO, Choice.ABSTAIN))
        yes_no = counting.count_yes_no(yes, no, abstain, threshold=threshold)
        result["counts"] = {"yes": yes_no.yes, "no": yes_no.no, "abstain": yes_no.abstain}
        result["threshold"] = f"{yes_no.threshold.numerator}/{yes_no.threshold.denominator}"
        passed = yes_no.passed
        outcome = "Passed." if passed else "Not passed."
    if not quorum_met:
        passed = False
        outcome = f"No quorum: {voted} voted, {proposal.quorum} needed." if voted else "No one voted."
    result["passed"] = passed
    result["outcome"] = outcome
    return result
