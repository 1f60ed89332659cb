from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from grassroots.accounts.models import AuditEntry, User
from grassroots.canvass.models import FollowUp, Turf, Universe, Visit
from grassroots.coalitions.models import Coalition, Contact, Delegate
from grassroots.committees.models import Attendance as MeetingAttendance
from grassroots.committees.models import Committee, Decision, Meeting, Membership, Role
from grassroots.commonground.models import Round, Statement, StatementVote
from grassroots.decisions.models import Ballot, Objection, Option, Proposal, VoterReceipt
from grassroots.events.actions import referrer
from grassroots.events.models import (
    RSVP,
    AgendaItem,
    Attendance,
    Event,
    Project,
    ProjectSignup,
    ReferralCode,
    SignupForm,
    Submission,
)
from grassroots.fixtures import SmallCity
from grassroots.ladder.models import Curriculum, Progress, QueueItem, Session, Spell, Stage
from grassroots.people.actions import do_merge_people
from grassroots.people.models import Action, Consent, EmailAddress, Person, PhoneNumber, Tag
from grassroots.struggles.models import Escalation, Grievance, Organization, Participation, Struggle
from grassroots.testing import make_person
from grassroots.voters.models import MatchReview, VoterRecord

pytestmark = pytest.mark.django_db


def _duplicate_of_ana(city: SmallCity) -> Person:
    return make_person(
        "Ana",
        "Pena",
        area=city.building1,
        household=city.home1,
        emails=("ana@example.com", "ana.pena@example.org"),
        phones=("+19295550199",),
        tags=("union member", "tenant"),
        consents={"sms": True},
        actions=("petition", "rsvp", "signup"),
    )


