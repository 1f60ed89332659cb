"""Every write of events: create and cancel them, RSVPs and the waitlist, check-ins, agendas, forms.

Each function runs in one transaction and writes its audit entry. The public ones (an RSVP, a form
submission) take no actor: the person signs themselves up. RSVPs lock their event's row, so two
people sending the form at once cannot both take the last seat, and one email sent twice at once
still makes one RSVP.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from grassroots.accounts import access
from grassroots.accounts.audit import record_audit
from grassroots.accounts.models import AuditEntry, User
from grassroots.events.access import can_run
from grassroots.events.arrivals import Arrival, person_for_arrival
from grassroots.events.models import (
    ATTENDED_ACTION,
    MEMBERSHIP_ACTION,
    PROJECT_ACTION,
    RSVP,
    RSVP_ACTION,
    AgendaItem,
    Attendance,
    Event,
    FormQuestion,
    Project,
    ProjectSignup,
    ReferralCode,
    Shift,
    SignupForm,
    Sponsor,
    Submission,
)
from grassroots.events.reminders import notify_promoted
from grassroots.people.actions import do_record_action
from grassroots.people.models import Person
from grassroots.places.models import Area

Verb = AuditEntry.Verb


class SignupClosed(ValidationError):
    """An RSVP or a submission that cannot be taken: the event is past or cancelled, the form closed."""


def default_consent_wording() -> str:
    return _(
        "I agree to receive emails about this and other events and campaigns. I can ask to stop at any time."
    )


def new_slug(title: str, model: type[Event] | type[SignupForm]) -> str:
    """A readable slug with a random tail, so unlisted pages cannot be found by guessing titles."""
    base = slugify(title)[:60].strip("-") or "page"
    while True:
        slug = f"{base}-{secrets.token_hex(3)}"
        if not model.objects.filter(slug=slug).exists():
            return slug


def _check_runs(actor: User, thing: Event | SignupForm) -> None:
    if not can_run(actor, thing):
        raise ValidationError(_("You do not run %(name)s.") % {"name": thing.title})


def _check_area(actor: User, area: Area | None) -> None:
    if area is None:
        if not getattr(actor, "can_edit_people", False):
            raise ValidationError(_("Your role may not make events."))
    elif not access.area_in_scope(actor, area):
        raise ValidationError(_("%(area)s is outside the areas you work in.") % {"area": area.name})


# --- events ------------------------------------------------------------------------------------


@dataclass
class EventData:
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    kind: str = Event.Kind.ORGANIZING_MEETING
    description: str = ""
    online: bool = False
    link: str = ""
    address: str = ""
    area: Area | None = None
    lat: float | None = None
    lon: float | None = None
    capacity: int | None = None
    listed: bool = True
    consent_wording: str = ""
    hosts: Sequence[User] = ()
    host_people: Sequence[Person] = ()
    sponsors: Sequence[str] = ()  # names; new ones are added


def _validate(data: EventData) -> None:
    if not data.title.strip():
        raise ValidationError(_("Give the event a title."))
    if data.ends_at < data.starts_at:
        raise ValidationError(_("The event ends before it starts."))
    if data.online and not data.link:
        raise ValidationError(_("An online event needs the link people join by."))
    if not data.online and not data.address.strip():
        raise ValidationError(_("An event in person needs an address."))


def _apply(event: Event, data: EventData) -> None:
    event.title = data.title.strip()[:200]
    event.kind, event.description = data.kind, data.description.strip()
    event.starts_at, event.ends_at = data.starts_at, data.ends_at
    event.online, event.link = data.online, data.link if data.online else ""
    event.address = "" if data.online else data.address.strip()
    event.area, event.lat, event.lon = data.area, data.lat, data.lon
    event.capacity, event.listed = data.capacity, data.listed
    event.consent_wording = data.consent_wording.strip() or default_consent_wording()


def _set_people(actor: User, event: Event, data: EventData) -> None:
    visible = access.people_visible_to(actor)
    for person in data.host_people:
        if not visible.filter(pk=person.pk).exists():
            raise ValidationError(_("That person is outside the areas you work in."))
    event.hosts.set(data.hosts)
    event.host_people.set(data.host_people)
    names = [n.strip()[:200] for n in data.sponsors if n.strip()]
    event.sponsors.set([Sponsor.objects.get_or_create(name=name)[0] for name in dict.fromkeys(names)])


@transaction.atomic
def do_create_event(actor: User, data: EventData) -> Event:
    _check_area(actor, data.area)
    _validate(data)
    event = Event(slug=new_slug(data.title, Event), created_by=actor)
    _apply(event, data)
    event.save()
    _set_people(actor, event, data)
    record_audit(actor, Verb.CREATE, "event", event.public_id, title=event.title)
    return event


@transaction.atomic
def do_update_event(actor: User, event: Event, data: EventData) -> Event:
    _check_runs(actor, event)
    if data.area is not None and data.area != event.area:
        _check_area(actor, data.area)
    _validate(data)
    before = {"title": event.title, "starts_at": event.starts_at.isoformat(), "capacity": event.capacity}
    _apply(event, data)
    event.save()
    _set_people(actor, event, data)
    record_audit(actor, Verb.UPDATE, "event", event.public_id, before=before)
    _promote(event)  # more seats may have opened
    return event


@transaction.atomic
def do_add_host(actor: User, event: Event, person: Person) -> Event:
    """A person of the movement (not a user) who hosts the event: named to organizers as its host."""
    _check_runs(actor, event)
    if not access.people_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError(_("That person is outside the areas you work in."))
    event.host_people.add(person)
    record_audit(actor, Verb.UPDATE, "event", event.public_id, host=str(person.public_id))
    return event


@transaction.atomic
def do_cancel_event(actor: User, event: Event) -> Event:
    _check_runs(actor, event)
    event.status, event.cancelled_at = Event.Status.CANCELLED, timezone.now()
    event.save(update_fields=["status", "cancelled_at"])
    record_audit(actor, Verb.UPDATE, "event", event.public_id, status=event.status)
    return event


@transaction.atomic
def do_add_shift(
    actor: User,
    event: Event,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    *,
    title: str = "",
    capacity: int | None = None,
) -> Shift:
    _check_runs(actor, event)
    if ends_at <= starts_at:
        raise ValidationError(_("The shift ends before it starts."))
    shift = Shift.objects.create(
        event=event, title=title.strip()[:200], starts_at=starts_at, ends_at=ends_at, capacity=capacity
    )
    record_audit(actor, Verb.UPDATE, "event", event.public_id, shift=str(shift))
    return shift


# --- RSVPs, referrals and the waitlist ---------------------------------------------------------


def referral_code_for(person: Person) -> str:
    """The person's share code, made the first time they are given a link to share."""
    return ReferralCode.objects.get_or_create(person=person)[0].code


