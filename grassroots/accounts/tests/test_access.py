from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from grassroots.accounts import access
from grassroots.accounts.models import AuditEntry
from grassroots.canvass.models import Shift, Turf, TurfDoor, Universe
from grassroots.canvass.scripts import standard_script
from grassroots.fixtures import SmallCity
from grassroots.results.models import Contest, Election
from grassroots.struggles import actions as struggle_actions
from grassroots.voters.models import ImportRowError, MatchReview, VoterImport, VoterRecord

pytestmark = pytest.mark.django_db


def test_each_role_sees_exactly_the_people_of_its_areas(small_city: SmallCity) -> None:
    c = small_city
    assert set(access.people_visible_to(c.organizer)) == {c.ana, c.bo}
    assert set(access.people_visible_to(c.admin)) == {c.ana, c.bo}
    assert set(access.people_visible_to(c.coordinator)) == {c.ana}
    assert set(access.people_visible_to(c.canvasser)) == {c.bo}
    assert list(access.people_visible_to(c.outsider)) == []


def test_an_inactive_user_sees_no_one(small_city: SmallCity) -> None:
    small_city.organizer.is_active = False
    small_city.organizer.save()
    assert list(access.people_visible_to(small_city.organizer)) == []


def test_access_person_hides_people_outside_the_scope(small_city: SmallCity) -> None:
    from django.http import Http404

    assert access.access_person(small_city.canvasser, small_city.bo.public_id) == small_city.bo
    with pytest.raises(Http404):
        access.access_person(small_city.canvasser, small_city.ana.public_id)
    with pytest.raises(Http404):
        access.access_person(small_city.canvasser, "not-a-uuid")


def test_nested_scope_areas_are_not_counted_twice(small_city: SmallCity) -> None:
    small_city.organizer.scope.add(small_city.north, small_city.ed1)
    assert access.scope_paths(small_city.organizer) == [small_city.city.path]
    assert access.people_visible_to(small_city.organizer).count() == 2


def _url_names() -> list[str]:
    names = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str = "") -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin" or str(p.pattern).startswith("admin"):
                    continue
                if p.namespace == "osdi":  # the API answers with JSON: see _api_urls below
                    continue
                walk(p.url_patterns)
            elif p.name and p.name not in {"login", "logout"}:
                names.append(p.name)

    walk(get_resolver().url_patterns)
    return names


def _voter_objects(city: SmallCity) -> dict[str, str]:
    """One voter import, voter record and review for Ana, so the voter pages have something to leak."""
    job = VoterImport.objects.create(layout="nc", file_name="ncvoter.txt", file_path="/nowhere")
    ImportRowError.objects.create(voter_import=job, line=7, reason="Ana Peña has no date", raw="Peña")
    record = VoterRecord.objects.create(
        state="NC", voter_id="AA1", layout="nc", first_name="Ana", last_name="Peña",
        area=city.building1, household=city.home1, person=city.ana, row_hash="x",
    )  # fmt: skip
    review = MatchReview.objects.create(record=record, person=city.ana, weight=3.0, probability=0.6)
    election = Election.objects.create(date=datetime.date(2020, 6, 23), name="Primary", kind="primary")
    contest = Contest.objects.create(election=election, office="U.S. House", district="14")
    universe = Universe.objects.create(name="Ana's block")
    universe.areas.add(city.ed1)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=city.home1)
    script = standard_script()
    moment = datetime.datetime(2099, 5, 2, 10, tzinfo=datetime.UTC)
    shift = Shift.objects.create(
        universe=universe, starts_at=moment, ends_at=moment + datetime.timedelta(hours=2)
    )
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
    }


