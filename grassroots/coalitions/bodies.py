"""A coalition as a body that decides (decisions.bodies): its voters are its delegates.

Registered when the app is ready (coalitions.apps). On the day voting opens, the people who may
vote are the delegates, on that day, of the organizations that are members that day
(coalitions.models.eligible_delegates); a delegate whose term ends afterwards still votes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import F, Q, QuerySet

from grassroots.coalitions import access as coalition_access
from grassroots.coalitions.models import Coalition, eligible_delegates
from grassroots.people.models import Person

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


@dataclass(frozen=True)
class CoalitionBody:
    field: str = "coalition"

    def eligible(self, body: Coalition, day: datetime.date) -> QuerySet[Person]:
        return eligible_delegates(body, day)

    def voter_q(self, person_id: int, day: datetime.date | F) -> Q:
        # A delegate on ``day`` of an organization that is a member on ``day``. The two rows are
        # reached by different paths, so each condition names its own.
        delegate = Q(
            coalition__delegates__person_id=person_id,
            coalition__delegates__starts_on__lte=day,
        ) & (Q(coalition__delegates__ends_on__isnull=True) | Q(coalition__delegates__ends_on__gt=day))
        member = Q(
            coalition__members__organization_id=F("coalition__delegates__organization_id"),
            coalition__members__joined_on__lte=day,
        ) & (Q(coalition__members__left_on__isnull=True) | Q(coalition__members__left_on__gt=day))
        return delegate & member

    def can_run(self, user: AnyUser, body: Coalition) -> bool:
        return coalition_access.can_run(user, body)

    def visible(self, user: AnyUser) -> QuerySet[Coalition]:
        return coalition_access.coalitions_visible_to(user)