def referrer(code: str) -> Person | None:
    code = (code or "").strip()[:16]
    if not code:
        return None
    found = ReferralCode.objects.filter(code=code).select_related("person__merged_into").first()
    if found is None:
        return None
    # The code of a record merged into another (people.merge leaves it there when the survivor has
    # a code of their own) credits the person it was merged into.
    return found.person.merged_into or found.person


def closed_reason(event: Event) -> str:
    """Why an event takes no RSVPs, in words for the visitor; empty while it is open."""
    if event.is_cancelled:
        return _("This event was cancelled, so it takes no more RSVPs.")
    if event.is_past:
        return _("This event is over, so it takes no more RSVPs.")
    return ""


def seats_left(event: Event, shift: Shift | None = None) -> int | None:
    """Free seats of the event (and of the shift, when given); None when nothing limits them."""
    going = event.rsvps.filter(status=RSVP.Status.GOING)
    limits = []
    if event.capacity is not None:
        limits.append(event.capacity - going.count())
    if shift is not None and shift.capacity is not None:
        limits.append(shift.capacity - going.filter(shift=shift).count())
    return max(0, min(limits)) if limits else None


def is_full(event: Event, shift: Shift | None = None) -> bool:
    return seats_left(event, shift) == 0


@dataclass
class RsvpOutcome:
    rsvp: RSVP
    created: bool  # False: this person had already answered (a repeat sent the same form again)
    new_person: bool


