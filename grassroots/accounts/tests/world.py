"""A world for the policy matrix: two districts, the same records in each, and one user per role.

North is the users' own district; South is foreign to all of them but the outsider, an organizer
of South. Each district holds a person with a name no page prints by chance, and everything the
routes show about people: a voter record, a visit, a grievance, a committee with a meeting and a
proposal, an event with an RSVP, a form with a submission, a ladder item, a reading group, a
round, a coalition delegate. Every record names its district's person, so a page that leaks it
shows the name.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from grassroots.accounts.models import Role, User
from grassroots.canvass.models import Question, Turf
from grassroots.people.models import Person, Tagging
from grassroots.places.models import Area, Household
from grassroots.testing import make_area, make_household, make_person, make_user

# The coordinator and the member are people of the own district too.
COORDINATOR_WORDS = ("Brightwater",)
MEMBER_WORDS = ("Nakamura",)

ROLES = ("admin", "organizer", "coordinator", "canvasser", "member", "outsider", "anonymous")


@dataclass
class Side:
    """One district and the records in it, by the URL-name prefix of the routes that show them."""

    key: str
    district: Area
    building: Area
    home: Household
    person: Person
    email: str
    # What a page must not print to someone who may not see this district's people.
    words: tuple[str, ...]
    event_slug: str
    form_slug: str
    ids: dict[str, str] = field(default_factory=dict)
    api_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class World:
    own: Side  # North: the users' district
    foreign: Side  # South: the outsider's district
    users: dict[str, User | None]

    def sides(self) -> tuple[Side, Side]:
        return self.own, self.foreign

    def unseen_words(self, role: str) -> tuple[str, ...]:
        """Words naming the people this role may not see, which no answer to it may hold."""
        own = (*self.own.words, *COORDINATOR_WORDS)
        return {
            "admin": (),
            "organizer": self.foreign.words,
            "coordinator": self.foreign.words,
            "canvasser": self.foreign.words,
            "member": (*own, *self.foreign.words),  # a member sees no one but themselves
            "outsider": (*own, *MEMBER_WORDS),
            "anonymous": (*own, *MEMBER_WORDS, *self.foreign.words),
        }[role]


def build_world() -> World:
    city = make_area("Testville", "city", box=(-74.0, 40.0, -73.9, 40.2))
    admin = make_user("admin", Role.ADMIN, is_staff=True, is_superuser=True)
    own = _side(city, admin, "north", ("Ana", "Peñalosa", "ana.penalosa@example.org"), south=False)
    foreign = _side(city, admin, "south", ("Zofia", "Quillfeather", "zofia.quill@example.net"), south=True)
    coordinator = make_user("coordinator", Role.COORDINATOR)
    coordinator.person = make_person("Cora", "Brightwater", area=own.building)
    coordinator.save(update_fields=["person"])
    member = make_user("member", Role.MEMBER)
    member.person = make_person("Mia", "Nakamura", area=own.building)
    member.save(update_fields=["person"])
    for side in (own, foreign):
        _fill(side, admin)
    # The coordinator's scope is their committee's building, given by the committee, not the user.
    from grassroots.committees.actions import do_add_member
    from grassroots.committees.models import Committee

    committee = Committee.objects.get(public_id=own.ids["committee_"])
    do_add_member(
        admin, committee, coordinator.person, role="coordinator", joined_on=datetime.date(2026, 1, 2)
    )
    canvasser = make_user("canvasser", Role.CANVASSER, [own.district])
    outsider = make_user("outsider", Role.ORGANIZER, [foreign.district])
    # The canvasser walks the own district's turf, so the canvass app has a turf to open.
    Turf.objects.get(public_id=own.ids["canvass_turf_"]).canvassers.add(canvasser)
    users: dict[str, User | None] = {
        "admin": admin,
        "organizer": make_user("organizer", Role.ORGANIZER, [own.district]),
        "coordinator": coordinator,
        "canvasser": canvasser,
        "member": member,
        "outsider": outsider,
        "anonymous": None,
    }
    return World(own=own, foreign=foreign, users=users)


def _side(city: Area, admin: User, key: str, name: tuple[str, str, str], *, south: bool) -> Side:
    first, last, email = name
    phone, line = ("+17185550101", "0101") if south else ("+13475550102", "0102")
    lat = 40.0 if south else 40.1
    district = make_area(key.title(), "neighborhood", city, box=(-74.0, lat, -73.9, lat + 0.1))
    ed = make_area(f"ED {key}", "election_district", district, box=(-74.0, lat, -73.95, lat + 0.1))
    street = make_area(f"{key.title()} St", "street", ed)
    building = make_area(f"12 {key.upper()} ST", "building", street)
    home = make_household(building, f"12 {key.title()} Street")
    person = make_person(
        first,
        last,
        area=building,
        household=home,
        emails=(email,),
        phones=(phone,),
        tags=("tenant",),
        consents={"email": True},
        actions=("door_knock",),
    )
    ascii_last = last.replace("ñ", "n")
    # The phone number as it is stored or shown: +1718..., (718) 555-0101, 718 555 0101.
    phones = (f"555{line}", f"555-{line}", f"555 {line}")
    words = (last, ascii_last, last.replace("ñ", "\\u00f1"), email.split("@")[0], *phones)
    return Side(
        key=key,
        district=district,
        building=building,
        home=home,
        person=person,
        email=email,
        words=tuple(dict.fromkeys(words)),
        event_slug=f"{key}-tenants-a1b2c3",
        form_slug=f"{key}-sign-up-d4e5f6",
    )


def _fill(side: Side, admin: User) -> None:
    side.ids = {
        "person_": str(side.person.public_id),
        "area_": str(side.building.public_id),
        **_voter_objects(side, admin),
        **_committee_objects(side, admin),
        **_struggle_objects(side, admin),
        **_ladder_objects(side, admin),
        **_event_objects(side, admin),
        **_decision_objects(side, admin),
        **_common_ground_objects(side, admin),
        **_coalition_objects(side, admin),
    }
    tagging = Tagging.objects.select_related("tag").get(person=side.person)
    side.api_ids = {
        "person_id": str(side.person.public_id),
        "tag_id": str(tagging.tag.public_id),
        "tagging_id": str(tagging.public_id),
        "event_id": side.ids["event_"],
        "attendance_id": side.ids["event_rsvp_"],
        "form_id": side.ids["event_form_"],
        "submission_id": side.ids["submission"],
        # The petitions' routes name their form and signature with the same words as the forms'.
        "petition:form_id": side.ids["petition"],
        "petition:submission_id": side.ids["signature"],
        "script_id": side.ids["script_detail"],
        "question_id": str(
            Question.objects.get(script__public_id=side.ids["script_detail"], key="support").public_id
        ),
        "answer_id": side.ids["visit"],
        "canvass_id": side.ids["visit"],
        "effort_id": side.ids["universe_"],
        "list_id": str(tagging.tag.public_id),
        "item_id": str(tagging.public_id),
    }


def _voter_objects(side: Side, admin: User) -> dict[str, str]:
    """A voter import, the person's voter record and match review, a canvass of their building with
    a shift and a visit at their door."""
    from grassroots.canvass.models import Shift, Turf, TurfDoor, Universe, Visit
    from grassroots.canvass.scripts import standard_script
    from grassroots.results.models import Contest, Election
    from grassroots.voters.models import ImportRowError, MatchReview, VoterImport, VoterRecord

    name = f"{side.person.first_name} {side.person.last_name}"
    # A CSV waiting for its columns to be mapped, in the test's own upload folder.
    upload = Path(settings.UPLOAD_DIR) / f"{side.key}.csv"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text(f"first_name,last_name\n{side.person.first_name},{side.person.last_name}\n")
    job = VoterImport.objects.create(layout="csv", file_name=upload.name, file_path=str(upload))
    ImportRowError.objects.create(voter_import=job, line=7, reason=f"{name} has no date", raw=name)
    record = VoterRecord.objects.create(
        state="NC", voter_id=f"{side.key}1", layout="nc", first_name=side.person.first_name,
        last_name=side.person.last_name, area=side.building, household=side.home, person=side.person,
        row_hash=side.key,
    )  # fmt: skip
    review = MatchReview.objects.create(record=record, person=side.person, weight=3.0, probability=0.6)
    election = Election.objects.create(
        date=datetime.date(2020, 6, 23), name=f"{side.key} primary", kind="primary"
    )
    contest = Contest.objects.create(election=election, office="U.S. House", district=side.key)
    universe = Universe.objects.create(name=f"{side.key.title()} doors")
    universe.areas.add(side.building)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=side.home)
    moment = datetime.datetime(2099, 5, 2, 10, tzinfo=datetime.UTC)
    shift = Shift.objects.create(
        universe=universe, starts_at=moment, ends_at=moment + datetime.timedelta(hours=2)
    )
    script = standard_script()
    universe.script = script
    universe.save(update_fields=["script"])
    visit = Visit.objects.create(
        public_id=uuid.uuid4(), turf=turf, household=side.home, person=side.person, canvasser=admin,
        result="contact", note=f"{name} wants heat", visited_at=moment, answers={"support": "strong"},
    )  # fmt: skip
    return {
        "script_detail": str(script.public_id),
        "question_": str(script.public_id),
        "canvass_shift_": str(shift.public_id),
        "walk_list": str(turf.public_id),
        "canvass_turf_": str(turf.public_id),
        "contest_": str(contest.public_id),
        "universe_": str(universe.public_id),
        "voter_import_": str(job.public_id),
        "voter_review_": str(review.public_id),
        "voter_detail": str(record.public_id),
        "visit": str(visit.public_id),
    }


def _committee_objects(side: Side, admin: User) -> dict[str, str]:
    """A committee of the building with the person in it, a meeting they came to, a decision they own."""
    from grassroots.committees.actions import (
        CommitteeData,
        MeetingData,
        do_add_member,
        do_create_committee,
        do_record_attendance,
        do_record_decision,
        do_schedule_meetings,
    )

    committee = do_create_committee(admin, CommitteeData(f"{side.key.title()} tenants", area=side.building))
    membership = do_add_member(admin, committee, side.person, joined_on=datetime.date(2026, 1, 5))
    starts = datetime.datetime(2026, 2, 3, 19, tzinfo=datetime.UTC)
    agenda = [f"{side.person.first_name} {side.person.last_name}"]
    meeting = do_schedule_meetings(admin, committee, MeetingData("Heat", starts, agenda=agenda))[0]
    do_record_attendance(admin, meeting, [side.person])
    decision = do_record_decision(admin, committee, "Call the landlord", owner=side.person)
    # Most specific prefixes first: the first prefix a URL name starts with gives its id.
    return {
        "committee_start": str(side.building.public_id),
        "committee_uncovered": str(side.district.public_id),
        "committee_meeting_": str(meeting.public_id),
        "committee_membership_": str(membership.public_id),
        "committee_decision_": str(decision.public_id),
        "committee_": str(committee.public_id),
    }


def _struggle_objects(side: Side, admin: User) -> dict[str, str]:
    """A landlord of the building, a struggle against it and the person's grievance, naming them."""
    from grassroots.struggles import actions as struggle_actions

    last = side.person.last_name
    landlord = struggle_actions.do_create_organization(
        admin, kind="landlord", name=f"{side.key.title()} Realty"
    )
    struggle_actions.do_add_site(admin, landlord, side.building, "owns")
    struggle = struggle_actions.do_create_struggle(
        admin, target=landlord, title="Heat", areas=[side.building], demands=["Heat"]
    )
    struggle_actions.do_record_escalation(
        admin, struggle, kind="letter", occurred_on=datetime.date(2026, 1, 5), participants=[side.person]
    )
    grievance = struggle_actions.do_open_grievance(
        admin,
        struggle,
        category="repair",
        summary=f"{last}'s radiator",
        person=side.person,
        household=side.home,
    )
    struggle_actions.do_add_evidence(admin, grievance, f"{last}'s photo of the radiator")
    return {
        "struggle_": str(struggle.public_id),
        "grievance_": str(grievance.public_id),
        "organization_": str(landlord.public_id),
    }


