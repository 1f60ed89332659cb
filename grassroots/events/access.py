"""Who may see and run which events and forms — built on the one gate, accounts.access.

* An event or a form is not personal data: any signed-in user sees those of the areas in their
  scope, those with no area (a city-wide or online event) and those they host or made.
* The people in it (RSVPs, attendance, sign-ups, submissions) are personal data: pages list only
  those ``people_visible_to`` lets the user see, and count the rest.
* Running an event (editing it, the kiosk, the agenda, exports) takes a role that may change
  people with the event's area in scope, or hosting or having made the event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from grassroots.accounts import access
from grassroots.events.models import RSVP, Event, Project, SignupForm
from grassroots.people.models import Person

if TYPE_CHECKING:
    from grassroots.accounts.access import AnyUser


def _signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def events_visible_to(user: AnyUser) -> QuerySet[Event]:
    if not _signed_in(user):
        return Event.objects.none()
    if access.scope_paths(user) is access.ALL:
        return Event.objects.all()
    mine = Q(area__isnull=True) | Q(area__in=access.areas_in_scope(user))
    mine |= Q(created_by=user) | Q(hosts=user)
    return Event.objects.filter(pk__in=Event.objects.filter(mine).values("pk"))


def can_run(user: AnyUser, event: Event | SignupForm) -> bool:
    if not _signed_in(user):
        return False
    if access.scope_paths(user) is access.ALL:
        return True
    if event.created_by_id is not None and event.created_by_id == user.pk:
        return True
    if isinstance(event, Event) and event.hosts.filter(username=user.get_username()).exists():
        return True
    if not getattr(user, "can_edit_people", False):
        return False
    return event.area is None or access.area_in_scope(user, event.area)


def access_event(user: AnyUser, public_id: object, *, write: bool = False) -> Event:
    """The event if the user may see it, else Http404; ``write`` also needs ``can_run``."""
    uid = access.parse_public_id(public_id)
    event = events_visible_to(user).select_related("area").filter(public_id=uid).first()
    if event is None:
        raise Http404("No such event.")
    if write and not can_run(user, event):
        raise PermissionDenied("You do not run this event.")
    return event


def access_rsvp(user: AnyUser, public_id: object) -> RSVP:
    """An RSVP to change: its event must be the user's to run and its person visible."""
    uid = access.parse_public_id(public_id)
    rsvp = (
        RSVP.objects.filter(
            public_id=uid,
            event__in=events_visible_to(user),
            person__in=access.people_visible_to(user),
        )
        .select_related("event", "person")
        .first()
    )
    if rsvp is None:
        raise Http404("No such RSVP.")
    if not can_run(user, rsvp.event):
        raise PermissionDenied("You do not run this event.")
    return rsvp


def access_project(user: AnyUser, public_id: object, *, write: bool = False) -> Project:
    uid = access.parse_public_id(public_id)
    project = (
        Project.objects.filter(public_id=uid, event__in=events_visible_to(user))
        .select_related("event__area", "sponsor")
        .first()
    )
    if project is None:
        raise Http404("No such project.")
    if write and not can_run(user, project.event):
        raise PermissionDenied("You do not run this event.")
    return project


def forms_visible_to(user: AnyUser) -> QuerySet[SignupForm]:
    if not _signed_in(user):
        return SignupForm.objects.none()
    if access.scope_paths(user) is access.ALL:
        return SignupForm.objects.all()
    mine = Q(area__isnull=True) | Q(area__in=access.areas_in_scope(user)) | Q(created_by=user)
    return SignupForm.objects.filter(mine)


def access_form(user: AnyUser, public_id: object, *, write: bool = False) -> SignupForm:
    uid = access.parse_public_id(public_id)
    form = forms_visible_to(user).select_related("area").filter(public_id=uid).first()
    if form is None:
        raise Http404("No such form.")
    if write and not can_run(user, form):
        raise PermissionDenied("You do not run this form.")
    return form


def people_brought_by(user: AnyUser, person: Person) -> list[Person]:
    """The people this person brought through their share links (RSVPs and forms) that the user may see."""
    referred = Q(rsvps__referred_by=person) | Q(form_submissions__referred_by=person)
    people = access.people_visible_to(user).filter(referred).distinct()
    return list(people.order_by("last_name", "first_name")[:100])