@transaction.atomic
def do_rsvp(
    event: Event,
    arrival: Arrival,
    *,
    shift: Shift | None = None,
    referral_code: str = "",
    source: str = "web",
    actor: User | None = None,
    person: Person | None = None,
) -> RsvpOutcome:
    """Take one RSVP: find or add the person, give a seat or a place on the waitlist, credit the referrer.

    ``person``: the person RSVPing, already known (the API names them); without it, the person
    the arrival's name and contacts match. Raises SignupClosed for a past or cancelled event.
    The same person answering again keeps their one RSVP (a cancelled one is taken up again,
    behind the waitlist if the event filled).
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    reason = closed_reason(event)
    if reason:
        raise SignupClosed(reason)
    if shift is not None and shift.event_id != event.pk:
        raise ValidationError(_("That shift is not part of this event."))
    if person is None:
        person, new_person = person_for_arrival(arrival, area=event.area, source=f"event:{event.slug}"[:100])
    else:
        new_person = False
    existing = RSVP.objects.filter(event=event, person=person).first()
    if existing is not None and existing.status != RSVP.Status.CANCELLED:
        return RsvpOutcome(existing, created=False, new_person=new_person)
    by = referrer(referral_code)
    if by is not None and by.pk == person.pk:
        by = None  # following one's own link brings no one
    status = RSVP.Status.WAITLISTED if is_full(event, shift) else RSVP.Status.GOING
    now = timezone.now()
    action = do_record_action(
        actor,
        person,
        RSVP_ACTION,
        area=event.area or person.area,
        source=source,
        details={
            "event": str(event.public_id),
            "title": event.title,
            "kind": event.kind,
            "status": status,
            "shift": str(shift.public_id) if shift else "",
            "referred_by": str(by.public_id) if by else "",
        },
    )
    fields: dict[str, Any] = {
        "shift": shift,
        "status": status,
        "referred_by": by,
        "source": source,
        "name": arrival.name[:200],
        "email": arrival.email,
        "phone": arrival.phone,
        "action": action,
        # When the RSVP was (last) taken up: a cancelled one taken up again joins the waitlist
        # behind those already waiting (_promote goes by it), not at the place it once had.
        "created_at": now,
        "updated_at": now,
    }
    if existing is not None:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.referred_by = existing.referred_by or by
        existing.save()
        rsvp = existing
    else:
        rsvp = RSVP.objects.create(event=event, person=person, **fields)
    record_audit(actor, Verb.CREATE, "rsvp", rsvp.public_id, event=str(event.public_id), status=status)
    return RsvpOutcome(rsvp, created=True, new_person=new_person)


def _promote(event: Event) -> list[RSVP]:
    """Give freed seats to the waitlist, first come first served (within each shift's own seats)."""
    promoted = []
    for rsvp in (
        event.rsvps.filter(status=RSVP.Status.WAITLISTED).select_related("shift").order_by("created_at", "id")
    ):
        if seats_left(event) == 0:
            break
        if is_full(event, rsvp.shift):
            continue
        rsvp.status, rsvp.updated_at = RSVP.Status.GOING, timezone.now()
        rsvp.save(update_fields=["status", "updated_at"])
        record_audit(None, Verb.UPDATE, "rsvp", rsvp.public_id, status=rsvp.status, promoted=True)
        promoted.append(rsvp)
    if promoted:
        ids = [r.pk for r in promoted]
        # Written to them once the seat is surely theirs: after the transaction commits.
        transaction.on_commit(lambda: notify_promoted(ids))
    return promoted


@transaction.atomic
def do_cancel_rsvp(actor: User | None, rsvp: RSVP) -> list[RSVP]:
    """Cancel an RSVP (the person's own link, or an organizer) and promote from the waitlist.

    Returns the RSVPs that moved from the waitlist into the freed seat(s).
    """
    event = Event.objects.select_for_update().get(pk=rsvp.event_id)
    if actor is not None:
        _check_runs(actor, event)
    rsvp = RSVP.objects.get(pk=rsvp.pk)
    if rsvp.status == RSVP.Status.CANCELLED:
        return []
    was_going = rsvp.status == RSVP.Status.GOING
    rsvp.status, rsvp.updated_at = RSVP.Status.CANCELLED, timezone.now()
    rsvp.save(update_fields=["status", "updated_at"])
    record_audit(actor, Verb.UPDATE, "rsvp", rsvp.public_id, status=rsvp.status)
    return _promote(event) if was_going else []


# --- the door ----------------------------------------------------------------------------------


@dataclass
class CheckIn:
    person: Person
    attendance: Attendance
    already: bool  # signed in before: nothing new recorded
    walk_in: bool  # no RSVP
    new_person: bool
    projects: list[Project] = field(default_factory=list)
    name: str = ""  # the first name to greet them by (see do_check_in)


@transaction.atomic
def do_check_in(
    actor: User,
    event: Event,
    arrival: Arrival,
    *,
    projects: Iterable[Project] = (),
    membership: bool = False,
) -> CheckIn:
    """Sign one person in at the door: find them (or add a walk-in), record attendance as an Action.

    Ticked projects go on their sign-up sheets; ticking membership records a membership sign-up.
    Signing in twice records nothing twice.
    """
    _check_runs(actor, event)
    if event.is_cancelled:
        raise SignupClosed(_("This event was cancelled."))
    person, new_person = person_for_arrival(arrival, area=event.area, source=f"kiosk:{event.slug}"[:100])
    attendance = Attendance.objects.filter(event=event, person=person).first()
    rsvp = RSVP.objects.filter(event=event, person=person).exclude(status=RSVP.Status.CANCELLED).first()
    already = attendance is not None
    if attendance is None:
        action = do_record_action(
            actor,
            person,
            ATTENDED_ACTION,
            area=event.area or person.area,
            source="kiosk",
            details={
                "event": str(event.public_id),
                "title": event.title,
                "kind": event.kind,
                "rsvp": rsvp is not None,
            },
        )
        attendance = Attendance.objects.create(
            event=event, person=person, rsvp=rsvp, walk_in=rsvp is None, action=action, recorded_by=actor
        )
    joined = [p for p in projects if p.event_id == event.pk and _sign_up(actor, p, person)]
    if membership and not person.actions.filter(kind=MEMBERSHIP_ACTION).exists():
        do_record_action(
            actor,
            person,
            MEMBERSHIP_ACTION,
            area=event.area or person.area,
            source="kiosk",
            details={"event": str(event.public_id), "title": event.title},
        )
    record_audit(actor, Verb.UPDATE, "event", event.public_id, checked_in=str(person.public_id))
    # Anyone may sign themselves in, so the person found may be outside the areas of whoever runs
    # the tablet: greet them by the name typed, never by a name on record the actor may not see.
    shown = new_person or access.people_visible_to(actor).filter(pk=person.pk).exists()
    name = person.first_name if shown else arrival.first_name
    return CheckIn(person, attendance, already, attendance.walk_in, new_person, joined, name)


def _sign_up(actor: User | None, project: Project, person: Person) -> bool:
    if ProjectSignup.objects.filter(project=project, person=person).exists():
        return False
    action = do_record_action(
        actor,
        person,
        PROJECT_ACTION,
        area=project.event.area or person.area,
        source="events",
        details={"project": str(project.public_id), "name": project.name, "event": project.event.title},
    )
    ProjectSignup.objects.create(project=project, person=person, action=action)
    return True


@transaction.atomic
def do_sign_up_for_project(actor: User, project: Project, arrival: Arrival) -> Person:
    """A line written on a project's sign-up sheet, typed in by an organizer.

    A line matching someone on record outside the organizer's areas is refused (and nothing of
    theirs is written): typing an email address must not reveal or add to a record one may not see.
    """
    _check_runs(actor, project.event)
    person, new = person_for_arrival(arrival, area=project.event.area, source="project sheet")
    if not new and not access.people_visible_to(actor).filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s is on record outside the areas you work in: ask an organizer there to add them.")
            % {"name": arrival.name}
        )
    _sign_up(actor, project, person)
    record_audit(actor, Verb.UPDATE, "project", project.public_id, signed_up=str(person.public_id))
    return person