def _ladder_objects(side: Side, admin: User) -> dict[str, str]:
    """The person on the ladder with a follow-up, a rule, and a reading group in their building."""
    from grassroots.canvass.models import FollowUp
    from grassroots.ladder import actions as ladder_actions
    from grassroots.ladder.engine import update_ladder
    from grassroots.ladder.models import QueueItem, Stage

    FollowUp.objects.create(person=side.person, reason=f"{side.person.last_name} wants to get involved")
    update_ladder()
    item = QueueItem.objects.get(person=side.person)
    stage = Stage.objects.get(name="Supporter")
    rule = stage.rules.first()
    assert rule is not None
    curriculum = ladder_actions.do_create_curriculum(admin, f"Tenant power {side.key}")
    session = ladder_actions.do_add_session(admin, curriculum, "Who owns the city")
    moment = datetime.datetime(2026, 3, 3, 19, tzinfo=datetime.UTC)
    group = ladder_actions.do_create_reading_group(
        admin, session, moment, location=f"{side.person.last_name}'s", area=side.building
    )
    ladder_actions.do_record_progress(admin, session, [side.person], completed=True, group=group)
    return {
        "ladder_stage_": str(stage.public_id),
        "ladder_rule_": str(rule.public_id),
        "ladder_item_": str(item.public_id),
        "education_session_": str(session.public_id),
        "education_group": str(group.public_id),
        "education_curriculum": str(curriculum.public_id),
    }


