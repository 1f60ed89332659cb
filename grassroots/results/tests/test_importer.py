"""Importing results from small files: bad rows with their line numbers, election facts from
file names, New York's general-election layout, mapped CSVs and the command line."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grassroots.places.models import AreaKind
from grassroots.results import analysis
from grassroots.results.formats.openelections import OpenElections
from grassroots.results.models import AreaVotes, BallotCount, Candidate, Contest, Election, ResultsImport
from grassroots.results.tests.helpers import run
from grassroots.testing import make_area

pytestmark = pytest.mark.django_db

PRIMARY_HEADER = "county,assembly_district,precinct,party,office,district,candidate,votes"


def write(path: Path, lines: list[str], bom: bool = True) -> Path:
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "when", "kind"),
    [
        ("20200623__ny__primary__queens__precinct.csv", date(2020, 6, 23), "primary"),
        ("20201103__ny__general__bronx__precinct.csv", date(2020, 11, 3), "general"),
        ("20180626__ny__primary__county.csv", date(2018, 6, 26), "primary"),
        ("20210216__ny__special__general__precinct.csv", date(2021, 2, 16), "special"),
        ("results.csv", None, ""),
        ("20201399__ny__general.csv", None, ""),
    ],
)
def test_it_reads_the_election_from_openelections_file_names(name: str, when: date | None, kind: str) -> None:
    facts = OpenElections.facts_from_name(name)
    assert (facts.date, facts.kind) == (when, kind)


def test_bad_rows_are_reported_with_line_numbers_and_the_rest_imported(tmp_path: Path) -> None:
    ed = make_area("ED 36001", kind=AreaKind.ELECTION_DISTRICT)
    ed.code = "36001"
    ed.save(update_fields=["code"])
    path = write(
        tmp_path / "20200623__ny__primary__queens__precinct.csv",
        [
            PRIMARY_HEADER,  # line 1
            "Queens,36,1,Democratic,Representative in Congress,14,Public Counter,100",
            "Queens,36,1,Democratic,Representative in Congress,14,Ann Lee,60",
            "Queens,36,1,Democratic,Representative in Congress,14,Bo Ruiz,30",
            "Queens,36,1,Democratic,Representative in Congress,14,Ann Lee,61",  # line 5: duplicate
            "Queens,36,2,Democratic,Representative in Congress,14,Ann Lee,-4",  # line 6: negative
            "Queens,36,2,Democratic,Representative in Congress,14,Bo Ruiz,ten",  # line 7: not a number
            "Queens,36,2,Democratic,Representative in Congress,14,Scattered,2",
            ",,,Democratic,Representative in Congress,14,Bo Ruiz,3",  # line 9: no area at all
        ],
    )
    job = run(path)
    assert job.status == ResultsImport.Status.DONE
    errors = [(e.line, e.reason) for e in job.row_errors.all()]
    assert [line for line, _ in errors] == [5, 6, 7, 9]
    assert "duplicate of line 3" in errors[0][1]
    assert "negative" in errors[1][1]
    assert "not a whole number" in errors[2][1]
    assert job.error_count == 4
    assert job.votes_total == 92 and job.votes_placed == 90 and job.votes_not_placed == 2
    assert job.not_placed_keys == ["36002"]
    contest = Contest.objects.get()
    assert (contest.office, contest.district, contest.party) == ("U.S. House", "14", "Democratic")
    assert contest.election.kind == Election.Kind.PRIMARY and contest.election.date == date(2020, 6, 23)
    assert BallotCount.objects.get().count == 100
    assert Candidate.objects.get(name="Scattered").kind == Candidate.Kind.WRITE_INS


GENERAL_HEADER = (
    "county,precinct,office,district,party,candidate,votes,public_counter_votes,emergency_votes,"
    "absentee_military_votes,federal_votes,affidavit_votes,manually_counted_emergency,special_presidential"
)


def test_a_general_election_keeps_ballot_lines_and_the_areas_ballots(tmp_path: Path) -> None:
    path = write(
        tmp_path / "20201103__ny__general__bronx__precinct.csv",
        [
            GENERAL_HEADER,
            "Bronx,1~77,President,,Democratic,Pat Doe,196,178,,46,0,3,1,0,0",
            "Bronx,1~77,President,,Working Families,Pat Doe,3,178,,46,0,3,1,0,0",
            "Bronx,1~77,President,,Republican,Sam Roe,23,178,,46,0,3,1,0,0",
            "Bronx,1~77,U.S. House,15,Democratic,Kim Poe,150,178,,46,0,3,1,0,0",
            "Bronx,2~77,President,,Democratic,Pat Doe,100,120,,20,0,2,0,0,0",
            "Bronx,2~77,President,,Republican,Sam Roe,10,121,,20,0,2,0,0,0",  # line 7: counts differ
        ],
        bom=False,
    )
    job = run(path)
    assert job.status == ResultsImport.Status.DONE, job.message
    assert [(e.line, "differ from line 6" in e.reason) for e in job.row_errors.all()] == [(7, True)]
    president = Contest.objects.get(office="President")
    assert president.party == "" and president.election.kind == Election.Kind.GENERAL
    doe = Candidate.objects.get(name="Pat Doe")
    assert doe.party == "Democratic"  # the line with the most votes
    assert set(AreaVotes.objects.filter(candidate=doe).values_list("area_key", "ballot_line", "votes")) == {
        ("77001", "Democratic", 196), ("77001", "Working Families", 3), ("77002", "Democratic", 100),
    }  # fmt: skip
    totals = analysis.contest_totals(president)
    assert [(c.candidate.name, c.votes) for c in totals.candidates] == [("Pat Doe", 299), ("Sam Roe", 33)]
    ballots = BallotCount.objects.filter(contest=None, area_key="77001")
    assert dict(ballots.values_list("kind", "count")) == {
        "public_counter": 178, "absentee_military": 46, "federal": 0, "affidavit": 3, "manual_emergency": 1,
        "special_presidential": 0,
    }  # fmt: skip
    # The Democratic line's share against the Working Families line's, by party name.
    result = analysis.swing(president, "Democratic", president, "Working Families")
    assert {r.area_key: (r.votes_a, r.votes_b) for r in result.rows} == {"77001": (196, 3), "77002": (100, 0)}


def test_county_files_of_one_election_add_up_and_overlaps_are_reported(tmp_path: Path) -> None:
    bronx = write(
        tmp_path / "20200623__ny__primary__bronx__precinct.csv",
        [PRIMARY_HEADER, "Bronx,80,1,Democratic,Representative in Congress,14,Ann Lee,10"],
    )
    queens = write(
        tmp_path / "20200623__ny__primary__queens__precinct.csv",
        [
            PRIMARY_HEADER,
            "Queens,36,1,Democratic,Representative in Congress,14,Ann Lee,5",
            "Queens,80,1,Democratic,Representative in Congress,14,Ann Lee,7",  # the Bronx file's area
        ],
    )
    run(bronx)
    job = run(queens)
    assert [(e.line, e.reason) for e in job.row_errors.all()] == [
        (3, "area 80001 of U.S. House 14 (Democratic primary) was already imported from another file")
    ]
    assert Election.objects.count() == 1 and Contest.objects.count() == 1
    assert analysis.contest_totals(Contest.objects.get()).total == 15
    # Re-importing one of them replaces its own rows only.
    again = run(bronx)
    assert again.replaced_rows == 1 and again.error_count == 0
    assert analysis.contest_totals(Contest.objects.get()).total == 15


def test_a_file_with_a_byte_order_mark_and_cp1252_letters_is_read(tmp_path: Path) -> None:
    path = tmp_path / "20180626__ny__primary__county.csv"
    path.write_bytes(
        b"\xef\xbb\xbfcounty,office,district,party,candidate,votes\r\n"
        b"Bronx,U.S. House,14,DEM,Jos\xe9 Crowley,100\r\n"
    )
    job = run(path)
    assert job.status == ResultsImport.Status.DONE, job.message
    assert list(Candidate.objects.values_list("name", flat=True)) == ["José Crowley"]
    assert sum(AreaVotes.objects.values_list("votes", flat=True)) == 100


def test_a_file_of_another_county_with_the_same_name_leaves_the_first_ones_votes(tmp_path: Path) -> None:
    columns = {"area": "area", "candidate": "candidate", "votes": "votes"}
    (tmp_path / "bronx").mkdir()
    (tmp_path / "queens").mkdir()
    bronx = tmp_path / "bronx" / "results.csv"
    bronx.write_text("area,candidate,votes\n80001,A,5\n80002,B,6\n")
    queens = tmp_path / "queens" / "results.csv"
    queens.write_text("area,candidate,votes\n36001,A,7\n")
    run(bronx, "csv", columns=columns, office="Mayor", election_date="2021-06-22")
    job = run(queens, "csv", columns=columns, office="Mayor", election_date="2021-06-22")
    assert job.status == ResultsImport.Status.DONE
    assert job.replaced_rows == 0 and "2 rows an earlier import" in job.message
    assert sorted(AreaVotes.objects.values_list("area_key", "votes")) == [
        ("36001", 7),
        ("80001", 5),
        ("80002", 6),
    ]
    # A corrected Bronx file replaces the Bronx votes it gives again, and only those.
    bronx.write_text("area,candidate,votes\n80001,A,9\n")
    again = run(bronx, "csv", columns=columns, office="Mayor", election_date="2021-06-22")
    assert again.replaced_rows == 1
    assert sorted(AreaVotes.objects.values_list("area_key", "votes")) == [
        ("36001", 7),
        ("80001", 9),
        ("80002", 6),
    ]


def test_a_mapped_csv_imports_from_the_command_line(tmp_path: Path) -> None:
    ed = make_area("Ward 3", kind="ward")
    ed.code = "W3"
    ed.save(update_fields=["code"])
    path = write(
        tmp_path / "city.csv",
        [
            "Ward;Race;Name;Line;Count",
            "W3;Mayor;Ann Lee;Dem;1,200",
            "W3;Mayor;Bo Ruiz;Rep;800",
            "W9;Mayor;Ann Lee;Dem;5",
        ],
    )
    out = io.StringIO()
    call_command(
        "import", "results", str(path), "--format", "csv", "--election-date", "2025-11-04",
        "--election-name", "City election 2025", "--area-kind", "ward", "--delimiter", ";",
        "--area-column", "Ward", "--office-column", "Race", "--candidate-column", "Name",
        "--party-column", "Line", "--votes-column", "Count", stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    assert "2,005 votes: 2,000 placed, 5 not placed" in text
    assert "Not placed (no ward area has the key): W9" in text
    election = Election.objects.get()
    assert (election.name, election.kind, election.date) == (
        "City election 2025",
        "general",
        date(2025, 11, 4),
    )
    (result, unplaced) = analysis.area_results(Contest.objects.get())
    assert result.area == ed and result.first is not None and result.first.candidate.name == "Ann Lee"
    assert result.margin == 400 and result.margin_points == pytest.approx(20.0)
    assert unplaced.area is None and unplaced.area_key == "W9"


def test_a_mapped_csv_counts_blank_lines_in_the_line_numbers_it_reports(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("area,candidate,votes\n1,A,5\n\n2,B,xx\n\n\n3,C,-4\n")
    job = run(
        path, "csv", columns={"area": "area", "candidate": "candidate", "votes": "votes"},
        office="Mayor", election_date="2020-01-01",
    )  # fmt: skip
    assert [(e.line, e.reason, e.raw) for e in job.row_errors.order_by("line")] == [
        (4, "votes 'xx' are not a whole number", "2,B,xx"),
        (7, "negative votes '-4'", "3,C,-4"),
    ]
    assert sum(AreaVotes.objects.values_list("votes", flat=True)) == 5


def test_it_refuses_a_file_it_cannot_read(tmp_path: Path) -> None:
    no_date = write(tmp_path / "results.csv", [PRIMARY_HEADER, "Queens,36,1,Democratic,President,,Ann Lee,1"])
    job = run(no_date)
    assert job.status == ResultsImport.Status.FAILED and "date" in job.message
    wrong = write(tmp_path / "20200623__ny__primary__x.csv", ["name,count", "a,1"])
    job = run(wrong)
    assert job.status == ResultsImport.Status.FAILED and "not an OpenElections results file" in job.message
    with pytest.raises(CommandError, match="not an OpenElections"):
        call_command("import", "results", str(wrong), stdout=io.StringIO())
    assert not AreaVotes.objects.exists()
