"""Events and their attendances (RSVPs), on grassroots.events.

An OSDI event is an events.Event; an attendance is an RSVP (``accepted`` while going,
``tentative`` on the waitlist, ``declined`` when cancelled) with ``attended`` true once the person
was checked in. Events are read through events.access and written through events.actions;
RSVPs name people, so they are listed only for people the token's user may see.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry, User
from grassroots.api import hal
from grassroots.api.odata import Field, dates
from grassroots.api.resources import people as people_resource
from grassroots.api.resources.common import ListQuery, page_of
from grassroots.api.schemas import (
    AttendanceIn,
    AttendanceOut,
    AttendancesOut,
    EventIn,
    EventOut,
    EventsOut,
    NoticeOut,
    RecordAttendanceIn,
)
from grassroots.api.server import audit, entry, require_write, route, user_of
from grassroots.events import access as event_access
from grassroots.events import actions as event_actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import RSVP, Attendance, Event
from grassroots.lib.moments import NotAMoment, read_moment
from grassroots.people.models import Person

Verb = AuditEntry.Verb
TAGS = ["events"]
FILTERS = {
    **dates("created_at", "updated_at"),
    "title": Field("title"),
    "start_date": Field("starts_at", "date"),
}
STATUS: dict[str, str] = {
    RSVP.Status.GOING: "accepted",
    RSVP.Status.WAITLISTED: "tentative",
    RSVP.Status.CANCELLED: "declined",
}


def when(value: str | None, field: str) -> datetime.datetime | None:
    """A date and time a client sent: ISO 8601, with a space or a T, a bare date, zone or none."""
    if not value:
        return None
    try:
        return read_moment(value)
    except NotAMoment as exc:
        raise ValidationError({field: f"“{value}” {exc}."}) from None


def event_json(request: HttpRequest, event: Event) -> dict[str, Any]:
    location = None
    if not event.online:
        location = {
            "venue": "",
            "address_lines": [event.address] if event.address else [],
            "locality": "",
            "region": "",
            "postal_code": "",
            "country": "US",
            "location": {"latitude": event.lat, "longitude": event.lon} if event.lat is not None else None,
        }
    return {
        **hal.stamp(event.public_id, event.created_at, event.updated_at),
        "title": event.title,
        "name": event.slug,
        "description": event.description,
        "start_date": hal.osdi_date(event.starts_at),
        "end_date": hal.osdi_date(event.ends_at),
        "status": "cancelled" if event.is_cancelled else "confirmed",
        "type": "open" if event.capacity is None else "limited",
        "visibility": "public" if event.listed else "private",
        "capacity": event.capacity,
        "total_accepted": getattr(event, "going", None)
        or event.rsvps.filter(status=RSVP.Status.GOING).count(),
        "browser_url": request.build_absolute_uri(f"/e/{event.slug}/"),
        "location": location,
        "_links": {
            "self": hal.href(request, "events", event.public_id),
            "osdi:attendances": hal.href(request, "events", event.public_id, "attendances"),
            "osdi:record_attendance_helper": hal.href(
                request, "events", event.public_id, "record_attendance_helper"
            ),
        },
    }


def _event(request: HttpRequest, event_id: str, *, write: bool = False) -> Event:
    user = require_write(request) if write else user_of(request)
    return event_access.access_event(user, event_id, write=write)


def _data(body: EventIn, event: Event | None, user: User) -> event_actions.EventData:
    starts = when(body.start_date, "start_date") or (event.starts_at if event else None)
    if starts is None:
        raise ValidationError({"start_date": "Give the date and time the event starts."})
    ends = when(body.end_date, "end_date")
    if ends is None:
        ends = event.ends_at if event and not body.start_date else starts + datetime.timedelta(hours=2)
    address = event.address if event else ""
    lat, lon = (event.lat, event.lon) if event else (None, None)
    if body.location is not None:
        loc = body.location
        place = " ".join(p for p in (loc.region, loc.postal_code) if p)
        address = ", ".join(p for p in (loc.venue or "", *loc.address_lines, loc.locality, place) if p)
        coords = loc.location or {}
        lat, lon = coords.get("latitude", lat), coords.get("longitude", lon)
    title = (body.title or body.name or (event.title if event else "")).strip()
    return event_actions.EventData(
        title=title,
        starts_at=starts,
        ends_at=ends,
        kind=event.kind if event else Event.Kind.ORGANIZING_MEETING,
        description=body.description
        if body.description is not None
        else (event.description if event else ""),
        online=event.online if event else False,
        link=event.link if event else "",
        address=address,
        area=event.area if event else people_resource._filing_area(user),
        lat=lat if isinstance(lat, float | int) else None,
        lon=lon if isinstance(lon, float | int) else None,
        capacity=body.capacity if body.capacity is not None else (event.capacity if event else None),
        listed=(body.visibility != "private") if body.visibility else (event.listed if event else True),
        consent_wording=event.consent_wording if event else "",
        hosts=list(event.hosts.all()) if event else [user],
        host_people=list(event.host_people.all()) if event else [],
        sponsors=[s.name for s in event.sponsors.all()] if event else [],
    )


@route(["GET"], "/events", response=EventsOut, summary="List events", tags=TAGS)
def list_events(request: HttpRequest, params: Query[ListQuery]) -> dict[str, Any]:
    events = event_access.events_visible_to(user_of(request)).order_by("id")
    page = page_of(events, params, FILTERS)
    return hal.collection(request, "events", page, lambda e: event_json(request, e), "events")


@route(["GET"], "/events/{event_id}", response=EventOut, summary="Read an event", tags=TAGS)
def get_event(request: HttpRequest, event_id: str) -> dict[str, Any]:
    return event_json(request, _event(request, event_id))


@route(["POST"], "/events", response=EventOut, summary="Add an event", tags=TAGS)
def create_event(request: HttpRequest, body: EventIn) -> dict[str, Any]:
    user = require_write(request)
    event = event_actions.do_create_event(user, _data(body, None, user))
    return event_json(request, event)


@route(["PUT"], "/events/{event_id}", response=EventOut, summary="Change an event", tags=TAGS)
def update_event(request: HttpRequest, event_id: str, body: EventIn) -> dict[str, Any]:
    user = require_write(request)
    event = _event(request, event_id, write=True)
    event = event_actions.do_update_event(user, event, _data(body, event, user))
    return event_json(request, event)


@route(["DELETE"], "/events/{event_id}", response=NoticeOut, summary="Cancel an event", tags=TAGS)
def delete_event(request: HttpRequest, event_id: str) -> dict[str, str]:
    """An event with RSVPs is history: it is cancelled, not deleted."""
    user = require_write(request)
    event_actions.do_cancel_event(user, _event(request, event_id, write=True))
    return {"notice": "This event was cancelled."}


# Attendances


def attendance_json(request: HttpRequest, rsvp: RSVP) -> dict[str, Any]:
    return {
        **hal.stamp(rsvp.public_id, rsvp.created_at, rsvp.updated_at),
        "status": STATUS.get(rsvp.status, "accepted"),
        "attended": bool(getattr(rsvp, "came", None)),
        "action_date": hal.osdi_date(rsvp.created_at),
        "referrer_data": {"source": rsvp.source},
        "_links": {
            "self": hal.href(request, "events", rsvp.event.public_id, "attendances", rsvp.public_id),
            "osdi:event": hal.href(request, "events", rsvp.event.public_id),
            "osdi:person": hal.href(request, "people", rsvp.person.public_id),
        },
    }


def _rsvps(request: HttpRequest) -> Any:
    from django.db.models import Exists, OuterRef

    people = access.people_visible_to(user_of(request))
    came = Attendance.objects.filter(event=OuterRef("event"), person=OuterRef("person"))
    return (
        RSVP.objects.filter(person__in=people.values("pk"))
        .select_related("event", "person")
        .annotate(came=Exists(came))
        .order_by("id")
    )


ATTENDANCE_FILTERS = {**dates("created_at", "updated_at"), "status": Field("status")}


@route(
    ["GET"],
    "/events/{event_id}/attendances",
    response=AttendancesOut,
    summary="An event's attendances",
    tags=TAGS,
)
def list_attendances(request: HttpRequest, event_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    event = _event(request, event_id)
    page = page_of(_rsvps(request).filter(event=event), params, ATTENDANCE_FILTERS)
    audit(
        request,
        Verb.VIEW,
        "person",
        "",
        event=str(event.public_id),
        shown=[str(r.person.public_id) for r in page.items],
    )
    return hal.collection(
        request, "attendances", page, lambda r: attendance_json(request, r), "events", event_id, "attendances"
    )


@route(
    ["GET"],
    "/people/{person_id}/attendances",
    response=AttendancesOut,
    summary="A person's attendances",
    tags=TAGS,
)
def list_person_attendances(request: HttpRequest, person_id: str, params: Query[ListQuery]) -> dict[str, Any]:
    person = access.access_person(user_of(request), person_id)
    page = page_of(_rsvps(request).filter(person=person), params, ATTENDANCE_FILTERS)
    audit(request, Verb.VIEW, "person", person.public_id, what="attendances")
    return hal.collection(
        request,
        "attendances",
        page,
        lambda r: attendance_json(request, r),
        "people",
        person_id,
        "attendances",
    )


def _attendance(request: HttpRequest, event_id: str, attendance_id: str) -> RSVP:
    rsvp = (
        _rsvps(request)
        .filter(event=_event(request, event_id), public_id=access.parse_public_id(attendance_id))
        .first()
    )
    if rsvp is None:
        raise Http404("No such attendance.")
    return rsvp


@route(
    ["GET"],
    "/events/{event_id}/attendances/{attendance_id}",
    response=AttendanceOut,
    summary="Read an attendance",
    tags=TAGS,
)
def get_attendance(request: HttpRequest, event_id: str, attendance_id: str) -> dict[str, Any]:
    rsvp = _attendance(request, event_id, attendance_id)
    audit(request, Verb.VIEW, "person", rsvp.person.public_id, attendance=str(rsvp.public_id))
    return attendance_json(request, rsvp)


def arrival_of(person: Person) -> Arrival:
    """A person we hold, as the events app's matching reads someone who arrives."""
    email = person.emails.first()
    phone = person.phones.first()
    return Arrival(
        person.first_name,
        person.last_name,
        email=email.address if email else "",
        phone=phone.number if phone else "",
    )


