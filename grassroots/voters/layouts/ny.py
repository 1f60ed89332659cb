"""New York: the State Board of Elections' statewide voter list (``AllNYSVoters_YYYYMMDD.txt``).

Comma-delimited, every field in double quotes, lines ending CR-LF, no header row: 45 fields,
46 in the files sold "with phone" (the telephone number after the vote history). The vote
history is one field of semicolon-separated, county-specific election labels without dates,
so it is kept in ``raw`` and there is no separate history to read.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import ClassVar, TextIO

from grassroots.voters.layouts._records import Checks, Refused, clip, date_in, first_fields, records, words
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow

# The fields, in order (NYS BOE "Data File Layout for voter list exports").
COLUMNS: tuple[str, ...] = (
    "LASTNAME", "FIRSTNAME", "MIDDLENAME", "NAMESUFFIX", "RADDNUMBER", "RHALFCODE", "RAPARTMENT",
    "RPREDIRECTION", "RSTREETNAME", "RPOSTDIRECTION", "RCITY", "RZIP5", "RZIP4", "MAILADD1", "MAILADD2",
    "MAILADD3", "MAILADD4", "DOB", "GENDER", "ENROLLMENT", "OTHERPARTY", "COUNTYCODE", "ED", "LD",
    "TOWNCITY", "WARD", "CD", "SD", "AD", "LASTVOTEDDATE", "PREVYEARVOTED", "PREVCOUNTY", "PREVADDRESS",
    "PREVNAME", "COUNTYVRNUMBER", "REGDATE", "VRSOURCE", "IDREQUIRED", "IDMET", "STATUS", "REASONCODE",
    "INACT_DATE", "PURGE_DATE", "SBOEID", "VOTERHISTORY",
)  # fmt: skip
PHONE_COLUMN = "TELEPHONE"
WIDTHS = (len(COLUMNS), len(COLUMNS) + 1)

STATUS = {
    "A": "Active",
    "AM": "Active military",
    "AF": "Active special federal",
    "AP": "Active special presidential",
    "AU": "Active UOCAVA",
    "I": "Inactive",
    "P": "Purged",
    "17": "Pre-registered (17 years old)",
    # Older files spell the status out.
    "ACTIVE": "Active",
    "INACTIVE": "Inactive",
    "PURGED": "Purged",
    "PREREG": "Pre-registered",
}
PARTY = {
    "DEM": "Democratic",
    "REP": "Republican",
    "CON": "Conservative",
    "WOR": "Working Families",
    "GRE": "Green",
    "IND": "Independence",
    "LBT": "Libertarian",
    "SAM": "SAM",
    "WEP": "Women's Equality",
    "REF": "Reform",
    "SCC": "Stop Common Core",
    "OTH": "Other",
    "BLK": "No party",
}
GENDER = {"M": "Male", "F": "Female", "U": "Unknown", "X": "X"}
REASON = {
    "ADJ-INCOMP": "Adjudged incompetent",
    "DEATH": "Death",
    "DUPLICATE": "Duplicate",
    "FELON": "Felon",
    "MAIL-CHECK": "Mail check",
    "MOVED": "Moved out of county",
    "NCOA": "NCOA",
    "NVRA": "NVRA",
    "RETURN-MAIL": "Returned mail",
    "VOTER-REQ": "Voter request",
}
_COUNTY_NAMES = words(
    "Albany, Allegany, Bronx, Broome, Cattaraugus, Cayuga, Chautauqua, Chemung, Chenango, Clinton, "
    "Columbia, Cortland, Delaware, Dutchess, Erie, Essex, Franklin, Fulton, Genesee, Greene, Hamilton, "
    "Herkimer, Jefferson, Kings, Lewis, Livingston, Madison, Monroe, Montgomery, Nassau, New York, "
    "Niagara, Oneida, Onondaga, Ontario, Orange, Orleans, Oswego, Otsego, Putnam, Queens, Rensselaer, "
    "Richmond, Rockland, Saratoga, Schenectady, Schoharie, Schuyler, Seneca, St. Lawrence, Steuben, "
    "Suffolk, Sullivan, Tioga, Tompkins, Ulster, Warren, Washington, Wayne, Westchester, Wyoming, Yates",
    ",",
)
# COUNTYCODE (two digits) -> county name.
COUNTIES = {f"{i:02d}": name for i, name in enumerate(_COUNTY_NAMES, start=1)}


def _is_sboeid(text: str) -> bool:
    return len(text) > 2 and text[:2] == "NY" and text[2:].isdigit()


def _unit(apartment: str) -> str:
    """RAPARTMENT as a unit: a bare number or letter ("4B", "C") reads as an apartment."""
    if (
        apartment
        and " " not in apartment
        and apartment[0].isalnum()
        and (len(apartment) == 1 or any(ch.isdigit() for ch in apartment))
    ):
        return f"APT {apartment}"
    return apartment


def precinct_key(assembly_district: str, election_district: str) -> str:
    """The election district's key, AD * 1000 + ED: AD 34 and ED 12 give "34012"."""
    digits = assembly_district + election_district
    if assembly_district and election_district and digits.isascii() and digits.isdigit():
        return str(int(assembly_district) * 1000 + int(election_district))
    return "".join((assembly_district, election_district))


