"""The one small interface every voter-file layout implements.

A layout reads a text stream of one state's official voter file and yields, for each
record, either a ``VoterRow`` (fields already trimmed and decoded, the raw row kept) or
a ``RowError`` (line number and a reason a person can read). It never touches the
database: the importer (voters.importer) does that, the same way for every layout.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar, TextIO


class LayoutError(ValueError):
    """The file as a whole is not of this layout (or of any, for detection): nothing is imported."""


@dataclass
class RowError:
    line: int  # 1-based physical line number in the file where the record starts
    reason: str  # e.g. "expected 67 fields, found 12", "unreadable date '2019-13-45' in registr_dt"
    raw: str = ""  # the offending text, trimmed to a few hundred characters
    # The row's voter id when the layout could read it: the voter is in the file, so a refused
    # row must not take them off the roll.
    voter_id: str = ""


@dataclass
class VoterRow:
    line: int
    state: str  # two-letter state code of the file, e.g. "NC"
    voter_id: str  # the state's unique voter id (NC ncid, NY SBOEID, FL voter id, OH SOS_VOTERID)
    first_name: str
    last_name: str
    middle_name: str = ""
    suffix: str = ""
    birth_date: date | None = None
    birth_year: int | None = None  # filled from birth_date when only that is known
    gender: str = ""  # raw code
    race: str = ""  # raw code
    ethnicity: str = ""  # raw code
    status: str = ""  # raw code, e.g. "A"
    status_reason: str = ""  # raw code
    party: str = ""  # raw code, e.g. "DEM"
    registration_date: date | None = None
    # Residence, as the file gives it: one street line (house number, street, directions),
    # the unit if the file keeps it apart, city, state, ZIP (5 digits).
    street_line: str = ""
    unit: str = ""
    city: str = ""
    residence_state: str = ""
    postal_code: str = ""
    county: str = ""  # raw county code or name as in the file
    precinct: str = ""  # the precinct / election-district code the file assigns
    precinct_name: str = ""
    # e.g. {"congressional": "14", "state_house": "36"}
    districts: dict[str, str] = field(default_factory=dict)
    phone: str = ""  # as in the file (not yet E.164)
    email: str = ""
    raw: dict[str, str] = field(default_factory=dict)  # every column of the row, by the layout's column names


@dataclass
class HistoryRow:
    line: int
    voter_id: str
    election_date: date
    election_name: str  # e.g. "11/08/2022 GENERAL"
    election_type: str = ""  # raw code or word: GEN, PRI, ...
    method: str = ""  # e.g. "IN-PERSON", "ABSENTEE BY MAIL", raw code
    party: str = ""  # ballot party in a primary


class Layout:
    """Subclass per state in voters/layouts/<state>.py and list it in voters/layouts/__init__.py."""

    key: ClassVar[str]  # "nc", "ny", "fl", "oh", "csv"
    name: ClassVar[str]  # "North Carolina (ncvoter)"
    state: ClassVar[str]  # "NC"
    # Decoding tables for display: {"party": {"DEM": "Democratic", ...}, "status": {...}, "race": {...}, ...}
    codes: ClassVar[dict[str, dict[str, str]]] = {}
    # True where the history is columns of the voter file itself (Ohio): read_history then
    # reads the voter file, and no separate history file is needed.
    history_in_voter_file: ClassVar[bool] = False

    @classmethod
    def detect(cls, first_line: str) -> bool:
        """Whether a file whose first physical line is this looks like this layout."""
        raise NotImplementedError

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        """Every record of a voter file, in file order. Raise LayoutError before yielding if the
        file is plainly not of this layout (wrong header or column count on the first record)."""
        raise NotImplementedError

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        """Every record of the layout's vote-history file (NotImplementedError if it has none)."""
        raise NotImplementedError

    @classmethod
    def label(cls, kind: str, code: str) -> str:
        """A code decoded for display ("DEM" -> "Democratic"); the code itself when unknown."""
        return cls.codes.get(kind, {}).get(code, code)