def _rsvp(request: HttpRequest, event: Event, person: Person, status: str | None) -> RSVP:
    """Take the RSVP of a person the token's user may see, as the events app takes one."""
    user = require_write(request)
    if person.emails.exists() or person.phones.exists():
        # The person named, not whoever their address matches first (an address may be shared).
        rsvp = event_actions.do_rsvp(event, arrival_of(person), source="api", actor=user, person=person).rsvp
    else:
        raise ValidationError({"person": "The person needs an email address or a phone number to RSVP."})
    if status == "declined":
        event_actions.do_cancel_rsvp(user, rsvp)
    return _rsvps(request).get(pk=rsvp.pk)


@route(
    ["POST"], "/events/{event_id}/attendances", response=AttendanceOut, summary="Record an RSVP", tags=TAGS
)
def create_attendance(request: HttpRequest, event_id: str, body: AttendanceIn) -> dict[str, Any]:
    user = require_write(request)
    event = _event(request, event_id)
    person_id = hal.linked_id(body.links, "osdi:person")
    if not person_id:
        raise ValidationError({"_links.osdi:person": "Link the person who RSVPs (osdi:person)."})
    person = access.access_person(user, person_id, write=True)
    return attendance_json(request, _rsvp(request, event, person, body.status))


@route(
    ["PUT"],
    "/events/{event_id}/attendances/{attendance_id}",
    response=AttendanceOut,
    summary="Change an RSVP",
    tags=TAGS,
)
def update_attendance(
    request: HttpRequest, event_id: str, attendance_id: str, body: AttendanceIn
) -> dict[str, Any]:
    user = require_write(request)
    rsvp = _attendance(request, event_id, attendance_id)
    access.access_person(user, rsvp.person.public_id, write=True)
    if body.status == "declined" and rsvp.status != RSVP.Status.CANCELLED:
        event_actions.do_cancel_rsvp(user, rsvp)
    elif body.status in {"accepted", "tentative"} and rsvp.status == RSVP.Status.CANCELLED:
        event_actions.do_rsvp(rsvp.event, arrival_of(rsvp.person), source="api", actor=user)
    return attendance_json(request, _rsvps(request).get(pk=rsvp.pk))


@route(
    ["POST"],
    "/events/{event_id}/record_attendance_helper",
    response=AttendanceOut,
    summary="Record attendance helper: a person and their RSVP",
    tags=TAGS,
)
def record_attendance_helper(request: HttpRequest, event_id: str, body: RecordAttendanceIn) -> dict[str, Any]:
    event = _event(request, event_id)
    person = people_resource.signup(request, body.person, body.add_tags, [])
    return attendance_json(request, _rsvp(request, event, person, body.status))


people_resource.PERSON_RELS.append("attendances")
entry("events", "events", "The collection of events in the system")
