"""North Carolina: the State Board of Elections' ``ncvoter`` file and its ``ncvhis`` history.

Both are tab-delimited with a header row, every field in double quotes, lines ending CR-LF.
The voter file has 67 columns since February 2022 (71, in another order, before); columns
are found by their header names, so both read. Records join their history on ``ncid``.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import ClassVar, TextIO

from grassroots.voters.layouts._records import (
    Checks,
    Refused,
    clip,
    date_in,
    header_cells,
    picker,
    read_date,
    records,
    split_unit,
    words,
)
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow

# The voter file's columns, in order (layout_ncvoter.txt, from 02/12/2022).
COLUMNS: tuple[str, ...] = (
    "county_id", "county_desc", "voter_reg_num", "ncid", "last_name", "first_name", "middle_name",
    "name_suffix_lbl", "status_cd", "voter_status_desc", "reason_cd", "voter_status_reason_desc",
    "res_street_address", "res_city_desc", "state_cd", "zip_code", "mail_addr1", "mail_addr2",
    "mail_addr3", "mail_addr4", "mail_city", "mail_state", "mail_zipcode", "full_phone_number",
    "confidential_ind", "registr_dt", "race_code", "ethnic_code", "party_cd", "gender_code",
    "birth_year", "age_at_year_end", "birth_state", "drivers_lic", "precinct_abbrv", "precinct_desc",
    "municipality_abbrv", "municipality_desc", "ward_abbrv", "ward_desc", "cong_dist_abbrv",
    "super_court_abbrv", "judic_dist_abbrv", "nc_senate_abbrv", "nc_house_abbrv",
    "county_commiss_abbrv", "county_commiss_desc", "township_abbrv", "township_desc",
    "school_dist_abbrv", "school_dist_desc", "fire_dist_abbrv", "fire_dist_desc", "water_dist_abbrv",
    "water_dist_desc", "sewer_dist_abbrv", "sewer_dist_desc", "sanit_dist_abbrv", "sanit_dist_desc",
    "rescue_dist_abbrv", "rescue_dist_desc", "munic_dist_abbrv", "munic_dist_desc", "dist_1_abbrv",
    "dist_1_desc", "vtd_abbrv", "vtd_desc",
)  # fmt: skip

# The history file's columns, in order (layout_ncvoter_ncvhis.txt).
HISTORY_COLUMNS: tuple[str, ...] = (
    "county_id", "county_desc", "voter_reg_num", "election_lbl", "election_desc", "voting_method",
    "voted_party_cd", "voted_party_desc", "pct_label", "pct_description", "ncid", "voted_county_id",
    "voted_county_desc", "vtd_label", "vtd_description",
)  # fmt: skip

# Columns a voter file must have to be read as one (present in the 2022 and the older layout).
REQUIRED = ("ncid", "last_name", "first_name", "status_cd", "party_cd", "res_street_address", "registr_dt")
HISTORY_REQUIRED = ("ncid", "election_lbl", "election_desc", "voting_method", "voted_party_cd")

# VoterRow.districts key -> column.
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("congressional", "cong_dist_abbrv"),
    ("state_senate", "nc_senate_abbrv"),
    ("state_house", "nc_house_abbrv"),
    ("municipality", "municipality_abbrv"),
    ("ward", "ward_abbrv"),
    ("superior_court", "super_court_abbrv"),
    ("judicial", "judic_dist_abbrv"),
    ("county_commission", "county_commiss_abbrv"),
    ("township", "township_abbrv"),
    ("school", "school_dist_abbrv"),
    ("fire", "fire_dist_abbrv"),
    ("water", "water_dist_abbrv"),
    ("sewer", "sewer_dist_abbrv"),
    ("sanitation", "sanit_dist_abbrv"),
    ("rescue", "rescue_dist_abbrv"),
    ("municipal_district", "munic_dist_abbrv"),
    ("prosecutorial", "dist_1_abbrv"),
    ("vtd", "vtd_abbrv"),
)

STATUS = {
    "A": "Active",
    "D": "Denied",
    "I": "Inactive",
    "R": "Removed",
    "S": "Temporary (military and overseas)",
}
PARTY = {
    "DEM": "Democratic",
    "REP": "Republican",
    "UNA": "Unaffiliated",
    "LIB": "Libertarian",
    "GRE": "Green",
    "CST": "Constitution",
    # Parties recognized for a while after 2022.
    "NLB": "No Labels",
    "JFA": "Justice for All",
    "WTP": "We the People",
}
RACE = {
    "A": "Asian",
    "B": "Black or African American",
    "I": "American Indian or Alaska Native",
    "M": "Two or more races",
    "O": "Other",
    "P": "Native Hawaiian or Pacific Islander",
    "U": "Undesignated",
    "W": "White",
}
ETHNICITY = {"HL": "Hispanic or Latino", "NL": "Not Hispanic or Latino", "UN": "Undesignated"}
GENDER = {"F": "Female", "M": "Male", "U": "Undesignated"}

_COUNTY_NAMES = words(
    "ALAMANCE ALEXANDER ALLEGHANY ANSON ASHE AVERY BEAUFORT BERTIE BLADEN BRUNSWICK BUNCOMBE BURKE "
    "CABARRUS CALDWELL CAMDEN CARTERET CASWELL CATAWBA CHATHAM CHEROKEE CHOWAN CLAY CLEVELAND COLUMBUS "
    "CRAVEN CUMBERLAND CURRITUCK DARE DAVIDSON DAVIE DUPLIN DURHAM EDGECOMBE FORSYTH FRANKLIN GASTON "
    "GATES GRAHAM GRANVILLE GREENE GUILFORD HALIFAX HARNETT HAYWOOD HENDERSON HERTFORD HOKE HYDE IREDELL "
    "JACKSON JOHNSTON JONES LEE LENOIR LINCOLN MACON MADISON MARTIN MCDOWELL MECKLENBURG MITCHELL "
    "MONTGOMERY MOORE NASH NEWHANOVER NORTHAMPTON ONSLOW ORANGE PAMLICO PASQUOTANK PENDER PERQUIMANS "
    "PERSON PITT POLK RANDOLPH RICHMOND ROBESON ROCKINGHAM ROWAN RUTHERFORD SAMPSON SCOTLAND STANLY "
    "STOKES SURRY SWAIN TRANSYLVANIA TYRRELL UNION VANCE WAKE WARREN WASHINGTON WATAUGA WAYNE WILKES "
    "WILSON YADKIN YANCEY"
)
# county_id -> county name; the ids follow the alphabet, YANCEY being 100 (listed as "00").
COUNTIES = {str(i): name for i, name in enumerate(_COUNTY_NAMES, start=1)}
COUNTY_IDS = {name: i for i, name in COUNTIES.items()}

# The columns a VoterRow is made of, in the order read() unpacks them.
_USED = (
    "ncid", "last_name", "first_name", "middle_name", "name_suffix_lbl", "status_cd", "reason_cd",
    "party_cd", "res_street_address", "res_city_desc", "state_cd", "zip_code", "full_phone_number",
    "registr_dt", "race_code", "ethnic_code", "gender_code", "birth_year", "county_desc",
    "precinct_abbrv", "precinct_desc",
)  # fmt: skip

_ELECTION_KINDS = ("GENERAL", "PRIMARY", "RUNOFF", "SPECIAL", "MUNICIPAL")


def _year(text: str) -> int | None:
    """A birth year, four digits (None when empty); Refused otherwise."""
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise Refused(f"unreadable year '{text}' in birth_year")
    return int(text)


def _looks_like(line: str, required: tuple[str, ...]) -> bool:
    cells = set(header_cells(line, "\t"))
    return all(name in cells for name in required)


class NorthCarolina(Layout):
    key = "nc"
    name = "North Carolina (ncvoter)"
    state = "NC"
    codes: ClassVar[dict[str, dict[str, str]]] = {
        "status": STATUS,
        "party": PARTY,
        "race": RACE,
        "ethnicity": ETHNICITY,
        "gender": GENDER,
        "county": COUNTIES,
    }

    @classmethod
    def detect(cls, first_line: str) -> bool:
        return "\t" in first_line and _looks_like(first_line, REQUIRED)

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        lines = iter(stream)
        first = next(lines, None)
        if first is None:
            raise LayoutError("The file is empty.")
        header = header_cells(first, "\t")
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise LayoutError(
                "This is not a North Carolina ncvoter file: its first line should be the tab-separated "
                f"header (county_id, county_desc, …) but it lacks {', '.join(missing)}."
            )
        width = len(header)
        at = {name: i for i, name in enumerate(header)}
        # Columns the older layout lacks read as empty: they point at a blank field added to each row.
        used = picker([at.get(name, width) for name in _USED])
        district_keys = tuple(key for key, column in DISTRICTS if column in at)
        districts_of = picker([at[column] for key, column in DISTRICTS if column in at])
        filled = operator.itemgetter(1)
        names = tuple(header)
        blank_raw = dict.fromkeys(names, "")  # copied then filled: faster than building a dict each row
        checks = Checks("ncid", "last_name", "status_cd", "party_cd", STATUS, PARTY)
        for number, fields, text in records(lines, "\t", width, first_line=2):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            raw = blank_raw.copy()
            raw.update(zip(names, fields, strict=True))
            fields.append("")
            (
                voter_id, last_name, first_name, middle_name, suffix, status, reason, party, street, city,
                state, zip_code, phone, registered, race, ethnicity, gender, born, county, precinct,
                precinct_name,
            ) = used(fields)  # fmt: skip
            try:
                checks.check(voter_id, last_name, status, party)
                registration_date = date_in(registered, "registr_dt")
                birth_year = _year(born)
            except Refused as refused:
                yield RowError(number, str(refused), clip(text), voter_id)
                continue
            unit = ""
            if street.count(" ") > 2 or "#" in street:  # "1 MAIN ST" has no room for a unit
                street, unit = split_unit(street)
            yield VoterRow(  # positional: keywords cost a microsecond a row (test_layouts guards the order)
                number,  # line
                "NC",  # state
                voter_id,
                first_name,
                last_name,
                middle_name,
                suffix,
                None,  # birth_date
                birth_year,
                gender,
                race,
                ethnicity,
                status,
                reason,  # status_reason
                party,
                registration_date,
                street,  # street_line
                unit,
                city,
                state,  # residence_state
                zip_code[:5],  # postal_code
                county,
                precinct,
                precinct_name,
                dict(filter(filled, zip(district_keys, districts_of(fields), strict=True))),  # districts
                phone,
                "",  # email
                raw,
            )

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        lines = iter(stream)
        first = next(lines, None)
        if first is None:
            raise LayoutError("The file is empty.")
        header = header_cells(first, "\t")
        missing = [name for name in HISTORY_REQUIRED if name not in header]
        if missing:
            raise LayoutError(
                "This is not a North Carolina ncvhis history file: its first line should be the "
                f"tab-separated header (county_id, county_desc, voter_reg_num, election_lbl, …) but it "
                f"lacks {', '.join(missing)}."
            )
        width = len(header)
        at = {name: i for i, name in enumerate(header)}
        i_ncid, i_label, i_desc = at["ncid"], at["election_lbl"], at["election_desc"]
        i_method, i_party = at["voting_method"], at["voted_party_cd"]
        kinds: dict[str, str] = {}
        for number, fields, text in records(lines, "\t", width, first_line=2):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            voter_id = fields[i_ncid]
            if not voter_id:
                yield RowError(number, "missing voter id (ncid)", clip(text))
                continue
            label = fields[i_label]
            try:
                election_date = read_date(label)
            except ValueError:
                yield RowError(number, f"unreadable date '{label}' in election_lbl", clip(text))
                continue
            desc = fields[i_desc] or label
            kind = kinds.get(desc)
            if kind is None:
                upper = desc.upper()
                kind = kinds[desc] = next((k for k in _ELECTION_KINDS if k in upper), "")
            yield HistoryRow(number, voter_id, election_date, desc, kind, fields[i_method], fields[i_party])
