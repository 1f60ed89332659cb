"""The bodies that decide: who is eligible to vote in each, who runs it, who may read its proposals.

Each kind of body is a ``BodyKind`` registered under the Proposal field that names it
(models.BODY_FIELDS). Voting rights always come from membership records on a given day — the
day voting opened — so someone who joined afterwards cannot vote and someone who left
afterwards still can:

* a **committee**: its members on that day (committees.models.Membership, ``current_on``);
* a **struggle**: the members of its committees on that day, each person once;
* a **coalition** (its app registers itself): its organizations' delegates on that day.

The coalitions app adds its foreign key to Proposal, its name to BODY_FIELDS and a kind here with
``register``; nothing else in decisions changes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import F, Model, Q, QuerySet
from django.utils import timezone

from grassroots.accounts import access
from grassroots.committees import access as committee_access
from grassroots.committees.models import LEADING_ROLES, Committee, Membership, current_on
from grassroots.people.models import Person
from grassroots.struggles import access as struggle_access
from grassroots.struggles.models import Struggle

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


class BodyKind(Protocol):
    @property
    def field(self) -> str:
        """The Proposal field naming a body of this kind."""

    def eligible(self, body: Any, day: datetime.date) -> QuerySet[Person]:
        """The people who may vote on a proposal of ``body`` opened on ``day``."""

    def voter_q(self, person_id: int, day: datetime.date | F) -> Q:
        """A filter of proposals whose body counts this person as a voter on ``day`` (a date, or
        ``F("opened_on")`` for each proposal's own opening day)."""

    def can_run(self, user: AnyUser, body: Any) -> bool:
        """Whether the user may open, close and amend the body's proposals."""

    def visible(self, user: AnyUser) -> QuerySet[Any]:
        """The bodies of this kind whose proposals the user may read through the access gate
        (members of a body read its proposals too: decisions.access adds them)."""


def _person_id(user: AnyUser) -> int | None:
    return access.acting_pk(user)


def member_on(prefix: str, person_id: int, day: datetime.date | F) -> Q:
    """Memberships (reached through ``prefix``) of this person current on ``day``. Used in one
    ``filter()`` call, every condition applies to the same membership row."""
    return Q(**{f"{prefix}person_id": person_id, f"{prefix}joined_on__lte": day}) & (
        Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": day})
    )


def speaking_on(prefix: str, day: datetime.date | F) -> Q:
    """Committees (reached through ``prefix``) that still speak for a struggle on ``day``: not yet
    archived nor dissolved. An archived committee keeps its memberships open, as history; its
    members no longer vote for the struggle. Used in the same ``filter()`` call as member_on."""
    return (Q(**{f"{prefix}archived_at__isnull": True}) | Q(**{f"{prefix}archived_at__date__gt": day})) & (
        Q(**{f"{prefix}dissolved_on__isnull": True}) | Q(**{f"{prefix}dissolved_on__gt": day})
    )


def _members(memberships: QuerySet[Membership]) -> QuerySet[Person]:
    return Person.objects.filter(pk__in=memberships.values("person_id"), merged_into__isnull=True)


@dataclass(frozen=True)
class CommitteeBody:
    field: str = "committee"

    def eligible(self, body: Committee, day: datetime.date) -> QuerySet[Person]:
        return _members(Membership.objects.filter(current_on(day), committee=body))

    def voter_q(self, person_id: int, day: datetime.date | F) -> Q:
        return member_on("committee__memberships__", person_id, day)

    def can_run(self, user: AnyUser, body: Committee) -> bool:
        return committee_access.can_run(user, body)

    def visible(self, user: AnyUser) -> QuerySet[Committee]:
        return committee_access.committees_visible_to(user)


@dataclass(frozen=True)
class StruggleBody:
    field: str = "struggle"

    def eligible(self, body: Struggle, day: datetime.date) -> QuerySet[Person]:
        committees = body.committees.filter(speaking_on("", day))
        return _members(Membership.objects.filter(current_on(day), committee__in=committees))

    def voter_q(self, person_id: int, day: datetime.date | F) -> Q:
        return member_on("struggle__committees__memberships__", person_id, day) & speaking_on(
            "struggle__committees__", day
        )

    def can_run(self, user: AnyUser, body: Struggle) -> bool:
        """Those who may change people and see the struggle, or lead one of its committees today."""
        if not user.is_authenticated or not user.is_active:
            return False
        if getattr(user, "can_edit_people", False) and (
            struggle_access.struggles_visible_to(user).filter(pk=body.pk).exists()
        ):
            return True
        person_id = _person_id(user)
        return person_id is not None and (
            Membership.objects.filter(
                current_on(), person_id=person_id, role__in=LEADING_ROLES, committee__in=body.committees.all()
            ).exists()
        )

    def visible(self, user: AnyUser) -> QuerySet[Struggle]:
        return struggle_access.struggles_visible_to(user)


KINDS: dict[str, BodyKind] = {}


def register(kind: BodyKind) -> None:
    KINDS[kind.field] = kind


register(CommitteeBody())
register(StruggleBody())


def kind_of(body: Model) -> BodyKind:
    for kind in KINDS.values():
        if type(body)._meta.model_name == kind.field:
            return kind
    raise ValueError(f"{type(body).__name__} cannot hold proposals.")


def body_filter(body: Model) -> Q:
    """Proposals of this body."""
    return Q(**{kind_of(body).field: body})


def eligible_on(body: Model, day: datetime.date | None = None) -> QuerySet[Person]:
    return kind_of(body).eligible(body, day or timezone.localdate())
