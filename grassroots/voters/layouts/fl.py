"""Florida: the Division of Elections' monthly voter extract, one file per county.

Tab-delimited, no header, no quoting, 38 fields (``CCC_YYYYMMDD.txt``); the vote history is
a second file per county (``CCC_H_YYYYMMDD.txt``) of 5 fields, one line per voter and election.
Voters who asked for a public-records exemption have their name and address left blank.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import ClassVar, TextIO

from grassroots.voters.layouts._records import (
    Checks,
    Refused,
    clip,
    date_in,
    first_fields,
    read_date,
    records,
)
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow

# The fields, in order (Voter Extract Disk File Layout, updated 08/2016).
COLUMNS: tuple[str, ...] = (
    "County Code", "Voter ID", "Name Last", "Name Suffix", "Name First", "Name Middle",
    "Requested public records exemption", "Residence Address Line 1", "Residence Address Line 2",
    "Residence City (USPS)", "Residence State", "Residence Zipcode", "Mailing Address Line 1",
    "Mailing Address Line 2", "Mailing Address Line 3", "Mailing City", "Mailing State",
    "Mailing Zipcode", "Mailing Country", "Gender", "Race", "Birth Date", "Registration Date",
    "Party Affiliation", "Precinct", "Precinct Group", "Precinct Split", "Precinct Suffix",
    "Voter Status", "Congressional District", "House District", "Senate District",
    "County Commission District", "School Board District", "Daytime Area Code",
    "Daytime Phone Number", "Daytime Phone Extension", "Email address",
)  # fmt: skip
HISTORY_COLUMNS: tuple[str, ...] = (
    "County Code",
    "Voter ID",
    "Election Date",
    "Election Type",
    "History Code",
)

STATUS = {"ACT": "Active", "INA": "Inactive", "PRE": "Pre-registered (minor)"}
PARTY = {
    "AIP": "America's Party of Florida",
    "CPF": "Constitution Party of Florida",
    "DEM": "Florida Democratic Party",
    "ECO": "Ecology Party of Florida",
    "GRE": "Green Party of Florida",
    "IDP": "Independence Party of Florida",
    "INT": "Independent Party of Florida",
    "LPF": "Libertarian Party of Florida",
    "NPA": "No party affiliation",
    "PSL": "Party for Socialism and Liberation - Florida",
    "REF": "Reform Party of Florida",
    "REP": "Republican Party of Florida",
}
RACE = {
    "1": "American Indian or Alaskan Native",
    "2": "Asian or Pacific Islander",
    "3": "Black, not Hispanic",
    "4": "Hispanic",
    "5": "White, not Hispanic",
    "6": "Other",
    "7": "Multi-racial",
    "9": "Unknown",
}
GENDER = {"F": "Female", "M": "Male", "U": "Unknown"}
ELECTION_TYPE = {
    "PPP": "PRESIDENTIAL PREFERENCE PRIMARY",
    "PRI": "PRIMARY",
    "RUN": "RUNOFF",
    "GEN": "GENERAL",
    "OTH": "OTHER",
}
HISTORY_CODE = {
    "A": "VOTED ABSENTEE",
    "B": "ABSENTEE BALLOT NOT COUNTED",
    "E": "VOTED EARLY",
    "F": "PROVISIONAL BALLOT - EARLY VOTE",
    "N": "DID NOT VOTE",
    "P": "PROVISIONAL BALLOT NOT COUNTED",
    "Y": "VOTED AT POLLS",
    "Z": "PROVISIONAL BALLOT - VOTE AT POLL",
}
COUNTIES = {
    "ALA": "Alachua", "BAK": "Baker", "BAY": "Bay", "BRA": "Bradford", "BRE": "Brevard", "BRO": "Broward",
    "CAL": "Calhoun", "CHA": "Charlotte", "CIT": "Citrus", "CLA": "Clay", "CLL": "Collier",
    "CLM": "Columbia", "DAD": "Miami-Dade", "DES": "Desoto", "DIX": "Dixie", "DUV": "Duval",
    "ESC": "Escambia", "FLA": "Flagler", "FRA": "Franklin", "GAD": "Gadsden", "GIL": "Gilchrist",
    "GLA": "Glades", "GUL": "Gulf", "HAM": "Hamilton", "HAR": "Hardee", "HEN": "Hendry", "HER": "Hernando",
    "HIG": "Highlands", "HIL": "Hillsborough", "HOL": "Holmes", "IND": "Indian River", "JAC": "Jackson",
    "JEF": "Jefferson", "LAF": "Lafayette", "LAK": "Lake", "LEE": "Lee", "LEO": "Leon", "LEV": "Levy",
    "LIB": "Liberty", "MAD": "Madison", "MAN": "Manatee", "MRN": "Marion", "MRT": "Martin", "MON": "Monroe",
    "NAS": "Nassau", "OKA": "Okaloosa", "OKE": "Okeechobee", "ORA": "Orange", "OSC": "Osceola",
    "PAL": "Palm Beach", "PAS": "Pasco", "PIN": "Pinellas", "POL": "Polk", "PUT": "Putnam",
    "SAN": "Santa Rosa", "SAR": "Sarasota", "SEM": "Seminole", "STJ": "St. Johns", "STL": "St. Lucie",
    "SUM": "Sumter", "SUW": "Suwannee", "TAY": "Taylor", "UNI": "Union", "VOL": "Volusia", "WAK": "Wakulla",
    "WAL": "Walton", "WAS": "Washington",
}  # fmt: skip

WIDTH = len(COLUMNS)
HISTORY_WIDTH = len(HISTORY_COLUMNS)


def _first_line(lines: Iterator[str]) -> str:
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise LayoutError("The file is empty.")
    return first.lstrip("\ufeff")


class Florida(Layout):
    key = "fl"
    name = "Florida (voter extract)"
    state = "FL"
    codes: ClassVar[dict[str, dict[str, str]]] = {
        "status": STATUS,
        "party": PARTY,
        "race": RACE,
        "gender": GENDER,
        "county": COUNTIES,
        "election_type": ELECTION_TYPE,
        "history": HISTORY_CODE,
    }

    @classmethod
    def detect(cls, first_line: str) -> bool:
        fields = first_fields(first_line, "\t", quoting=False)
        return len(fields) == WIDTH and fields[0] in COUNTIES

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        lines = iter(stream)
        first = _first_line(lines)
        shape = first_fields(first, "\t", quoting=False)
        if len(shape) != WIDTH or shape[0] not in COUNTIES:
            raise LayoutError(
                "This is not a Florida voter extract: its lines should have 38 tab-separated fields "
                f"starting with a county code such as ORA; the first has {len(shape)} "
                f"starting with '{shape[0][:20]}'."
            )
        checks = Checks("Voter ID", "Name Last", "Voter Status", "Party Affiliation", STATUS, PARTY)
        for number, fields, text in records(itertools.chain([first], lines), "\t", WIDTH, quoting=False):
            if isinstance(fields, str):  # the wrong number of fields: without quoting every line splits
                yield RowError(number, fields, clip(text))
                continue
            (
                county, voter_id, last_name, suffix, first_name, middle_name, exempt, line1, line2, city,
                state, zipcode, _m1, _m2, _m3, _mcity, _mstate, _mzip, _mcountry, gender, race, born,
                registered, party, precinct, _group, _split, _suffix, status, cd, hd, sd, ccd, sbd,
                area_code, phone_number, _extension, email,
            ) = fields  # fmt: skip
            try:
                if voter_id and not last_name and exempt == "Y":
                    raise Refused("name withheld: the voter asked for a public-records exemption")
                checks.check(voter_id, last_name, status, party)
                birth_date = date_in(born, "Birth Date")
                registration_date = date_in(registered, "Registration Date")
            except Refused as refused:
                yield RowError(number, str(refused), clip(text), voter_id)
                continue
            districts = {
                key: value
                for key, value in (
                    ("congressional", cd),
                    ("state_house", hd),
                    ("state_senate", sd),
                    ("county_commission", ccd),
                    ("school_board", sbd),
                )
                if value
            }
            yield VoterRow(  # positional: keywords cost a microsecond a row (test_layouts guards the order)
                number,  # line
                "FL",  # state
                voter_id,
                first_name,
                last_name,
                middle_name,
                suffix,
                birth_date,
                birth_date.year if birth_date else None,  # birth_year
                gender,
                race,
                "",  # ethnicity
                status,
                "",  # status_reason
                party,
                registration_date,
                line1,  # street_line
                line2,  # unit
                city,
                state,  # residence_state
                zipcode[:5],  # postal_code
                county,
                precinct,
                "",  # precinct_name
                districts,
                area_code + phone_number if phone_number else "",  # phone
                email,
                dict(zip(COLUMNS, fields, strict=True)),  # raw
            )

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        lines = iter(stream)
        first = _first_line(lines)
        shape = first_fields(first, "\t", quoting=False)
        if len(shape) != HISTORY_WIDTH or shape[0] not in COUNTIES:
            raise LayoutError(
                "This is not a Florida voting history file: its lines should have 5 tab-separated fields "
                f"(county code, voter id, election date, election type, history code); the first has "
                f"{len(shape)}."
            )
        types, methods = ELECTION_TYPE, HISTORY_CODE
        for number, fields, text in records(
            itertools.chain([first], lines), "\t", HISTORY_WIDTH, quoting=False
        ):
            if isinstance(fields, str):  # the wrong number of fields: without quoting every line splits
                yield RowError(number, fields, clip(text))
                continue
            _county, voter_id, when, kind, code = fields
            if not voter_id:
                yield RowError(number, "missing voter id (Voter ID)", clip(text))
                continue
            try:
                election_date = read_date(when)
            except ValueError:
                yield RowError(number, f"unreadable date '{when}' in Election Date", clip(text))
                continue
            if kind not in types:
                yield RowError(number, f"unknown election type '{kind}' in Election Type", clip(text))
                continue
            if code not in methods:
                yield RowError(number, f"unknown history code '{code}' in History Code", clip(text))
                continue
            yield HistoryRow(
                number,
                voter_id,
                election_date,
                f"{election_date:%m/%d/%Y} {types[kind]}",
                kind,
                methods[code],
            )