def _committee_objects(city: SmallCity) -> dict[str, str]:
    """A committee of Ana's building with Ana in it, a meeting she attended and a decision she owns."""
    from grassroots.committees.actions import (
        CommitteeData,
        MeetingData,
        do_add_member,
        do_create_committee,
        do_record_attendance,
        do_record_decision,
        do_schedule_meetings,
    )

    committee = do_create_committee(city.organizer, CommitteeData("12 Elm tenants", area=city.building1))
    membership = do_add_member(city.organizer, committee, city.ana, joined_on=datetime.date(2026, 1, 5))
    starts = datetime.datetime(2026, 2, 3, 19, tzinfo=datetime.UTC)
    meeting = do_schedule_meetings(
        city.organizer, committee, MeetingData("Heat", starts, agenda=["Ana Peña"])
    )[0]
    do_record_attendance(city.organizer, meeting, [city.ana])
    decision = do_record_decision(city.organizer, committee, "Call the landlord", owner=city.ana)
    # Most specific prefixes first: the first prefix a URL name starts with gives its id.
    return {
        "committee_start": str(city.building1.public_id),
        "committee_uncovered": str(city.ed1.public_id),
        "committee_meeting_": str(meeting.public_id),
        "committee_membership_": str(membership.public_id),
        "committee_decision_": str(decision.public_id),
        "committee_": str(committee.public_id),
    }


def _struggle_objects(city: SmallCity) -> dict[str, str]:
    """A landlord of Ana's building, a struggle against it and Ana's grievance, with her name in them."""
    landlord = struggle_actions.do_create_organization(city.admin, kind="landlord", name="Elm Realty")
    struggle_actions.do_add_site(city.admin, landlord, city.building1, "owns")
    struggle = struggle_actions.do_create_struggle(
        city.admin, target=landlord, title="Heat", areas=[city.building1], demands=["Heat"]
    )
    struggle_actions.do_record_escalation(
        city.admin, struggle, kind="letter", occurred_on=datetime.date(2026, 1, 5), participants=[city.ana]
    )
    grievance = struggle_actions.do_open_grievance(
        city.admin,
        struggle,
        category="repair",
        summary="Peña's radiator",
        person=city.ana,
        household=city.home1,
    )
    struggle_actions.do_add_evidence(city.admin, grievance, "Ana Peña's photo of the radiator")
    return {
        "struggle_": str(struggle.public_id),
        "grievance_": str(grievance.public_id),
        "organization_": str(landlord.public_id),
    }


def _ladder_objects(city: SmallCity) -> dict[str, str]:
    """Ana on the ladder with a follow-up for her, a rule, and a reading group she came to."""
    from grassroots.canvass.models import FollowUp
    from grassroots.ladder import actions as ladder_actions
    from grassroots.ladder.engine import update_ladder
    from grassroots.ladder.models import QueueItem, Stage

    FollowUp.objects.create(person=city.ana, reason="Ana Peña wants to get involved")
    update_ladder()
    item = QueueItem.objects.get(person=city.ana)
    stage = Stage.objects.get(name="Supporter")
    rule = stage.rules.first()
    assert rule is not None
    curriculum = ladder_actions.do_create_curriculum(city.organizer, "Tenant power")
    session = ladder_actions.do_add_session(city.organizer, curriculum, "Who owns the city")
    moment = datetime.datetime(2026, 3, 3, 19, tzinfo=datetime.UTC)
    group = ladder_actions.do_create_reading_group(
        city.organizer, session, moment, location="Ana Peña's", area=city.building1
    )
    ladder_actions.do_record_progress(city.organizer, session, [city.ana], completed=True, group=group)
    return {
        "ladder_stage_": str(stage.public_id),
        "ladder_rule_": str(rule.public_id),
        "ladder_item_": str(item.public_id),
        "education_session_": str(session.public_id),
        "education_group": str(group.public_id),
        "education_curriculum": str(curriculum.public_id),
    }


EVENT_SLUG, FORM_SLUG = "elm-tenants-a1b2c3", "sign-up-d4e5f6"


