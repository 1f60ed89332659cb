"""Who may read which targets, struggles and grievances — built on the one gate, accounts.access.

* A **grievance** names a person or a household: it is visible exactly when every one it names is
  visible through ``people_visible_to`` / ``households_visible_to``. Nothing here widens or
  narrows those scopes; whatever the gate grants (an area scope, a committee's area for its
  coordinator) reaches grievances by itself.
* An **organization** is visible to a user when one of its places — a site, or an area of a
  struggle against it — is in their scope, and then so is the rest of its family (the landlord it
  acts for, the other companies acting for that landlord): tenants of one landlord organize across
  its buildings. Its people are still shown only through the gate; elsewhere they are counts.
  A new organization with no places yet is visible to its creator and to those who may edit people.
* A **struggle** is visible when its target is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.accounts import access
from grassroots.struggles.models import Grievance, Organization, Site, Struggle

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def _parents() -> dict[int, int | None]:
    """Every organization's parent, for walking families in Python (there are few organizations)."""
    return dict(Organization.objects.values_list("id", "parent_id"))


def _root(org_id: int, parents: dict[int, int | None]) -> int:
    seen = {org_id}
    while (parent := parents.get(org_id)) is not None and parent not in seen:
        seen.add(parent)
        org_id = parent
    return org_id


def family_ids(organization: Organization) -> list[int]:
    """The organization and every organization acting for it, at any depth."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in _parents().items():
        children.setdefault(parent_id, []).append(org_id)
    found, todo = [], [organization.pk]
    while todo:
        org_id = todo.pop()
        if org_id not in found:
            found.append(org_id)
            todo.extend(children.get(org_id, []))
    return found


def _whole_families(org_ids: Iterable[int]) -> set[int]:
    parents = _parents()
    roots = {_root(org_id, parents) for org_id in org_ids}
    return {org_id for org_id in parents if _root(org_id, parents) in roots}


def organizations_visible_to(user: AnyUser) -> QuerySet[Organization]:
    """The organizations this user may read (archived ones included: lists filter those out)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if access.scope_paths(user) is access.ALL:
        return Organization.objects.all()
    areas = access.areas_in_scope(user)
    placed = set(Site.objects.filter(area__in=areas).values_list("organization_id", flat=True))
    placed |= set(Struggle.objects.filter(areas__in=areas).values_list("target_id", flat=True))
    visible = Q(pk__in=_whole_families(placed)) | Q(created_by=user.pk)
    if getattr(user, "can_edit_people", False):
        visible |= Q(sites__isnull=True, struggles__isnull=True)
    return Organization.objects.filter(visible).distinct()


def struggles_visible_to(user: AnyUser) -> QuerySet[Struggle]:
    return Struggle.objects.filter(target__in=organizations_visible_to(user))


def grievances_visible_to(user: AnyUser) -> QuerySet[Grievance]:
    """The grievances whose person and household (each that is named) the gate lets the user see."""
    return Grievance.objects.filter(
        Q(person__isnull=True) | Q(person__in=access.people_visible_to(user)),
        Q(household__isnull=True) | Q(household__in=access.households_visible_to(user)),
    )


def access_organization(user: AnyUser, public_id: object) -> Organization:
    uid = access.parse_public_id(public_id)
    organization = organizations_visible_to(user).select_related("parent").filter(public_id=uid).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def access_struggle(user: AnyUser, public_id: object) -> Struggle:
    uid = access.parse_public_id(public_id)
    struggle = struggles_visible_to(user).select_related("target").filter(public_id=uid).first()
    if struggle is None:
        raise Http404("No such struggle.")
    return struggle


def access_grievance(user: AnyUser, public_id: object) -> Grievance:
    uid = access.parse_public_id(public_id)
    grievance = (
        grievances_visible_to(user)
        .select_related("struggle__target", "person", "household", "area")
        .filter(public_id=uid)
        .first()
    )
    if grievance is None:
        raise Http404("No such grievance.")
    return grievance