def _event_objects(side: Side, admin: User) -> dict[str, str]:
    """An event in the building the person RSVPed to, came to and joined a project at, and a form
    they signed."""
    from grassroots.events import actions as event_actions
    from grassroots.events.arrivals import Arrival
    from grassroots.events.models import Submission

    starts = datetime.datetime(2099, 5, 2, 18, tzinfo=datetime.UTC)
    data = event_actions.EventData(
        f"{side.key.title()} tenants", starts, starts + datetime.timedelta(hours=2), address="12 Main St",
        area=side.building,
    )  # fmt: skip
    event = event_actions.do_create_event(admin, data)
    event.slug = side.event_slug
    event.save(update_fields=["slug"])
    arrival = Arrival(side.person.first_name, side.person.last_name, email=side.email)
    rsvp = event_actions.do_rsvp(event, arrival).rsvp
    project = event_actions.do_add_project(admin, event, "Heat")
    event_actions.do_check_in(admin, event, arrival, projects=[project])
    form = event_actions.do_create_form(admin, event_actions.FormData("Sign up", area=side.building))
    form.slug = side.form_slug
    form.save(update_fields=["slug"])
    event_actions.do_submit_form(form, arrival, {})
    submission = Submission.objects.get(form=form)
    petition_data = event_actions.FormData("Fix the heat", kind="petition", area=side.building)
    petition = event_actions.do_create_form(admin, petition_data)
    event_actions.do_submit_form(petition, arrival, {})
    signature = Submission.objects.get(form=petition)
    return {
        "event_form_": str(form.public_id),
        "event_project_": str(project.public_id),
        "event_rsvp_": str(rsvp.public_id),
        "public_rsvp_": str(rsvp.public_id),
        "event_": str(event.public_id),
        "submission": str(submission.public_id),
        "petition": str(petition.public_id),
        "signature": str(signature.public_id),
    }


