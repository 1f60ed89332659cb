"""The demo neighborhood committee's common-ground round, with three opinion groups to see.

``create_demo_common_ground()`` holds a round in the demo neighborhood's committee: first the
members of the street and building committees inside it join it for the assembly, then the
demo coordinator opens the round with sixteen statements and records the members' votes from
the cards collected at the assembly. The votes come from three planted camps (commonground.planted)
— those ready to strike, those who would rather negotiate and go through the council, and those
who care for their own building first — so the opinion map shows three groups, four statements
that every group supports, and where the camps divide. The same seed gives the same votes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.committees.actions import do_add_member
from grassroots.committees.models import Committee, Membership, current_on
from grassroots.commonground.actions import do_open_round, do_vote_statement
from grassroots.commonground.analysis import AGREE, DISAGREE, PASS
from grassroots.commonground.models import Round
from grassroots.commonground.planted import plant_votes
from grassroots.people.models import Person
from grassroots.places.models import AreaKind

JOINED_DAYS_AGO = 10
SHARES = (0.45, 0.35, 0.20)  # of the three camps, largest first
A, D, P = AGREE, DISAGREE, PASS
# Each statement with the stance of the three camps: strike now, negotiate, our building first.
STATEMENTS: tuple[tuple[str, tuple[int, int, int]], ...] = (
    ("Every apartment needs working heat and hot water all winter.", (A, A, A)),
    ("Repairs should be done within a week of being reported.", (A, A, A)),
    ("The landlord must stop charging tenants for repairs that are its job.", (A, A, A)),
    ("Meetings should be in the evening, with childcare, so working parents can come.", (A, A, A)),
    ("We should call a rent strike this year.", (A, D, D)),
    ("We should negotiate with management before any escalation.", (D, A, A)),
    ("The committee should endorse candidates for city council.", (D, A, D)),
    ("Rallies outside the landlord's office get results.", (A, P, D)),
    ("Security cameras in the lobby make the building safer.", (D, P, A)),
    ("We should join the citywide coalition for rent control.", (A, A, D)),
    ("Housing court is the best way to win repairs.", (D, A, A)),
    ("Tenants should withhold rent until the heat is fixed.", (A, D, P)),
    ("We should invite the council member to our next meeting.", (D, A, P)),
    ("Each building should fix its own problems before the neighborhood's.", (P, D, A)),
    ("Knocking on every door, every floor, is worth the time.", (A, A, P)),
    ("The committee should raise dues to pay for a lawyer.", (D, A, D)),
)


@dataclass
class DemoCommonGround:
    committee: Committee
    round: Round
    participants: int
    votes: int

    def summary(self) -> str:
        return (
            f"{self.committee.name} held a common-ground round: {self.participants} members cast "
            f"{self.votes} votes on {len(STATEMENTS)} statements."
        )


def _assembly(organizer: User, committee: Committee) -> list[int]:
    """The members of the committees inside the neighborhood join its committee, for the assembly."""
    joined = timezone.localdate() - datetime.timedelta(days=JOINED_DAYS_AGO)
    inside = Committee.objects.filter(
        area__path__startswith=committee.area.path if committee.area else "", archived_at__isnull=True
    )
    current = Membership.objects.filter(current_on(), committee__in=inside).select_related("person")
    already = set(committee.memberships.filter(current_on()).values_list("person_id", flat=True))
    for membership in current.order_by("person_id"):
        if membership.person_id not in already:
            do_add_member(organizer, committee, membership.person, joined_on=joined)
            already.add(membership.person_id)
    return sorted(already)


@transaction.atomic
def create_demo_common_ground(*, seed: int = 1) -> DemoCommonGround | None:
    """The round, or None when the demo committees are missing."""
    organizer = User.objects.filter(username="organizer").first()
    coordinator = User.objects.filter(username="coordinator").first()
    if organizer is None or coordinator is None:
        return None
    hood = coordinator.scope.filter(kind=AreaKind.NEIGHBORHOOD).first()
    committee = Committee.objects.filter(area=hood, archived_at__isnull=True).first() if hood else None
    if committee is None:
        return None
    member_ids = _assembly(organizer, committee)
    held = do_open_round(
        coordinator,
        committee,
        "What should our neighborhood fight for this year?",
        question="Write what you think in a sentence; vote on what your neighbors wrote.",
        statements=[text for text, _stances in STATEMENTS],
    )
    sizes = [int(len(member_ids) * share) for share in SHARES]
    sizes[0] += len(member_ids) - sum(sizes)
    table = [list(stances) for _text, stances in STATEMENTS]
    planted = plant_votes(sizes, table, conviction=0.88, seen=0.85, seed=seed)
    statements = list(held.statements.order_by("created_at", "id"))
    persons = Person.objects.in_bulk(member_ids)
    votes = 0
    for row, person_id in enumerate(member_ids):
        for col, statement in enumerate(statements):
            if planted.cast[row, col]:
                do_vote_statement(
                    coordinator, statement, int(planted.votes[row, col]), person=persons[person_id]
                )
                votes += 1
    return DemoCommonGround(committee, held, len(member_ids), votes)
