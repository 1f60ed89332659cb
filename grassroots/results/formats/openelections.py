"""OpenElections' results files: one row per area, contest and candidate (openelections-data-<state>).

Columns used: ``county``, ``precinct``, ``office``, ``district``, ``party``, ``candidate`` and
``votes``; New York's primary files add ``assembly_district`` (``precinct`` is then the election
district number), and New York's 2020 general files write the precinct as "ED~AD" and carry the
area's ballot counts on every row (``public_counter_votes``, ``absentee_military_votes``, ...).
New York City's area key is Assembly District * 1000 + election district ("36012"), the code of
an election-district area; elsewhere it is the precinct as the file writes it, or the county for
files by county.

In a primary, ``party`` is the party whose primary the contest is; in a general or special
election it is the ballot line, and a candidate running on several lines has a row for each.
Rows whose candidate is a ballot count ("Public Counter", "Absentee / Military", ...) become
ballot counts; "Scattered" is the write-in votes counted together, kept as votes.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import TextIO

from grassroots.results.formats.base import (
    BallotRow,
    ContestKey,
    FileFacts,
    Format,
    FormatError,
    RowError,
    VoteRow,
    ballot_kind,
    clean_district,
    csv_header,
    csv_rows,
    fold,
    is_write_ins,
    raw_of,
    read_count,
)
from grassroots.results.models import BallotCount, Election
from grassroots.voters.layouts.ny import precinct_key

# 20200623__ny__primary__queens__precinct.csv, 20180626__ny__primary__county.csv
_FILE_NAME = re.compile(r"^(\d{4})(\d{2})(\d{2})__([a-z]{2})__([a-z_]+?)(?:\.csv)?$", re.IGNORECASE)

# The same office is written differently from file to file; one name each, so that contests of
# different elections line up (a primary's "Representative in Congress" is a general's "U.S. House").
OFFICES = {
    "representativeincongress": "U.S. House",
    "ushouse": "U.S. House",
    "usrepresentative": "U.S. House",
    "unitedstatessenator": "U.S. Senate",
    "ussenate": "U.S. Senate",
    "ussenator": "U.S. Senate",
    "statesenator": "State Senate",
    "statesenate": "State Senate",
    "memberoftheassembly": "State Assembly",
    "stateassembly": "State Assembly",
    "president": "President",
    "presidentvicepresident": "President",
}

# Ballot counts a general election's file gives for the whole area on every row.
BALLOT_COLUMNS = {
    "public_counter_votes": BallotCount.Kind.PUBLIC_COUNTER,
    "emergency_votes": BallotCount.Kind.EMERGENCY,
    "absentee_military_votes": BallotCount.Kind.ABSENTEE_MILITARY,
    "federal_votes": BallotCount.Kind.FEDERAL,
    "affidavit_votes": BallotCount.Kind.AFFIDAVIT,
    "manually_counted_emergency": BallotCount.Kind.MANUALLY_COUNTED_EMERGENCY,
    "special_presidential": BallotCount.Kind.SPECIAL_PRESIDENTIAL,
}
REQUIRED = ("office", "candidate", "votes")
FIELDS = ("county", "precinct", "assembly_district", "office", "district", "party", "candidate", "votes")


@lru_cache(maxsize=1024)
def office_name(text: str) -> str:
    office = " ".join(text.split())
    return OFFICES.get(fold(office), office)


class OpenElections(Format):
    key = "openelections"
    name = "OpenElections (county or precinct results)"

    @classmethod
    def facts_from_name(cls, file_name: str) -> FileFacts:
        found = _FILE_NAME.match(file_name)
        if found is None:
            return FileFacts()
        year, month, day, _state, rest = found.groups()
        try:
            when = date(int(year), int(month), int(day))
        except ValueError:
            return FileFacts()
        words = rest.lower().split("__")
        kind = next((k for k in ("special", "primary", "general") if k in words[0].split("_")), "")
        return FileFacts(date=when, kind=kind)

    def read(self, stream: TextIO) -> Iterator[VoteRow | BallotRow | RowError]:
        reader = csv.reader(stream)
        header = [c.strip().lstrip("\ufeff").lower() for c in csv_header(reader)]
        columns = {name: i for i, name in reversed(list(enumerate(header)))}
        missing = [c for c in REQUIRED if c not in columns]
        if missing or not ({"precinct", "county"} & columns.keys()):
            raise FormatError(
                "This is not an OpenElections results file: it needs the columns office, candidate, "
                "votes and precinct or county" + (f" (missing: {', '.join(missing)})" if missing else "")
            )
        primary = self.election_kind == Election.Kind.PRIMARY
        get = _getters(columns, FIELDS)
        ballot_columns = [(c, kind, columns[c]) for c, kind in BALLOT_COLUMNS.items() if c in columns]
        # Per area: the ballot counts of its first row and that row's line, to check the others.
        area_ballots: dict[str, tuple[int, tuple[str, ...]]] = {}
        for item in csv_rows(reader, after=reader.line_num):  # after the header's last line
            if isinstance(item, RowError):
                yield item
                continue
            line, row = item
            if not any(row):
                continue
            county, precinct, assembly, office, district, party, candidate, votes_text = (g(row) for g in get)
            try:
                key = area_key(precinct, assembly, county)
            except ValueError as error:
                yield RowError(line, str(error), raw_of(row))
                continue
            party = party.strip()
            contest = _contest(office_name(office), clean_district(district), party if primary else "")
            if not contest.office:
                yield RowError(line, "no office", raw_of(row))
                continue
            candidate = " ".join(candidate.split())
            try:
                votes = read_count(votes_text)
            except ValueError as error:
                yield RowError(line, str(error), raw_of(row))
                continue
            kind = ballot_kind(candidate)
            if kind is not None:
                yield BallotRow(line, key, contest, kind, votes)
            elif not candidate:
                yield RowError(line, "no candidate", raw_of(row))
            else:
                yield VoteRow(
                    line,
                    key,
                    contest,
                    candidate,
                    votes,
                    ballot_line="" if primary else party,
                    write_ins=is_write_ins(candidate),
                )
            if ballot_columns:
                yield from self._area_ballots(row, line, key, ballot_columns, area_ballots)

    def _area_ballots(
        self,
        row: list[str],
        line: int,
        key: str,
        columns: Sequence[tuple[str, str, int]],
        seen: dict[str, tuple[int, tuple[str, ...]]],
    ) -> Iterator[BallotRow | RowError]:
        """The area's ballot counts the first time the area is seen; an error if a later row differs."""
        values = tuple(row[i].strip() if i < len(row) else "" for _, _, i in columns)
        first = seen.get(key)
        if first is not None:
            if first[1] != values:
                yield RowError(line, f"ballot counts differ from line {first[0]} for area {key}", raw_of(row))
            return
        seen[key] = (line, values)
        for (column, kind, _), value in zip(columns, values, strict=True):
            if not value:
                continue  # the file does not give this count for the area
            try:
                count = read_count(value)
            except ValueError as error:
                yield RowError(line, f"{column}: {error}", raw_of(row))
                continue
            yield BallotRow(line, key, None, kind, count)


