"""The demo committee's decisions: one vote counted, one election under way.

``create_demo_decisions(seed)`` works in the demo member's building committee (committees demo):

* a proposal to deliver the rent increase letters to management together, amended and discussed
  while a draft, then opened and voted by a show of hands the coordinator records, and closed: its
  page shows the counts;
* an open ranked-choice election (instant runoff) of the committee's next coordinator among three
  members, with the paper ballots of two members entered; the demo ``member`` login has not voted
  yet and can rank the candidates.

Everything is written through decisions.actions by the committee's coordinator (the ``captain``
login) and the demo organizer; the same seed gives the same votes.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.committees.models import LEADING_ROLES, Committee, current_on
from grassroots.decisions import actions
from grassroots.decisions.models import Proposal

Method = Proposal.Method
LETTERS_TEXT = (
    "Every household brings its rent increase letter to the next meeting, and a delegation of the "
    "committee delivers them to the management office together, with our letter asking to meet."
)


@dataclass
class DemoDecisions:
    committee: Committee
    closed: Proposal
    election: Proposal

    def summary(self) -> str:
        return (
            f"{self.committee.name} decided “{self.closed.title}” ({self.closed.result['outcome']}) "
            f"and is electing its coordinator by ranked choice."
        )


def _home_committee(member: User) -> Committee | None:
    if member.person_id is None:
        return None
    return (
        Committee.objects.filter(
            current_on(prefix="memberships__"),
            memberships__person_id=member.person_id,
            archived_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def create_demo_decisions(*, seed: int = 1) -> DemoDecisions | None:
    """The demo decisions, or None when the demo committees (or their logins) are missing."""
    organizer = User.objects.filter(username="organizer").first()
    member = User.objects.filter(username="member").first()
    if organizer is None or member is None:
        return None
    committee = _home_committee(member)
    if committee is None:
        return None
    rng = random.Random(seed)
    memberships = list(committee.memberships.filter(current_on()).select_related("person").order_by("pk"))
    coordinator = next((m.person for m in memberships if m.role in LEADING_ROLES), None)
    author = User.objects.filter(person=coordinator).first() if coordinator else None
    author = author or organizer
    week = timezone.now() + datetime.timedelta(days=7)

    letters = actions.do_create_proposal(
        author,
        committee,
        actions.ProposalData(
            "Deliver the rent increase letters together",
            Method.MAJORITY,
            week,
            text=LETTERS_TEXT.replace("our letter", "a letter"),
            quorum=max(1, len(memberships) // 2),
        ),
    )
    amendment = actions.do_propose_amendment(organizer, letters, "a letter", "our letter")
    actions.do_decide_amendment(author, amendment, accept=True)
    actions.do_comment(author, letters, "Going together shows them it is the whole building, not one tenant.")
    actions.do_open_proposal(author, letters)
    for m in memberships:
        choice = "no" if rng.random() < 0.2 else "abstain" if rng.random() < 0.1 else "yes"
        actions.do_cast_vote(author, letters, person=m.person, choice=choice)
    letters = actions.do_close_proposal(author, letters)

    candidates = [m.person for m in memberships if m.person_id != member.person_id][:3]
    election = actions.do_create_proposal(
        author,
        committee,
        actions.ProposalData(
            f"Elect the coordinator of {committee.name}",
            Method.INSTANT_RUNOFF,
            week,
            text="Rank the candidates: 1 for your first choice. The count is by instant runoff.",
            options=candidates,
        ),
    )
    actions.do_open_proposal(author, election)
    options = [str(o.public_id) for o in election.options.all()]
    voters = [m.person for m in memberships if m.person_id != member.person_id][:2]
    for person in voters:  # paper ballots handed in at the last meeting
        ranking = rng.sample(options, k=len(options))
        actions.do_cast_vote(author, election, person=person, ranking=ranking)
    return DemoDecisions(committee, letters, election)
