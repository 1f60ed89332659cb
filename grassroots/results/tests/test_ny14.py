"""The importer and the analysis on the real returns of New York's 14th congressional district:
certified totals reproduced, every election district placed or listed, rollups, margins, turnout
and swing checked against sums of the files made independently with the csv module.

The data is loaded once for the module (importing the four files takes seconds) and removed
at the end; each test runs in its own transaction on top of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db.models import Sum

from grassroots.accounts.models import AuditEntry, Role
from grassroots.places.models import Area
from grassroots.results import analysis
from grassroots.results.models import AreaVotes, BallotCount, Candidate, Contest, Election, ResultsImport
from grassroots.results.tests.helpers import (
    BALLOT_NAMES,
    DATA_DIR,
    PRIMARY_2016,
    PRIMARY_2020,
    make_election_districts,
    needs_returns,
    ny14_primary_rows,
    read_returns,
    run,
    sums_by,
)
from grassroots.testing import make_user
from grassroots.voters.models import VoterRecord

pytestmark = [pytest.mark.django_db, needs_returns]

CERTIFIED = {
    "Alexandria Ocasio-Cortez": 46_577,
    "Michelle Caruso-Cabrera": 11_337,
    "Badrun N. Khan": 3_119,
    "Samuel H. Sloan": 1_406,
    "Scattered": 143,
}


@dataclass
class Loaded:
    city: Area
    counties: dict[str, Area]
    eds: dict[str, Area]  # by key
    left_out: set[str]  # keys of the contest with no area, on purpose
    rows: list[dict[str, str]]  # the NY-14 primary's rows, read with the csv module
    jobs: dict[str, ResultsImport]
    contest: Contest  # U.S. House 14, Democratic primary, 2020
    president_2016: Contest  # the 2016 Democratic presidential primary


@pytest.fixture(scope="module")
def ny14(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[Loaded]:
    rows = ny14_primary_rows()
    keys_by_county: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        keys_by_county[row["county"]].add(row["key"])
    everything = sorted(set().union(*keys_by_county.values()), key=int)
    left_out = {everything[i] for i in (0, 100, 200, 300, 448)}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        city, counties, eds = make_election_districts(
            {county: sorted(keys - left_out, key=int) for county, keys in sorted(keys_by_county.items())}
        )
        jobs = {name: run(DATA_DIR / name) for name in (*PRIMARY_2020, *PRIMARY_2016)}
        contest = Contest.objects.get(
            election__date="2020-06-23", office="U.S. House", district="14", party="Democratic"
        )
        president = Contest.objects.get(election__date="2016-04-19", office="President", party="Democratic")
        yield Loaded(city, counties, eds, left_out, rows, jobs, contest, president)
        Election.objects.all().delete()
        ResultsImport.objects.all().delete()
        AuditEntry.objects.filter(object_type="results_import").delete()
        for depth in (2, 1, 0):
            Area.objects.filter(path__startswith=city.path, depth=depth).delete()


def test_it_reproduces_the_certified_ny14_primary(ny14: Loaded) -> None:
    assert all(job.status == ResultsImport.Status.DONE for job in ny14.jobs.values())
    assert all(job.error_count == 0 for job in ny14.jobs.values())
    # Both counties' files added up into one election and one contest.
    assert Election.objects.filter(date="2020-06-23").count() == 1
    assert (
        Contest.objects.filter(office="U.S. House", district="14", election__date="2020-06-23").count() == 1
    )
    totals = analysis.contest_totals(ny14.contest)
    assert {c.candidate.name: c.votes for c in totals.candidates} == CERTIFIED
    assert totals.total == 62_582
    assert totals.candidates[0].candidate.name == "Alexandria Ocasio-Cortez"
    assert totals.candidates[-1].candidate.kind == Candidate.Kind.WRITE_INS  # "Scattered", counted but last
    assert totals.candidates[0].share == pytest.approx(46_577 / 62_582)


def test_every_ed_of_the_contest_is_placed_or_listed(ny14: Loaded) -> None:
    keys = {row["key"] for row in ny14.rows}
    assert len(keys) == 449
    totals = analysis.contest_totals(ny14.contest)
    placed = set(
        AreaVotes.objects.filter(contest=ny14.contest, area__isnull=False).values_list(
            "area__code", flat=True
        )
    ) | set(
        BallotCount.objects.filter(contest=ny14.contest, area__isnull=False).values_list(
            "area__code", flat=True
        )
    )
    assert set(totals.not_placed_keys) == ny14.left_out
    assert placed | set(totals.not_placed_keys) == keys
    assert totals.areas_placed == 449 - len(ny14.left_out)
    # The bucket reconciles: placed and not placed add up to the file.
    left_out_votes = sum(
        int(row["votes"])
        for row in ny14.rows
        if row["key"] in ny14.left_out and row["candidate"] not in BALLOT_NAMES
    )
    assert left_out_votes > 0
    assert totals.not_placed == left_out_votes
    assert totals.placed + totals.not_placed == totals.total == 62_582
    # And so do the jobs, file by file, against the csv module's sums.
    for name, job in ny14.jobs.items():
        votes = sum(int(r["votes"]) for r in read_returns(name) if r["candidate"] not in BALLOT_NAMES)
        assert job.votes_total == votes
        assert job.votes_placed + job.votes_not_placed == votes
        assert set(ny14.left_out) & {r["key"] for r in read_returns(name)} <= set(job.not_placed_keys)


def test_each_area_has_its_votes_shares_and_margin(ny14: Loaded) -> None:
    results = analysis.area_results(ny14.contest)
    by_key = {r.area.code if r.area else r.area_key: r for r in results}
    expected = sums_by([r for r in ny14.rows if r["candidate"] not in BALLOT_NAMES], "key", "candidate")
    assert len(results) == 428  # 21 of the 449 districts have ballot counts but no votes
    for (key, name), votes in expected.items():
        result = by_key[key]
        assert (result.area is None) == (key in ny14.left_out)
        assert {c.candidate.name: c.votes for c in result.candidates}[name] == votes
    some = next(r for r in results if r.total > 100)
    ranked = sorted((c for c in some.candidates if not c.candidate.is_write_ins), key=lambda c: -c.votes)
    assert some.first == ranked[0] and some.second == ranked[1]
    assert some.margin == ranked[0].votes - ranked[1].votes
    assert some.margin_points == pytest.approx(100 * some.margin / some.total)
    assert sum(c.share for c in some.candidates) == pytest.approx(1)
    # A chosen pair, in its order: the margin may be negative.
    aoc = Candidate.objects.get(contest=ny14.contest, name="Alexandria Ocasio-Cortez")
    mcc = Candidate.objects.get(contest=ny14.contest, name="Michelle Caruso-Cabrera")
    paired = analysis.area_results(ny14.contest, pair=(mcc, aoc), within=ny14.counties["Queens"])
    assert all(r.area is not None for r in paired)
    assert all(r.margin == r.votes_for(mcc) - r.votes_for(aoc) for r in paired)
    assert any(r.margin < 0 for r in paired)


def test_rollups_sum_the_districts_under_each_area(ny14: Loaded) -> None:
    votes = [r for r in ny14.rows if r["candidate"] not in BALLOT_NAMES and r["key"] not in ny14.left_out]
    by_county = sums_by(votes, "county")
    results = analysis.rollup(ny14.contest, [ny14.city, *ny14.counties.values()])
    assert results[0].area == ny14.city
    assert results[0].total == sum(by_county.values()) == analysis.contest_totals(ny14.contest).placed
    for result in results[1:]:
        assert result.area is not None
        assert result.total == by_county[result.area.name]
    children = analysis.rollup_children(ny14.contest, ny14.city)
    assert {r.area.name: r.total for r in children if r.area} == by_county
    assert children[0].first is not None and children[0].first.candidate.name == "Alexandria Ocasio-Cortez"


def test_swing_matches_an_independent_computation(ny14: Loaded) -> None:
    sanders = Candidate.objects.get(contest=ny14.president_2016, name="Bernie Sanders")
    aoc = Candidate.objects.get(contest=ny14.contest, name="Alexandria Ocasio-Cortez")
    result = analysis.swing(ny14.president_2016, sanders, ny14.contest, aoc)

    def shares(rows: list[dict[str, str]], name: str) -> dict[str, tuple[int, int]]:
        found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            if row["candidate"] not in BALLOT_NAMES:
                found[row["key"]][1] += int(row["votes"])
                if row["candidate"] == name:
                    found[row["key"]][0] += int(row["votes"])
        return {key: (v[0], v[1]) for key, v in found.items() if v[1]}

    president = [
        r
        for name in PRIMARY_2016
        for r in read_returns(name)
        if r["office"] == "President" and r["party"] == "Democratic"
    ]
    a = shares(president, "Bernie Sanders")
    b = shares(ny14.rows, "Alexandria Ocasio-Cortez")
    both = a.keys() & b.keys()
    assert len(result.rows) == len(both) > 300  # districts were renumbered between 2016 and 2020
    for row in result.rows:
        key = row.area.code if row.area else row.area_key
        assert (row.votes_a, row.total_a, row.votes_b, row.total_b) == (*a[key], *b[key])
        expected = 100 * (b[key][0] / b[key][1] - a[key][0] / a[key][1])
        assert row.swing == pytest.approx(expected, abs=1e-9)
    overall_a = sum(a[k][0] for k in both) / sum(a[k][1] for k in both)
    overall_b = sum(b[k][0] for k in both) / sum(b[k][1] for k in both)
    assert result.overall.swing == pytest.approx(100 * (overall_b - overall_a), abs=1e-9)
    assert set(result.only_in_b) == b.keys() - a.keys()
    # Over the counties, with everything inside each summed.
    by_county = analysis.swing(ny14.president_2016, sanders, ny14.contest, aoc, areas=ny14.counties.values())
    assert {r.area_key for r in by_county.rows} == {"bronx", "queens"}
    assert sum(r.total_b for r in by_county.rows) == analysis.contest_totals(ny14.contest).placed


def test_turnout_counts_ballots_and_registered_voters_through_the_gate(ny14: Loaded) -> None:
    ed = next(area for key, area in sorted(ny14.eds.items()) if key in {r["key"] for r in ny14.rows})
    ballots = sum(
        int(r["votes"]) for r in ny14.rows if r["key"] == ed.code and r["candidate"] in BALLOT_NAMES
    )
    for i in range(40):
        VoterRecord.objects.create(
            state="NY", voter_id=f"T{i}", layout="ny", first_name="A", last_name=f"B{i}", area=ed,
            party="DEM" if i < 30 else "REP", on_roll=i != 0, row_hash="x",
        )  # fmt: skip
    organizer = make_user("results-organizer", role=Role.ORGANIZER, scope=[ny14.city])
    outsider = make_user("results-outsider", role=Role.MEMBER)
    (seen,) = analysis.turnout(ny14.contest, [ed], user=organizer, registered_party="DEM")
    assert seen.ballots_counted and seen.ballots == ballots
    assert seen.registered == 29  # on the roll and Democrats
    assert seen.rate == pytest.approx(ballots / 29)
    (hidden,) = analysis.turnout(ny14.contest, [ed], user=outsider)
    assert hidden.ballots == ballots and hidden.registered is None and hidden.rate is None
    # Up the tree: ballots of the county are the sum of its districts' ballot counts.
    county = ed.parent
    assert county is not None
    (whole,) = analysis.turnout(ny14.contest, [county], user=organizer)
    assert whole.ballots == sum(
        int(r["votes"])
        for r in ny14.rows
        if r["county"] == county.name and r["candidate"] in BALLOT_NAMES and r["key"] not in ny14.left_out
    )
    assert whole.registered == 39


def test_reimporting_a_file_changes_nothing(ny14: Loaded) -> None:
    before = AreaVotes.objects.count(), BallotCount.objects.count(), Candidate.objects.count()
    totals = analysis.contest_totals(ny14.contest)
    job = run(DATA_DIR / PRIMARY_2020[1])
    assert job.status == ResultsImport.Status.DONE
    assert job.replaced_rows == ny14.jobs[PRIMARY_2020[1]].vote_rows + ny14.jobs[PRIMARY_2020[1]].ballot_rows
    assert (AreaVotes.objects.count(), BallotCount.objects.count(), Candidate.objects.count()) == before
    assert analysis.contest_totals(ny14.contest) == totals
    assert AreaVotes.objects.filter(contest=ny14.contest).aggregate(n=Sum("votes"))["n"] == 62_582


def test_contests_in_an_area_are_found_through_its_districts(ny14: Loaded) -> None:
    contests = list(analysis.contests_in_area(ny14.counties["Queens"]))
    assert ny14.contest in contests and ny14.president_2016 in contests
    assert contests[0].election.date > contests[-1].election.date