def _getters(columns: dict[str, int], names: Sequence[str]) -> list[Callable[[list[str]], str]]:
    """For each name, a function giving that column of a row ("" when the file or the row lacks it)."""

    def getter(i: int | None) -> Callable[[list[str]], str]:
        if i is None:
            return lambda row: ""
        return lambda row: row[i] if i < len(row) else ""

    return [getter(columns.get(name)) for name in names]


@lru_cache(maxsize=4096)
def _contest(office: str, district: str, party: str) -> ContestKey:
    return ContestKey(office, district, party)


@lru_cache(maxsize=65536)
def area_key(precinct: str, assembly_district: str = "", county: str = "") -> str:
    """A row's area key: "36012" for NYC's AD 36 ED 12, else the precinct, else the county."""
    precinct, assembly_district = precinct.strip(), assembly_district.strip()
    if assembly_district and precinct:
        return _nyc_key(assembly_district, precinct)
    if "~" in precinct:
        election_district, _, assembly = precinct.partition("~")
        return _nyc_key(assembly.strip(), election_district.strip())
    if precinct:
        return precinct
    if county.strip():
        return county.strip()
    raise ValueError("no precinct or county")


def _nyc_key(assembly: str, election_district: str) -> str:
    digits = assembly + election_district
    if not (digits.isascii() and digits.isdigit()):
        raise ValueError(
            f"unreadable election district {election_district!r} of assembly district {assembly!r}"
        )
    return precinct_key(assembly, election_district)
