"""The OSDI specification's own examples as test vectors.

Every example request of the resources grassroots serves is sent (ids swapped for ours) and must
be accepted; every example response's fields must be in ours, but for the fields grassroots does
not keep (NOT_KEPT, each with its reason).
"""

from __future__ import annotations

import datetime
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest

from grassroots.api.tests.conftest import ApiClient
from grassroots.canvass.models import Question, Script, Shift, Turf, TurfDoor, Universe, Visit
from grassroots.canvass.sync import apply_visits
from grassroots.events import actions as event_actions
from grassroots.events.arrivals import Arrival
from grassroots.events.models import Event
from grassroots.fixtures import SmallCity

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "osdi" / "osdi_spec_examples.json"

FILES = {
    "aep.md", "people.md", "person_signup.md", "tags.md", "taggings.md", "events.md", "attendances.md",
    "record_attendance.md", "forms.md", "submissions.md", "record_submission.md", "petitions.md",
    "signatures.md", "record_signature.md", "lists.md", "items.md", "questions.md", "answers.md",
    "scripts.md", "script_questions.md", "canvassing_efforts.md", "canvasses.md", "record_canvass.md",
}  # fmt: skip

_SCRIPTS = "scripts and their questions are written in the web app, with the branches and follow-ups they set"
# Requests of those files that grassroots refuses, and why.
NOT_SERVED = {
    ("taggings.md", "PUT"): "a tagging is a tag on a person; it is not moved onto an event",
    ("forms.md", "PUT"): "forms are edited in the web app, where their questions are",
    ("petitions.md", "PUT"): "petitions are edited in the web app, where their questions are",
    ("submissions.md", "PUT"): "a submission is what a person sent; it is not rewritten",
    ("signatures.md", "PUT"): "a signature is what a person signed; it is not rewritten",
    ("items.md", "PUT"): "an item is a person on a list (a tag); it is not moved onto an event",
    ("script_questions.md", "POST"): _SCRIPTS,
    ("answers.md", "POST"): "answers are recorded with their canvass, through the record canvass helper",
    ("answers.md", "PUT"): "an answer is what was said at a door; it is not rewritten",
    ("canvasses.md", "PUT"): "a canvass is what happened at a door; it is not rewritten",
}

# Fields of the examples' responses that grassroots does not keep, by resource.
_PERSON = {
    "gender", "gender_identity", "gender_pronouns", "honorific_prefix", "party_identification", "parties",
    "division_info", "source", "administrative_url", "birthdate", "ethnicities", "languages_spoken",
    "preferred_language", "employer", "employer_address", "occupation", "profiles", "id",
}  # fmt: skip
NOT_KEPT: dict[str, set[str]] = {
    "aep.md": set(),
    "people.md": _PERSON,
    "person_signup.md": _PERSON,
    "tags.md": {"description"},
    "taggings.md": set(),
    "events.md": {
        "summary",
        "instructions",
        "administrative_url",
        "featured_image_url",
        "all_day",
        "guests_can_invite_others",
        "transparence",
        "reminders",
        "share_url",
        "total_shares",
        "share_options",
    },
    "attendances.md": {"comment", "tickets"},
    "record_attendance.md": {"tickets"},
    "forms.md": {
        "summary",
        "call_to_action",
        "administrative_url",
        "featured_image_url",
        "share_url",
        "total_shares",
        "share_options",
    },
    "petitions.md": {
        "summary",
        "petition_text",
        "administrative_url",
        "featured_image_url",
        "share_url",
        "total_shares",
        "share_options",
    },
    "submissions.md": set(),
    "signatures.md": set(),
    "record_submission.md": set(),
    "record_signature.md": set(),
    "lists.md": {"summary", "administrative_url"},
    "items.md": set(),
    "questions.md": set(),
    "answers.md": set(),
    "scripts.md": set(),
    "script_questions.md": set(),
    "canvassing_efforts.md": set(),
    "canvasses.md": {"input_tinput_typeype"},  # the example's misspelling of input_type, which is served
    "record_canvass.md": set(),
}

FUTURE = datetime.datetime(2099, 5, 2, 18, tzinfo=datetime.UTC)
_ID = re.compile(r"^[0-9a-z]+(-[0-9a-z]+)+$")


def _examples() -> list[dict[str, Any]]:
    if not EXAMPLES.exists():
        pytest.skip("The OSDI examples file is not beside the repository.")
    return [e for e in json.loads(EXAMPLES.read_text()) if e["file"] in FILES]