def test_merge_keeps_every_action_tag_and_contact_point(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, _duplicate_of_ana(small_city)
    actions_before = set(Action.objects.filter(person__in=[ana, dup]).values_list("pk", flat=True))

    do_merge_people(small_city.organizer, ana, dup)

    assert set(ana.actions.exclude(kind="merged").values_list("pk", flat=True)) == actions_before
    assert not Action.objects.filter(person=dup).exists()
    assert {t.name for t in ana.tags.all()} == {"tenant", "union member"}
    assert sorted(ana.emails.values_list("address", flat=True)) == ["ana.pena@example.org", "ana@example.com"]
    assert sorted(ana.phones.values_list("number", flat=True)) == ["+17185550101", "+19295550199"]
    assert {c.channel: c.granted for c in Consent.objects.filter(person=ana)} == {"email": True, "sms": True}
    dup.refresh_from_db()
    assert dup.merged_into == ana


def test_the_merge_is_recorded_on_the_timeline_and_in_the_audit_log(small_city: SmallCity) -> None:
    dup = _duplicate_of_ana(small_city)
    do_merge_people(small_city.organizer, small_city.ana, dup)
    merged = small_city.ana.actions.get(kind="merged")
    assert merged.details["merged"] == str(dup.public_id)
    assert merged.recorded_by == small_city.organizer
    assert AuditEntry.objects.filter(verb="merge", object_id=str(small_city.ana.public_id)).exists()


def test_the_newer_consent_wins_a_merge(small_city: SmallCity) -> None:
    dup = make_person("Ana", "Pena", area=small_city.building1, consents={"email": False})
    do_merge_people(small_city.organizer, small_city.ana, dup)
    assert Consent.objects.get(person=small_city.ana, channel="email").granted is False


def test_merging_a_person_with_themselves_is_refused(small_city: SmallCity) -> None:
    with pytest.raises(ValidationError, match="themselves"):
        do_merge_people(small_city.organizer, small_city.ana, small_city.ana)


def test_a_merge_across_scopes_is_refused_and_changes_nothing(small_city: SmallCity) -> None:
    with pytest.raises(ValidationError, match="outside"):
        do_merge_people(small_city.coordinator, small_city.ana, small_city.bo)
    small_city.bo.refresh_from_db()
    assert small_city.bo.merged_into is None
    assert small_city.bo.actions.count() == 2


def test_a_merged_person_cannot_be_merged_again(small_city: SmallCity) -> None:
    dup = _duplicate_of_ana(small_city)
    do_merge_people(small_city.organizer, small_city.ana, dup)
    with pytest.raises(ValidationError, match="already merged"):
        do_merge_people(small_city.organizer, small_city.bo, dup)


def test_merging_through_the_page_moves_the_record_and_redirects_old_links(
    small_city: SmallCity, client: Client
) -> None:
    dup = _duplicate_of_ana(small_city)
    client.force_login(small_city.organizer)
    page = client.get(reverse("person_merge", args=[small_city.ana.public_id]), {"q": "Pena"})
    assert dup in list(page.context["candidates"])
    response = client.post(
        reverse("person_merge", args=[small_city.ana.public_id]), {"other": str(dup.public_id)}
    )
    assert response.status_code == 302
    old_link = client.get(reverse("person_detail", args=[dup.public_id]))
    assert old_link.status_code == 302
    assert old_link["Location"] == reverse("person_detail", args=[small_city.ana.public_id])
    detail = client.get(old_link["Location"]).content.decode()
    assert "Merged in Ana Pena" in detail


def test_the_merge_page_refuses_someone_outside_the_scope_with_a_message(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.coordinator)
    url = reverse("person_merge", args=[small_city.ana.public_id])
    response = client.post(url, {"other": str(small_city.bo.public_id)}, follow=True)
    assert "outside the areas you work in" in response.content.decode()
    small_city.bo.refresh_from_db()
    assert small_city.bo.merged_into is None


def test_the_merge_page_refuses_a_self_merge_with_a_message(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    url = reverse("person_merge", args=[small_city.ana.public_id])
    response = client.post(url, {"other": str(small_city.ana.public_id)}, follow=True)
    assert "cannot be merged with themselves" in response.content.decode()


# -- every row pointing at the merged-away record ----------------------------------------------


@dataclass
class World:
    """One of each thing a person's rows hang on: a committee and its meeting, an event and its
    form, a proposal, a round, a struggle, a coalition, a turf, a voter record, a ladder stage."""

    committee: Committee
    meeting: Meeting
    event: Event
    project: Project
    form: SignupForm
    proposal: Proposal
    round: Round
    statement: Statement
    struggle: Struggle
    escalation: Escalation
    union: Organization
    coalition: Coalition
    turf: Turf
    record: VoterRecord
    stage: Stage
    session: Session


def _world(c: SmallCity) -> World:
    now = timezone.now()
    committee = Committee.objects.create(name="12 Elm tenants", area=c.building1)
    landlord = Organization.objects.create(kind="landlord", name="Elm Realty")
    union = Organization.objects.create(kind="union", name="Local 12")
    struggle = Struggle.objects.create(title="Heat", target=landlord)
    event = Event.objects.create(slug="meet", title="Meet", starts_at=now, ends_at=now, area=c.ed1)
    proposal = Proposal.objects.create(
        committee=committee,
        title="Rent strike",
        method=Proposal.Method.MAJORITY,
        deadline=now + datetime.timedelta(days=7),
        status=Proposal.Status.OPEN,
    )
    round_ = Round.objects.create(committee=committee, title="What now?")
    universe = Universe.objects.create(name="Elm")
    return World(
        committee=committee,
        meeting=Meeting.objects.create(committee=committee, title="Heat", starts_at=now, ends_at=now),
        event=event,
        project=Project.objects.create(event=event, name="Repairs"),
        form=SignupForm.objects.create(slug="join", title="Join"),
        proposal=proposal,
        round=round_,
        statement=Statement.objects.create(round=round_, text="Heat first"),
        struggle=struggle,
        escalation=Escalation.objects.create(struggle=struggle, kind="letter"),
        union=union,
        coalition=Coalition.objects.create(name="Housing for all"),
        turf=Turf.objects.create(universe=universe, number=1),
        record=VoterRecord.objects.create(
            state="NY", voter_id="NY1", layout="ny", first_name="ANA", last_name="PENA", area=c.building1
        ),
        stage=Stage.objects.create(name="Testing", position=900),
        session=Session.objects.create(
            curriculum=Curriculum.objects.create(title="Basics"), position=1, title="Why"
        ),
    )


def _earlier_tombstone(c: SmallCity, w: World, p: Person) -> None:
    older = make_person("Ana", "P", area=c.building1)
    older.merged_into = p
    older.save(update_fields=["merged_into"])


# One row pointing at the merged-away record ``p``, for every link to Person. A table added later
# fails test_every_row_pointing_at_the_merged_record_moves until it has a builder here (and, if a
# plain move breaks one of its constraints, a rule in people.merge).
BUILDERS: dict[str, Callable[[SmallCity, World, Person], object]] = {
    "accounts.User.person": lambda c, w, p: User.objects.create(username="ana-p", person=p),
    "canvass.FollowUp.person": lambda c, w, p: FollowUp.objects.create(person=p, reason="Wants in"),
    "canvass.Visit.person": lambda c, w, p: Visit.objects.create(
        public_id=uuid.uuid4(),
        turf=w.turf,
        household=c.home1,
        person=p,
        canvasser=c.canvasser,
        result="contact",
        visited_at=timezone.now(),
    ),
    "coalitions.Contact.person": lambda c, w, p: Contact.objects.create(organization=w.union, person=p),
    "coalitions.Delegate.person": lambda c, w, p: Delegate.objects.create(
        coalition=w.coalition, organization=w.union, person=p
    ),
    "committees.Attendance.person": lambda c, w, p: MeetingAttendance.objects.create(
        meeting=w.meeting, person=p
    ),
    "committees.Decision.owner": lambda c, w, p: Decision.objects.create(
        committee=w.committee, text="Call the city", owner=p
    ),
    "committees.Membership.person": lambda c, w, p: Membership.objects.create(
        committee=w.committee, person=p
    ),
    "commonground.Statement.author": lambda c, w, p: Statement.objects.create(
        round=w.round, text="Mine", author=p
    ),
    "commonground.StatementVote.person": lambda c, w, p: StatementVote.objects.create(
        statement=w.statement, person=p, choice=1
    ),
    "decisions.Objection.person": lambda c, w, p: Objection.objects.create(
        proposal=w.proposal, person=p, text="No"
    ),
    "decisions.Option.person": lambda c, w, p: Option.objects.create(
        proposal=w.proposal, label="Ana", person=p
    ),
    "decisions.VoterReceipt.person": lambda c, w, p: VoterReceipt.objects.create(
        proposal=w.proposal, person=p
    ),
    "events.AgendaItem.presenter": lambda c, w, p: AgendaItem.objects.create(
        event=w.event, title="Hi", presenter=p
    ),
    "events.Attendance.person": lambda c, w, p: Attendance.objects.create(event=w.event, person=p),
    "events.Event_host_people.person": lambda c, w, p: w.event.host_people.add(p),
    "events.ProjectSignup.person": lambda c, w, p: ProjectSignup.objects.create(project=w.project, person=p),
    "events.RSVP.person": lambda c, w, p: RSVP.objects.create(event=w.event, person=p),
    "events.RSVP.referred_by": lambda c, w, p: RSVP.objects.create(event=w.event, person=c.bo, referred_by=p),
    "events.ReferralCode.person": lambda c, w, p: ReferralCode.objects.create(person=p),
    "events.Submission.person": lambda c, w, p: Submission.objects.create(form=w.form, person=p),
    "events.Submission.referred_by": lambda c, w, p: Submission.objects.create(
        form=w.form, person=c.bo, referred_by=p
    ),
    "ladder.Progress.person": lambda c, w, p: Progress.objects.create(person=p, session=w.session),
    "ladder.QueueItem.person": lambda c, w, p: QueueItem.objects.create(
        key="door:1", person=p, kind="door", reason="Wants in"
    ),
    "ladder.Spell.person": lambda c, w, p: Spell.objects.create(
        person=p, stage=w.stage, entered_at=timezone.now()
    ),
    "people.Action.person": lambda c, w, p: Action.objects.create(person=p, kind="petition"),
    "people.Consent.person": lambda c, w, p: Consent.objects.create(person=p, channel="sms", granted=True),
    "people.EmailAddress.person": lambda c, w, p: EmailAddress.objects.create(
        person=p, address="ap@example.com"
    ),
    "people.PhoneNumber.person": lambda c, w, p: PhoneNumber.objects.create(person=p, number="+19295550199"),
    "people.Person.merged_into": _earlier_tombstone,
    "people.Tagging.person": lambda c, w, p: p.tags.add(Tag.objects.create(name="renter")),
    "struggles.Grievance.person": lambda c, w, p: Grievance.objects.create(
        struggle=w.struggle, person=p, area=c.building1, category="repair", summary="No heat"
    ),
    "struggles.Participation.person": lambda c, w, p: Participation.objects.create(
        escalation=w.escalation, person=p
    ),
    "voters.MatchReview.other_person": lambda c, w, p: MatchReview.objects.create(
        person=c.bo, other_person=p, weight=1, probability=0.5
    ),
    "voters.MatchReview.person": lambda c, w, p: MatchReview.objects.create(
        record=w.record, person=p, weight=1, probability=0.5
    ),
    "voters.VoterRecord.person": lambda c, w, p: VoterRecord.objects.create(
        state="NY", voter_id="NY2", layout="ny", first_name="ANA", last_name="P", area=c.building1, person=p
    ),
}


def _links_to_person() -> dict[str, tuple[type[models.Model], str]]:
    """Every table and column pointing at Person, read from the model (many-to-many tables too)."""
    links: dict[str, tuple[type[models.Model], str]] = {}
    for rel in Person._meta.related_objects:
        if isinstance(rel, models.ManyToManyRel):
            through = rel.through
            assert through is not None and not isinstance(through, str)
            for f in through._meta.concrete_fields:
                if f.is_relation and f.related_model is Person:
                    links[f"{through._meta.label}.{f.name}"] = (through, f.name)
        else:
            model = rel.related_model
            assert not isinstance(model, str)
            links[f"{model._meta.label}.{rel.field.name}"] = (model, rel.field.name)
    return links


def test_every_row_pointing_at_the_merged_record_moves(small_city: SmallCity) -> None:
    links = _links_to_person()
    missing = sorted(set(links) - set(BUILDERS))
    if missing:
        pytest.fail(f"No builder for {', '.join(missing)}: add one to BUILDERS (and a merge rule if needed).")
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    world = _world(small_city)
    for name in links:
        BUILDERS[name](small_city, world, dup)

    do_merge_people(small_city.organizer, ana, dup)

    left = {
        name: model._base_manager.filter(**{column: dup}).count() for name, (model, column) in links.items()
    }
    assert {name: n for name, n in left.items() if n} == {}
    # ...and each is the survivor's now: Bo's RSVP and signature, say, were brought by Ana.
    missed = [
        name for name, (model, column) in links.items() if not model._base_manager.filter(**{column: ana})
    ]
    assert missed == []
    merged = AuditEntry.objects.get(verb="merge", object_id=str(ana.public_id))
    assert merged.details["moved"]["committees.Membership.person"] == 1


# -- where both records have a row: one rule per table -----------------------------------------


def _day(month: int, day: int = 1) -> datetime.date:
    return datetime.date(2026, month, day)


def _member(
    w: World, person: Person, role: str, joined: datetime.date, left: datetime.date | None
) -> Membership:
    return Membership.objects.create(
        committee=w.committee, person=person, role=role, joined_on=joined, left_on=left
    )


def test_a_committee_membership_of_the_merged_record_shows_on_the_survivor(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    membership = _member(w, dup, Role.MEMBER, _day(1), None)

    do_merge_people(small_city.organizer, ana, dup)

    assert list(ana.memberships.all()) == [membership]
    assert list(w.committee.memberships.values_list("person", flat=True)) == [ana.pk]


def test_two_memberships_of_one_committee_become_one(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    kept = _member(w, ana, Role.MEMBER, _day(3), _day(6))
    _member(w, dup, Role.MEMBER, _day(1), _day(4))
    _member(w, dup, Role.MEMBER, _day(6), None)  # follows on from Ana's: one continuous membership

    do_merge_people(small_city.organizer, ana, dup)

    assert list(w.committee.memberships.values_list("pk", "person", "joined_on", "left_on")) == [
        (kept.pk, ana.pk, _day(1), None)
    ]


def test_a_membership_overlapping_another_role_is_cut_around_the_survivors(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    _member(w, ana, Role.COORDINATOR, _day(3), _day(5))
    _member(w, dup, Role.MEMBER, _day(1), _day(9))  # the actions would refuse this overlap for one person
    _member(w, dup, Role.COORDINATOR, _day(10), _day(11))  # wholly inside nothing: moves as it is

    do_merge_people(small_city.organizer, ana, dup)

    rows = w.committee.memberships.order_by("joined_on").values_list("person", "role", "joined_on", "left_on")
    assert list(rows) == [
        (ana.pk, Role.MEMBER, _day(1), _day(3)),
        (ana.pk, Role.COORDINATOR, _day(3), _day(5)),
        (ana.pk, Role.MEMBER, _day(5), _day(9)),
        (ana.pk, Role.COORDINATOR, _day(10), _day(11)),
    ]
    assert len(set(w.committee.memberships.values_list("public_id", flat=True))) == 4


def test_two_rsvps_and_check_ins_to_one_event_become_one_with_the_later_answer(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    earlier = timezone.now() - datetime.timedelta(days=2)
    kept = RSVP.objects.create(
        event=w.event, person=ana, status="cancelled", created_at=earlier, updated_at=earlier
    )
    theirs = RSVP.objects.create(event=w.event, person=dup, status="going", referred_by=small_city.bo)
    Attendance.objects.create(event=w.event, person=ana, walk_in=True)
    Attendance.objects.create(event=w.event, person=dup, rsvp=theirs, checked_in_at=earlier)

    do_merge_people(small_city.organizer, ana, dup)

    rsvp = RSVP.objects.get(event=w.event)
    assert (rsvp.pk, rsvp.person, rsvp.status, rsvp.referred_by) == (kept.pk, ana, "going", small_city.bo)
    attendance = Attendance.objects.get(event=w.event)
    assert (attendance.person, attendance.rsvp, attendance.checked_in_at) == (ana, rsvp, earlier)


def test_an_event_attended_under_both_records_counts_once_on_the_timeline(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    earlier = timezone.now() - datetime.timedelta(days=2)
    now = timezone.now()
    mine = Action.objects.create(person=ana, kind="event_attended", occurred_at=now)
    theirs = Action.objects.create(person=dup, kind="event_attended", occurred_at=earlier)
    knocked = Action.objects.create(person=dup, kind="door_knock", occurred_at=earlier)
    Attendance.objects.create(event=w.event, person=ana, action=mine)
    Attendance.objects.create(event=w.event, person=dup, action=theirs, checked_in_at=earlier)

    do_merge_people(small_city.organizer, ana, dup)

    attended = Action.objects.filter(person=ana, kind="event_attended")
    assert [(a.pk, a.occurred_at) for a in attended] == [(mine.pk, earlier)]
    assert Attendance.objects.get(event=w.event).action_id == mine.pk
    assert Action.objects.filter(pk=knocked.pk, person=ana).exists(), "other acts still move"


def test_a_referral_between_the_two_records_is_no_referral(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    RSVP.objects.create(event=w.event, person=dup, referred_by=ana)

    do_merge_people(small_city.organizer, ana, dup)

    assert RSVP.objects.get(event=w.event).referred_by is None


def test_the_merged_records_referral_code_still_credits_the_person(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    ReferralCode.objects.create(person=ana, code="anas")
    ReferralCode.objects.create(person=dup, code="dups")

    do_merge_people(small_city.organizer, ana, dup)

    assert ReferralCode.objects.get(code="dups").person == dup  # one code per person: it stays
    assert referrer("dups") == ana
    assert referrer("anas") == ana


def test_both_records_votes_on_an_open_proposal_leave_one(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    w = _world(small_city)
    for person, choice in ((ana, "yes"), (dup, "no")):
        ballot = Ballot.objects.create(proposal=w.proposal, choice=choice)
        VoterReceipt.objects.create(proposal=w.proposal, person=person, ballot=ballot)

    do_merge_people(small_city.organizer, ana, dup)

    assert list(VoterReceipt.objects.values_list("person", "ballot__choice")) == [(ana.pk, "yes")]
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["yes"]


def test_of_two_current_ladder_stages_the_higher_stays(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, make_person("Ana", "P.", area=small_city.building1)
    low, high = (
        Stage.objects.create(name="Low", position=901),
        Stage.objects.create(name="High", position=902),
    )
    month_ago = timezone.now() - datetime.timedelta(days=30)
    Spell.objects.create(person=ana, stage=low, entered_at=month_ago)
    Spell.objects.create(person=dup, stage=high, entered_at=month_ago)

    do_merge_people(small_city.organizer, ana, dup)

    spells = Spell.objects.filter(person=ana)
    assert list(spells.filter(left_at__isnull=True).values_list("stage", flat=True)) == [high.pk]
    assert list(spells.filter(left_at__isnull=False).values_list("stage", "left_going")) == [(low.pk, "up")]


def test_a_review_between_the_two_records_stays_and_one_of_a_pair_already_reviewed_goes(
    small_city: SmallCity,
) -> None:
    ana, bo, dup = small_city.ana, small_city.bo, make_person("Ana", "P.", area=small_city.building1)
    between = MatchReview.objects.create(person=ana, other_person=dup, weight=1, probability=0.9)
    MatchReview.objects.create(person=ana, other_person=bo, weight=1, probability=0.5)
    MatchReview.objects.create(person=bo, other_person=dup, weight=1, probability=0.5)

    do_merge_people(small_city.organizer, ana, dup)

    assert set(MatchReview.objects.values_list("person", "other_person")) == {
        (ana.pk, dup.pk),
        (ana.pk, bo.pk),
    }
    assert MatchReview.objects.get(other_person=dup) == between


def test_duplicate_contact_points_and_tags_leave_the_tombstone(small_city: SmallCity) -> None:
    ana, dup = small_city.ana, _duplicate_of_ana(small_city)

    do_merge_people(small_city.organizer, ana, dup)

    assert not EmailAddress.objects.filter(person=dup).exists()
    assert not Consent.objects.filter(person=dup).exists()
    assert not dup.tags.exists()
    assert ana.emails.filter(is_primary=True).count() == 1
