"""Who may read and change the ladder, the queue and education — built on the one gate, accounts.access.

* Stages and rules are the organization's settings: every signed-in user may read them (the
  person's page names their stage); administrators and organizers change them.
* Queue items name people: a user sees the items of the people ``people_visible_to`` lets them
  see, and nothing else; editors of those people may assign them and mark them done.
* Curricula and sessions are not personal data; reading groups (which meet in homes) are seen
  in the areas of one's scope, and the progress lists show only visible people. Editors run them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.accounts import access
from grassroots.accounts.models import Role
from grassroots.ladder.models import Curriculum, QueueItem, ReadingGroup, Rule, Session, Spell, Stage

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def can_edit_ladder(user: AnyUser) -> bool:
    """The ladder decides everyone's stage and queue: administrators and organizers only."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) in {Role.ADMIN, Role.ORGANIZER})
    )


def can_run_education(user: AnyUser) -> bool:
    return bool(getattr(user, "can_edit_people", False))


M = TypeVar("M", Stage, Rule, Curriculum, Session, ReadingGroup)


def _find(user: AnyUser, queryset: QuerySet[M], public_id: object, what: str) -> M:
    """A settings-like record (not personal data) by public id, for any signed-in user, else Http404."""
    if not user.is_authenticated or not user.is_active:
        raise Http404(f"No such {what}.")
    found = queryset.filter(public_id=access.parse_public_id(public_id)).first()
    if found is None:
        raise Http404(f"No such {what}.")
    return found


def access_stage(user: AnyUser, public_id: object, *, write: bool = False) -> Stage:
    stage = _find(user, Stage.objects.all(), public_id, "stage")
    if write and not can_edit_ladder(user):
        raise PermissionDenied("Only organizers change the ladder.")
    return stage


def access_rule(user: AnyUser, public_id: object, *, write: bool = False) -> Rule:
    rule = _find(user, Rule.objects.select_related("stage"), public_id, "rule")
    if write and not can_edit_ladder(user):
        raise PermissionDenied("Only organizers change the ladder.")
    return rule


def spells_visible_to(user: AnyUser) -> QuerySet[Spell]:
    return Spell.objects.filter(person__in=access.people_visible_to(user).values("pk"))


def queue_visible_to(user: AnyUser) -> QuerySet[QueueItem]:
    return QueueItem.objects.filter(person__in=access.people_visible_to(user).values("pk"))


def access_item(user: AnyUser, public_id: object) -> QueueItem:
    """A queue item of a person the user may see and change, else Http404 / PermissionDenied."""
    uid = access.parse_public_id(public_id)
    item = queue_visible_to(user).select_related("person", "assignee").filter(public_id=uid).first()
    if item is None:
        raise Http404("No such follow-up.")
    if not getattr(user, "can_edit_people", False):
        raise PermissionDenied("Your role may not work the follow-up queue.")
    return item


def access_curriculum(user: AnyUser, public_id: object, *, write: bool = False) -> Curriculum:
    curriculum = _find(user, Curriculum.objects.all(), public_id, "curriculum")
    if write and not can_run_education(user):
        raise PermissionDenied("Your role may not change curricula.")
    return curriculum


def access_session(user: AnyUser, public_id: object, *, write: bool = False) -> Session:
    session = _find(user, Session.objects.select_related("curriculum"), public_id, "session")
    if write and not can_run_education(user):
        raise PermissionDenied("Your role may not change curricula.")
    return session


def groups_visible_to(user: AnyUser) -> QuerySet[ReadingGroup]:
    """Reading groups meet in homes and halls: those of the user's areas, and, for the people who run
    education, those not tied to an area."""
    if not user.is_authenticated or not user.is_active:
        return ReadingGroup.objects.none()
    if access.scope_paths(user) is access.ALL:
        return ReadingGroup.objects.all()
    visible = Q(area__in=access.areas_in_scope(user))
    if can_run_education(user):
        visible |= Q(area__isnull=True)
    return ReadingGroup.objects.filter(visible)


def access_group(user: AnyUser, public_id: object, *, write: bool = False) -> ReadingGroup:
    groups = groups_visible_to(user).select_related("session__curriculum", "area", "meeting", "event")
    group = _find(user, groups, public_id, "reading group")
    if write and not can_run_education(user):
        raise PermissionDenied("Your role may not record reading groups.")
    return group
