"""Scripts as organizers write them: typed questions, branches, and answers that call for an organizer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.canvass import scripts
from grassroots.canvass.models import FollowUp, Question, Script, Universe, Visit
from grassroots.canvass.tests.conftest import Canvass, upload, visit
from grassroots.testing import make_user

pytestmark = pytest.mark.django_db


def tenant_script() -> Script:
    """Asks about problems with the landlord, which ones, and how much the rent went up."""
    script = Script.objects.create(name="Tenants' survey")
    Question.objects.create(script=script, position=0, key="support", kind="scale", label="Support")
    Question.objects.create(
        script=script, position=1, key="landlord_problem", kind="yes_no", label="Problems with the landlord?"
    )
    Question.objects.create(
        script=script, position=2, key="problem", kind="choice", label="Which problem?",
        choices=["Repairs", "Rent increase", "Harassment"],
        ask_if_key="landlord_problem", ask_if_values=[True],
        trigger_values=["Harassment"], tag="harassed by landlord", follow_up="Landlord harassment",
    )  # fmt: skip
    Question.objects.create(
        script=script, position=3, key="increase", kind="text", label="By how much?",
        ask_if_key="problem", ask_if_values=["Rent increase"], tag="rent increase", follow_up="Rent went up",
    )  # fmt: skip
    Question.objects.create(
        script=script, position=4, key="meeting", kind="yes_no", label="Come to the building meeting?",
        ask_if_key="support", ask_if_values=[4, 5], trigger_values=[True], follow_up="Invite to the meeting",
    )  # fmt: skip
    return script


def keys(questions: list[Question]) -> list[str]:
    return [q.key for q in questions]


def test_a_branch_is_asked_only_after_the_answer_it_follows() -> None:
    questions = list(tenant_script().questions.all())
    assert keys(scripts.asked(questions, {})) == ["support", "landlord_problem"]
    assert keys(scripts.asked(questions, {"landlord_problem": False})) == ["support", "landlord_problem"]
    assert keys(scripts.asked(questions, {"landlord_problem": True})) == [
        "support",
        "landlord_problem",
        "problem",
    ]
    chain = {"landlord_problem": True, "problem": "Rent increase"}
    assert keys(scripts.asked(questions, chain)) == ["support", "landlord_problem", "problem", "increase"]
    # A branch of a branch closes with it: "increase" follows "problem", which needs a yes first.
    assert "increase" not in keys(
        scripts.asked(questions, {"landlord_problem": False, "problem": "Rent increase"})
    )
    assert keys(scripts.asked(questions, {"support": 4}))[-1] == "meeting"
    assert "meeting" not in keys(scripts.asked(questions, {"support": 3}))


def test_a_yes_is_not_a_one_on_a_scale() -> None:
    questions = list(tenant_script().questions.all())
    assert "problem" not in keys(scripts.asked(questions, {"landlord_problem": 1}))
    with pytest.raises(ValueError, match="yes or no"):
        scripts.clean_answers(questions, {"landlord_problem": 1})


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"support": 9}, "takes 1 to 5"),
        ({"support": "5"}, "whole number"),
        ({"landlord_problem": True, "problem": "Mice"}, "no choice “Mice”"),
        ({"favourite_colour": "red"}, "no question “favourite_colour”"),
        ({"problem": "Repairs"}, "asked only after certain answers to “Problems with the landlord\\?”"),
        ({"support": 2, "meeting": True}, "asked only after"),
        ([1, 2], "must be an object"),
    ],
)
def test_answers_that_do_not_fit_the_script_are_refused_with_a_reason(answers: Any, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        scripts.clean_answers(list(tenant_script().questions.all()), answers)


def test_answers_are_kept_typed_and_blank_ones_dropped() -> None:
    questions = list(tenant_script().questions.all())
    answers = {
        "support": 5,
        "landlord_problem": True,
        "problem": " Rent increase ",
        "increase": "",
        "meeting": True,
    }
    assert scripts.clean_answers(questions, answers) == {
        "support": 5, "landlord_problem": True, "problem": "Rent increase", "meeting": True,
    }  # fmt: skip


def test_the_answers_that_matter_call_for_tags_and_follow_ups() -> None:
    questions = list(tenant_script().questions.all())
    found = scripts.effects(
        questions,
        {
            "support": 5,
            "landlord_problem": True,
            "problem": "Rent increase",
            "increase": "$300",
            "meeting": True,
        },
    )
    assert [(e.tag, e.follow_up) for e in found] == [
        ("rent increase", "Rent went up: $300"),
        ("", "Invite to the meeting"),
    ]
    harassed = scripts.effects(questions, {"landlord_problem": True, "problem": "Harassment"})
    assert [(e.tag, e.follow_up) for e in harassed] == [("harassed by landlord", "Landlord harassment")]


def test_synced_visits_follow_the_universes_script(phone: Client, canvass: Canvass) -> None:
    canvass.turf.universe.script = tenant_script()
    canvass.turf.universe.save()
    person = str(canvass.people[0].public_id)
    good = visit(canvass, 0, person=person, answers={"landlord_problem": True, "problem": "Harassment"})
    skipped_branch = visit(
        canvass, 1, person=str(canvass.people[1].public_id), answers={"problem": "Repairs"}
    )
    old_question = visit(canvass, 2, answers={"involved": True})
    report = upload(phone, [good, skipped_branch, old_question])
    assert report["applied"] == [good["id"]]
    reasons = {r["id"]: r["reason"] for r in report["rejected"]}
    assert "asked only after" in reasons[skipped_branch["id"]]
    assert "no question “involved”" in reasons[old_question["id"]]
    follow_up = FollowUp.objects.get()
    assert (follow_up.person, follow_up.reason) == (canvass.people[0], "Landlord harassment")
    assert list(canvass.people[0].tags.values_list("name", flat=True)) == ["harassed by landlord"]


def test_a_retired_question_still_takes_answers_from_phones_that_ask_it(
    phone: Client,
    canvass: Canvass,
) -> None:
    script = tenant_script()
    canvass.turf.universe.script = script
    canvass.turf.universe.save()
    first = visit(canvass, 0, answers={"support": 2})
    assert upload(phone, [first])["applied"] == [first["id"]]
    organizer = make_user("organizer", Role.ORGANIZER, scope=[canvass.district])
    staff = Client()
    staff.force_login(organizer)
    change = reverse("question_change", args=[script.public_id, "support"])
    staff.post(change, {"change": "retire"})  # "meeting" follows it: refused
    assert script.questions.get(key="support").retired_at is None
    script.questions.filter(key="meeting").delete()
    staff.post(change, {"change": "retire"})
    assert script.questions.get(key="support").retired_at is not None  # answered: retired, not deleted
    app = phone.get(reverse("canvass_turf_app_data", args=[canvass.turf.public_id])).json()
    assert "support" not in [q["key"] for q in app["script"]["questions"]]
    late = visit(canvass, 1, answers={"support": 4})
    assert upload(phone, [late])["applied"] == [late["id"]]
    assert Visit.objects.get(public_id=late["id"]).answers == {"support": 4}
    staff.post(reverse("question_change", args=[script.public_id, "increase"]), {"change": "retire"})
    assert not script.questions.filter(key="increase").exists()  # never answered: deleted


def test_the_app_receives_the_universes_script_with_its_branches(phone: Client, canvass: Canvass) -> None:
    standard = phone.get(reverse("canvass_turf_app_data", args=[canvass.turf.public_id])).json()["script"]
    assert [q["key"] for q in standard["questions"]] == ["support", "involved", "tenants_meeting", "issue"]
    canvass.turf.universe.script = tenant_script()
    canvass.turf.universe.save()
    questions = phone.get(reverse("canvass_turf_app_data", args=[canvass.turf.public_id])).json()["script"][
        "questions"
    ]
    problem = next(q for q in questions if q["key"] == "problem")
    assert problem["kind"] == "choice"
    assert problem["choices"] == ["Repairs", "Rent increase", "Harassment"]
    assert problem["ask_if"] == {"key": "landlord_problem", "values": [True]}


def test_an_organizer_writes_a_branching_script_in_the_page(client: Client) -> None:
    client.force_login(make_user("organizer", Role.ORGANIZER))
    client.post(
        reverse("script_list"), {"name": "Rent survey", "introduction": "Hi, we are your neighbours."}
    )
    script = Script.objects.get(name="Rent survey")
    page = reverse("script_detail", args=[script.public_id])
    client.post(
        page,
        {"key": "rent_up", "label": "Did your rent go up?", "kind": "yes_no", "scale_min": 1, "scale_max": 5},
    )
    response = client.post(
        page,
        {
            "key": "amount", "label": "By how much?", "kind": "choice",
            "choices_text": "under 5%, 5-10%, over 10%", "scale_min": 1, "scale_max": 5,
            "ask_if_key": "rent_up", "ask_if_text": "yes",
            "trigger_text": "over 10%", "tag": "steep increase", "follow_up": "Steep rent increase",
        },
    )  # fmt: skip
    assert response.status_code == 302
    amount = script.questions.get(key="amount")
    assert (amount.choices, amount.ask_if_values, amount.trigger_values, amount.position) == (
        ["under 5%", "5-10%", "over 10%"], [True], ["over 10%"], 2,
    )  # fmt: skip
    # A branch value the question it follows cannot take, and a choice question with one choice: refused.
    bad = client.post(
        page,
        {"key": "why", "label": "Why?", "kind": "choice", "choices_text": "only one", "scale_min": 1,
         "scale_max": 5, "ask_if_key": "rent_up", "ask_if_text": "maybe"},
    )  # fmt: skip
    assert bad.status_code == 200
    errors = str(bad.context["form"].errors)
    assert "answered yes or no, not “maybe”" in errors
    assert not script.questions.filter(key="why").exists()
    # Moving the branch above the question it follows is refused; the order stays.
    client.post(reverse("question_change", args=[script.public_id, "amount"]), {"change": "up"})
    assert keys(list(script.questions.all())) == ["rent_up", "amount"]


def test_an_answered_question_keeps_its_meaning(phone: Client, canvass: Canvass) -> None:
    script = tenant_script()
    canvass.turf.universe.script = script
    canvass.turf.universe.save()
    upload(phone, [visit(canvass, 0, answers={"landlord_problem": True})])
    organizer = make_user("organizer", Role.ORGANIZER, scope=[canvass.district])
    staff = Client()
    staff.force_login(organizer)
    edit = reverse("question_edit", args=[script.public_id, "landlord_problem"])
    response = staff.post(
        edit,
        {"key": "landlord_problem", "label": "Any problems?", "kind": "text", "scale_min": 1, "scale_max": 5},
    )
    assert "already answered this question" in str(response.context["form"].errors)
    assert script.questions.get(key="landlord_problem").kind == "yes_no"
    renamed = staff.post(
        edit,
        {
            "key": "landlord_problem",
            "label": "Any problems with the landlord?",
            "kind": "yes_no",
            "scale_min": 1,
            "scale_max": 5,
        },
    )
    assert renamed.status_code == 302
    assert script.questions.get(key="landlord_problem").label == "Any problems with the landlord?"


def test_scripts_are_for_organizers(client: Client, canvass: Canvass) -> None:
    client.force_login(canvass.canvasser)
    assert client.get(reverse("script_list")).status_code == 403


def test_a_visit_asked_from_the_script_the_phone_loaded_applies_after_the_script_changed(
    phone: Client, canvass: Canvass
) -> None:
    """An organizer gives the universe a new script while a canvasser is out with the old one."""
    standard = scripts.standard_script()
    canvass.turf.universe.script = tenant_script()
    canvass.turf.universe.save()
    person = str(canvass.people[0].public_id)
    old = visit(canvass, 0, person=person, answers={"involved": True}, script=str(standard.public_id))
    unnamed = visit(canvass, 1, answers={"involved": True})
    gone = visit(canvass, 2, answers={}, script="5f0c7a52-0000-4000-8000-000000000000")
    report = upload(phone, [old, unnamed, gone])
    assert report["applied"] == [old["id"]]
    reasons = {r["id"]: r["reason"] for r in report["rejected"]}
    assert "no question “involved”" in reasons[unnamed["id"]]  # checked against the universe's script
    assert "no longer exists" in reasons[gone["id"]]
    assert FollowUp.objects.get().reason == "Wants to get involved"


def test_the_standard_script_comes_with_the_database_and_listing_scripts_writes_nothing(
    client: Client, canvass: Canvass
) -> None:
    standard = Script.objects.get(name=Script.STANDARD)  # made by the migrations
    assert list(standard.questions.values_list("key", flat=True)) == [
        q["key"] for q in scripts.STANDARD_QUESTIONS
    ]
    standard.delete()  # as in a database emptied since
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[canvass.district]))
    assert client.get(reverse("script_list")).status_code == 200
    assert not Script.objects.filter(name=Script.STANDARD).exists()  # a GET made nothing
    assert scripts.standard_script().questions.count() == len(scripts.STANDARD_QUESTIONS)


def test_the_script_list_counts_each_question_and_universe_once(client: Client, canvass: Canvass) -> None:
    script = tenant_script()  # five questions
    for name in ("North", "South", "East", "West"):
        Universe.objects.create(name=name, script=script)
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[canvass.district]))
    listed = {s.name: s for s in client.get(reverse("script_list")).context["scripts"]}
    assert (listed[script.name].question_count, listed[script.name].universe_count) == (5, 4)
