"""Who takes part in, reads and runs common-ground rounds — built on the one gate.

* The **participants** of a round are its body's people today: a committee's members, the
  members of a struggle's committees, a coalition's delegates. Only they write and vote.
* A round is **readable** by whoever may read its body (committees.access, struggles.access,
  coalitions.access) and by its participants. What it shows is statements and counts; the map of
  opinion groups has no names, and no page says how anyone voted but the voter themself.
* **Running** a round (opening, seeding, hiding a statement, closing, drafting a proposal) takes
  whoever runs its body.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts import access
from grassroots.coalitions import access as coalition_access
from grassroots.coalitions.models import Coalition, Delegate, delegates_on, eligible_delegates
from grassroots.committees import access as committee_access
from grassroots.committees.models import LEADING_ROLES, Committee, Membership, current_on
from grassroots.commonground.models import Round, Statement
from grassroots.people.models import Person
from grassroots.struggles import access as struggle_access
from grassroots.struggles.models import Struggle

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser

Body = Committee | Struggle | Coalition


def participants(body: Body, day: datetime.date | None = None) -> QuerySet[Person]:
    """The people who take part in a round held in ``body`` on ``day`` (today)."""
    if isinstance(body, Coalition):
        return eligible_delegates(body, day)
    if isinstance(body, Committee):
        committees: list[Committee] | QuerySet[Committee] = [body]
    else:
        # A struggle's archived or dissolved committee no longer speaks for it (as in the access
        # gate), though its memberships are kept open as history.
        committees = body.committees.filter(archived_at__isnull=True).exclude(
            dissolved_on__lte=day or timezone.localdate()
        )
    memberships = Membership.objects.filter(current_on(day), committee__in=committees)
    return Person.objects.filter(pk__in=memberships.values("person_id"), merged_into__isnull=True)


def takes_part(user: AnyUser, round: Round) -> bool:
    person_id = access.acting_pk(user)
    return bool(
        person_id is not None
        and user.is_active
        and round.is_open
        and participants(round.body).filter(pk=person_id).exists()
    )


def can_run(user: AnyUser, body: Body) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if isinstance(body, Committee):
        return committee_access.can_run(user, body)
    if isinstance(body, Coalition):
        return coalition_access.can_run(user, body)
    if getattr(user, "can_edit_people", False) and struggle_access.struggles_visible_to(user).filter(
        pk=body.pk
    ):
        return True
    person_id = access.acting_pk(user)
    return person_id is not None and (
        Membership.objects.filter(
            current_on(), person_id=person_id, role__in=LEADING_ROLES, committee__in=body.committees.all()
        ).exists()
    )


def rounds_visible_to(user: AnyUser) -> QuerySet[Round]:
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    visible = (
        Q(committee__in=committee_access.committees_visible_to(user))
        | Q(struggle__in=struggle_access.struggles_visible_to(user))
        | Q(coalition__in=coalition_access.coalitions_visible_to(user))
    )
    person_id = access.acting_pk(user)
    if person_id is not None:
        mine = Membership.objects.filter(current_on(), person_id=person_id).values("committee_id")
        visible |= Q(committee__in=mine) | Q(struggle__committees__in=mine)
        visible |= Q(coalition__delegates__in=Delegate.objects.filter(delegates_on(), person_id=person_id))
    return Round.objects.filter(pk__in=Round.objects.filter(visible).values("pk"))


def access_round(user: AnyUser, public_id: object, *, write: bool = False) -> Round:
    uid = access.parse_public_id(public_id)
    found = (
        rounds_visible_to(user)
        .select_related("committee__area", "struggle", "coalition")
        .filter(public_id=uid)
        .first()
    )
    if found is None or (write and not can_run(user, found.body)):
        raise Http404("No such round.")
    return found


def access_statement(user: AnyUser, public_id: object) -> Statement:
    uid = access.parse_public_id(public_id)
    found = (
        Statement.objects.filter(round__in=rounds_visible_to(user), public_id=uid)
        .select_related("round__committee", "round__struggle", "round__coalition")
        .first()
    )
    if found is None:
        raise Http404("No such statement.")
    return found
