"""Scripts, questions, answers, canvassing efforts and canvasses, and the record canvass helper."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from grassroots.accounts.models import AuditEntry, Role
from grassroots.canvass import scripts
from grassroots.canvass.models import FollowUp, Question, Script, Turf, TurfDoor, Universe, Visit
from grassroots.fixtures import SmallCity
from grassroots.people.models import Action
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


@dataclass
class Effort:
    universe: Universe
    turf: Turf
    script: Script

    def question(self, key: str) -> Question:
        return self.script.questions.get(key=key)

    @property
    def url(self) -> str:
        return f"/api/v2/canvassing_efforts/{self.universe.public_id}"


@pytest.fixture
def effort(small_city: SmallCity) -> Effort:
    """A canvass of the whole city with the standard script: one turf, both homes, the canvasser's."""
    universe = Universe.objects.create(name="Spring canvass")
    universe.areas.add(small_city.city)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=small_city.home1, position=0)
    TurfDoor.objects.create(turf=turf, household=small_city.home2, position=1)
    turf.canvassers.add(small_city.canvasser)
    return Effort(universe, turf, scripts.standard_script())


def _person(small_city: SmallCity, who: str = "ana") -> dict[str, Any]:
    person = getattr(small_city, who)
    return {"osdi:person": {"href": f"http://testserver/api/v2/people/{person.public_id}"}}


def _canvass(effort: Effort, small_city: SmallCity, who: str = "ana", **extra: Any) -> dict[str, Any]:
    return {
        "canvass": {"identifiers": ["crm:42"], "action_date": "2026-11-21T14:05:00Z", "success": True},
        "add_answers": [
            {"question": f"http://testserver/api/v2/questions/{effort.question('support').public_id}",
             "responses": ["4"]},
            {"question": str(effort.question("involved").public_id), "responses": ["yes"]},
        ],
        "_links": _person(small_city, who),
        **extra,
    }  # fmt: skip


