"""Who may read, join in and run which proposals — built on the gate (accounts.access) and the bodies.

* A proposal is **readable** by those who may see its body through the gate (a committee's
  area in their scope, a struggle's target visible), by the body's current members (a building
  committee's member reads and votes on its proposals even with no scope), and by everyone
  eligible to vote on it (a member who left after it opened still votes). Anyone else gets 404.
* **Taking part** (drafting, amending, commenting) needs to be a current member of the body or
  to run it. **Running** (opening, closing, deciding amendments, answering objections) is the
  body's own rule: a committee's coordinators and organizers, editors with it in scope.
* **Voting** needs the user's own person to be eligible (decisions.actions checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from grassroots.accounts import access
from grassroots.decisions import bodies
from grassroots.decisions.models import Amendment, Objection, Proposal

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def _person_id(user: AnyUser) -> int | None:
    return access.acting_pk(user) if user.is_authenticated and user.is_active else None


def _voting_or_member(person_id: int) -> Q:
    """Proposals of the bodies this person belongs to today, and those they may vote on
    (a member on the day voting opened)."""
    today = timezone.localdate()
    found = Q(pk__in=[])
    for kind in bodies.KINDS.values():
        for day in (today, F("opened_on")):
            found |= Q(pk__in=Proposal.objects.filter(kind.voter_q(person_id, day)).values("pk"))
    return found


def proposals_visible_to(user: AnyUser) -> QuerySet[Proposal]:
    if not user.is_authenticated or not user.is_active:
        return Proposal.objects.none()
    if access.scope_paths(user) is access.ALL:
        return Proposal.objects.all()
    visible = Q(pk__in=[])
    for kind in bodies.KINDS.values():
        visible |= Q(**{f"{kind.field}__in": kind.visible(user)})
    person_id = _person_id(user)
    if person_id is not None:
        visible |= _voting_or_member(person_id)
    return Proposal.objects.filter(visible)


def can_run(user: AnyUser, proposal: Proposal) -> bool:
    body = proposal.body
    return bodies.kind_of(body).can_run(user, body)


def is_member(user: AnyUser, body: Model) -> bool:
    person_id = _person_id(user)
    return person_id is not None and bodies.eligible_on(body).filter(pk=person_id).exists()


def can_take_part(user: AnyUser, body: Model) -> bool:
    return is_member(user, body) or bodies.kind_of(body).can_run(user, body)


def access_proposal(user: AnyUser, public_id: object, *, run: bool = False) -> Proposal:
    """The proposal if the user may read it, else Http404; ``run`` also needs to run its body."""
    uid = access.parse_public_id(public_id)
    proposal = proposals_visible_to(user).select_related(*bodies.KINDS.keys()).filter(public_id=uid).first()
    if proposal is None:
        raise Http404("No such proposal.")
    if run and not can_run(user, proposal):
        raise PermissionDenied("You do not run this proposal's body.")
    return proposal


def access_amendment(user: AnyUser, public_id: object) -> Amendment:
    uid = access.parse_public_id(public_id)
    found = Amendment.objects.filter(proposal__in=proposals_visible_to(user), public_id=uid).first()
    if found is None:
        raise Http404("No such amendment.")
    return found


def access_objection(user: AnyUser, public_id: object) -> Objection:
    uid = access.parse_public_id(public_id)
    found = Objection.objects.filter(proposal__in=proposals_visible_to(user), public_id=uid).first()
    if found is None:
        raise Http404("No such objection.")
    return found


def access_body(user: AnyUser, field: str, public_id: object) -> Model:
    """A committee or struggle (``field``) whose proposals the user may read, else Http404."""
    kind = bodies.KINDS.get(field)
    if kind is None:
        raise Http404("No such body.")
    uid = access.parse_public_id(public_id)
    model = Proposal._meta.get_field(field).related_model
    assert model is not None and not isinstance(model, str)
    body = model._default_manager.filter(public_id=uid).first()
    if body is None or not (kind.visible(user).filter(pk=body.pk).exists() or is_member(user, body)):
        raise Http404("No such body.")
    return body