class NewYork(Layout):
    key = "ny"
    name = "New York (NYS BOE statewide voter list)"
    state = "NY"
    codes: ClassVar[dict[str, dict[str, str]]] = {
        "status": STATUS,
        "party": PARTY,
        "gender": GENDER,
        "status_reason": REASON,
        "county": COUNTIES,
    }

    @classmethod
    def detect(cls, first_line: str) -> bool:
        fields = first_fields(first_line, ",")
        return len(fields) in WIDTHS and _is_sboeid(fields[43])

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        lines = iter(stream)
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            raise LayoutError("The file is empty.")
        first = first.lstrip("\ufeff")
        shape = first_fields(first, ",")
        if len(shape) not in WIDTHS or not _is_sboeid(shape[43]):
            found = f"{len(shape)} comma-separated fields" + (
                f" with '{shape[43][:20]}' as field 44" if len(shape) >= 44 else ""
            )
            raise LayoutError(
                "This is not a New York State voter list: its records should have 45 (or 46) "
                f"comma-separated fields with the SBOEID (NY followed by digits) as field 44; found {found}."
            )
        width = len(shape)
        names = (*COLUMNS, PHONE_COLUMN)[:width]
        checks = Checks("SBOEID", "LASTNAME", "STATUS", "ENROLLMENT", STATUS, PARTY)
        counties = COUNTIES
        for number, fields, text in records(itertools.chain([first], lines), ",", width):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            (
                last_name, first_name, middle_name, suffix, number_, half, apartment, predir, street_name,
                postdir, city, zip5, _zip4, _m1, _m2, _m3, _m4, dob, gender, party, _other, county, ed, ld,
                town, ward, cd, sd, ad, _lastvoted, _prevyear, _prevcounty, _prevaddress, _prevname,
                _countyvr, regdate, _source, _idreq, _idmet, status, reason, _inact, _purge, voter_id,
            ) = fields[:44]  # fmt: skip
            try:
                checks.check(voter_id, last_name, status, party)
                birth_date, registration_date = date_in(dob, "DOB"), date_in(regdate, "REGDATE")
            except Refused as refused:
                yield RowError(number, str(refused), clip(text), voter_id)
                continue
            districts = {
                key: value
                for key, value in (
                    ("congressional", cd),
                    ("state_senate", sd),
                    ("state_assembly", ad),
                    ("legislative", ld),
                    ("election_district", ed),
                    ("ward", ward),
                    ("town", town),
                )
                if value
            }
            yield VoterRow(  # positional: keywords cost a microsecond a row (test_layouts guards the order)
                number,  # line
                "NY",  # state
                voter_id,
                first_name,
                last_name,
                middle_name,
                suffix,
                birth_date,
                birth_date.year if birth_date else None,  # birth_year
                gender,
                "",  # race
                "",  # ethnicity
                status,
                reason,  # status_reason
                party,
                registration_date,
                " ".join(filter(None, (number_, half, predir, street_name, postdir))),  # street_line
                _unit(apartment),  # unit
                city,
                "NY",  # residence_state
                zip5[:5],  # postal_code
                counties.get(county.zfill(2), county) if county else "",  # county
                precinct_key(ad, ed) if ad or ed else "",  # precinct
                "",  # precinct_name
                districts,
                fields[45] if width == 46 else "",  # phone
                "",  # email
                dict(zip(names, fields, strict=True)),  # raw
            )

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        raise NotImplementedError(
            "New York has no separate history file: each record's VOTERHISTORY field lists county-specific "
            "election labels without dates, kept in the record's raw columns."
        )