def test_the_record_canvass_helper_applies_a_canvass_as_the_phone_sync_does(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    before = Action.objects.filter(person=small_city.ana, kind="door_knock").count()
    response = api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    assert response.status_code == 200, response.json()
    body = response.json()
    visit = Visit.objects.get()
    assert body["identifiers"] == [f"grassroots:{visit.public_id}"]
    assert (body["success"], body["status_code"], body["action_date"]) == (
        True,
        "contact",
        "2026-11-21T14:05:00Z",
    )
    assert body["_links"]["osdi:target"]["href"].endswith(str(small_city.ana.public_id))
    assert (visit.person, visit.answers, visit.canvasser) == (
        small_city.ana, {"support": 4, "involved": True}, small_city.organizer,
    )  # fmt: skip
    # The script's effects, as for a phone: the tag, the follow-up and the door knock.
    assert "wants to get involved" in {t.name for t in small_city.ana.tags.all()}
    assert FollowUp.objects.get().reason == "Wants to get involved"
    assert Action.objects.filter(person=small_city.ana, kind="door_knock").count() == before + 1
    assert AuditEntry.objects.filter(
        verb="create", object_type="visit", object_id=str(visit.public_id)
    ).exists()


def test_a_canvass_sent_again_with_the_same_identifier_is_applied_once(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    first = api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).json()
    again = api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    assert again.status_code == 200 and again.json()["identifiers"] == first["identifiers"]
    assert Visit.objects.count() == 1 and FollowUp.objects.count() == 1
    assert (
        Action.objects.filter(kind="door_knock", details__visit=str(Visit.objects.get().public_id)).count()
        == 1
    )
    # Our own identifier names the same visit too; another client identifier is another canvass.
    ours = _canvass(effort, small_city)
    ours["canvass"]["identifiers"] = first["identifiers"]
    assert api.post(f"{effort.url}/record_canvass_helper", ours).json()["identifiers"] == first["identifiers"]
    other = _canvass(effort, small_city)
    other["canvass"]["identifiers"] = ["crm:43"]
    assert api.post(f"{effort.url}/record_canvass_helper", other).status_code == 200
    assert Visit.objects.count() == 2


def test_the_record_canvass_helper_refuses_what_the_script_refuses(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    too_high = _canvass(effort, small_city)
    too_high["add_answers"][0]["responses"] = ["9"]
    response = api.post(f"{effort.url}/record_canvass_helper", too_high)
    assert response.status_code == 400 and response.json()["field"] == "canvass"
    assert "1 to 5" in response.json()["error"]
    unknown = _canvass(effort, small_city, add_answers=[{"question": "c945d6fe-929e-11e3-a2e9-12313d316c29"}])
    response = api.post(f"{effort.url}/record_canvass_helper", unknown)
    assert response.status_code == 400 and response.json()["field"] == "add_answers.0.question"
    assert not Visit.objects.exists()


def test_a_canvasser_records_and_reads_only_their_own_canvasses(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api_as(small_city.organizer).post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    canvasser = api_as(small_city.canvasser)
    assert canvasser.get(effort.url).status_code == 200  # they walk a turf of it
    assert (
        canvasser.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).status_code == 404
    )
    body = _canvass(effort, small_city, "bo")
    body["canvass"]["identifiers"] = ["phone:1"]
    mine = canvasser.post(f"{effort.url}/record_canvass_helper", body)
    assert mine.status_code == 200, mine.json()
    assert Visit.objects.get(person=small_city.bo).canvasser == small_city.canvasser
    listed = canvasser.get(f"{effort.url}/canvasses").json()["_embedded"]["osdi:canvasses"]
    assert [c["identifiers"] for c in listed] == [mine.json()["identifiers"]]
    # Tagging people takes a role that may change them.
    body["add_tags"] = ["door"]
    assert canvasser.post(f"{effort.url}/record_canvass_helper", body).status_code == 403


def test_outsiders_and_read_only_tokens_get_nothing(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api_as(small_city.organizer).post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    outsider = api_as(small_city.outsider)
    assert outsider.get("/api/v2/canvassing_efforts").json()["total_records"] == 0
    assert outsider.get(effort.url).status_code == 404
    assert (
        outsider.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).status_code == 404
    )
    support = effort.question("support").public_id
    assert outsider.get(f"/api/v2/questions/{support}/answers").json()["_embedded"] == {"osdi:answers": []}
    small_city.coordinator.scope.set([small_city.south])  # the effort covers the north too
    assert api_as(small_city.coordinator).get(effort.url).status_code == 404
    read_only = api_as(small_city.organizer, read_only=True)
    assert read_only.get(f"{effort.url}/canvasses").json()["total_records"] == 1
    assert (
        read_only.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).status_code == 403
    )


def test_efforts_scripts_questions_and_answers_are_osdi_resources(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    canvass = api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).json()
    efforts = api.get("/api/v2/canvassing_efforts", {"filter": "modified_date gt '2000-01-01'"}).json()
    (shown,) = efforts["_embedded"]["osdi:canvassing_efforts"]
    assert (shown["name"], shown["total_canvasses"]) == ("Spring canvass", 1)
    assert shown["identifiers"] == [f"grassroots:{effort.universe.public_id}"]
    script = api.get(shown["_links"]["osdi:script"]["href"]).json()
    assert script["name"] == Script.STANDARD
    questions = api.get(script["_links"]["osdi:script_questions"]["href"]).json()
    steps = questions["_embedded"]["osdi:script_questions"]
    assert [(s["sequence"], s["_embedded"]["osdi:question"]["name"]) for s in steps] == [
        (1, "support"), (2, "involved"), (3, "tenants_meeting"), (4, "issue"),
    ]  # fmt: skip
    support = steps[0]["_embedded"]["osdi:question"]
    assert support["question_type"] == "SingleChoice" and [r["key"] for r in support["responses"]] == list(
        "12345"
    )
    answers = api.get(support["_links"]["osdi:answers"]["href"]).json()["_embedded"]["osdi:answers"]
    assert [(a["responses"], a["_links"]["osdi:person"]["href"]) for a in answers] == [
        (["4"], f"http://testserver/api/v2/people/{small_city.ana.public_id}")
    ]
    of_canvass = api.get(canvass["_links"]["osdi:answers"]["href"]).json()["_embedded"]["osdi:answers"]
    assert sorted(a["responses"][0] for a in of_canvass) == ["4", "yes"]
    person = api.get(f"/api/v2/people/{small_city.ana.public_id}/canvasses").json()
    assert person["_embedded"]["osdi:canvasses"][0]["identifiers"] == canvass["identifiers"]
    assert api.get(f"/api/v2/people/{small_city.ana.public_id}").json()["_links"]["osdi:canvasses"]
    past = api.get(f"{effort.url}/canvasses", {"page": 5}).json()
    assert past["_embedded"] == {"osdi:canvasses": []} and past["total_records"] == 1


def test_the_person_helper_finds_the_effort_of_their_door_or_the_one_linked(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    url = f"/api/v2/people/{small_city.ana.public_id}/record_canvass_helper"
    body = {"canvass": {"identifiers": ["crm:7"], "success": False, "status_code": "not_home"}}
    response = api.post(url, body)
    assert response.status_code == 200, response.json()
    assert response.json()["_links"]["osdi:canvassing_effort"]["href"].endswith(
        str(effort.universe.public_id)
    )
    assert Visit.objects.get().result == "not_home"
    plain = api.post(
        f"/api/v2/people/{small_city.bo.public_id}/canvasses",
        {"success": True, "_links": {"osdi:canvassing_effort": {"href": effort.url}}},
    )
    assert plain.status_code == 200 and Visit.objects.get(person=small_city.bo).result == "contact"
    bad = api.post(url, {"canvass": {"status_code": "on_fire"}})
    assert bad.status_code == 400 and bad.json()["field"] == "canvass.status_code"


def test_reading_canvasses_is_audited(small_city: SmallCity, effort: Effort, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    api.get(f"{effort.url}/canvasses")
    entry = AuditEntry.objects.filter(verb="view", object_type="person").latest("id")
    assert entry.details["shown"] == [str(small_city.ana.public_id)] and entry.details["source"] == "api"


def test_scripts_questions_and_canvasses_are_not_deleted_nor_an_effort_with_canvasses(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.admin)
    canvass = api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city)).json()
    for url in (
        f"/api/v2/scripts/{effort.script.public_id}",
        f"/api/v2/questions/{effort.question('support').public_id}",
        canvass["_links"]["self"]["href"],
    ):
        response = api.delete(url)
        assert response.status_code == 405 and "not deleted" in response.json()["error"], url
    response = api.delete(effort.url)
    assert response.status_code == 409 and "knocked" in response.json()["error"]
    assert Visit.objects.count() == 1 and Universe.objects.count() == 1
    assert api_as(small_city.outsider).delete(effort.url).status_code == 403  # a member: the role
    assert api_as(small_city.canvasser).delete(effort.url).status_code == 403


ISSUES = {
    "name": "Issues question",
    "title": "Which issues do you care about?",
    "question_type": "MultiChoice",
    "responses": [{"key": "hc", "name": "healthcare", "title": "Health care"}, {"key": "env"}],
}


def test_an_organizer_adds_a_question_and_changes_it_and_both_are_audited(
    small_city: SmallCity, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    created = api.post("/api/v2/questions", ISSUES)
    assert created.status_code == 200, created.content
    question = Question.objects.get(public_id=created.json()["identifiers"][0].rsplit(":", 1)[1])
    assert (question.key, question.kind, question.choices) == ("issues_question", "choice", ["hc", "env"])
    assert question.script.name == "Questions added through the API"
    url = f"/api/v2/questions/{question.public_id}"
    changed = api.put(url, {"title": "Which issues matter to you?", "question_type": "Paragraph"})
    assert changed.status_code == 200, changed.content
    assert changed.json()["question_type"] == "Paragraph"
    question.refresh_from_db()
    assert (question.label, question.kind) == ("Which issues matter to you?", "text")
    verbs = AuditEntry.objects.filter(object_type="question", object_id=str(question.public_id))
    assert sorted(verbs.values_list("verb", flat=True)) == sorted(
        [AuditEntry.Verb.CREATE, AuditEntry.Verb.UPDATE]
    )


def test_a_question_goes_last_in_the_script_it_links_and_yes_no_and_paragraph_map_onto_kinds(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    script_href = f"http://testserver/api/v2/scripts/{effort.script.public_id}"
    body = {"name": "Has a car", "question_type": "YesNo", "_links": {"osdi:script": {"href": script_href}}}
    assert api.post("/api/v2/questions", body).status_code == 200
    assert api.post("/api/v2/questions", {"name": "Notes", "question_type": "Paragraph"}).status_code == 200
    last = effort.script.questions.order_by("-position").first()
    assert last is not None and (last.key, last.kind) == ("has_a_car", "yes_no")
    assert Question.objects.get(key="notes").kind == "text"
    again = api.post("/api/v2/questions", body)
    assert again.status_code == 400
    assert api.post("/api/v2/questions", {"name": "x", "question_type": "Ranking"}).status_code == 400
    one = api.post(
        "/api/v2/questions", {"name": "One", "question_type": "SingleChoice", "responses": [{"key": "a"}]}
    )
    assert one.status_code == 400  # a choice needs two


def test_an_answered_question_keeps_its_kind_and_name(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    api.post(f"{effort.url}/record_canvass_helper", _canvass(effort, small_city))
    url = f"/api/v2/questions/{effort.question('involved').public_id}"
    refused = api.put(url, {"question_type": "Paragraph"})
    assert refused.status_code == 409
    assert "already answered" in refused.json()["error"]
    assert api.put(url, {"name": "keen"}).status_code == 409
    assert effort.question("involved").kind == "yes_no"
    assert api.put(url, {"title": "Wants to help out"}).status_code == 200
    assert effort.question("involved").label == "Wants to help out"


def test_canvassers_members_and_read_only_tokens_may_not_write_questions(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    url = f"/api/v2/questions/{effort.question('issue').public_id}"
    for client in (api_as(small_city.canvasser), api_as(small_city.organizer, read_only=True)):
        assert client.post("/api/v2/questions", ISSUES).status_code == 403
        assert client.put(url, {"title": "Changed"}).status_code == 403
    assert not Question.objects.filter(key="issues_question").exists()
    assert effort.question("issue").label == "An issue they raise"


def test_an_organizer_adds_a_script_and_changes_it_and_the_order_of_its_questions(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    created = api.post("/api/v2/scripts", {"name": "Script 1", "description": "Hello, we are neighbours."})
    assert created.status_code == 200, created.content
    script = Script.objects.get(name="Script 1")
    assert script.introduction == "Hello, we are neighbours." and script.created_by == small_city.organizer
    href = f"http://testserver/api/v2/scripts/{script.public_id}"
    for name in ("First", "Second"):
        body = {"name": name, "question_type": "Paragraph", "_links": {"osdi:script": {"href": href}}}
        assert api.post("/api/v2/questions", body).status_code == 200
    first, second = script.questions.order_by("position")
    url = f"/api/v2/scripts/{script.public_id}"
    changed = api.put(
        url, {"title": "Script one", "questions": [str(second.public_id), str(first.public_id)]}
    )
    assert changed.status_code == 200, changed.content
    assert [q.key for q in script.questions.order_by("position")] == ["second", "first"]
    assert changed.json()["name"] == "Script one"
    assert api.put(url, {"questions": [str(first.public_id)]}).status_code == 400
    other = str(effort.question("support").public_id)
    assert api.put(url, {"questions": [str(first.public_id), other]}).status_code == 400
    assert api.post("/api/v2/scripts", {"name": "Script one"}).status_code == 400
    standard = f"/api/v2/scripts/{effort.script.public_id}"
    assert api.put(standard, {"name": "Mine"}).status_code == 409
    verbs = AuditEntry.objects.filter(object_type="script", object_id=str(script.public_id))
    assert sorted(verbs.values_list("verb", flat=True)) == sorted(
        [AuditEntry.Verb.CREATE, AuditEntry.Verb.UPDATE]
    )


def test_canvassers_and_read_only_tokens_may_not_write_scripts(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    url = f"/api/v2/scripts/{effort.script.public_id}"
    for client in (api_as(small_city.canvasser), api_as(small_city.organizer, read_only=True)):
        assert client.post("/api/v2/scripts", {"name": "Theirs"}).status_code == 403
        assert client.put(url, {"description": "Changed"}).status_code == 403
    assert not Script.objects.filter(name="Theirs").exists()
    effort.script.refresh_from_db()
    assert effort.script.introduction == ""


EFFORT = {
    "identifiers": ["crm:effort-7"],
    "name": "Spring doors, north",
    "title": "Meet your neighbours",
    "description": "Knock every door of the north before the tenants' meeting.",
    "start_time": "2099-02-19T8:00:00Z",
    "end_time": "2099-02-19T12:00:00Z",
    "type": "in-person",
}


def test_an_organizer_adds_an_effort_over_the_areas_named_with_its_script_and_shift(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    script = effort.script
    body = {
        **EFFORT,
        "areas": [str(small_city.north.public_id)],
        "_links": {"osdi:script": {"href": f"http://testserver/api/v2/scripts/{script.public_id}"}},
    }
    response = api.post("/api/v2/canvassing_efforts", body)
    assert response.status_code == 200, response.content
    shown = response.json()
    universe = Universe.objects.get(public_id=shown["identifiers"][0].split(":", 1)[1])
    assert (universe.name, universe.title, universe.description) == (
        EFFORT["name"], EFFORT["title"], EFFORT["description"],
    )  # fmt: skip
    assert list(universe.areas.all()) == [small_city.north] and universe.script == script
    assert universe.created_by == small_city.organizer
    (shift,) = universe.shifts.all()
    assert shift.starts_at.isoformat() == "2099-02-19T08:00:00+00:00"
    assert shift.ends_at.isoformat() == "2099-02-19T12:00:00+00:00"
    assert shown["title"] == EFFORT["title"] and shown["total_canvasses"] == 0
    assert shown["start_time"].startswith("2099-02-19T08:00:00")
    assert shown["areas"] == [
        {"id": str(small_city.north.public_id), "name": "North", "kind": "neighborhood"}
    ]
    assert shown["_links"]["osdi:script"]["href"].endswith(str(script.public_id))
    entry = AuditEntry.objects.get(verb=AuditEntry.Verb.CREATE, object_type="universe")
    assert entry.details["source"] == "api" and entry.object_id == str(universe.public_id)
    # The new effort is listed and read like the others, and its doors are those of its areas.
    assert api.get(shown["_links"]["self"]["href"]).json()["name"] == EFFORT["name"]
    names = [
        e["name"]
        for e in api.get("/api/v2/canvassing_efforts").json()["_embedded"]["osdi:canvassing_efforts"]
    ]
    assert EFFORT["name"] in names


def test_an_effort_without_areas_covers_the_areas_its_maker_works_in(
    small_city: SmallCity, api_as: Any
) -> None:
    response = api_as(small_city.coordinator).post("/api/v2/canvassing_efforts", {"name": "Ours"})
    assert response.status_code == 200, response.content
    universe = Universe.objects.get(name="Ours")
    assert list(universe.areas.all()) == [small_city.north]  # the coordinator's scope
    assert not universe.shifts.exists() and universe.script is None
    assert response.json()["_links"]["osdi:script"]["href"].endswith(str(scripts.standard_script().public_id))


def test_an_effort_is_refused_with_the_field_at_fault(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.coordinator)
    south = str(small_city.south.public_id)
    cases = [
        ({"name": ""}, 400, "name"),
        ({"name": "X", "type": "phonebank"}, 400, "type"),
        ({"name": "X", "start_time": "2099-01-01T10:00:00Z"}, 400, "end_time"),
        (
            {"name": "X", "start_time": "2099-01-01T10:00:00Z", "end_time": "2099-01-01T09:00:00Z"},
            400,
            "end_time",
        ),
        ({"name": "X", "start_time": "soon", "end_time": "later"}, 400, "start_time"),
        ({"name": "X", "areas": ["nowhere"]}, 400, "areas.0"),
        ({"name": "X", "areas": [str(uuid.uuid4())]}, 400, "areas"),
        ({"name": "X", "areas": []}, 400, "areas"),
        ({"name": "X", "_links": {"osdi:script": {"href": str(uuid.uuid4())}}}, 400, "_links.osdi:script"),
        ({"name": "X", "areas": [south]}, 403, ""),  # the coordinator works in the north only
    ]
    for body, status, field in cases:
        response = api.post("/api/v2/canvassing_efforts", body)
        assert response.status_code == status, (body, response.json())
        assert response.json().get("field", "") == field, (body, response.json())
    assert not Universe.objects.exists()
    nowhere = make_user("nowhere", Role.ORGANIZER)  # may change people, but works in no area
    response = api_as(nowhere).post("/api/v2/canvassing_efforts", {"name": "X"})
    assert response.status_code == 400 and response.json()["field"] == "areas"
    clients = (
        api_as(small_city.canvasser),
        api_as(small_city.outsider),
        api_as(small_city.organizer, read_only=True),
    )
    for client in clients:
        assert client.post("/api/v2/canvassing_efforts", {"name": "X"}).status_code == 403
    assert not Universe.objects.exists()


def test_an_organizer_changes_an_effort_and_moves_its_shift(
    small_city: SmallCity, effort: Effort, api_as: Any
) -> None:
    api = api_as(small_city.organizer)
    created = api.post("/api/v2/canvassing_efforts", {**EFFORT, "areas": [str(small_city.ed1.public_id)]})
    url = created.json()["_links"]["self"]["href"]
    universe = Universe.objects.get(name=EFFORT["name"])
    other = Script.objects.create(name="Tenants script")
    changed = api.put(
        url,
        {
            "title": "Canvassing Effort 2",
            "end_time": "2099-02-19T13:30:00Z",
            "areas": [str(small_city.ed1.public_id), str(small_city.ed2.public_id)],
            "_links": {"osdi:script": {"href": str(other.public_id)}},
        },
    )
    assert changed.status_code == 200, changed.content
    universe.refresh_from_db()
    # A title alone names the effort too, as on creation (OSDI's title is its public name).
    assert (universe.name, universe.title, universe.script) == (
        "Canvassing Effort 2",
        "Canvassing Effort 2",
        other,
    )
    assert sorted(a.name for a in universe.areas.all()) == ["ED 1", "ED 2"]
    (shift,) = universe.shifts.all()
    assert shift.starts_at.isoformat() == "2099-02-19T08:00:00+00:00"  # kept
    assert shift.ends_at.isoformat() == "2099-02-19T13:30:00+00:00"
    assert changed.json()["end_time"].startswith("2099-02-19T13:30:00")
    entry = AuditEntry.objects.filter(verb=AuditEntry.Verb.UPDATE, object_type="universe").get()
    assert sorted(entry.details["changed"]) == ["areas", "script", "shift", "title"]
    assert api.put(url, {"end_time": "2099-02-19T07:00:00Z"}).status_code == 400
    # Cut into turfs, its areas stay; a second shift makes the times a matter for the web app.
    Turf.objects.create(universe=universe, number=1)
    response = api.put(url, {"areas": [str(small_city.ed1.public_id)]})
    assert response.status_code == 409 and "turfs" in response.json()["error"]
    universe.shifts.create(starts_at=shift.starts_at, ends_at=shift.ends_at)
    assert api.put(url, {"start_time": "2099-02-19T09:00:00Z"}).status_code == 409
    assert universe.areas.count() == 2
    # Those who may not change it: its canvasser (through the role), a read-only token, an outsider.
    effort_url = effort.url
    assert api_as(small_city.canvasser).put(effort_url, {"name": "Mine"}).status_code == 403
    assert api_as(small_city.organizer, read_only=True).put(url, {"name": "Mine"}).status_code == 403
    assert api_as(small_city.outsider).put(url, {"name": "Mine"}).status_code == 403  # a member
    south = make_user("south", Role.ORGANIZER, [small_city.south])
    assert api_as(south).put(url, {"name": "Mine"}).status_code == 404  # not all its areas are theirs
    # A coordinator of the north sees the effort it walks in, but it reaches the south too.
    effort.turf.canvassers.add(small_city.coordinator)
    assert api_as(small_city.coordinator).put(effort_url, {"name": "Mine"}).status_code == 403
    assert not Universe.objects.filter(name="Mine").exists()


def test_an_effort_no_door_was_knocked_for_is_deleted(small_city: SmallCity, api_as: Any) -> None:
    api = api_as(small_city.organizer)
    url = api.post("/api/v2/canvassing_efforts", EFFORT).json()["_links"]["self"]["href"]
    assert api_as(small_city.canvasser).delete(url).status_code == 403
    response = api.delete(url)
    assert response.status_code == 200 and response.json() == {
        "notice": "This canvassing effort was successfully deleted."
    }
    assert not Universe.objects.exists() and api.get(url).status_code == 404
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.DELETE, object_type="universe").count() == 1


def test_a_page_of_efforts_costs_the_same_queries_whatever_its_size(
    small_city: SmallCity, api_as: Any, django_assert_max_num_queries: Any
) -> None:
    api = api_as(small_city.organizer)
    for i in range(12):  # without a script of their own: each links the standard script
        api.post("/api/v2/canvassing_efforts", {"name": f"Effort {i}"})

    def queries(per_page: int) -> int:
        with django_assert_max_num_queries(100) as captured:
            body = api.get("/api/v2/canvassing_efforts", {"per_page": per_page, "page": 2}).json()
        efforts = body["_embedded"]["osdi:canvassing_efforts"]
        assert len(efforts) == per_page
        assert all(
            e["_links"]["osdi:script"]["href"].endswith(str(scripts.standard_script().public_id))
            for e in efforts
        )
        return len(captured.captured_queries)

    assert queries(2) == queries(5)


@pytest.mark.parametrize("moment", ["2026-02-30T10:00:00Z", "9999-12-31T23:59:59-05:00"])
def test_canvassing_dates_that_do_not_exist_are_refused_with_the_field_at_fault(
    small_city: SmallCity, effort: Effort, api_as: Any, moment: str
) -> None:
    api = api_as(small_city.organizer)
    body = _canvass(effort, small_city)
    body["canvass"]["action_date"] = moment
    response = api.post(f"{effort.url}/record_canvass_helper", body)
    assert response.status_code == 400 and response.json()["field"] == "canvass.action_date"
    assert not Visit.objects.exists()
    response = api.post(
        "/api/v2/canvassing_efforts", {"name": "X", "start_time": moment, "end_time": "2099-01-01T09:00:00Z"}
    )
    assert response.status_code == 400 and response.json()["field"] == "start_time"
