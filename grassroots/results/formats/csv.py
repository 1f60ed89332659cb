"""Any results CSV, read through a column mapping: which column holds the area key, the office,
the district, the party, the candidate and the votes.

Options (``ResultsImport.options``): ``columns`` maps each field (``area``, ``office``,
``district``, ``party``, ``candidate``, ``votes``, and optionally ``ballot_line``) to a column
header; ``office`` and ``district`` give one value for the whole file when it has no such column;
``delimiter`` defaults to a comma. As in OpenElections files, the party is the primary's party in
a primary and the ballot line otherwise, candidate names that are ballot counts become ballot
counts, and write-ins counted together ("Scattered") stay votes.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from grassroots.results.formats.base import (
    BallotRow,
    ContestKey,
    Format,
    FormatError,
    RowError,
    VoteRow,
    ballot_kind,
    clean_district,
    csv_header,
    csv_rows,
    is_write_ins,
    raw_of,
    read_count,
)
from grassroots.results.models import Election

FIELDS = ("area", "office", "district", "party", "candidate", "votes", "ballot_line")
REQUIRED = ("area", "candidate", "votes")


class MappedCsv(Format):
    key = "csv"
    name = "CSV with a column mapping"

    def read(self, stream: TextIO) -> Iterator[VoteRow | BallotRow | RowError]:
        columns: dict[str, str] = {k: v for k, v in (self.options.get("columns") or {}).items() if v}
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise FormatError(f"Unknown fields in the column mapping: {', '.join(unknown)}.")
        missing = [f for f in REQUIRED if f not in columns]
        if "office" not in columns and not self.options.get("office"):
            missing.append("office")
        if missing:
            raise FormatError(f"The column mapping needs a column for: {', '.join(missing)}.")
        # csv.reader, not csv.DictReader: DictReader skips blank lines without a word, and the
        # lines of the rows after them would be reported too low.
        reader = csv.reader(stream, delimiter=self.options.get("delimiter") or ",")
        headers = [h.strip().lstrip("\ufeff") for h in csv_header(reader)]
        absent = [c for c in columns.values() if c not in headers]
        if absent:
            raise FormatError(f"The file has no column {', '.join(map(repr, absent))}.")
        primary = self.election_kind == Election.Kind.PRIMARY
        fixed_office = " ".join(str(self.options.get("office") or "").split())
        fixed_district = clean_district(str(self.options.get("district") or ""))

        def value(row: dict[str, str], field: str) -> str:
            column = columns.get(field)
            return " ".join((row.get(column) or "").split()) if column else ""

        for item in csv_rows(reader, after=reader.line_num):
            if isinstance(item, RowError):
                yield item
                continue
            line, cells = item
            if not cells:
                continue  # a blank line
            row = dict(zip(headers, cells, strict=False))  # a short row lacks its last columns
            key = value(row, "area")
            if not key:
                yield RowError(line, "no area key", raw_of(cells))
                continue
            office = value(row, "office") or fixed_office
            if not office:
                yield RowError(line, "no office", raw_of(cells))
                continue
            party = value(row, "party")
            contest = ContestKey(
                office=office,
                district=clean_district(value(row, "district")) if "district" in columns else fixed_district,
                party=party if primary else "",
            )
            candidate = value(row, "candidate")
            try:
                votes = read_count(row.get(columns["votes"]))
            except ValueError as error:
                yield RowError(line, str(error), raw_of(cells))
                continue
            kind = ballot_kind(candidate)
            if kind is not None:
                yield BallotRow(line, key, contest, kind, votes)
            elif not candidate:
                yield RowError(line, "no candidate", raw_of(cells))
            else:
                ballot_line = value(row, "ballot_line") or ("" if primary else party)
                yield VoteRow(line, key, contest, candidate, votes, ballot_line, is_write_ins(candidate))
