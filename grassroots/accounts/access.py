"""The one gate to personal data.

Every read of a person, a household or anything that names one starts here:
``people_visible_to(user)`` for lists, ``access_person(user, public_id)`` for one
person. A user sees the people living inside the areas of their scope (with all
the areas inside those); an administrator sees everyone; anyone else sees no one.
Views, exports and the API all go through these functions.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.http import Http404

from grassroots.accounts.models import Role
from grassroots.people.models import Person
from grassroots.places.models import Area, Household

if TYPE_CHECKING:
    from grassroots.accounts.models import User

    AnyUser = User | AnonymousUser

ALL = None  # scope_paths() result for a user who sees everything


def acting_person_id(user: AnyUser) -> Combinable | None:
    """The person a user acts as, whose roles in committees are theirs, as an expression for a
    filter (None: no linked person; acting_person gives the record). Their own record, or the
    survivor it was merged into: when both records had a login, the merged-away one keeps its
    own (people.merge), while its memberships moved to the survivor. Merges point straight at
    the survivor, so one step is enough."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    survivor = Person.objects.filter(pk=person_id).values("merged_into_id")[:1]
    return Coalesce(Subquery(survivor), Value(person_id))


def acting_person(user: AnyUser) -> Person | None:
    """The person a user acts as (acting_person_id), as a record: their own, or its survivor."""
    person = getattr(user, "person", None)
    if person is not None and person.merged_into_id is not None:
        return person.merged_into
    return person


def acting_pk(user: AnyUser) -> int | None:
    """The primary key of the person a user acts as (acting_person). What a login does as a person
    (voting, writing, taking part) is done as this one, so that a login left on a merged-away
    record acts for the survivor its memberships moved to. Read once per user object (a request's
    user: checks of a list's items ask again and again), from its loaded person if it has one."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    known = user.__dict__.get("_acting_pk")
    if known is not None and known[0] == person_id:
        return int(known[1])
    state = getattr(user, "_state", None)  # a model's; AnonymousUser has none (nor a person)
    person = state.fields_cache.get("person") if state is not None else None
    if person is not None:
        survivor = person.merged_into_id
    else:
        survivor = Person.objects.filter(pk=person_id).values_list("merged_into_id", flat=True).first()
    user.__dict__["_acting_pk"] = (person_id, survivor or person_id)
    return survivor or person_id


def _committee_paths(user: User) -> list[str]:
    """The areas of the active committees the user's person coordinates or organizes today.

    Users without a linked person (most of them) cost no query. A list of users loaded with
    ``prefetch_related(committee_scope_prefetch())`` is read from the prefetch.
    """
    if user.person_id is None:
        return []
    state = getattr(user, "_state", None)  # a model's; AnonymousUser has none (nor a person)
    person = state.fields_cache.get("person") if state is not None else None
    leading = getattr(person, "leading_memberships", None) if person is not None else None
    if leading is not None and person is not None and person.merged_into_id is None:
        return [m.committee.area.path for m in leading if m.committee.area_id is not None]
    from grassroots.committees.models import LEADING_ROLES, current_on

    acting: Any = acting_person_id(user)  # an expression (the stubs expect a value)
    return list(
        Area.objects.filter(
            current_on(prefix="committees__memberships__"),
            committees__memberships__person_id=acting,
            committees__memberships__role__in=LEADING_ROLES,
            committees__dissolved_on__isnull=True,
            committees__archived_at__isnull=True,
        ).values_list("path", flat=True)
    )


def committee_scope_prefetch() -> Prefetch:
    """Prefetch for a list of users whose scopes will be read: their committees' areas, in one query."""
    from grassroots.committees.models import LEADING_ROLES, Membership, current_on

    leading = Membership.objects.filter(
        current_on(),
        role__in=LEADING_ROLES,
        committee__dissolved_on__isnull=True,
        committee__archived_at__isnull=True,
    ).select_related("committee__area")
    return Prefetch("person__memberships", queryset=leading, to_attr="leading_memberships")