@pytest.fixture
def world(small_city: SmallCity, api_as: Any) -> dict[str, Any]:
    c = small_city
    starts = FUTURE
    event = event_actions.do_create_event(
        c.organizer,
        event_actions.EventData(
            "Elm tenants", starts, starts + datetime.timedelta(hours=2), address="12 Elm"
        ),
    )
    rsvp = event_actions.do_rsvp(event, Arrival("Ana", "Peña", email="ana.pena@example.org")).rsvp
    forms = {}
    for kind in ("signup", "petition"):
        form = event_actions.do_create_form(c.organizer, event_actions.FormData(f"A {kind}", kind=kind))
        forms[kind] = (
            form,
            event_actions.do_submit_form(form, Arrival("Ana", email="ana.pena@example.org"), {}).submission,
        )
    tag = c.ana.tags.get()
    tagging = c.ana.tagging_set.get()
    effort, visit, questions = _canvass_world(c)
    return {
        "api": api_as(c.admin),
        "people": (c.ana.public_id, None),
        "tags": (tag.public_id, tagging.public_id),
        "events": (event.public_id, rsvp.public_id),
        "forms": (forms["signup"][0].public_id, forms["signup"][1].public_id),
        "petitions": (forms["petition"][0].public_id, forms["petition"][1].public_id),
        "lists": (tag.public_id, tagging.public_id),
        "questions": (questions[0].public_id, visit.public_id),
        "scripts": (questions[0].script.public_id, questions[0].public_id),
        "canvassing_efforts": (effort.public_id, visit.public_id),
        # The example renames its question: an answered question keeps its name, so it renames another.
        "unanswered_question": f"/api/v2/questions/{questions[1].public_id}",
        "question_hrefs": [f"http://testserver/api/v2/questions/{q.public_id}" for q in questions],
        "effort_href": f"http://testserver/api/v2/canvassing_efforts/{effort.public_id}",
        "script_href": f"http://testserver/api/v2/scripts/{questions[0].script.public_id}",
        "person_href": f"http://testserver/api/v2/people/{c.bo.public_id}",
    }


def _canvass_world(c: SmallCity) -> tuple[Universe, Visit, list[Question]]:
    """An effort over the city asking a script shaped like the examples' (a choice of r1 and r2, a
    text question), with a shift, and one canvass of Ana that answered the choice."""
    script = Script.objects.create(name="Spring script", introduction="Persuasion script")
    questions = [
        Question.objects.create(script=script, position=0, key="issue", label="Issue", kind="choice",
                                choices=["r1", "r2"]),
        Question.objects.create(script=script, position=1, key="heard", label="Heard of us", kind="text"),
    ]  # fmt: skip
    universe = Universe.objects.create(name="Effort 2", script=script)
    universe.areas.add(c.city)
    turf = Turf.objects.create(universe=universe, number=1)
    TurfDoor.objects.create(turf=turf, household=c.home1, position=0)
    TurfDoor.objects.create(turf=turf, household=c.home2, position=1)
    Shift.objects.create(universe=universe, starts_at=FUTURE, ends_at=FUTURE + datetime.timedelta(hours=3))
    visit_id = uuid.uuid4()
    report = apply_visits(
        c.admin,
        [{"id": str(visit_id), "turf": str(turf.public_id), "household": str(c.home1.public_id),
          "person": str(c.ana.public_id), "result": "contact", "visited_at": "2026-11-21T14:05:00Z",
          "answers": {"issue": "r1"}}],
        organizer=True,
    )  # fmt: skip
    assert report.applied == [str(visit_id)], report.as_dict()
    return universe, Visit.objects.get(public_id=visit_id), questions


def _our_path(url: str, world: dict[str, Any]) -> str:
    parts = [p for p in url.split("/api/v1/", 1)[1].split("/") if p]
    ids = world.get(parts[0], (None, None))
    out, n = [], 0
    for part in parts:
        if _ID.match(part) and not part.endswith("helper"):
            out.append(str(ids[min(n, 1)]))
            n += 1
        else:
            out.append(part)
    return "/api/v2/" + "/".join(out)


def _rewrite_links(body: Any, world: dict[str, Any]) -> Any:
    body = json.loads(json.dumps(body))
    if isinstance(body, dict) and "osdi:person" in body.get("_links", {}):
        body["_links"]["osdi:person"] = {"href": world["person_href"]}
    if isinstance(body, dict) and "osdi:canvassing_effort" in body.get("_links", {}):
        body["_links"]["osdi:canvassing_effort"] = {"href": world["effort_href"]}
    if isinstance(body, dict) and "osdi:script" in body.get("_links", {}):
        body["_links"]["osdi:script"] = {"href": world["script_href"]}
    for answer, question in zip(
        body.get("add_questions_responses_uri", []), world["question_hrefs"], strict=False
    ):
        answer["question"] = question
    return body