def _event_objects(city: SmallCity) -> dict[str, str]:
    """An event in Ana's district she RSVPed to, came to and joined a project at, and a form she signed."""
    from grassroots.events import actions as event_actions
    from grassroots.events.arrivals import Arrival

    starts = datetime.datetime(2099, 5, 2, 18, tzinfo=datetime.UTC)
    data = event_actions.EventData(
        "Elm tenants", starts, starts + datetime.timedelta(hours=2), address="12 Elm Avenue", area=city.ed1
    )
    event = event_actions.do_create_event(city.organizer, data)
    event.slug = EVENT_SLUG
    event.save(update_fields=["slug"])
    ana = Arrival("Ana", "Peña", email="ana.pena@example.org")
    rsvp = event_actions.do_rsvp(event, ana).rsvp
    project = event_actions.do_add_project(city.organizer, event, "Heat")
    event_actions.do_check_in(city.organizer, event, ana, projects=[project])
    form = event_actions.do_create_form(city.organizer, event_actions.FormData("Sign up", area=city.ed1))
    form.slug = FORM_SLUG
    form.save(update_fields=["slug"])
    event_actions.do_submit_form(form, ana, {})
    return {
        "event_form_": str(form.public_id),
        "event_project_": str(project.public_id),
        "event_rsvp_": str(rsvp.public_id),
        "public_rsvp_": str(rsvp.public_id),
        "event_": str(event.public_id),
    }


def _decision_objects(city: SmallCity) -> dict[str, str]:
    """A consent proposal of Ana's committee (made by _committee_objects) with an amendment, Ana's
    objection and a comment, each naming her."""
    from grassroots.committees.models import Committee
    from grassroots.decisions import actions as decision_actions

    committee = Committee.objects.get(name="12 Elm tenants")
    data = decision_actions.ProposalData(
        "Heat for Ana Peña",
        "consent",
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7),
        text="Fix Peña's heat.",
    )
    proposal = decision_actions.do_create_proposal(city.organizer, committee, data)
    amendment = decision_actions.do_propose_amendment(city.organizer, proposal, "Peña's", "Ana Peña's")
    decision_actions.do_comment(city.organizer, proposal, "Peña agrees.")
    decision_actions.do_open_proposal(city.organizer, proposal)
    decision_actions.do_cast_vote(
        city.organizer, proposal, person=city.ana, choice="object", objection="Peña objects."
    )
    return {
        "proposal_amendment_": str(amendment.public_id),
        "proposal_objection_": str(proposal.objections.get().public_id),
        "proposal_": str(proposal.public_id),
    }


def _common_ground_objects(city: SmallCity) -> dict[str, str]:
    """A round of Ana's committee (made by _committee_objects) with a statement naming her and her vote."""
    from grassroots.committees.models import Committee
    from grassroots.commonground import actions as cg_actions

    committee = Committee.objects.get(name="12 Elm tenants")
    round = cg_actions.do_open_round(
        city.organizer, committee, "Peña's building", statements=["Ana Peña first"]
    )
    statement = round.statements.get()
    cg_actions.do_vote_statement(city.organizer, statement, 1, person=city.ana)
    return {"commonground_statement_": str(statement.public_id), "commonground_round": str(round.public_id)}


def _coalition_objects(city: SmallCity) -> dict[str, str]:
    """A coalition whose union has Ana as contact and delegate, and a published endorsement she voted on."""
    from grassroots.coalitions import actions as co_actions
    from grassroots.decisions.actions import do_cast_vote, do_close_proposal

    union = struggle_actions.do_create_organization(city.admin, kind="union", name="Local 32")
    co_actions.do_add_contact(city.admin, union, city.ana)
    coalition = co_actions.do_create_coalition(city.admin, "Housing Coalition")
    member = co_actions.do_add_member_organization(city.admin, coalition, union)
    delegate = co_actions.do_add_delegate(city.admin, coalition, union, city.ana)
    endorsement = co_actions.do_create_endorsement(
        city.admin, coalition, candidate="Rosa Quintero", questions=["Rent control?"]
    )
    co_actions.do_send_questionnaire(city.admin, endorsement)
    co_actions.do_record_answers(city.admin, endorsement, {endorsement.questions.get().pk: "Yes."})
    co_actions.do_open_endorsement_vote(city.admin, endorsement)
    assert endorsement.proposal is not None
    do_cast_vote(city.admin, endorsement.proposal, person=city.ana, choice="yes")
    do_close_proposal(city.admin, endorsement.proposal)
    co_actions.do_settle_endorsement(city.admin, endorsement)
    co_actions.do_publish_endorsement(city.admin, endorsement)
    return {
        "coalition_partner": str(union.public_id),
        "coalition_endorsement_": str(endorsement.public_id),
        "endorsement_public": str(endorsement.public_id),
        "coalition_member_": str(member.public_id),
        "coalition_delegate_": str(delegate.public_id),
        "coalition_detail": str(coalition.public_id),
    }