def scope_paths(user: AnyUser) -> list[str] | None:
    """The area paths a user may see inside, or ALL (None) for administrators.

    The scope is the user's own areas and the areas of the committees they coordinate today
    (committees.models.LEADING_ROLES): a building's coordinator sees their building, and stops
    seeing it the day they leave the role or the committee is archived.
    """
    if not user.is_authenticated or not user.is_active:
        return []
    assert not isinstance(user, AnonymousUser)
    if user.is_superuser or user.role == Role.ADMIN:
        return ALL
    cached: list[str] | None = getattr(user, "_scope_paths", None)
    if cached is None:
        prefetched = getattr(user, "_prefetched_objects_cache", {}).get("scope")
        if prefetched is not None:  # a list of users loaded with prefetch_related("scope")
            paths = sorted(area.path for area in prefetched)
        else:
            paths = sorted(user.scope.values_list("path", flat=True))
        paths = sorted({*paths, *_committee_paths(user)})
        # Drop paths inside another scope path: the prefix query needs only the outermost.
        cached = [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]
        user._scope_paths = cached  # type: ignore[attr-defined]  # per-request memo
    return cached


def _within(field: str, paths: list[str]) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


def _scoped(queryset: QuerySet[Any], user: AnyUser, field: str) -> QuerySet[Any]:
    paths = scope_paths(user)
    if paths is ALL:
        return queryset
    if not paths:
        return queryset.none()
    relation, _, last = field.rpartition("__")
    if relation and last == "path":
        # The areas as a subquery, not a join: a list of 100,000 people is then checked against
        # a handful of area ids from an index, rather than joined to its area row by row.
        areas = Area.objects.filter(_within("path", paths)).values("pk")
        return queryset.filter(**{f"{relation}__in": areas})
    return queryset.filter(_within(field, paths))


def people_visible_to(user: AnyUser) -> QuerySet[Person]:
    """The people this user may see (merged-away records excluded)."""
    return _scoped(Person.objects.filter(merged_into__isnull=True), user, "area__path")


def households_visible_to(user: AnyUser) -> QuerySet[Household]:
    return _scoped(Household.objects.all(), user, "area__path")


def area_in_scope(user: AnyUser, area: Area) -> bool:
    paths = scope_paths(user)
    if paths is ALL:
        return True
    return any(area.path.startswith(p) for p in paths or [])


def areas_in_scope(user: AnyUser) -> QuerySet[Area]:
    """The areas a user may file people under: their scope areas and all inside them."""
    return _scoped(Area.objects.all(), user, "path")


def parse_public_id(value: object) -> uuid.UUID:
    """A UUID from a URL or form, or Http404: a malformed id is just a page that does not exist."""
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise Http404("No such record.") from exc


def access_person(user: AnyUser, public_id: object, *, write: bool = False) -> Person:
    """The person with this public id if the user may see them, else Http404.

    A merged-away id leads to the survivor. ``write=True`` also requires a role
    that may change people (PermissionDenied otherwise, since the user can see them).
    """
    uid = parse_public_id(public_id)
    everyone = _scoped(Person.objects.select_related("area", "household"), user, "area__path")
    person = everyone.filter(public_id=uid).first()
    seen: set[int] = set()
    while person is not None and person.merged_into_id is not None and person.pk not in seen:
        seen.add(person.pk)
        person = everyone.filter(pk=person.merged_into_id).first()
    if person is None:
        raise Http404("No such person.")
    if write and not getattr(user, "can_edit_people", False):
        raise PermissionDenied("Your role may not change people.")
    return person


def access_area(user: AnyUser, public_id: object) -> Area:
    """An area by public id. Geography is not personal data: every signed-in user may see it."""
    if not user.is_authenticated:
        raise Http404("No such area.")
    uid = parse_public_id(public_id)
    area = Area.objects.filter(public_id=uid).first()
    if area is None:
        raise Http404("No such area.")
    return area


def voters_visible_to(user: AnyUser) -> QuerySet[Any]:
    """Voter records of the people living inside the user's scope."""
    from grassroots.voters.models import VoterRecord

    return _scoped(VoterRecord.objects.all(), user, "area__path")


def access_voter(user: AnyUser, public_id: object) -> Any:
    uid = parse_public_id(public_id)
    record = (
        voters_visible_to(user).select_related("household", "person", "area").filter(public_id=uid).first()
    )
    if record is None:
        raise Http404("No such voter.")
    return record


def may_read_import_rows(user: AnyUser, job: Any) -> bool:
    """Whether the user may read an import's rows (its error report quotes them).

    A file's rows name whoever the file holds, wherever they live, and an import has no area: only
    the user who imported the file and those who see everyone read them back. Other organizers see
    the job's progress and counts.
    """
    if not can_import(user):
        return False
    return scope_paths(user) is ALL or (job.created_by_id is not None and job.created_by_id == user.pk)


def can_import(user: AnyUser) -> bool:
    """Importing voter files touches everyone in them: administrators and organizers only."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or getattr(user, "role", None) in {Role.ADMIN, Role.ORGANIZER})
    )