def _decision_objects(side: Side, admin: User) -> dict[str, str]:
    """An open consent proposal of the committee naming the person, with an amendment, a comment
    and the person's objection."""
    from grassroots.committees.models import Committee
    from grassroots.decisions import actions as decision_actions

    committee = Committee.objects.get(public_id=_committee_id(side))
    last = side.person.last_name
    data = decision_actions.ProposalData(
        f"Heat for {last}",
        "consent",
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
        text=f"Fix {last}'s heat.",
    )
    proposal = decision_actions.do_create_proposal(admin, committee, data)
    amendment = decision_actions.do_propose_amendment(admin, proposal, f"{last}'s", f"{last}'s flat")
    decision_actions.do_comment(admin, proposal, f"{last} agrees.")
    decision_actions.do_open_proposal(admin, proposal)
    decision_actions.do_cast_vote(
        admin, proposal, person=side.person, choice="object", objection=f"{last} objects."
    )
    return {
        "proposal_amendment_": str(amendment.public_id),
        "proposal_objection_": str(proposal.objections.get().public_id),
        "proposal_": str(proposal.public_id),
    }


def _committee_id(side: Side) -> str:
    from grassroots.committees.models import Committee

    return str(Committee.objects.get(area=side.building).public_id)


def _common_ground_objects(side: Side, admin: User) -> dict[str, str]:
    """A round of the committee with a statement naming the person, and their vote on it."""
    from grassroots.committees.models import Committee
    from grassroots.commonground import actions as cg_actions

    committee = Committee.objects.get(public_id=_committee_id(side))
    last = side.person.last_name
    round = cg_actions.do_open_round(admin, committee, f"{last}'s building", statements=[f"{last} first"])
    statement = round.statements.get()
    cg_actions.do_vote_statement(admin, statement, 1, person=side.person)
    return {"commonground_statement_": str(statement.public_id), "commonground_round": str(round.public_id)}


def _coalition_objects(side: Side, admin: User) -> dict[str, str]:
    """A coalition whose union has the person as contact and delegate, and a published endorsement
    they voted on."""
    from grassroots.coalitions import actions as co_actions
    from grassroots.decisions.actions import do_cast_vote, do_close_proposal
    from grassroots.struggles import actions as struggle_actions

    union = struggle_actions.do_create_organization(admin, kind="union", name=f"Local {side.key}")
    co_actions.do_add_contact(admin, union, side.person)
    coalition = co_actions.do_create_coalition(admin, f"{side.key.title()} Housing Coalition")
    member = co_actions.do_add_member_organization(admin, coalition, union)
    delegate = co_actions.do_add_delegate(admin, coalition, union, side.person)
    endorsement = co_actions.do_create_endorsement(
        admin, coalition, candidate="Rosa Quintero", questions=["Rent control?"]
    )
    co_actions.do_send_questionnaire(admin, endorsement)
    co_actions.do_record_answers(admin, endorsement, {endorsement.questions.get().pk: "Yes."})
    co_actions.do_open_endorsement_vote(admin, endorsement)
    assert endorsement.proposal is not None
    do_cast_vote(admin, endorsement.proposal, person=side.person, choice="yes")
    do_close_proposal(admin, endorsement.proposal)
    co_actions.do_settle_endorsement(admin, endorsement)
    co_actions.do_publish_endorsement(admin, endorsement)
    return {
        "coalition_partner": str(union.public_id),
        "coalition_endorsement_": str(endorsement.public_id),
        "endorsement_public": str(endorsement.public_id),
        "coalition_member_": str(member.public_id),
        "coalition_delegate_": str(delegate.public_id),
        "coalition_detail": str(coalition.public_id),
    }
