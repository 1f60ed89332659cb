"""The one small interface every results format implements.

A format reads a text stream of one results file and yields, row by row, a ``VoteRow`` (a
candidate's votes in one area), a ``BallotRow`` (ballots counted in one area, not votes for
anyone) or a ``RowError`` (line number and a reason a person can read). It never touches the
database: the importer (results.importer) does that, the same way for every format.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar, Protocol, TextIO, TypeVar

from grassroots.results.models import BallotCount

RAW_CHARS = 300
# The most votes one row may count: what the database's vote and ballot columns hold.
MAX_COUNT = 2_147_483_647


class FormatError(ValueError):
    """The file as a whole cannot be read in this format: nothing is imported."""


@dataclass(frozen=True)
class ContestKey:
    office: str
    district: str = ""
    party: str = ""  # the party of a primary; blank in a general election


@dataclass
class VoteRow:
    line: int  # 1-based physical line of the file
    area_key: str
    contest: ContestKey
    candidate: str
    votes: int
    ballot_line: str = ""  # the party line in a general election, where a candidate may have several
    write_ins: bool = False  # write-ins counted together ("Scattered")


@dataclass
class BallotRow:
    line: int
    area_key: str
    contest: ContestKey | None  # None: the ballots of the whole election in the area
    kind: str  # a BallotCount.Kind
    count: int


@dataclass
class RowError:
    line: int
    reason: str
    raw: str = ""


@dataclass
class FileFacts:
    """What a file's name tells about its election, where the format's naming says it."""

    date: date | None = None
    kind: str = ""  # an Election.Kind, or "" when unknown


class Format:
    """Subclass per format in results/formats/<format>.py and list it in results/formats/__init__.py."""

    key: ClassVar[str]
    name: ClassVar[str]

    def __init__(self, options: dict[str, Any] | None = None, *, election_kind: str = "") -> None:
        self.options = options or {}
        self.election_kind = election_kind

    @classmethod
    def facts_from_name(cls, file_name: str) -> FileFacts:
        return FileFacts()

    def read(self, stream: TextIO) -> Iterator[VoteRow | BallotRow | RowError]:
        raise NotImplementedError


# Candidate names that are ballot counts, written as files write them, compared without case,
# spaces or punctuation: "Absentee / Military" and "Absentee/Military" are the same count.
BALLOT_NAMES = {
    "publiccounter": BallotCount.Kind.PUBLIC_COUNTER,
    "emergency": BallotCount.Kind.EMERGENCY,
    "manuallycountedemergency": BallotCount.Kind.MANUALLY_COUNTED_EMERGENCY,
    "absenteemilitary": BallotCount.Kind.ABSENTEE_MILITARY,
    "absentee": BallotCount.Kind.ABSENTEE_MILITARY,
    "federal": BallotCount.Kind.FEDERAL,
    "affidavit": BallotCount.Kind.AFFIDAVIT,
    "specialpresidential": BallotCount.Kind.SPECIAL_PRESIDENTIAL,
    "ballotscast": BallotCount.Kind.BALLOTS,
    "totalballots": BallotCount.Kind.BALLOTS,
    "blank": BallotCount.Kind.BLANK,
    "blanks": BallotCount.Kind.BLANK,
    "void": BallotCount.Kind.VOID,
    "voids": BallotCount.Kind.VOID,
}
# Write-in votes counted together, not for a name: votes, so they count in the totals.
WRITE_IN_NAMES = {"scattered", "scattering", "writein", "writeins", "writeinvotes"}
_folding = re.compile(r"[^a-z0-9]")


def fold(name: str) -> str:
    return _folding.sub("", name.lower())


@lru_cache(maxsize=4096)
def ballot_kind(candidate: str) -> str | None:
    """The ballot-count kind a "candidate" name stands for, or None for a real candidate."""
    return BALLOT_NAMES.get(fold(candidate))


@lru_cache(maxsize=4096)
def is_write_ins(candidate: str) -> bool:
    return fold(candidate) in WRITE_IN_NAMES


def read_count(text: str | None) -> int:
    """A vote or ballot count: digits, with thousands separators allowed. ValueError with a reason."""
    value = (text or "").strip().replace(",", "")
    if not value:
        raise ValueError("no number of votes")
    if value.startswith("-") and value[1:].isdigit():
        raise ValueError(f"negative votes {text.strip()!r}")  # type: ignore[union-attr]
    if not (value.isascii() and value.isdigit()):
        raise ValueError(f"votes {clip(text or '')!r} are not a whole number")
    if len(value) > len(str(MAX_COUNT)) or int(value) > MAX_COUNT:
        raise ValueError(f"votes {clip(value)} are more than any area can cast")
    return int(value)


def clip(text: str, limit: int = 40) -> str:
    """A value cut short enough to quote in an error's reason."""
    return text if len(text) <= limit else text[:limit] + "…"


Row = TypeVar("Row", covariant=True)


class CsvReader(Protocol[Row]):
    """csv.reader or csv.DictReader: rows, and the physical line the last one ended on."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> Row: ...


def csv_rows(reader: CsvReader[Row], after: int) -> Iterator[tuple[int, Row] | RowError]:
    """Each row of ``reader`` with the line it starts on (the header ended on line ``after``).

    A row the csv module cannot read (a field past its size limit, a NUL where it allows none)
    comes as a RowError, and reading goes on with the next line.
    """
    end = after
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield RowError(end + 1, f"unreadable row: {error}")
            if reader.line_num <= end:
                return  # nothing was consumed: reading on would fail the same way forever
            end = reader.line_num
            continue
        line, end = end + 1, reader.line_num
        yield line, row


def csv_header(reader: CsvReader[list[str]]) -> list[str]:
    """The first row of a file; FormatError when the csv module cannot read it."""
    try:
        return next(reader, [])
    except csv.Error as error:
        raise FormatError(f"The file's first line cannot be read as CSV ({error}).") from None


@lru_cache(maxsize=4096)
def clean_district(text: str | None) -> str:
    """ "014" and "14" are the same district; other names are kept as they are."""
    value = (text or "").strip()
    return str(int(value)) if value.isascii() and value.isdigit() else value


def raw_of(row: Mapping[Any, Any] | Sequence[str]) -> str:
    """A row as text again, cut to RAW_CHARS, for the error report."""
    cells = row.values() if isinstance(row, Mapping) else row
    values = [v if isinstance(v, str) else ",".join(v or []) for v in cells]
    return ",".join(values)[:RAW_CHARS]
