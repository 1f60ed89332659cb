"""Who may read and run which committees — built on the one gate, accounts.access.

* A committee with an area is visible when its area is in the user's scope (which, through the
  gate, includes the areas of the committees the user coordinates). A committee without an area
  (an issue committee not yet placed) is visible to administrators and to its own leaders.
* Its members are people: pages list only those ``people_visible_to`` lets the user see, and
  count the rest.
* Running a committee (members, meetings, attendance, decisions) takes a role that may change
  people with the committee in scope, or leading the committee today.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.accounts import access
from grassroots.committees.models import (
    LEADING_ROLES,
    Committee,
    Decision,
    Meeting,
    Membership,
    current_on,
)

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def committees_visible_to(user: AnyUser) -> QuerySet[Committee]:
    """The committees this user may read, archived ones included (lists filter those out)."""
    if not user.is_authenticated or not user.is_active:
        return Committee.objects.none()
    if access.scope_paths(user) is access.ALL:
        return Committee.objects.all()
    visible = Q(area__in=access.areas_in_scope(user))
    person_id = access.acting_person_id(user)
    if person_id is not None:
        leading = Membership.objects.filter(current_on(), person_id=person_id, role__in=LEADING_ROLES)
        visible |= Q(pk__in=leading.values("committee_id"))
    return Committee.objects.filter(visible)


def leads(user: AnyUser, committee: Committee) -> bool:
    """Whether the user's person coordinates or organizes this committee today."""
    person_id = access.acting_person_id(user)
    return person_id is not None and (
        committee.memberships.filter(current_on(), person_id=person_id, role__in=LEADING_ROLES).exists()
    )


def can_run(user: AnyUser, committee: Committee) -> bool:
    """Whether the user may change the committee's members, meetings and decisions."""
    if not user.is_authenticated or not user.is_active:
        return False
    if access.scope_paths(user) is access.ALL:
        return True
    editor = getattr(user, "can_edit_people", False)
    if editor and committee.area is not None and access.area_in_scope(user, committee.area):
        return True
    return leads(user, committee)


def access_committee(user: AnyUser, public_id: object, *, write: bool = False) -> Committee:
    """The committee if the user may see it, else Http404; ``write`` also needs ``can_run``."""
    uid = access.parse_public_id(public_id)
    committee = committees_visible_to(user).select_related("area", "parent").filter(public_id=uid).first()
    if committee is None:
        raise Http404("No such committee.")
    if write and not can_run(user, committee):
        raise PermissionDenied("You do not run this committee.")
    return committee


M = TypeVar("M", Meeting, Membership, Decision)


def _of_committee(user: AnyUser, queryset: QuerySet[M], public_id: object, *, write: bool, what: str) -> M:
    """A record of a committee the user may see (and, with ``write``, run), else Http404/PermissionDenied."""
    uid = access.parse_public_id(public_id)
    found = (
        queryset.filter(committee__in=committees_visible_to(user), public_id=uid)
        .select_related("committee__area")
        .first()
    )
    if found is None:
        raise Http404(f"No such {what}.")
    if write and not can_run(user, found.committee):
        raise PermissionDenied("You do not run this committee.")
    return found


def access_meeting(user: AnyUser, public_id: object, *, write: bool = False) -> Meeting:
    return _of_committee(user, Meeting.objects.all(), public_id, write=write, what="meeting")


def access_membership(user: AnyUser, public_id: object) -> Membership:
    """A membership to change: its committee must be the user's to run and its person visible."""
    people = access.people_visible_to(user)
    memberships = Membership.objects.filter(person__in=people).select_related("person")
    return _of_committee(user, memberships, public_id, write=True, what="membership")


def access_decision(user: AnyUser, public_id: object) -> Decision:
    return _of_committee(user, Decision.objects.all(), public_id, write=True, what="decision")
