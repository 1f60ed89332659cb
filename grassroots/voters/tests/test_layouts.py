"""The voter-file layouts: round trips through the sample writers, agreement with the states'
published record layouts, detection, every kind of bad input, encodings, and junk."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from grassroots.voters import samples
from grassroots.voters.layouts import (
    LAYOUTS,
    HistoryRow,
    Layout,
    LayoutError,
    MappedCsvLayout,
    RowError,
    VoterRow,
    _records,
    detect_layout,
    fl,
    get_layout,
    layout_choices,
    nc,
    ny,
    oh,
    open_voter_file,
    sniff_columns,
)
from grassroots.voters.layouts._records import read_date, split_unit
from grassroots.voters.layouts.ny import precinct_key

# The official record layouts live beside the project, never inside it.
LAYOUT_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "voter-layouts"
needs_layouts = pytest.mark.skipif(
    not LAYOUT_DIR.is_dir(), reason="the official record layouts (../shared/data/voter-layouts) are not here"
)


# --- helpers -------------------------------------------------------------------------------


def written(writer: Any, rows: Iterable[Any], **options: Any) -> str:
    stream = io.StringIO(newline="")
    writer(stream, rows, **options)
    return stream.getvalue()


def read(layout: Layout, text: str) -> list[VoterRow | RowError]:
    return list(layout.read(io.StringIO(text, newline="")))


def read_history(layout: Layout, text: str) -> list[HistoryRow | RowError]:
    return list(layout.read_history(io.StringIO(text, newline="")))


def voters(results: Iterable[object]) -> list[VoterRow]:
    return [r for r in results if isinstance(r, VoterRow)]


def errors(results: Iterable[object]) -> list[RowError]:
    return [r for r in results if isinstance(r, RowError)]


def lines_of(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def nc_file(n: int = 5, **changes: Any) -> str:
    rows = [
        {
            "voter_id": f"CW{i:06d}",
            "first_name": "ANA",
            "last_name": f"SURNAME{i}",
            "street_line": f"{i} MAIN ST",
            "birth_year": 1980,
            "registration_date": "03/15/2004",
        }
        for i in range(1, n + 1)
    ]
    return written(samples.write_nc, rows)


def replace_line(text: str, number: int, new: str) -> str:
    """``text`` with its physical line ``number`` (1-based) replaced by ``new`` (line end kept)."""
    lines = lines_of(text)
    lines[number - 1] = new + "\r\n"
    return "".join(lines)


def nc_line_with(text: str, number: int, **columns: str) -> str:
    """``text`` with some columns of NC line ``number`` changed."""
    lines = lines_of(text)
    fields = lines[number - 1].rstrip("\r\n")[1:-1].split('"\t"')
    for name, value in columns.items():
        fields[nc.COLUMNS.index(name)] = value
    lines[number - 1] = "\t".join(f'"{f}"' for f in fields) + "\r\n"
    return "".join(lines)


# --- round trips -----------------------------------------------------------------------------


def test_a_north_carolina_file_reads_back_what_was_written() -> None:
    rows = list(samples.synthetic_nc_rows(600, seed=3))
    results = read(get_layout("nc"), written(samples.write_nc, rows))
    assert errors(results) == []
    got = voters(results)
    assert len(got) == 600
    assert Counter(v.status for v in got) == Counter(r["status"] for r in rows)
    assert Counter(v.party for v in got) == Counter(r["party"] for r in rows)
    assert [v.voter_id for v in got] == [r["voter_id"] for r in rows]
    assert [v.line for v in got] == list(range(2, 602))
    first, row = got[0], rows[0]
    assert (first.first_name, first.last_name, first.middle_name) == (
        row["first_name"],
        row["last_name"],
        row["middle_name"],
    )
    assert first.state == "NC" and first.residence_state == "NC"
    assert (first.street_line, first.unit) == (row["street_line"], row["unit"])
    assert first.birth_year == row["birth_year"] and first.birth_date is None
    assert first.registration_date == read_date(row["registration_date"])
    assert (first.county, first.precinct, first.postal_code) == (row["county"], row["precinct"], row["zip"])
    assert first.precinct_name == f"PRECINCT {row['precinct']}"
    assert first.districts["congressional"] == "2" and first.districts["state_house"] == "34"
    assert "ward" not in first.districts  # empty districts are left out
    assert list(first.raw) == list(nc.COLUMNS) and first.raw["ncid"] == row["voter_id"]
    assert sum(1 for v in got if v.unit) == sum(1 for r in rows if r["unit"])


def test_north_carolina_splits_the_unit_off_the_street_line() -> None:
    text = written(
        samples.write_nc,
        [
            {"voter_id": "A1", "last_name": "X", "street_line": "123 MAIN ST", "unit": "APT 4"},
            {"voter_id": "A2", "last_name": "X", "street_line": "9 OAK DR #12"},
            {"voter_id": "A3", "last_name": "X", "street_line": "77 PARKING LOT RD"},
        ],
    )
    got = voters(read(get_layout("nc"), text))
    assert [(v.street_line, v.unit) for v in got] == [
        ("123 MAIN ST", "APT 4"),
        ("9 OAK DR", "#12"),
        ("77 PARKING LOT RD", ""),
    ]


def test_north_carolina_trims_padded_values_in_the_fields_and_the_raw_row() -> None:
    text = nc_line_with(nc_file(2), 2, last_name="SMITH   ", first_name="  JO", county_desc="WAKE      ")
    got = voters(read(get_layout("nc"), text))
    assert (got[0].last_name, got[0].first_name, got[0].county) == ("SMITH", "JO", "WAKE")
    assert got[0].raw["county_desc"] == "WAKE"


def test_north_carolina_history_reads_back_with_dates_methods_and_parties() -> None:
    rows = [
        {
            "voter_id": "AA1",
            "election_date": date(2024, 3, 5),
            "election_name": "03/05/2024 PRIMARY",
            "party": "DEM",
        },
        {"voter_id": "AA1", "election_date": "11/08/2022", "method": "ABSENTEE BY MAIL"},
        {"voter_id": "AA2", "election_date": "11/07/2023", "election_name": "11/07/2023 MUNICIPAL"},
    ]
    got = read_history(get_layout("nc"), written(samples.write_nc_history, rows))
    assert got == [
        HistoryRow(2, "AA1", date(2024, 3, 5), "03/05/2024 PRIMARY", "PRIMARY", "IN-PERSON", "DEM"),
        HistoryRow(3, "AA1", date(2022, 11, 8), "11/08/2022 GENERAL", "GENERAL", "ABSENTEE BY MAIL", ""),
        HistoryRow(4, "AA2", date(2023, 11, 7), "11/07/2023 MUNICIPAL", "MUNICIPAL", "IN-PERSON", ""),
    ]


NY_ROWS: list[dict[str, Any]] = [
    {
        "last_name": "PEÑA",
        "first_name": "ANA",
        "party": "DEM",
        "status": "A",
        "ad": "34",
        "ed": "12",
        "county": "Queens",
    },
    {
        "last_name": "CHEN",
        "first_name": "BO",
        "party": "BLK",
        "status": "I",
        "precinct": "87005",
        "unit": "4B",
    },
    {"last_name": "OKAFOR", "first_name": "CHIDI", "party": "WOR", "status": "AM", "unit": "APT 2"},
    {
        "last_name": "DIAZ",
        "first_name": "LUZ",
        "party": "DEM",
        "status": "ACTIVE",
        "street_line": "37-12 89TH ST",
    },
    {"last_name": "KIM", "first_name": "JI", "party": "REP", "status": "17", "birth_date": date(2008, 2, 29)},
]


def test_a_new_york_file_reads_back_what_was_written() -> None:
    results = read(get_layout("ny"), written(samples.write_ny, NY_ROWS))
    assert errors(results) == []
    got = voters(results)
    assert Counter(v.status for v in got) == Counter(r["status"] for r in NY_ROWS)
    assert Counter(v.party for v in got) == Counter(r["party"] for r in NY_ROWS)
    assert [v.line for v in got] == [1, 2, 3, 4, 5]
    pena, chen, okafor, diaz, kim = got
    assert pena.last_name == "PEÑA" and pena.precinct == "34012" and pena.county == "Queens"
    assert pena.districts["state_assembly"] == "34" and pena.districts["election_district"] == "12"
    assert pena.voter_id.startswith("NY") and pena.state == "NY" and pena.residence_state == "NY"
    assert chen.precinct == "87005" and chen.unit == "APT 4B" and chen.county == "Kings"
    assert okafor.unit == "APT 2"
    assert diaz.street_line == "37-12 89TH ST"
    assert kim.birth_date == date(2008, 2, 29) and kim.birth_year == 2008
    assert list(pena.raw) == list(ny.COLUMNS) and pena.raw["VOTERHISTORY"]
    assert pena.phone == ""


def test_a_new_york_file_with_phones_has_46_fields_and_reads_the_phone() -> None:
    text = written(samples.write_ny, [{**NY_ROWS[0], "phone": "7185550100"}], with_phone=True)
    assert len(next(csv.reader(io.StringIO(text)))) == 46
    (got,) = voters(read(get_layout("ny"), text))
    assert got.phone == "7185550100" and got.raw["TELEPHONE"] == "7185550100"


def test_new_york_has_no_separate_history_file() -> None:
    with pytest.raises(NotImplementedError):
        read_history(get_layout("ny"), written(samples.write_ny, NY_ROWS))


FL_ROWS: list[dict[str, Any]] = [
    {"last_name": "PÉREZ", "first_name": "JOSÉ", "party": "DEM", "status": "ACT", "phone": "(305) 555-0100"},
    {
        "last_name": "SMITH",
        "first_name": "ANN",
        "party": "NPA",
        "status": "ACT",
        "unit": "APT 3",
        "race": "5",
    },
    {"last_name": "NGUYEN", "first_name": "LAN", "party": "REP", "status": "INA", "email": "lan@example.org"},
    {"last_name": "BROWN", "first_name": "TIM", "party": "LPF", "status": "PRE", "zip": "32801-1234"},
]


def test_a_florida_file_reads_back_what_was_written() -> None:
    results = read(get_layout("fl"), written(samples.write_fl, FL_ROWS))
    assert errors(results) == []
    got = voters(results)
    assert Counter(v.status for v in got) == Counter(r["status"] for r in FL_ROWS)
    assert Counter(v.party for v in got) == Counter(r["party"] for r in FL_ROWS)
    perez, smith, nguyen, brown = got
    assert (perez.first_name, perez.last_name, perez.phone) == ("JOSÉ", "PÉREZ", "3055550100")
    assert smith.unit == "APT 3" and smith.race == "5" and smith.county == "ORA" and smith.precinct == "101"
    assert nguyen.email == "lan@example.org"
    assert brown.postal_code == "32801"
    assert perez.birth_date == date(1980, 1, 1) and perez.registration_date == date(2010, 1, 15)
    assert list(perez.raw) == list(fl.COLUMNS)


def test_florida_history_yields_every_row_even_did_not_vote() -> None:
    rows = [
        {"voter_id": "100000001", "code": "Y"},
        {"voter_id": "100000001", "election_type": "PRI", "election_date": date(2022, 8, 23), "code": "A"},
        {"voter_id": "100000002", "code": "N"},
    ]
    got = read_history(get_layout("fl"), written(samples.write_fl_history, rows))
    assert got == [
        HistoryRow(1, "100000001", date(2022, 11, 8), "11/08/2022 GENERAL", "GEN", "VOTED AT POLLS"),
        HistoryRow(2, "100000001", date(2022, 8, 23), "08/23/2022 PRIMARY", "PRI", "VOTED ABSENTEE"),
        HistoryRow(3, "100000002", date(2022, 11, 8), "11/08/2022 GENERAL", "GEN", "DID NOT VOTE"),
    ]


def test_florida_history_reports_unknown_codes_and_dates() -> None:
    text = written(
        samples.write_fl_history,
        [{"code": "Q"}, {"election_type": "XXX"}, {"election_date": "13/45/2022"}, {"code": "E"}],
    )
    got = read_history(get_layout("fl"), text)
    assert [(e.line, e.reason) for e in errors(got)] == [
        (1, "unknown history code 'Q' in History Code"),
        (2, "unknown election type 'XXX' in Election Type"),
        (3, "unreadable date '13/45/2022' in Election Date"),
    ]
    assert [h.line for h in got if isinstance(h, HistoryRow)] == [4]


OH_ROWS: list[dict[str, Any]] = [
    {"voter_id": "OH0001", "last_name": "JONES", "first_name": "AMY", "status": "ACTIVE", "party": "D",
     "history": {"PRIMARY-05/03/2022": "D", "GENERAL-11/08/2022": "X"}},
    {"voter_id": "OH0002", "last_name": "O'BRIEN, JR", "first_name": "PAT", "status": "CONFIRMATION",
     "party": "R", "history": {"GENERAL-11/05/2024": "X"}},
    {"voter_id": "OH0003", "last_name": "LEE", "first_name": "SAM", "status": "ACTIVE", "party": "",
     "birth_date": "03/04/1990", "unit": "APT 5"},
]  # fmt: skip


def test_an_ohio_file_reads_back_what_was_written() -> None:
    results = read(get_layout("oh"), written(samples.write_oh, OH_ROWS))
    assert errors(results) == []
    got = voters(results)
    assert Counter(v.status for v in got) == Counter(r["status"] for r in OH_ROWS)
    assert Counter(v.party for v in got) == Counter(r["party"] for r in OH_ROWS)
    jones, obrien, lee = got
    assert obrien.last_name == "O'BRIEN, JR"  # quoted because of its comma
    assert lee.birth_date == date(1990, 3, 4)  # MM/DD/YYYY accepted beside YYYY-MM-DD
    assert jones.birth_date == date(1980, 1, 1) and jones.birth_year == 1980
    assert lee.unit == "APT 5" and jones.precinct == "25-A" and jones.districts["congressional"] == "03"
    assert list(jones.raw) == list(oh.COLUMNS)  # the election columns are history, not raw


def test_ohio_history_comes_from_the_election_columns_of_the_voter_file() -> None:
    got = read_history(get_layout("oh"), written(samples.write_oh, OH_ROWS))
    assert got == [
        HistoryRow(2, "OH0001", date(2022, 5, 3), "05/03/2022 PRIMARY", "PRIMARY", "", "D"),
        HistoryRow(2, "OH0001", date(2022, 11, 8), "11/08/2022 GENERAL", "GENERAL", "", ""),
        HistoryRow(3, "OH0002", date(2024, 11, 5), "11/05/2024 GENERAL", "GENERAL", "", ""),
    ]


def test_ohio_history_reports_an_unknown_ballot_letter_and_keeps_the_rest() -> None:
    rows = [{**OH_ROWS[0], "history": {"PRIMARY-05/03/2022": "Q", "GENERAL-11/08/2022": "X"}}]
    got = read_history(get_layout("oh"), written(samples.write_oh, rows))
    assert [(e.line, e.reason) for e in errors(got)] == [(2, "unknown ballot code 'Q' in PRIMARY-05/03/2022")]
    assert [h.election_name for h in got if isinstance(h, HistoryRow)] == ["11/08/2022 GENERAL"]


def test_a_mapped_csv_reads_the_mapped_columns() -> None:
    text = (
        "ID;Given;Family;Born;Street;Apt;Town;Zip;Party;Registered;Email\r\n"
        "7;Ana;Peña;1980-05-06;12 Elm St;4B;Eastbrook;11368-1234;D;2010-01-02;ana@example.org\r\n"
        "8;Bo;Chen;;40 Oak St;;Eastbrook;11368;;;\r\n"
    )
    layout = MappedCsvLayout(
        {
            "voter_id": "ID",
            "first_name": "Given",
            "last_name": "Family",
            "birth_date": "Born",
            "street_line": "Street",
            "unit": "Apt",
            "city": "Town",
            "postal_code": "Zip",
            "party": "Party",
            "registration_date": "Registered",
            "email": "Email",
        },
        state="ny",
        date_format="%Y-%m-%d",
        delimiter=";",
    )
    results = read(layout, text)
    assert errors(results) == []
    ana, bo = voters(results)
    assert (ana.voter_id, ana.first_name, ana.last_name, ana.state) == ("7", "Ana", "Peña", "NY")
    assert ana.birth_date == date(1980, 5, 6) and ana.birth_year == 1980
    assert ana.registration_date == date(2010, 1, 2)
    assert (ana.street_line, ana.unit, ana.city, ana.postal_code) == ("12 Elm St", "4B", "Eastbrook", "11368")
    assert ana.residence_state == "NY" and ana.party == "D" and ana.email == "ana@example.org"
    assert ana.raw["Town"] == "Eastbrook"
    assert bo.birth_date is None and bo.party == ""
    assert layout.state == "NY"


def test_a_mapped_csv_reports_an_unreadable_date_with_its_column_and_format() -> None:
    layout = MappedCsvLayout(
        {"voter_id": "id", "first_name": "first", "last_name": "last", "birth_date": "dob"},
        date_format="%m/%d/%Y",
    )
    results = read(layout, "id,first,last,dob\n1,A,B,1980-01-02\n2,C,D,01/02/1980\n")
    assert [(e.line, e.reason) for e in errors(results)] == [
        (2, "unreadable date '1980-01-02' in dob (expected %m/%d/%Y)")
    ]
    assert [v.birth_date for v in voters(results)] == [date(1980, 1, 2)]


def test_a_mapped_csv_counts_the_blank_lines_before_its_header_in_line_numbers() -> None:
    layout = MappedCsvLayout({"voter_id": "id", "first_name": "f", "last_name": "l"})
    results = read(layout, "\n\r\nid,f,l\nA1,Ann,\nA2,Bo,Chen\n")  # the header is line 3
    assert [(e.line, e.reason) for e in errors(results)] == [(4, "missing last name (l)")]
    assert [(v.line, v.voter_id) for v in voters(results)] == [(5, "A2")]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"voter_id": "id", "first_name": "f"}, "missing: last name"),
        ({"voter_id": "id", "first_name": "f", "last_name": "l", "shoe_size": "s"}, "shoe_size"),
    ],
)
def test_a_mapping_without_the_required_fields_is_refused(mapping: dict[str, str], message: str) -> None:
    with pytest.raises(LayoutError, match=message):
        MappedCsvLayout(mapping)


def test_a_mapped_column_missing_from_the_header_is_refused_before_any_row() -> None:
    layout = MappedCsvLayout({"voter_id": "id", "first_name": "first", "last_name": "surname"})
    with pytest.raises(LayoutError, match="“surname” \\(last name\\)"):
        read(layout, "id,first,last\n1,A,B\n")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["id,first,last", "1,A,B"], (",", ["id", "first", "last"])),
        (['\ufeff"id"\t"first name"\t"last"', "1\tA\tB"], ("\t", ["id", "first name", "last"])),
        ("ID;Name;Street, number\n1;A;Elm, 4\n", (";", ["ID", "Name", "Street, number"])),
        (["a|b|c", "1|2|3"], ("|", ["a", "b", "c"])),
    ],
)
def test_sniffing_finds_the_delimiter_and_the_headers(lines: Any, expected: tuple[str, list[str]]) -> None:
    assert sniff_columns(lines) == expected


def test_voter_row_fields_are_in_the_order_the_layouts_pass_them() -> None:
    # The layouts build VoterRow positionally, for speed: a field moved in base.py must fail here.
    assert [f.name for f in dataclasses.fields(VoterRow)] == [
        "line", "state", "voter_id", "first_name", "last_name", "middle_name", "suffix", "birth_date",
        "birth_year", "gender", "race", "ethnicity", "status", "status_reason", "party", "registration_date",
        "street_line", "unit", "city", "residence_state", "postal_code", "county", "precinct",
        "precinct_name", "districts", "phone", "email", "raw",
    ]  # fmt: skip


# --- the official layouts --------------------------------------------------------------------


def _official_nc_columns() -> list[str]:
    text = (LAYOUT_DIR / "north_carolina_ncvoter_layout_2022.txt").read_text(encoding="utf-8")
    section = text.split("File layout (from 02/12/2022)")[1].split("Previous file layout")[0]
    rows = [line.split()[0] for line in section.splitlines() if re.match(r"[a-z][a-z0-9_]*\s", line)]
    return [name for name in rows if name != "name"]  # "name  data type  description" heads the table


@needs_layouts
def test_north_carolina_columns_are_the_official_67_in_order() -> None:
    assert _official_nc_columns() == list(nc.COLUMNS)
    assert len(nc.COLUMNS) == 67


@needs_layouts
def test_north_carolina_history_columns_are_the_official_15_in_order() -> None:
    text = (LAYOUT_DIR / "north_carolina_layout_2012_with_history.txt").read_text(encoding="utf-8")
    section = text.split("1) Voter History File")[1].split("2) Voter")[0]
    names = [line.split()[0] for line in section.splitlines()[1:] if line.strip()]
    assert names == list(nc.HISTORY_COLUMNS)


@needs_layouts
def test_north_carolina_code_tables_match_the_official_ones() -> None:
    text = (LAYOUT_DIR / "north_carolina_ncvoter_layout_2022.txt").read_text(encoding="utf-8")

    def codes(title: str) -> set[str]:
        table = text.split(title)[1].split("*/")[0]
        rows = [line for line in table.splitlines() if line.strip() and not line.startswith("*")]
        return {row.split()[0] for row in rows[1:]}  # after the line naming the columns

    assert codes("Status codes") == set(nc.STATUS)
    assert codes("Race codes") == set(nc.RACE)
    assert codes("Ethnic codes") == set(nc.ETHNICITY)
    counties = re.findall(r"^([A-Z]+)\s+(\d+)$", text.split("County identification number codes")[1], re.M)
    assert {name: int(number) or 100 for name, number in counties} == {
        name: int(i) for i, name in nc.COUNTIES.items()
    }


@needs_layouts
def test_new_york_fields_are_the_official_45_in_order() -> None:
    text = (LAYOUT_DIR / "new_york_voter_file_layout.txt").read_text(encoding="utf-8")
    # The text was pulled out of a PDF with spaces inside words: compare without spaces.
    squeezed = re.sub(r"\s+", "", text).upper()
    position = 0
    for number, name in enumerate(ny.COLUMNS, start=1):
        found = squeezed.find(f"{number}", position)
        found = squeezed.find(name, found)
        assert found >= 0, f"field {number} {name} not found in order"
        position = found + len(name)
    assert len(ny.COLUMNS) == 45
    assert "VOTERHISTORY" in squeezed


@needs_layouts
def test_new_york_county_codes_match_the_official_list() -> None:
    text = (LAYOUT_DIR / "new_york_voter_file_layout.txt").read_text(encoding="utf-8")
    squeezed = re.sub(r"\s+", "", text.split("Page 6 of 6")[1])
    for code, name in ny.COUNTIES.items():
        assert f"{name.replace(' ', '')}{int(code)}" in squeezed


def _official_fl_fields(title: str, end: str) -> list[str]:
    text = (LAYOUT_DIR / "florida_voter_extract_layout.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.split(title)[1].split(end)[0].splitlines()]
    names, expected = [], 1
    for i, line in enumerate(lines[:-1]):
        # A field's number is followed by its name (a maximum length or a "Y" is not a name).
        if line == str(expected) and len(lines[i + 1]) > 1 and not lines[i + 1].isdigit():
            names.append(lines[i + 1])
            expected += 1
    return names


@needs_layouts
def test_florida_fields_are_the_official_38_in_order() -> None:
    assert _official_fl_fields("VOTER REGISTRATION EXTRACT FILE", "VOTER STATUS CODES") == list(fl.COLUMNS)
    assert len(fl.COLUMNS) == 38


@needs_layouts
def test_florida_history_fields_are_the_official_5_in_order() -> None:
    assert _official_fl_fields("VOTING HISTORY EXTRACT FILE", "HISTORY CODES") == list(fl.HISTORY_COLUMNS)


@needs_layouts
def test_florida_code_tables_match_the_official_ones() -> None:
    text = (LAYOUT_DIR / "florida_voter_extract_layout.txt").read_text(encoding="utf-8")
    parties = text.split("PARTIES REGISTERED IN FLORIDA")[1].split("VOTING HISTORY EXTRACT FILE")[0]
    assert set(re.findall(r"^([A-Z]{3})$", parties, re.M)) == set(fl.PARTY)
    history = text.split("HISTORY CODES")[1].split("COUNTY CODES")[0]
    assert set(re.findall(r"^([A-Z])$", history, re.M)) == set(fl.HISTORY_CODE)
    counties = text.split("COUNTY CODES")[1].splitlines()
    pairs = {counties[i].strip(): counties[i + 1].strip() for i in range(len(counties) - 1)}
    assert all(pairs.get(code) == name for code, name in fl.COUNTIES.items())


@needs_layouts
def test_ohio_columns_are_those_of_the_summary() -> None:
    text = (LAYOUT_DIR / "SUMMARY.md").read_text(encoding="utf-8")
    section = text.split("## Ohio")[1].split(", then one column per election")[0]
    listed = re.sub(r"\([^)]*\)", "", section.split("\n", 1)[1])  # drop the notes in parentheses
    names = [name.strip() for name in listed.split(",")]
    assert names == list(oh.COLUMNS)


# --- detection -----------------------------------------------------------------------------

SAMPLE_FILES = {
    "nc": lambda: nc_file(2),
    "ny": lambda: written(samples.write_ny, NY_ROWS[:2]),
    "ny46": lambda: written(samples.write_ny, NY_ROWS[:2], with_phone=True),
    "fl": lambda: written(samples.write_fl, FL_ROWS[:2]),
    "oh": lambda: written(samples.write_oh, OH_ROWS[:2]),
}


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_detection_picks_the_one_layout_a_file_is_in(name: str) -> None:
    first_line = lines_of(SAMPLE_FILES[name]())[0]
    assert detect_layout(first_line) is LAYOUTS[name[:2]]
    assert [key for key, layout in LAYOUTS.items() if layout.detect(first_line)] == [name[:2]]
    assert detect_layout("\ufeff" + first_line) is LAYOUTS[name[:2]]


@pytest.mark.parametrize(
    "first_line",
    [
        "name,address,phone\r\n",
        "VoterID\tLastName\tFirstName\r\n",
        '"x","y"\r\n',
        "\x00\x01garbage",
        "a" * 10_000,
    ],
)
def test_detection_refuses_a_file_of_no_known_layout(first_line: str) -> None:
    with pytest.raises(LayoutError) as refused:
        detect_layout(first_line)
    assert str(refused.value) == (
        "This file matches none of the known layouts (North Carolina, New York, Florida, Ohio); "
        "choose the layout or map its columns."
    )


@pytest.mark.parametrize("key", LAYOUTS)
@pytest.mark.parametrize("other", SAMPLE_FILES)
def test_a_layout_refuses_another_layouts_file_before_yielding_anything(key: str, other: str) -> None:
    if other[:2] == key:
        return
    rows = get_layout(key).read(io.StringIO(SAMPLE_FILES[other](), newline=""))
    with pytest.raises(LayoutError):
        next(rows)


def test_history_readers_refuse_a_voter_file() -> None:
    with pytest.raises(LayoutError, match="not a North Carolina ncvhis"):
        read_history(get_layout("nc"), nc_file(2))
    with pytest.raises(LayoutError, match="not a Florida voting history"):
        read_history(get_layout("fl"), written(samples.write_fl, FL_ROWS))


def test_get_layout_gives_each_layout_and_refuses_an_unknown_key() -> None:
    for key, layout in LAYOUTS.items():
        assert type(get_layout(key)) is layout and layout.key == key
    mapped = get_layout("csv", mapping={"voter_id": "a", "first_name": "b", "last_name": "c"}, delimiter="\t")
    assert isinstance(mapped, MappedCsvLayout) and mapped.delimiter == "\t"
    with pytest.raises(LayoutError, match="Unknown layout"):
        get_layout("tx")
    assert [key for key, _ in layout_choices()] == ["nc", "ny", "fl", "oh", "csv"]


def test_labels_decode_codes_and_keep_unknown_ones() -> None:
    assert nc.NorthCarolina.label("party", "UNA") == "Unaffiliated"
    assert nc.NorthCarolina.label("race", "M") == "Two or more races"
    assert ny.NewYork.label("party", "BLK") == "No party"
    assert ny.NewYork.label("status", "17") == "Pre-registered (17 years old)"
    assert fl.Florida.label("race", "4") == "Hispanic"
    assert oh.Ohio.label("county", "18") == "Cuyahoga"
    assert oh.Ohio.label("county", "01") == oh.Ohio.label("county", "1") == "Adams"
    assert oh.Ohio.label("county", "81") == "Van Wert"
    assert nc.NorthCarolina.label("party", "ZZZ") == "ZZZ"


# --- bad input -------------------------------------------------------------------------------


def test_it_reports_a_short_row_with_its_line_number() -> None:
    text = replace_line(nc_file(4), 3, "\t".join(['"x"'] * 12))
    results = read(get_layout("nc"), text)
    assert [(e.line, e.reason) for e in errors(results)] == [(3, "expected 67 fields, found 12")]
    assert errors(results)[0].raw.startswith('"x"\t"x"')
    assert [v.line for v in voters(results)] == [2, 4, 5]


@pytest.mark.parametrize(
    ("columns", "reason"),
    [
        ({"registr_dt": "2019-13-45"}, "unreadable date '2019-13-45' in registr_dt"),
        ({"registr_dt": "yesterday"}, "unreadable date 'yesterday' in registr_dt"),
        ({"birth_year": "19A0"}, "unreadable year '19A0' in birth_year"),
        ({"status_cd": "Q"}, "unknown status code 'Q' in status_cd"),
        ({"party_cd": "WHIG"}, "unknown party code 'WHIG' in party_cd"),
        ({"ncid": ""}, "missing voter id (ncid)"),
        ({"last_name": "  "}, "missing last name (last_name)"),
    ],
)
def test_it_reports_a_bad_north_carolina_value_and_keeps_the_rows_around_it(
    columns: dict[str, str], reason: str
) -> None:
    results = read(get_layout("nc"), nc_line_with(nc_file(3), 3, **columns))
    assert [(e.line, e.reason) for e in errors(results)] == [(3, reason)]
    assert [v.line for v in voters(results)] == [2, 4]


def test_it_reports_an_unterminated_quote_and_reads_the_next_line_again() -> None:
    text = nc_file(5)
    lines = lines_of(text)
    lines[2] = lines[2].rstrip("\r\n")[:-1] + "\r\n"  # the last field's closing quote is lost
    results = read(get_layout("nc"), "".join(lines))
    assert [(e.line, e.reason) for e in errors(results)] == [
        (3, "broken quoting: a quote opened on this line is never closed")
    ]
    assert [v.line for v in voters(results)] == [2, 4, 5, 6]
    assert [v.voter_id for v in voters(results)] == ["CW000001", "CW000003", "CW000004", "CW000005"]


def test_an_unterminated_quote_on_the_last_line_is_reported() -> None:
    text = nc_file(3).rstrip("\r\n")[:-1] + "\r\n"
    results = read(get_layout("nc"), text)
    assert [(e.line, e.reason) for e in errors(results)] == [
        (4, "broken quoting: a quote opened on this line is never closed")
    ]
    assert [v.line for v in voters(results)] == [2, 3]


def test_a_quote_that_swallows_many_lines_costs_only_its_own_line() -> None:
    rows = [{"voter_id": f"OH{i}", "last_name": f"L{i}", "first_name": "F"} for i in range(60)]
    text = written(samples.write_oh, rows)
    lines = lines_of(text)
    lines[5] = lines[5].replace(",L4,", ',"L4 NEVER CLOSED,', 1)  # line 6 holds voter OH4
    results = read(get_layout("oh"), "".join(lines))
    assert [(e.line, e.reason) for e in errors(results)] == [
        (6, "broken quoting: a quote opened on this line is never closed")
    ]
    got = voters(results)
    assert len(got) == 59
    assert [v.line for v in got] == [n for n in range(2, 62) if n != 6]
    assert all(v.voter_id == f"OH{v.line - 2}" for v in got)


def test_a_quoted_value_with_a_line_break_is_one_record() -> None:
    rows = [
        {"voter_id": "OH1", "last_name": "A", "first_name": "X"},
        {"voter_id": "OH2", "last_name": "B", "first_name": "Y", "MAILING_ADDRESS1": "PO BOX 5\nSTATION A"},
        {"voter_id": "OH3", "last_name": "C", "first_name": "Z"},
    ]
    results = read(get_layout("oh"), written(samples.write_oh, rows))
    assert errors(results) == []
    assert [(v.line, v.voter_id) for v in voters(results)] == [(2, "OH1"), (3, "OH2"), (5, "OH3")]
    assert voters(results)[1].raw["MAILING_ADDRESS1"].startswith("PO BOX 5")


def test_blank_lines_are_skipped_but_counted() -> None:
    lines = lines_of(nc_file(3))
    text = "".join([lines[0], lines[1], "\r\n", "   \r\n", lines[2], lines[3], "\r\n"])
    results = read(get_layout("nc"), text)
    assert errors(results) == []
    assert [v.line for v in voters(results)] == [2, 5, 6]


def test_it_reports_a_new_york_row_of_the_wrong_length_or_with_bad_values() -> None:
    text = written(samples.write_ny, [NY_ROWS[0], {**NY_ROWS[1], "DOB": "19801301"}, NY_ROWS[2], NY_ROWS[3]])
    lines = lines_of(text)
    lines[2] = '"ONLY","THREE","FIELDS"\r\n'
    lines[3] = lines[3].replace('"DEM"', '"XYZ"')
    results = read(get_layout("ny"), "".join(lines))
    assert [(e.line, e.reason) for e in errors(results)] == [
        (2, "unreadable date '19801301' in DOB"),
        (3, "expected 45 fields, found 3"),
        (4, "unknown party code 'XYZ' in ENROLLMENT"),
    ]
    assert [v.line for v in voters(results)] == [1]


def test_it_reports_florida_rows_of_the_wrong_length_and_withheld_names() -> None:
    rows = [
        FL_ROWS[0],
        {**FL_ROWS[1], "Name Last": "", "Requested public records exemption": "Y"},
        FL_ROWS[2],
    ]
    lines = lines_of(written(samples.write_fl, [*rows, {**FL_ROWS[3], "Voter Status": "ZZZ"}]))
    lines.insert(2, "ORA\t123\r\n")
    results = read(get_layout("fl"), "".join(lines))
    assert [(e.line, e.reason) for e in errors(results)] == [
        (2, "name withheld: the voter asked for a public-records exemption"),
        (3, "expected 38 fields, found 2"),
        (5, "unknown status code 'ZZZ' in Voter Status"),
    ]
    assert [v.line for v in voters(results)] == [1, 4]


def test_it_reports_ohio_dates_in_the_column_they_are_in() -> None:
    rows = [OH_ROWS[0], {**OH_ROWS[1], "REGISTRATION_DATE": "2020-02-30"}, {**OH_ROWS[2], "status": "GONE"}]
    results = read(get_layout("oh"), written(samples.write_oh, rows))
    assert [(e.line, e.reason) for e in errors(results)] == [
        (3, "unreadable date '2020-02-30' in REGISTRATION_DATE"),
        (4, "unknown status code 'GONE' in VOTER_STATUS"),
    ]


def test_a_stray_quote_and_a_nul_inside_a_field_do_not_lose_the_row() -> None:
    text = nc_line_with(nc_file(3), 3, last_name='A\x00"B')
    results = read(get_layout("nc"), text)
    assert errors(results) == []
    assert [v.line for v in voters(results)] == [2, 3, 4]
    assert voters(results)[1].last_name == 'A\x00B"'  # as csv reads a quote in the middle of a field


def test_the_raw_text_of_an_error_is_clipped() -> None:
    text = replace_line(nc_file(2), 2, "x" * 5000)
    (error,) = errors(read(get_layout("nc"), text))
    assert len(error.raw) == _records.RAW_LIMIT and error.raw.endswith("…")


# --- encodings and empty files -----------------------------------------------------------------


def test_a_latin1_north_carolina_file_reads_back_its_accents() -> None:
    rows = [
        {"voter_id": "AB1", "first_name": "José", "last_name": "Peña", "street_line": "5 CAÑÓN ST"},
        {"voter_id": "AB2", "first_name": "ANA", "last_name": "MÜLLER"},
    ]
    data = written(samples.write_nc, rows).encode("latin-1")
    stream, encoding = open_voter_file(io.BytesIO(data))
    with stream:
        got = voters(get_layout("nc").read(stream))
    assert encoding == "cp1252"
    assert [(v.first_name, v.last_name) for v in got] == [("José", "Peña"), ("ANA", "MÜLLER")]
    assert got[0].street_line == "5 CAÑÓN ST"


def test_a_file_with_bytes_cp1252_lacks_is_read_as_latin1(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_bytes(written(samples.write_nc, [{"voter_id": "A", "last_name": "PE\x81A"}]).encode("latin-1"))
    stream, encoding = open_voter_file(path)
    with stream:
        (got,) = voters(get_layout("nc").read(stream))
    assert encoding == "latin-1" and got.last_name == "PE\x81A"


def test_a_utf8_file_with_a_byte_order_mark_is_detected_and_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(
        b"\xef\xbb\xbf" + written(samples.write_nc, [{"voter_id": "A", "last_name": "PEÑA"}]).encode()
    )
    stream, encoding = open_voter_file(str(path))
    with stream:
        first = stream.readline()
        assert detect_layout(first) is nc.NorthCarolina
        stream.seek(0)
        (got,) = voters(get_layout("nc").read(stream))
    assert encoding == "utf-8-sig" and got.last_name == "PEÑA"


def test_a_byte_order_mark_is_skipped_when_the_rest_of_the_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbfID,First,Last\r\nX1,Zo\xe9,Lef\xe8vre\r\n")  # one cp1252 letter or more
    stream, encoding = open_voter_file(path)
    with stream:
        got = list(
            MappedCsvLayout({"voter_id": "ID", "first_name": "First", "last_name": "Last"}).read(stream)
        )
    assert encoding == "cp1252"
    assert [(v.voter_id, v.first_name, v.last_name) for v in voters(got)] == [("X1", "Zoé", "Lefèvre")]


def test_utf8_is_recognised_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    import grassroots.voters.layouts as layouts

    monkeypatch.setattr(layouts, "_CHUNK", 7)  # every multibyte letter risks being cut in two
    data = written(samples.write_nc, [{"voter_id": "A", "last_name": "ÑÑÑÑÑÑÑ€€€"}]).encode()
    stream, encoding = open_voter_file(io.BytesIO(data))
    with stream:
        (got,) = voters(get_layout("nc").read(stream))
    assert encoding == "utf-8" and got.last_name == "ÑÑÑÑÑÑÑ€€€"


def test_a_file_cut_inside_a_utf8_letter_is_not_utf8() -> None:
    stream, encoding = open_voter_file(io.BytesIO("ABC PEÑ".encode()[:-1]))
    stream.close()
    assert encoding == "cp1252"


def test_a_stream_that_cannot_seek_is_copied_first() -> None:
    class OneWay(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = io.BytesIO(data)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: Any) -> int:
            chunk = self.data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    data = written(samples.write_fl, FL_ROWS).encode("utf-8")
    stream, encoding = open_voter_file(io.BufferedReader(OneWay(data)))
    with stream:
        got = voters(get_layout("fl").read(stream))
    assert encoding == "utf-8" and len(got) == len(FL_ROWS)


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"  \r\n\r\n\t"])
def test_an_empty_file_is_refused(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(LayoutError, match=r"^The file is empty\.$"):
        open_voter_file(path)
    with pytest.raises(LayoutError, match=r"^The file is empty\.$"):
        open_voter_file(io.BytesIO(content))


@pytest.mark.parametrize("key", LAYOUTS)
def test_every_layout_refuses_an_empty_stream(key: str) -> None:
    with pytest.raises(LayoutError, match="empty"):
        read(get_layout(key), "")
    with pytest.raises(LayoutError, match="empty"):
        detect_layout("")


# --- small pieces --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "expected"),
    [
        ("123 MAIN ST APT 4", ("123 MAIN ST", "APT 4")),
        ("123 MAIN ST  UNIT  B", ("123 MAIN ST", "UNIT B")),
        ("12 OAK AVE STE 200", ("12 OAK AVE", "STE 200")),
        ("12 OAK AVE # 3", ("12 OAK AVE", "# 3")),
        ("12 OAK AVE #3A", ("12 OAK AVE", "#3A")),
        ("400 PINE RD LOT 17", ("400 PINE RD", "LOT 17")),
        ("1 CHURCH ST FL 2", ("1 CHURCH ST", "FL 2")),
        ("1 CHURCH ST RM 101", ("1 CHURCH ST", "RM 101")),
        ("1 CHURCH ST apt 9", ("1 CHURCH ST", "apt 9")),
        ("77 PARKING LOT RD", ("77 PARKING LOT RD", "")),
        ("5 UNIT ST", ("5 UNIT ST", "")),
        ("9 APT 4", ("9 APT 4", "")),
        ("123 MAIN ST", ("123 MAIN ST", "")),
        ("", ("", "")),
    ],
)
def test_split_unit_takes_only_a_trailing_unit(street: str, expected: tuple[str, str]) -> None:
    assert split_unit(street) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/15/2004", date(2004, 3, 15)),
        ("3/5/2004", date(2004, 3, 5)),
        ("2004-03-15", date(2004, 3, 15)),
        ("20040315", date(2004, 3, 15)),
    ],
)
def test_dates_are_read_in_the_three_forms_voter_files_use(text: str, expected: date) -> None:
    assert read_date(text) == expected


@pytest.mark.parametrize(
    "text", ["2019-13-45", "02/30/2020", "15/03/04", "0004-03-15", "2004/03", "abcdefgh", "٢٠٠٤٠٣١٥"]
)
def test_unreadable_dates_raise_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        read_date(text)


def test_the_new_york_precinct_is_the_assembly_and_election_district() -> None:
    assert precinct_key("34", "12") == "34012"
    assert precinct_key("087", "005") == "87005"
    assert precinct_key("A", "1") == "A1"


# --- junk ------------------------------------------------------------------------------------

junk_lines = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.text(alphabet='"\t,;|\r\nA1/ -', max_size=80),
        st.lists(st.sampled_from(['"', '""', "x", "", " ", "NY123", "01/02/2003"]), max_size=70).map(
            "\t".join
        ),
        st.lists(st.sampled_from(['"', "x", "", "NY123", "20030102", "A"]), max_size=50).map(",".join),
    ),
    max_size=30,
)
HEADERS = {
    "nc": "\t".join(f'"{c}"' for c in nc.COLUMNS) + "\r\n",
    "ny": "",
    "fl": "",
    "oh": ",".join((*oh.COLUMNS, "GENERAL-11/08/2022")) + "\r\n",
}


def _consume(results: Iterator[object], line_count: int) -> None:
    last = 0
    for result in results:
        assert isinstance(result, (VoterRow, HistoryRow, RowError))
        assert 1 <= result.line <= line_count
        assert result.line >= last
        last = result.line


def _check_junk(layout: Layout, text: str, history: bool) -> None:
    line_count = max(1, len(io.StringIO(text, newline="").readlines()))
    with contextlib.suppress(LayoutError):
        _consume(iter(read(layout, text)), line_count)
    if history:
        with contextlib.suppress(LayoutError):
            _consume(iter(read_history(layout, text)), line_count)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(sorted(LAYOUTS)),
    lines=junk_lines,
    header=st.booleans(),
    ending=st.sampled_from(["\r\n", "\n", "\r"]),
)
def test_junk_never_raises_anything_but_row_and_layout_errors(
    key: str, lines: list[str], header: bool, ending: str
) -> None:
    text = (HEADERS[key] if header else "") + ending.join(lines)
    layout = get_layout(key)
    _check_junk(layout, text, history=key != "ny")
    with contextlib.suppress(LayoutError):
        detect_layout(lines[0] if lines else "")


@settings(max_examples=60, deadline=None)
@given(lines=junk_lines)
def test_junk_in_a_mapped_csv_never_raises_anything_but_row_errors(lines: list[str]) -> None:
    layout = MappedCsvLayout({"voter_id": "id", "first_name": "f", "last_name": "l", "birth_date": "d"})
    _check_junk(layout, "id,f,l,d\n" + "\n".join(lines), history=False)
    sniff_columns(["id,f,l,d", *lines[:5]])


@settings(max_examples=60, deadline=None)
@given(junk=st.binary(max_size=300))
@example(junk=b"\x00")
@example(junk=b" \x00\r\n\x00")
def test_any_bytes_open_as_some_encoding_or_an_empty_file(junk: bytes) -> None:
    try:
        stream, encoding = open_voter_file(io.BytesIO(junk))
    except LayoutError as error:
        assert str(error) == "The file is empty."
        return
    with stream:
        text = stream.read()
    assert encoding in {"utf-8", "utf-8-sig", "cp1252", "latin-1"}
    assert text
