"""Who may read and run coalitions — built on the one gate, accounts.access.

* A **coalition** gathers organizations across a city: those who may change people (organizers,
  coordinators, administrators) see every coalition, and anyone else those they are a delegate to
  today. Its delegates and the organizations' contacts are people: pages name only those
  ``people_visible_to`` lets the user see, and count the rest.
* Running a coalition (members, delegates, endorsements) takes an administrator or an organizer,
  or the user who founded it.
* A **partner organization** is readable when struggles.access shows it, or when it belongs to a
  coalition the user sees.
* An **endorsement** is read with its coalition; once published its public page (no login) shows
  the candidate, the questionnaire, the answers, the vote's counts and the coalition's member
  organizations — never a delegate or a contact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.accounts import access
from grassroots.accounts.models import Role
from grassroots.coalitions.models import Coalition, CoalitionMember, Delegate, Endorsement, delegates_on
from grassroots.struggles.access import organizations_visible_to
from grassroots.struggles.models import Organization

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def _signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def coalitions_visible_to(user: AnyUser) -> QuerySet[Coalition]:
    if not _signed_in(user):
        return Coalition.objects.none()
    if getattr(user, "can_edit_people", False):
        return Coalition.objects.all()
    person_id = access.acting_pk(user)
    if person_id is None:
        return Coalition.objects.none()
    delegating = Delegate.objects.filter(delegates_on(), person_id=person_id)
    return Coalition.objects.filter(pk__in=delegating.values("coalition_id"))


def can_run(user: AnyUser, coalition: Coalition | None = None) -> bool:
    """Whether the user may found coalitions (``coalition`` None) or run this one."""
    if not _signed_in(user):
        return False
    if access.scope_paths(user) is access.ALL or getattr(user, "role", None) == Role.ORGANIZER:
        return True
    return coalition is not None and coalition.created_by_id == getattr(user, "pk", None)


def access_coalition(user: AnyUser, public_id: object, *, write: bool = False) -> Coalition:
    uid = access.parse_public_id(public_id)
    coalition = coalitions_visible_to(user).filter(public_id=uid).first()
    if coalition is None or (write and not can_run(user, coalition)):
        raise Http404("No such coalition.")
    return coalition


M = TypeVar("M", CoalitionMember, Delegate)


def _of_coalition_to_run(user: AnyUser, queryset: QuerySet[M], public_id: object, what: str) -> M:
    """A member organization or a delegation of a coalition the user runs, else Http404."""
    uid = access.parse_public_id(public_id)
    found = (
        queryset.filter(public_id=uid, coalition__in=coalitions_visible_to(user))
        .select_related("coalition", "organization")
        .first()
    )
    if found is None or not can_run(user, found.coalition):
        raise Http404(f"No such {what}.")
    return found


def access_member(user: AnyUser, public_id: object) -> CoalitionMember:
    return _of_coalition_to_run(user, CoalitionMember.objects.all(), public_id, "member")


def access_delegate(user: AnyUser, public_id: object) -> Delegate:
    """A delegation to change: its coalition the user's to run, its person visible through the gate."""
    delegates = Delegate.objects.filter(person__in=access.people_visible_to(user))
    return _of_coalition_to_run(user, delegates, public_id, "delegate")


def partners_visible_to(user: AnyUser) -> QuerySet[Organization]:
    """Organizations the user may read: struggles' targets, and the members of their coalitions."""
    if not _signed_in(user):
        return Organization.objects.none()
    in_coalitions = CoalitionMember.objects.filter(coalition__in=coalitions_visible_to(user))
    return Organization.objects.filter(
        Q(pk__in=organizations_visible_to(user).values("pk"))
        | Q(pk__in=in_coalitions.values("organization_id"))
    )


def access_partner(user: AnyUser, public_id: object) -> Organization:
    uid = access.parse_public_id(public_id)
    organization = partners_visible_to(user).filter(public_id=uid).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def access_endorsement(user: AnyUser, public_id: object, *, write: bool = False) -> Endorsement:
    uid = access.parse_public_id(public_id)
    endorsement = (
        Endorsement.objects.filter(coalition__in=coalitions_visible_to(user), public_id=uid)
        .select_related("coalition")
        .first()
    )
    if endorsement is None or (write and not can_run(user, endorsement.coalition)):
        raise Http404("No such endorsement.")
    return endorsement


def published_endorsement(public_id: object) -> Endorsement:
    """A published endorsement, for its public page; anything else is a page that does not exist."""
    uid = access.parse_public_id(public_id)
    endorsement = (
        Endorsement.objects.filter(public_id=uid, status=Endorsement.Status.PUBLISHED)
        .select_related("coalition")
        .first()
    )
    if endorsement is None:
        raise Http404("No such endorsement.")
    return endorsement
