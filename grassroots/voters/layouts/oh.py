"""Ohio: the Secretary of State's statewide voter files (SWVF_1_22.txt and the three others).

Comma-separated with a header row. After the voter's own columns comes one column per
election, named like ``GENERAL-11/08/2022``, holding the ballot's party letter (or X) when
the voter took part and nothing when not: that is the vote history, so ``read_history``
reads the same file again and yields one row per filled election cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import ClassVar, TextIO

from grassroots.voters.layouts._records import (
    Checks,
    Refused,
    clip,
    date_in,
    header_cells,
    read_date,
    records,
    words,
)
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow

# The voter's own columns, in order; the election columns follow them.
COLUMNS: tuple[str, ...] = (
    "SOS_VOTERID", "COUNTY_NUMBER", "COUNTY_ID", "LAST_NAME", "FIRST_NAME", "MIDDLE_NAME", "SUFFIX",
    "DATE_OF_BIRTH", "REGISTRATION_DATE", "VOTER_STATUS", "PARTY_AFFILIATION", "RESIDENTIAL_ADDRESS1",
    "RESIDENTIAL_SECONDARY_ADDR", "RESIDENTIAL_CITY", "RESIDENTIAL_STATE", "RESIDENTIAL_ZIP",
    "RESIDENTIAL_ZIP_PLUS4", "RESIDENTIAL_COUNTRY", "RESIDENTIAL_POSTALCODE", "MAILING_ADDRESS1",
    "MAILING_SECONDARY_ADDRESS", "MAILING_CITY", "MAILING_STATE", "MAILING_ZIP", "MAILING_ZIP_PLUS4",
    "MAILING_COUNTRY", "MAILING_POSTAL_CODE", "CAREER_CENTER", "CITY", "CITY_SCHOOL_DISTRICT",
    "COUNTY_COURT_DISTRICT", "CONGRESSIONAL_DISTRICT", "COURT_OF_APPEALS", "EDU_SERVICE_CENTER_DISTRICT",
    "EXEMPTED_VILL_SCHOOL_DISTRICT", "LIBRARY", "LOCAL_SCHOOL_DISTRICT", "MUNICIPAL_COURT_DISTRICT",
    "PRECINCT_NAME", "PRECINCT_CODE", "STATE_BOARD_OF_EDUCATION", "STATE_REPRESENTATIVE_DISTRICT",
    "STATE_SENATE_DISTRICT", "TOWNSHIP", "VILLAGE", "WARD",
)  # fmt: skip
REQUIRED = (
    "SOS_VOTERID", "LAST_NAME", "FIRST_NAME", "DATE_OF_BIRTH", "REGISTRATION_DATE", "VOTER_STATUS",
    "PARTY_AFFILIATION", "RESIDENTIAL_ADDRESS1",
)  # fmt: skip

DISTRICTS: tuple[tuple[str, str], ...] = (
    ("congressional", "CONGRESSIONAL_DISTRICT"),
    ("state_senate", "STATE_SENATE_DISTRICT"),
    ("state_house", "STATE_REPRESENTATIVE_DISTRICT"),
    ("state_board_of_education", "STATE_BOARD_OF_EDUCATION"),
    ("court_of_appeals", "COURT_OF_APPEALS"),
    ("county_court", "COUNTY_COURT_DISTRICT"),
    ("municipal_court", "MUNICIPAL_COURT_DISTRICT"),
    ("city", "CITY"),
    ("village", "VILLAGE"),
    ("township", "TOWNSHIP"),
    ("ward", "WARD"),
    ("city_school", "CITY_SCHOOL_DISTRICT"),
    ("local_school", "LOCAL_SCHOOL_DISTRICT"),
    ("exempted_village_school", "EXEMPTED_VILL_SCHOOL_DISTRICT"),
    ("education_service_center", "EDU_SERVICE_CENTER_DISTRICT"),
    ("career_center", "CAREER_CENTER"),
    ("library", "LIBRARY"),
)

STATUS = {"ACTIVE": "Active", "CONFIRMATION": "Confirmation (mailing returned, not yet removed)"}
# PARTY_AFFILIATION is the party of the last partisan primary the voter took part in.
PARTY = {
    "C": "Constitution",
    "D": "Democratic",
    "E": "Reform",
    "G": "Green",
    "L": "Libertarian",
    "N": "Natural Law",
    "R": "Republican",
    "S": "Socialist",
    "X": "Nonpartisan ballot",
}
_COUNTY_NAMES = words(
    "Adams Allen Ashland Ashtabula Athens Auglaize Belmont Brown Butler Carroll Champaign Clark Clermont "
    "Clinton Columbiana Coshocton Crawford Cuyahoga Darke Defiance Delaware Erie Fairfield Fayette Franklin "
    "Fulton Gallia Geauga Greene Guernsey Hamilton Hancock Hardin Harrison Henry Highland Hocking Holmes "
    "Huron Jackson Jefferson Knox Lake Lawrence Licking Logan Lorain Lucas Madison Mahoning Marion Medina "
    "Meigs Mercer Miami Monroe Montgomery Morgan Morrow Muskingum Noble Ottawa Paulding Perry Pickaway "
    "Pike Portage Preble Putnam Richland Ross Sandusky Scioto Seneca Shelby Stark Summit Trumbull "
    "Tuscarawas Union Van_Wert Vinton Warren Washington Wayne Williams Wood Wyandot"
)
# COUNTY_NUMBER -> county name (numbered alphabetically), with and without the leading zero.
COUNTIES = {
    **{str(i): name.replace("_", " ") for i, name in enumerate(_COUNTY_NAMES, start=1)},
    **{f"{i:02d}": name.replace("_", " ") for i, name in enumerate(_COUNTY_NAMES, start=1)},
}


def election_column(name: str) -> tuple[str, date] | None:
    """("GENERAL", date(2022, 11, 8)) for "GENERAL-11/08/2022"; None for any other column."""
    kind, dash, when = name.partition("-")
    if not dash or not kind.isalpha() or "/" not in when:
        return None
    try:
        return kind.upper(), read_date(when)
    except ValueError:
        return None


class Ohio(Layout):
    key = "oh"
    name = "Ohio (statewide voter file)"
    state = "OH"
    codes: ClassVar[dict[str, dict[str, str]]] = {"status": STATUS, "party": PARTY, "county": COUNTIES}
    history_in_voter_file = True

    @classmethod
    def detect(cls, first_line: str) -> bool:
        cells = header_cells(first_line, ",")
        return bool(cells) and cells[0] == "SOS_VOTERID" and all(name in cells for name in REQUIRED)

    def _header(self, lines: Iterator[str]) -> list[str]:
        first = next(lines, None)
        if first is None or not first.strip():
            raise LayoutError("The file is empty.")
        header = header_cells(first, ",")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise LayoutError(
                "This is not an Ohio statewide voter file: its first line should be the comma-separated "
                f"header (SOS_VOTERID, COUNTY_NUMBER, …) but it lacks {', '.join(missing)}."
            )
        return header

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        lines = iter(stream)
        header = self._header(lines)
        width = len(header)
        at = {name: i for i, name in enumerate(header)}
        # The raw row keeps the voter's own columns; the election columns are the history.
        own = [(name, i) for i, name in enumerate(header) if election_column(name) is None]
        own_names = tuple(name for name, _ in own)
        own_indexes = [i for _, i in own]

        def col(name: str) -> int:
            return at.get(name, width)  # a missing column reads as empty

        i_id, i_last, i_first, i_middle = (
            col("SOS_VOTERID"),
            col("LAST_NAME"),
            col("FIRST_NAME"),
            col("MIDDLE_NAME"),
        )
        i_suffix, i_born, i_reg = col("SUFFIX"), col("DATE_OF_BIRTH"), col("REGISTRATION_DATE")
        i_status, i_party, i_county = col("VOTER_STATUS"), col("PARTY_AFFILIATION"), col("COUNTY_NUMBER")
        i_line1, i_line2, i_city = (
            col("RESIDENTIAL_ADDRESS1"),
            col("RESIDENTIAL_SECONDARY_ADDR"),
            col("RESIDENTIAL_CITY"),
        )
        i_state, i_zip = col("RESIDENTIAL_STATE"), col("RESIDENTIAL_ZIP")
        i_precinct, i_precinct_name = col("PRECINCT_CODE"), col("PRECINCT_NAME")
        district_cols = [(key, at[column]) for key, column in DISTRICTS if column in at]
        checks = Checks("SOS_VOTERID", "LAST_NAME", "VOTER_STATUS", "PARTY_AFFILIATION", STATUS, PARTY)
        for number, fields, text in records(lines, ",", width, first_line=2):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            fields.append("")
            voter_id, last_name = fields[i_id], fields[i_last]
            status, party = fields[i_status], fields[i_party]
            try:
                checks.check(voter_id, last_name, status, party)
                birth_date = date_in(fields[i_born], "DATE_OF_BIRTH")
                registration_date = date_in(fields[i_reg], "REGISTRATION_DATE")
            except Refused as refused:
                yield RowError(number, str(refused), clip(text), voter_id)
                continue
            yield VoterRow(  # positional: keywords cost a microsecond a row (test_layouts guards the order)
                number,  # line
                "OH",  # state
                voter_id,
                fields[i_first],  # first_name
                last_name,
                fields[i_middle],  # middle_name
                fields[i_suffix],  # suffix
                birth_date,
                birth_date.year if birth_date else None,  # birth_year
                "",  # gender
                "",  # race
                "",  # ethnicity
                status,
                "",  # status_reason
                party,
                registration_date,
                fields[i_line1],  # street_line
                fields[i_line2],  # unit
                fields[i_city],  # city
                fields[i_state],  # residence_state
                fields[i_zip][:5],  # postal_code
                fields[i_county],  # county
                fields[i_precinct],  # precinct
                fields[i_precinct_name],  # precinct_name
                {key: fields[i] for key, i in district_cols if fields[i]},  # districts
                "",  # phone
                "",  # email
                dict(zip(own_names, [fields[i] for i in own_indexes], strict=True)),  # raw
            )

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        lines = iter(stream)
        header = self._header(lines)
        width = len(header)
        i_id = header.index("SOS_VOTERID")
        elections = []
        for i, name in enumerate(header):
            found = election_column(name)
            if found is not None:
                kind, when = found
                elections.append((i, name, kind, when, f"{when:%m/%d/%Y} {kind}"))
        ballots = PARTY
        for number, fields, text in records(lines, ",", width, first_line=2):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            voter_id = fields[i_id]
            if not voter_id:
                yield RowError(number, "missing voter id (SOS_VOTERID)", clip(text))
                continue
            for i, column, kind, when, label in elections:
                value = fields[i]
                if not value:
                    continue
                if value not in ballots:
                    yield RowError(number, f"unknown ballot code '{value}' in {column}", clip(text))
                    continue
                yield HistoryRow(number, voter_id, when, label, kind, "", "" if value == "X" else value)