# --- organizing-meeting agendas ----------------------------------------------------------------


@transaction.atomic
def do_add_project(
    actor: User, event: Event, name: str, *, description: str = "", sponsor: str = ""
) -> Project:
    _check_runs(actor, event)
    if not name.strip():
        raise ValidationError(_("Give the project a name."))
    group = Sponsor.objects.get_or_create(name=sponsor.strip()[:200])[0] if sponsor.strip() else None
    project = Project.objects.create(
        event=event, name=name.strip()[:200], description=description.strip(), sponsor=group
    )
    record_audit(actor, Verb.CREATE, "project", project.public_id, event=str(event.public_id))
    return project


@transaction.atomic
def do_add_agenda_item(
    actor: User,
    event: Event,
    title: str,
    *,
    minutes: int = 5,
    presenter: Person | None = None,
    presenter_name: str = "",
    project: Project | None = None,
) -> AgendaItem:
    _check_runs(actor, event)
    if not title.strip():
        raise ValidationError(_("Give the agenda item a title."))
    if presenter is not None and not access.people_visible_to(actor).filter(pk=presenter.pk).exists():
        raise ValidationError(_("That person is outside the areas you work in."))
    if project is not None and project.event_id != event.pk:
        raise ValidationError(_("That project is not part of this event."))
    last = event.agenda.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        event=event,
        position=(last or 0) + 1,
        title=title.strip()[:300],
        minutes=max(1, min(minutes, 600)),
        presenter=presenter,
        presenter_name=(presenter.full_name if presenter else presenter_name.strip())[:200],
        project=project,
    )
    record_audit(actor, Verb.UPDATE, "event", event.public_id, agenda_item=item.title)
    return item


