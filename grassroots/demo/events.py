"""The demo city's events: meetings that happened and meetings to come, with the people who came.

``create_demo_events(city)`` puts them in the demo coordinator's neighborhood:

* an organizing meeting three weeks ago: three groups presented their projects (the agenda, with
  minutes per item), neighbors RSVPed — many through a friend's share link — most came, a few
  walked in, some signed up for projects and as members at the door;
* a reading group two weeks ago, and the next one in five days (kind ``reading_group``: the
  education pages find them by kind);
* the next organizing meeting in ten days, with its agenda and RSVPs coming in through shares;
* a canvass launch with a morning and an afternoon shift, a door-knocking training that is full
  with people on its waitlist, and a social that was cancelled;
* a petition to the landlord with typed questions and signatures passed from friend to friend.

Everything goes through events.actions as the public pages and the kiosk would write it. An event
only takes RSVPs while it is ahead, so the past ones are written as they were, then moved to their
dates with their RSVP and attendance Actions, so the ladder reads a history that makes sense.
The same city gives the same events: people are drawn from a seeded generator in a fixed order.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from grassroots.accounts.models import User
from grassroots.events import actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import ATTENDED_ACTION, RSVP, RSVP_ACTION, Event, FormQuestion, SignupForm
from grassroots.people.models import Action, Person
from grassroots.places.models import Area, AreaKind, Household

CONSENT = "Yes, email me about this and other events of the tenants' movement. I can stop at any time."
PRESENTATIONS = (
    ("Heat and repairs campaign", "Brightwater Tenants Association", 12),
    ("Free tax clinic volunteers", "Eastbrook Community Center", 8),
    ("Warehouse workers' organizing drive", "Teamsters Local 804", 10),
)
OPENING = (("Welcome, and why we are here", 10), ("Breakouts by project: sign the sheets", 20))


@dataclass
class DemoEvents:
    events: list[Event] = field(default_factory=list)
    petition: SignupForm | None = None
    rsvps: int = 0
    attended: int = 0

    def summary(self) -> str:
        return (
            f"Scheduled {len(self.events)} events with {self.rsvps} RSVPs and {self.attended} sign-ins, "
            "and a petition."
        )


def _evening(days: int, hour: int = 19) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _arrival(person: Person, rng: random.Random) -> Arrival | None:
    """What this resident would type on the form, or None when they left us no way to find them."""
    email = next((e.address for e in person.emails.all()), "")
    phone = next((p.number for p in person.phones.all()), "")
    if not email and not phone:
        return None
    agrees = bool(email) and rng.random() < 0.7
    return Arrival(
        first_name=person.first_name,
        last_name=person.last_name,
        email=email,
        phone=phone,
        consents={"email": True} if agrees else {},
        consent_wording=CONSENT if agrees else "",
    )


class _Crowd:
    """The neighborhood's reachable residents, handed out in a seeded order, each once per event."""

    def __init__(self, hood: Area, rng: random.Random) -> None:
        people = list(
            Person.objects.filter(area__path__startswith=hood.path, merged_into__isnull=True)
            .prefetch_related("emails", "phones")
            .order_by("pk")[:1500]
        )
        rng.shuffle(people)
        self.rng = rng
        self.arrivals = [(p, a) for p in people if (a := _arrival(p, rng)) is not None]

    def sample(self, n: int) -> list[tuple[Person, Arrival]]:
        return self.rng.sample(self.arrivals, min(n, len(self.arrivals)))