# Routes that name more than one object: their other arguments.
EXTRA_KWARGS = {
    "question_edit": {"key": "support"},
    "question_change": {"key": "support"},
    "public_event": {"slug": EVENT_SLUG},
    "public_event_ics": {"slug": EVENT_SLUG},
    "public_form": {"slug": FORM_SLUG},
    "public_form_embed": {"slug": FORM_SLUG},
    "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
}


def _urls_for(city: SmallCity) -> dict[str, str]:
    ids = {
        "person_": str(city.ana.public_id),
        "area_": str(city.ed1.public_id),
        **_voter_objects(city),
        **_committee_objects(city),
        **_struggle_objects(city),
        **_ladder_objects(city),
        **_event_objects(city),
        **_decision_objects(city),
        **_common_ground_objects(city),
        **_coalition_objects(city),
    }
    no_id = {"person_create", "area_list", "voter_import_list", "voter_review_list"}
    no_id |= {"struggle_list", "struggle_create", "organization_list", "organization_create"}
    no_id |= {"ladder_funnel", "ladder_update", "ladder_queue", "ladder_rules", "ladder_stage_new"}
    no_id |= {"education_list", "education_curriculum_new"}
    no_id |= {"event_list", "event_create", "event_form_list", "event_form_create"}
    no_id |= {"coalition_list", "coalition_partner_create", "commonground_list", "commonground_new"}
    no_id |= {
        "committee_list",
        "committee_new",
        "committee_mine",
        "committee_coverage",
        "committee_coverage_map",
    }
    urls = {}
    for name in _url_names():
        prefix = next((p for p in ids if name.startswith(p)), None)
        kwargs = {"public_id": ids[prefix]} if prefix and name not in no_id else {}
        kwargs.update(EXTRA_KWARGS.get(name, {}))
        urls[name] = reverse(name, kwargs=kwargs)
    return urls


# Routes anyone may fetch: code, not data (the canvass app's service worker must load before login),
# and the public pages of events and forms, which name no one (not who is coming, nor who shared).
PUBLIC = {"canvass_service_worker"}
PUBLIC |= {
    "public_event",
    "public_event_ics",
    "public_events_feed",
    "public_rsvp_cancel",
    "public_form",
    "public_form_embed",
    # A published endorsement: the candidate, the answers, the vote's counts, no delegate or voter.
    "endorsement_public",
    # Password reset by email: the same answer whether or not an account has the address.
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_every_page_refuses_an_anonymous_visitor(small_city: SmallCity, client: Client) -> None:
    urls = _urls_for(small_city)
    assert len(urls) >= 10
    for name, url in urls.items():
        response = client.get(url)
        if name in PUBLIC:
            # Her names, not "Pe" alone: that pair of letters turns up in random CSRF tokens.
            body = response.content.decode()
            assert response.status_code == 200, name
            assert not any(word in body for word in ("Peña", "Pena", "Chen", "ana.pena")), name
            continue
        assert response.status_code in {302, 405}, name
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), name


def test_every_page_shows_an_outsider_no_one(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.outsider)
    names_of_people = ("Peña", "Pena", "Chen", "ana.pena", "bo@example")
    for name, url in _urls_for(small_city).items():
        for method in (client.get, client.post):
            response = method(url)
            # 400: an upload without a body is refused as malformed — also no leak.
            assert response.status_code in {200, 302, 400, 403, 404, 405}, (name, method)
            raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
            body = raw.decode()
            for word in names_of_people:
                assert word not in body, (name, word)
    assert client.get(reverse("person_detail", args=[small_city.ana.public_id])).status_code == 404
    assert client.get(reverse("people_list")).context["page"].paginator.count == 0