# --- forms and petitions -----------------------------------------------------------------------


@dataclass
class FormData:
    title: str
    kind: str = SignupForm.Kind.SIGNUP
    introduction: str = ""
    addressee: str = ""
    goal: int | None = None
    consent_wording: str = ""
    area: Area | None = None
    is_open: bool = True


@transaction.atomic
def do_create_form(actor: User, data: FormData) -> SignupForm:
    _check_area(actor, data.area)
    if not data.title.strip():
        raise ValidationError(_("Give the form a title."))
    form = SignupForm.objects.create(
        slug=new_slug(data.title, SignupForm),
        kind=data.kind,
        title=data.title.strip()[:200],
        introduction=data.introduction.strip(),
        addressee=data.addressee.strip()[:200],
        goal=data.goal,
        consent_wording=data.consent_wording.strip() or default_consent_wording(),
        area=data.area,
        is_open=data.is_open,
        created_by=actor,
    )
    record_audit(actor, Verb.CREATE, "form", form.public_id, title=form.title)
    return form


@transaction.atomic
def do_set_form_open(actor: User, form: SignupForm, is_open: bool) -> SignupForm:
    _check_runs(actor, form)
    form.is_open = is_open
    form.save(update_fields=["is_open"])
    record_audit(actor, Verb.UPDATE, "form", form.public_id, is_open=is_open)
    return form


@transaction.atomic
def do_add_question(
    actor: User,
    form: SignupForm,
    label: str,
    *,
    kind: str = FormQuestion.Kind.TEXT,
    choices: Sequence[str] = (),
    required: bool = False,
) -> FormQuestion:
    _check_runs(actor, form)
    if not label.strip():
        raise ValidationError(_("Write the question."))
    if kind not in FormQuestion.Kind.values:
        raise ValidationError(_("Choose the kind of answer."))
    options = [c.strip()[:200] for c in choices if c.strip()]
    if kind == FormQuestion.Kind.CHOICE and len(options) < 2:
        raise ValidationError(_("A question with choices needs at least two."))
    base = slugify(label)[:30].replace("-", "_") or "question"
    key, n = base, 1
    while form.questions.filter(key=key).exists():
        n += 1
        key = f"{base}_{n}"
    last = form.questions.order_by("-position").values_list("position", flat=True).first()
    question = FormQuestion.objects.create(
        form=form,
        position=(last or 0) + 1,
        key=key,
        label=label.strip()[:300],
        kind=kind,
        choices=options if kind == FormQuestion.Kind.CHOICE else [],
        required=required,
    )
    record_audit(actor, Verb.UPDATE, "form", form.public_id, question=question.key)
    return question


@dataclass
class SubmissionOutcome:
    submission: Submission
    created: bool
    new_person: bool


@transaction.atomic
def do_submit_form(
    form: SignupForm,
    arrival: Arrival,
    answers: Mapping[str, Any],
    *,
    referral_code: str = "",
    person: Person | None = None,
) -> SubmissionOutcome:
    """One public submission (a petition's signature): a matched person, an Action, one per person.

    ``person``: the person submitting, already known (the API names them); without it, the
    person the arrival matches."""
    form = SignupForm.objects.select_for_update().get(pk=form.pk)
    if not form.is_open:
        raise SignupClosed(_("This form is closed."))
    if person is None:
        person, new_person = person_for_arrival(arrival, area=form.area, source=f"form:{form.slug}"[:100])
    else:
        new_person = False
    existing = Submission.objects.filter(form=form, person=person).first()
    if existing is not None:
        return SubmissionOutcome(existing, created=False, new_person=new_person)
    by = referrer(referral_code)
    if by is not None and by.pk == person.pk:
        by = None
    action = do_record_action(
        None,
        person,
        form.action_kind,
        area=form.area or person.area,
        source="form",
        details={
            "form": str(form.public_id),
            "title": form.title,
            "answers": dict(answers),
            "referred_by": str(by.public_id) if by else "",
        },
    )
    submission = Submission.objects.create(
        form=form,
        person=person,
        answers=dict(answers),
        referred_by=by,
        name=arrival.name[:200],
        email=arrival.email,
        phone=arrival.phone,
        action=action,
    )
    record_audit(None, Verb.CREATE, "submission", submission.public_id, form=str(form.public_id))
    return SubmissionOutcome(submission, created=True, new_person=new_person)