def test_every_example_request_is_accepted_and_answered_with_the_example_fields(
    world: dict[str, Any],
) -> None:
    api: ApiClient = world["api"]
    examples = _examples()
    sent = 0
    for i, example in enumerate(examples):
        head = example["head"]
        method = head.split(" ", 1)[0]
        if method not in {"POST", "PUT"}:
            continue
        if (example["file"], method) in NOT_SERVED:
            continue
        path = _our_path(head.split(" ", 1)[1], world)
        if (example["file"], method) == ("questions.md", "PUT"):
            path = world["unanswered_question"]
        body = _rewrite_links(example["json"], world)
        if (example["file"], method) == ("scripts.md", "PUT"):
            # The example names its script as the POST's (names are unique): it changes that one.
            path = f"/api/v2/scripts/{Script.objects.get(name=body['name']).public_id}"
        response = getattr(api, method.lower())(path, body)
        assert response.status_code == 200, (example["file"], head, response.json())
        sent += 1
        if example["file"] == "events.md":  # the example moves the event to 2015: bring it back
            Event.objects.update(starts_at=FUTURE, ends_at=FUTURE + datetime.timedelta(hours=2))
        answer = examples[i + 1] if i + 1 < len(examples) else None
        if (
            answer
            and answer["file"] == example["file"]
            and answer["head"].startswith("200")
            and answer["json"]
        ):
            missing = set(answer["json"]) - NOT_KEPT[example["file"]] - set(response.json())
            assert not missing, (example["file"], head, missing)
    assert sent >= 20


def test_every_example_response_field_is_served(world: dict[str, Any]) -> None:
    """GET answers (a resource, a collection) carry the fields of the examples' answers."""
    api: ApiClient = world["api"]
    reads = {
        "aep.md": "/api/v2/",
        "people.md": f"/api/v2/people/{world['people'][0]}",
        "tags.md": f"/api/v2/tags/{world['tags'][0]}",
        "taggings.md": f"/api/v2/tags/{world['tags'][0]}/taggings/{world['tags'][1]}",
        "events.md": f"/api/v2/events/{world['events'][0]}",
        "attendances.md": f"/api/v2/events/{world['events'][0]}/attendances/{world['events'][1]}",
        "forms.md": f"/api/v2/forms/{world['forms'][0]}",
        "submissions.md": f"/api/v2/forms/{world['forms'][0]}/submissions/{world['forms'][1]}",
        "petitions.md": f"/api/v2/petitions/{world['petitions'][0]}",
        "signatures.md": f"/api/v2/petitions/{world['petitions'][0]}/signatures/{world['petitions'][1]}",
        "lists.md": f"/api/v2/lists/{world['lists'][0]}",
        "items.md": f"/api/v2/lists/{world['lists'][0]}/items/{world['lists'][1]}",
        "questions.md": f"/api/v2/questions/{world['questions'][0]}",
        "answers.md": f"/api/v2/questions/{world['questions'][0]}/answers/{world['questions'][1]}",
        "scripts.md": f"/api/v2/scripts/{world['scripts'][0]}",
        "script_questions.md": (
            f"/api/v2/scripts/{world['scripts'][0]}/script_questions/{world['scripts'][1]}"
        ),
        "canvassing_efforts.md": f"/api/v2/canvassing_efforts/{world['canvassing_efforts'][0]}",
        "canvasses.md": (
            f"/api/v2/canvassing_efforts/{world['canvassing_efforts'][0]}/canvasses/{world['canvassing_efforts'][1]}"
        ),
    }
    checked = 0
    for example in _examples():
        if (
            example["file"] not in reads
            or not example["head"].startswith("200")
            or "notice" in example["json"]
        ):
            continue
        shown = example["json"]
        if "_embedded" in shown:  # a collection: its own fields, then its first member's
            ours = api.get(reads[example["file"]].rsplit("/", 1)[0]).json()
            assert set(shown) - set(ours) <= {"_embedded"} or "_embedded" in ours, example["file"]
            assert {"total_pages", "per_page", "page", "total_records", "_links", "_embedded"} <= set(ours)
            continue
        ours = api.get(reads[example["file"]]).json()
        missing = set(shown) - NOT_KEPT[example["file"]] - set(ours)
        assert not missing, (example["file"], example["head"], missing)
        checked += 1
    assert checked >= 17
