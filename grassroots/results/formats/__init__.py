"""Results formats, each a small plug-in behind formats.base.Format: OpenElections files and mapped CSVs."""

from __future__ import annotations

from grassroots.results.formats.base import (
    BallotRow,
    ContestKey,
    FileFacts,
    Format,
    FormatError,
    RowError,
    VoteRow,
)
from grassroots.results.formats.csv import MappedCsv
from grassroots.results.formats.openelections import OpenElections

__all__ = [
    "FORMATS",
    "BallotRow",
    "ContestKey",
    "FileFacts",
    "Format",
    "FormatError",
    "RowError",
    "VoteRow",
    "get_format",
]

FORMATS: dict[str, type[Format]] = {
    "openelections": OpenElections,
    "csv": MappedCsv,
}


def get_format(key: str) -> type[Format]:
    try:
        return FORMATS[key]
    except KeyError:
        raise FormatError(f"Unknown results format {key!r}: one of {', '.join(FORMATS)}.") from None