def _api_urls() -> dict[str, str]:
    """Every route of the OSDI API, with fresh ids for those that take ids."""
    urls = {}
    resolvers = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver)]
    resolvers += [q for p in resolvers for q in p.url_patterns if isinstance(q, URLResolver)]
    for api in (r for r in resolvers if r.namespace == "osdi"):
        for route in api.url_patterns:
            if isinstance(route, URLPattern) and route.name:
                kwargs = {key: str(uuid.uuid4()) for key in route.pattern.converters}
                urls[route.name] = reverse(f"osdi:{route.name}", kwargs=kwargs)
    return urls


# The API's own documentation: code, not data.
API_PUBLIC = {"openapi-json", "openapi-view"}


def test_every_api_route_refuses_an_anonymous_client(small_city: SmallCity, client: Client) -> None:
    urls = _api_urls()
    assert len(urls) >= 10
    for name, url in urls.items():
        for method in (client.get, client.post, client.put, client.delete):
            response = method(url)
            if name in API_PUBLIC:
                assert response.status_code in {200, 405}, name
                continue
            # 405: the route has no such method, answered before any data is touched.
            assert response.status_code in {401, 405}, (name, method)
            if response.status_code == 401:
                assert response.json()["error"], name


def test_every_api_route_shows_an_outsider_no_one(small_city: SmallCity, client: Client) -> None:
    from grassroots.api.actions import do_create_token

    _voter_objects(small_city)  # a universe, a turf and a script
    _event_objects(small_city)  # an event Ana came to and a form she signed
    token = do_create_token(None, small_city.outsider, "test")[1]
    for name, url in _api_urls().items():
        response = client.get(url, HTTP_OSDI_API_TOKEN=token)
        assert response.status_code in {200, 403, 404, 405}, name
        for word in ("Peña", "Pena", "Chen", "ana.pena", "bo@example"):
            assert word not in response.content.decode(), (name, word)


def test_a_canvasser_gets_404_for_people_outside_their_district(
    small_city: SmallCity, client: Client
) -> None:
    client.force_login(small_city.canvasser)
    assert client.get(reverse("person_detail", args=[small_city.bo.public_id])).status_code == 200
    assert client.get(reverse("person_detail", args=[small_city.ana.public_id])).status_code == 404
    listing = client.get(reverse("people_list"))
    assert [p.first_name for p in listing.context["page"]] == ["Bo"]


def test_a_canvasser_may_not_change_people(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.canvasser)
    url = reverse("person_edit", args=[small_city.bo.public_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"first_name": "Changed"}).status_code == 403
    small_city.bo.refresh_from_db()
    assert small_city.bo.first_name == "Bo"


@pytest.mark.parametrize(
    "bad", ["nope", "12345", "5b0a1f3e-9c2d-4e8f-a1b2-c3d4e5f60718", "00000000-0000-0000-0000-00000000000g"]
)
def test_unknown_or_malformed_ids_answer_404(small_city: SmallCity, client: Client, bad: str) -> None:
    client.force_login(small_city.admin)
    for name in ("person_detail", "person_edit", "person_merge", "area_detail", "area_map"):
        assert client.get(reverse(name, args=[bad])).status_code == 404, name
    assert client.get(reverse("people_list"), {"area": bad}).status_code == 404


def test_viewing_a_person_is_audited(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    client.get(reverse("person_detail", args=[small_city.ana.public_id]))
    entry = AuditEntry.objects.filter(verb="view").get()
    assert (entry.actor, entry.object_id) == (small_city.organizer, str(small_city.ana.public_id))


def test_searching_people_is_audited_with_the_query(small_city: SmallCity, client: Client) -> None:
    client.force_login(small_city.organizer)
    client.get(reverse("people_list"), {"q": "Chen"})
    entry = AuditEntry.objects.filter(verb="search").get()
    assert entry.details["query"] == "Chen"
    assert entry.details["shown"] == 1


def test_login_is_throttled_after_repeated_failures(small_city: SmallCity, client: Client) -> None:
    small_city.organizer.set_password("right-horse-battery")
    small_city.organizer.save()
    for _ in range(5):
        client.post(reverse("login"), {"username": "organizer", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "organizer", "password": "right-horse-battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
