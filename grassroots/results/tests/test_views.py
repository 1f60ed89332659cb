"""The results pages: a contest's totals, its areas on the map and as CSV, rollups, swing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from grassroots.accounts.models import Role
from grassroots.places.models import Area
from grassroots.results.actions import do_create_import
from grassroots.results.importer import run_import
from grassroots.results.models import Contest, ResultsImport
from grassroots.testing import make_area, make_user

pytestmark = pytest.mark.django_db

AOC, MCC = "Alexandria Ocasio-Cortez", "Michelle Caruso-Cabrera"
HEADER = "county,assembly_district,precinct,party,office,district,candidate,votes\n"


def primary_file(
    path: Path, rows: list[tuple[int, str, int]], office: str = "U.S. House", district: str = "14"
) -> Path:
    """An OpenElections-style primary file: (ED number in AD 36, candidate, votes)."""
    lines = [HEADER]
    for ed, candidate, votes in rows:
        lines.append(f"Queens,36,{ed},Democratic,{office},{district},{candidate},{votes}\n")
    path.write_text("".join(lines), encoding="utf-8-sig")
    return path


@dataclass
class Town:
    city: Area
    hood: Area
    ed1: Area
    ed2: Area
    house: Contest
    president: Contest


@pytest.fixture
def town(tmp_path: Path) -> Town:
    city = make_area("Testville", kind="city", box=(0, 0, 2, 1))
    hood = make_area("Riverside", kind="neighborhood", parent=city, box=(0, 0, 2, 1))
    ed1 = make_area("Election District 1", kind="election_district", parent=hood, box=(0, 0, 1, 1))
    ed2 = make_area("Election District 2", kind="election_district", parent=hood, box=(1, 0, 2, 1))
    for area, code in ((ed1, "36001"), (ed2, "36002")):
        area.code = code
        area.save(update_fields=["code"])
    house = primary_file(
        tmp_path / "20200623__ny__primary__queens__precinct.csv",
        [
            (1, "Public Counter", 110), (1, AOC, 70), (1, MCC, 30),
            (2, "Public Counter", 95), (2, AOC, 40), (2, MCC, 50),
            (99, AOC, 5),  # ED 99 is no area we know: not placed
        ],
    )  # fmt: skip
    president = primary_file(
        tmp_path / "20160419__ny__primary__queens__precinct.csv",
        [
            (1, "Bernie Sanders", 60),
            (1, "Hillary Clinton", 40),
            (2, "Bernie Sanders", 30),
            (2, "Hillary Clinton", 70),
        ],
        office="President",
        district="",
    )
    for path in (house, president):
        job = run_import(do_create_import(None, file_path=path, file_name=path.name, format="openelections"))
        assert job.status == ResultsImport.Status.DONE, job.message
    return Town(
        city,
        hood,
        ed1,
        ed2,
        Contest.objects.get(office="U.S. House"),
        Contest.objects.get(office="President"),
    )


@pytest.fixture
def member(client: Client) -> Client:
    client.force_login(make_user("member", Role.MEMBER))
    return client


def test_the_contest_page_shows_totals_and_the_not_placed_bucket(town: Town, member: Client) -> None:
    page = member.get(reverse("contest_detail", args=[town.house.public_id]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'id="total-votes">195<' in body
    totals = {c.candidate.name: c.votes for c in page.context["totals"].candidates}
    assert totals == {"Alexandria Ocasio-Cortez": 115, "Michelle Caruso-Cabrera": 80}
    assert "36099" in body  # listed, never dropped
    assert "190 votes placed in 2 areas, 5 not placed" in body


def test_the_map_has_each_area_with_its_margin_and_numbers(town: Town, member: Client) -> None:
    data = member.get(reverse("contest_map", args=[town.house.public_id])).json()
    by_code = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert set(by_code) == {"36001", "36002"}
    assert by_code["36001"]["value"] == pytest.approx(0.4)  # (70 - 30) / 100
    assert by_code["36002"]["value"] == pytest.approx(-10 / 90)
    rows = dict(by_code["36001"]["rows"])
    assert rows["Votes"] == "100"
    assert rows["Alexandria Ocasio-Cortez"] == "70 (70.0%)"
    assert rows["Ballots cast"] == "110"


def test_rollups_and_a_chosen_pair(town: Town, member: Client) -> None:
    aoc = town.house.candidates.get(name__startswith="Alexandria")
    mcc = town.house.candidates.get(name__startswith="Michelle")
    url = reverse("contest_map", args=[town.house.public_id])
    data = member.get(url, {"level": "neighborhood", "a": str(mcc.public_id), "b": str(aoc.public_id)}).json()
    [hood] = data["features"]
    assert hood["properties"]["name"] == "Riverside"
    assert hood["properties"]["value"] == pytest.approx((80 - 110) / 190)
    assert member.get(url, {"level": "galaxy"}).status_code == 404


def test_the_csv_export_has_every_area_and_neutralizes_formulas(town: Town, member: Client) -> None:
    town.ed1.name = "=HYPERLINK(1)"
    town.ed1.save(update_fields=["name"])
    response = member.get(reverse("contest_csv", args=[town.house.public_id]))
    text = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["area_key"] for r in rows] == ["36001", "36002", "36099"]
    assert rows[0]["area"] == "'=HYPERLINK(1)"
    assert rows[2]["area"] == "(not placed)"
    assert sum(int(r["total"]) for r in rows) == 195
    assert rows[1]["margin_points"].startswith("-")


def test_swing_between_two_contests(town: Town, member: Client) -> None:
    sanders = town.president.candidates.get(name="Bernie Sanders")
    aoc = town.house.candidates.get(name__startswith="Alexandria")
    params = {
        "contest_a": str(town.president.public_id), "choice_a": str(sanders.public_id),
        "contest_b": str(town.house.public_id), "choice_b": str(aoc.public_id),
    }  # fmt: skip
    page = member.get(reverse("swing"), params)
    assert page.status_code == 200
    swing = page.context["swing"]
    by_key = {r.area_key: r.swing for r in swing.rows}
    assert by_key == {"36001": pytest.approx(10.0), "36002": pytest.approx(40 / 90 * 100 - 30)}
    data = member.get(reverse("swing_map"), params).json()
    assert len(data["features"]) == 2
    text = b"".join(member.get(reverse("swing_csv"), params).streaming_content).decode()  # type: ignore[attr-defined]
    assert text.count("\n") == 4  # header, two areas, overall


def test_results_need_a_login(town: Town, client: Client) -> None:
    for url in (reverse("results_home"), reverse("contest_detail", args=[town.house.public_id])):
        assert client.get(url).status_code == 302
    client.force_login(make_user("someone", Role.MEMBER))
    assert client.get(reverse("contest_detail", args=["not-an-id"])).status_code == 404


def test_targets_rank_areas_by_a_score_whose_parts_are_shown(town: Town, client: Client) -> None:
    from grassroots.people.models import Action
    from grassroots.testing import make_household, make_person

    # ED 2 has three people nobody has contacted; ED 1 one person, already visited.
    home1, home2 = make_household(town.ed1), make_household(town.ed2)
    visited = make_person("Ana", "Peña", area=town.ed1, household=home1)
    Action.objects.create(person=visited, kind="door_knock")
    for name in ("Bo", "Cy", "Di"):
        make_person(name, "Chen", area=town.ed2, household=home2)
    organizer = make_user("organizer", Role.ORGANIZER, scope=[town.city])
    client.force_login(organizer)
    aoc = town.house.candidates.get(name=AOC)
    params = {
        "contest": str(town.house.public_id),
        "candidate": str(aoc.public_id),
        "kind": "election_district",
    }

    # Support alone: ED 1 (70%) before ED 2 (44%).
    page = client.get(reverse("targets"), {**params, "w_support": "1", "w_turnout": "0", "w_contact": "0"})
    targets = page.context["targets"]
    assert [t.area.code for t in targets] == ["36001", "36002"]
    assert targets[0].support == pytest.approx(0.7)
    assert targets[0].score == pytest.approx(0.7)
    # Work waiting alone: ED 2 first.
    page = client.get(reverse("targets"), {**params, "w_support": "0", "w_turnout": "0", "w_contact": "1"})
    targets = page.context["targets"]
    assert [(t.area.code, t.not_contacted) for t in targets] == [("36002", 3), ("36001", 0)]
    # Both, equally: (0.444 + 1) / 2 against (0.7 + 0) / 2.
    page = client.get(reverse("targets"), {**params, "w_support": "1", "w_turnout": "0", "w_contact": "1"})
    first = page.context["targets"][0]
    assert first.area.code == "36002"
    assert first.score == pytest.approx((40 / 90 + 1) / 2)
    assert first.parts["support"] == pytest.approx(40 / 90 / 2)
    assert first.turnout_gap is None  # no voter file: unknown, shown as such

    data = client.get(reverse("targets_map"), params).json()
    assert {f["properties"]["code"] for f in data["features"]} == {"36001", "36002"}
    text = b"".join(client.get(reverse("targets_csv"), params).streaming_content).decode()  # type: ignore[attr-defined]
    assert text.splitlines()[0] == "rank,area,code,score,support,turnout_gap,not_contacted,committees"

    # The chosen areas become a canvassing universe.
    response = client.post(
        reverse("targets") + "?" + "&".join(f"{k}={v}" for k, v in params.items()),
        {**params, "area": [str(town.ed2.public_id)], "name": "Riverside doors"},
    )
    assert response.status_code == 302
    universe = client.get(response["Location"])
    assert universe.context["universe"].name == "Riverside doors"
    assert [a.code for a in universe.context["areas"]] == ["36002"]
    assert universe.context["households"] == 1 and universe.context["people"] == 3


def test_targets_are_for_organizers_and_only_their_areas(town: Town, client: Client) -> None:
    client.force_login(make_user("member", Role.MEMBER))
    assert client.get(reverse("targets")).status_code == 403
    elsewhere = make_area("Elsewhere", kind="city")
    client.force_login(make_user("far", Role.ORGANIZER, scope=[elsewhere]))
    page = client.get(reverse("targets"), {"contest": str(town.house.public_id)})
    assert page.context["targets"] == []


def test_an_area_page_tells_how_it_voted(town: Town, client: Client) -> None:
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[town.city]))
    page = client.get(reverse("area_detail", args=[town.hood.public_id]))
    story = page.context["story"]
    assert [c.contest.office for c in story.chapters] == ["U.S. House", "President"]  # newest first
    house = story.chapters[0]
    assert house.result.total == 190 and house.result.first is not None
    assert house.result.first.candidate.name == AOC
    assert house.turnout is not None and house.turnout.ballots == 205
    body = page.content.decode()
    assert reverse("contest_detail", args=[town.house.public_id]) in body
    assert "No committee works here yet." in body


def test_targets_can_favour_areas_without_a_committee(town: Town, client: Client) -> None:
    from grassroots.committees.models import Committee

    Committee.objects.create(name="Building 12 tenants", area=make_area("12 ELM AVE", "building", town.ed1))
    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[town.city]))
    params = {"contest": str(town.house.public_id), "w_support": "0", "w_turnout": "0", "w_contact": "0"}
    targets = client.get(reverse("targets"), {**params, "w_committee": "1"}).context["targets"]
    assert [(t.area.code, t.committees, t.score) for t in targets] == [("36002", 0, 1.0), ("36001", 1, 0.0)]
    story = client.get(reverse("area_detail", args=[town.ed1.public_id])).context["story"]
    assert story.committees == ["Building 12 tenants"]
    assert client.get(reverse("area_detail", args=[town.ed2.public_id])).context["story"].committees == []


def test_a_weight_that_is_not_a_number_falls_back_to_its_default(town: Town, client: Client) -> None:
    import json
    import math

    client.force_login(make_user("organizer", Role.ORGANIZER, scope=[town.city]))
    params = {"contest": str(town.house.public_id), "kind": "election_district"}
    for odd in ("nan", "NaN", "-nan"):
        response = client.get(reverse("targets_map"), {**params, "w_support": odd})

        def refuse(constant: str) -> None:
            raise ValueError(constant)

        data = json.loads(response.content, parse_constant=refuse)  # what a browser's JSON.parse accepts
        assert len(data["features"]) == 2
        assert all(math.isfinite(f["properties"]["value"]) for f in data["features"])
    page = client.get(reverse("targets"), {**params, "w_support": "nan", "w_turnout": "0", "w_contact": "0"})
    assert [t.area.code for t in page.context["targets"]] == ["36001", "36002"]