def _rsvps(event: Event, crowd: list[tuple[Person, Arrival]], rng: random.Random) -> list[RSVP]:
    """RSVPs that spread: after the first few, most come through the link of someone already going."""
    made: list[RSVP] = []
    for i, (_person, arrival) in enumerate(crowd):
        code = ""
        if i >= 4 and rng.random() < 0.6:
            code = actions.referral_code_for(rng.choice(made[: max(4, i // 2)]).person)
        shift = rng.choice(list(event.shifts.all())) if event.shifts.exists() else None
        made.append(actions.do_rsvp(event, arrival, shift=shift, referral_code=code, source="web").rsvp)
    return made


def _into_the_past(event: Event, days_ago: int) -> None:
    """Move an event that took its RSVPs to its real date, with the RSVP Actions before it."""
    starts = _evening(-days_ago)
    length = event.ends_at - event.starts_at
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + length)
    event.refresh_from_db()
    for action in Action.objects.filter(kind=RSVP_ACTION, details__event=str(event.public_id)):
        action.occurred_at = starts - datetime.timedelta(days=1 + action.pk % 9)
        action.save(update_fields=["occurred_at"])
        RSVP.objects.filter(action=action).update(
            created_at=action.occurred_at, updated_at=action.occurred_at
        )


def _check_ins(
    organizer: User,
    event: Event,
    rsvps: list[RSVP],
    walk_ins: list[tuple[Person, Arrival]],
    rng: random.Random,
) -> int:
    projects = list(event.projects.all())
    came = [r for r in rsvps if r.status == RSVP.Status.GOING and rng.random() < 0.75]
    arrivals = [_arrival(r.person, rng) for r in came] + [a for _p, a in walk_ins]
    count = 0
    for arrival in arrivals:
        if arrival is None:
            continue
        joined = [p for p in projects if rng.random() < 0.3]
        actions.do_check_in(
            organizer, event, arrival, projects=joined, membership=bool(projects) and rng.random() < 0.2
        )
        count += 1
    moment = event.starts_at + datetime.timedelta(minutes=10)
    Action.objects.filter(kind=ATTENDED_ACTION, details__event=str(event.public_id)).update(
        occurred_at=moment
    )
    event.attendance.update(checked_in_at=moment)
    return count


def _organizing_meeting(organizer: User, hood: Area, where: Household | None, days: int, title: str) -> Event:
    event = _event(organizer, hood, where, title, Event.Kind.ORGANIZING_MEETING, days, hours=2, capacity=80)
    for item, minutes in OPENING[:1]:
        actions.do_add_agenda_item(organizer, event, item, minutes=minutes)
    for name, group, minutes in PRESENTATIONS:
        project = actions.do_add_project(organizer, event, name, sponsor=group)
        actions.do_add_agenda_item(
            organizer, event, name, minutes=minutes, presenter_name=group, project=project
        )
    for item, minutes in OPENING[1:]:
        actions.do_add_agenda_item(organizer, event, item, minutes=minutes)
    return event


def _event(
    organizer: User,
    hood: Area,
    where: Household | None,
    title: str,
    kind: str,
    days: int,
    *,
    hours: float = 2,
    hour: int = 19,
    capacity: int | None = None,
    description: str = "",
) -> Event:
    starts = _evening(max(days, 1), hour)
    data = actions.EventData(
        title=title,
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=hours),
        address=where.one_line if where else hood.name,
        area=hood,
        lat=where.lat if where and where.lat is not None else hood.centroid_lat,
        lon=where.lon if where and where.lon is not None else hood.centroid_lon,
        capacity=capacity,
        consent_wording=CONSENT,
        description=description,
        hosts=[organizer],
        sponsors=[group for _n, group, _m in PRESENTATIONS[:2]]
        if kind == Event.Kind.ORGANIZING_MEETING
        else [],
    )
    return actions.do_create_event(organizer, data)


def _petition(organizer: User, hood: Area, crowd: _Crowd, rng: random.Random) -> SignupForm:
    form = actions.do_create_form(
        organizer,
        actions.FormData(
            "Brightwater: fix the heat now",
            kind=SignupForm.Kind.PETITION,
            introduction="We, tenants of Brightwater Realty's buildings, demand heat and hot water.",
            addressee="Brightwater Realty",
            goal=100,
            consent_wording=CONSENT,
            area=hood,
        ),
    )
    actions.do_add_question(organizer, form, "Your building", kind=FormQuestion.Kind.TEXT)
    actions.do_add_question(organizer, form, "Was your heat out this winter?", kind=FormQuestion.Kind.YES_NO)
    signers: list[Person] = []
    for person, arrival in crowd.sample(40):
        code = actions.referral_code_for(rng.choice(signers)) if signers and rng.random() < 0.5 else ""
        answers = {"your_building": person.area.name, "was_your_heat_out_this_winter": rng.random() < 0.6}
        actions.do_submit_form(form, arrival, answers, referral_code=code)
        signers.append(person)
    return form


@transaction.atomic
def create_demo_events(city: Area, *, seed: int = 1) -> DemoEvents | None:
    """The demo events, or None when the demo logins that place them are missing."""
    organizer = User.objects.filter(username="organizer").first()
    coordinator = User.objects.filter(username="coordinator").first()
    if organizer is None or coordinator is None:
        return None
    hood = coordinator.scope.filter(kind=AreaKind.NEIGHBORHOOD).first()
    if hood is None:
        return None
    rng = random.Random(seed)
    crowd = _Crowd(hood, rng)
    halls = list(Household.objects.filter(area__path__startswith=hood.path).order_by("pk")[:50])
    hall = rng.choice(halls) if halls else None
    made = DemoEvents()

    # Past: the organizing meeting and a reading group, with who came.
    past_meeting = _organizing_meeting(organizer, hood, hall, 21, f"{hood.name} organizing meeting")
    reading = _event(organizer, hood, hall, "Reading group: who owns the city?", Event.Kind.READING_GROUP, 14,
                     hours=1.5, description="We read and discuss the first chapter together.")  # fmt: skip
    for event, size, walk_ins, days_ago in ((past_meeting, 45, 6, 21), (reading, 12, 2, 14)):
        rsvps = _rsvps(event, crowd.sample(size), rng)
        _into_the_past(event, days_ago)
        made.rsvps += len(rsvps)
        going = {r.person_id for r in rsvps}
        extra = [pa for pa in crowd.sample(size + walk_ins) if pa[0].pk not in going][:walk_ins]
        made.attended += _check_ins(organizer, event, rsvps, extra, rng)
        made.events.append(event)

    # Ahead: the next meeting, the next reading group, a canvass launch, a full training, a cancelled social.
    upcoming = _organizing_meeting(organizer, hood, hall, 10, f"{hood.name} organizing meeting: next steps")
    next_reading = _event(organizer, hood, hall, "Reading group: who owns the city? (part 2)",
                          Event.Kind.READING_GROUP, 5, hours=1.5)  # fmt: skip
    launch = _event(organizer, hood, hall, "Canvass launch: the heat campaign", Event.Kind.CANVASS_LAUNCH, 12,
                    hours=6, hour=10)  # fmt: skip
    for i, name in enumerate(("Morning", "Afternoon")):
        start = launch.starts_at + datetime.timedelta(hours=3 * i)
        actions.do_add_shift(
            organizer, launch, start, start + datetime.timedelta(hours=3), title=name, capacity=12
        )
    training = _event(organizer, hood, hall, "Door knocking 101", Event.Kind.TRAINING, 8, capacity=10)
    social = _event(organizer, hood, hall, "Potluck in the park", Event.Kind.SOCIAL, 15)
    for event, size in ((upcoming, 25), (next_reading, 8), (launch, 18), (training, 14), (social, 6)):
        made.rsvps += len(_rsvps(event, crowd.sample(size), rng))
        made.events.append(event)
    actions.do_cancel_event(organizer, social)
    made.petition = _petition(organizer, hood, crowd, rng)
    return made
