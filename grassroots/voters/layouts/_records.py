"""What every layout needs to read delimited text fast: records with their line numbers,
dates, header cells and the unit at the end of a street line.

Voter files run to millions of rows, so the common case is kept cheap: a line without
quotes is split on the delimiter, a line whose every field is quoted (NC, NY) is split on
the quote-delimiter-quote sequence, and only the rest go through the ``csv`` module. A quote
that is opened and never closed makes ``csv`` read on into the following lines; such a
record is reported on its first line and the lines it swallowed are read again one by one,
so the good rows after it still come through, with their own line numbers.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

# A record running over more lines than this is a quote left open, not a long address.
MAX_RECORD_LINES = 20
# How much of an offending line a RowError keeps.
RAW_LIMIT = 300

# One record: (line number, fields or the reason it could not be read, the text of its line).
Record = tuple[int, "list[str] | str", str]


def records(
    lines: Iterable[str],
    delimiter: str,
    width: int,
    *,
    first_line: int = 1,
    quoting: bool = True,
    any_width: bool = False,
) -> Iterator[Record]:
    """Every non-blank record of ``lines`` (physical lines, line ends kept), fields trimmed.

    ``width`` is the number of fields a record should have: a record of another number is
    given with the reason "expected W fields, found N" in place of its fields (unless
    ``any_width``). A record that spans several lines is accepted only when it has exactly
    that many (a value with a line break in it); otherwise its first line is reported as
    broken quoting and the rest are read again. With ``quoting=False`` quotes are ordinary
    characters (Florida's extract).
    """
    found = _records(lines, delimiter, width, first_line, quoting)
    if any_width:
        yield from found
        return
    for number, fields, text in found:
        if len(fields) != width and not isinstance(fields, str):
            fields = f"expected {width} fields, found {len(fields)}"
        yield number, fields, text


def _records(
    lines: Iterable[str], delimiter: str, width: int, first_line: int, quoting: bool
) -> Iterator[Record]:
    iterator = iter(lines)
    sep = f'"{delimiter}"'
    pad_before, pad_after = f" {delimiter}", f"{delimiter} "
    number = first_line - 1
    for line in iterator:
        number += 1
        body = line.rstrip("\r\n")
        if not body or body.isspace():
            continue
        if not quoting or '"' not in body:
            fields = body.split(delimiter)
            if pad_before in body or pad_after in body or body[0] == " " or body[-1] == " ":
                fields = [f.strip() for f in fields]
            yield number, fields, body
            continue
        if body[0] == '"' and body[-1] == '"' and len(body) > 1:
            fields = body[1:-1].split(sep)
            if body.count('"') == 2 * len(fields):
                # Every field quoted and no quote inside any: the split is exact.
                if ' "' in body or '" ' in body:
                    fields = [f.strip() for f in fields]
                yield number, fields, body
                continue
        taken: list[str] = [line]
        result, closed = _parse_with_csv(line, iterator, taken, delimiter)
        if closed and len(taken) == 1 and isinstance(result, list):
            yield number, [f.strip() for f in result], body
            continue
        if closed and isinstance(result, list) and len(result) == width:
            # A quoted value with a line break in it: one record over several lines.
            yield number, [f.strip() for f in result], "".join(taken)
            number += len(taken) - 1
            continue
        reason = (
            result
            if isinstance(result, str)
            else "broken quoting: a quote opened on this line is never closed"
        )
        yield number, reason, body
        # The lines swallowed after it are read again on their own (never past what was taken).
        yield from _records(taken[1:], delimiter, width, number + 1, quoting)
        number += len(taken) - 1


def _parse_with_csv(
    first: str, rest: Iterator[str], taken: list[str], delimiter: str
) -> tuple[list[str] | str, bool]:
    """One record through the csv module, starting at ``first`` and reading on from ``rest``
    while a quote stays open (appending what it reads to ``taken``, at most MAX_RECORD_LINES).

    Returns the fields (or why they could not be read) and whether every quote was closed
    before the input or the allowance of lines ran out.
    """
    ran_out = False

    def feed() -> Iterator[str]:
        nonlocal ran_out
        yield first
        for more in rest:
            taken.append(more)
            yield more
            if len(taken) >= MAX_RECORD_LINES:
                break
        # csv asks for another line only while a quote is open: none is left for it.
        ran_out = True

    try:
        fields = next(csv.reader(feed(), delimiter=delimiter, quotechar='"'))
    except csv.Error as exc:
        return f"broken quoting: {exc}", False
    except StopIteration:
        return "broken quoting: the record is empty", False
    return fields, not ran_out


def header_cells(line: str, delimiter: str) -> list[str]:
    """The column names of a header line: unquoted, trimmed, without a byte-order mark."""
    line = line.lstrip("\ufeff").rstrip("\r\n")
    try:
        cells = next(csv.reader([line], delimiter=delimiter, quotechar='"'), [])
    except csv.Error:
        cells = line.split(delimiter)
    return [c.strip().strip('"').strip() for c in cells]


def first_fields(line: str, delimiter: str, quoting: bool = True) -> list[str]:
    """The fields of one line, for detection (never raises)."""
    line = line.lstrip("\ufeff").rstrip("\r\n")
    if not quoting:
        return [c.strip() for c in line.split(delimiter)]
    try:
        return [c.strip() for c in next(csv.reader([line], delimiter=delimiter, quotechar='"'), [])]
    except csv.Error:
        return [c.strip() for c in line.split(delimiter)]


def picker(indexes: Sequence[int]) -> Callable[[Sequence[str]], tuple[str, ...]]:
    """A function giving the fields at ``indexes`` as a tuple (operator.itemgetter, which
    returns a bare value for one index and cannot take none)."""
    if len(indexes) > 1:
        return operator.itemgetter(*indexes)
    if len(indexes) == 1:
        only = indexes[0]
        return lambda fields: (fields[only],)
    return lambda fields: ()


def words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """The words of a long literal list (county names and the like), trimmed."""
    return tuple(word.strip() for word in text.split(sep))


def clip(text: str) -> str:
    """The offending text kept with a RowError."""
    text = text.rstrip("\r\n")
    return text if len(text) <= RAW_LIMIT else text[: RAW_LIMIT - 1] + "…"


# --- the checks every layout makes ---------------------------------------------------------


class Refused(ValueError):
    """A record that cannot be imported; its message is the reason, naming the column and value."""


@dataclass(frozen=True, slots=True)
class Checks:
    """The checks every layout makes of a voter's record, with the names the state's layout gives
    the columns, for the reasons a refused record is given; and the layout's status and party codes."""

    voter_id: str
    last_name: str
    status: str
    party: str
    status_codes: Container[str]
    party_codes: Container[str]

    def check(self, voter_id: str, last_name: str, status: str, party: str) -> None:
        """Refused when a record with these values cannot be imported."""
        if not voter_id:
            raise Refused(f"missing voter id ({self.voter_id})")
        if not last_name:
            raise Refused(f"missing last name ({self.last_name})")
        if status and status not in self.status_codes:
            raise Refused(f"unknown status code '{status}' in {self.status}")
        if party and party not in self.party_codes:
            raise Refused(f"unknown party code '{party}' in {self.party}")


def date_in(text: str, column: str) -> date | None:
    """The date ``text`` holds (read_date), None when it is empty; Refused when it cannot be read."""
    if not text:
        return None
    try:
        return read_date(text)
    except ValueError:
        raise Refused(f"unreadable date '{text}' in {column}") from None


# --- dates -------------------------------------------------------------------------------

_DATES: dict[str, date] = {}
_DATES_MAX = 200_000


def read_date(text: str) -> date:
    """A date written MM/DD/YYYY (also M/D/YYYY), YYYY-MM-DD or YYYYMMDD; ValueError otherwise.

    The three forms cannot be mistaken for one another, so every layout accepts all three.
    Results are cached: a voter file repeats a few tens of thousands of distinct dates.
    """
    found = _DATES.get(text)
    if found is not None:
        return found
    if "/" in text:
        parts = text.split("/")
        if len(parts) != 3:
            raise ValueError(text)
        month, day, year = parts
    elif "-" in text:
        parts = text.split("-")
        if len(parts) != 3:
            raise ValueError(text)
        year, month, day = parts
    elif len(text) == 8:
        year, month, day = text[:4], text[4:6], text[6:]
    else:
        raise ValueError(text)
    if not (text.isascii() and year.isdigit() and month.isdigit() and day.isdigit() and len(year) == 4):
        raise ValueError(text)
    if len(month) > 2 or len(day) > 2 or not 1800 <= int(year) <= 2200:
        raise ValueError(text)
    value = date(int(year), int(month), int(day))
    if len(_DATES) >= _DATES_MAX:
        _DATES.clear()
    _DATES[text] = value
    return value


# --- street lines ------------------------------------------------------------------------

UNIT_WORDS = frozenset({"APT", "UNIT", "STE", "#", "LOT", "FL", "RM"})
# Words that end a street name and so are no unit number ("123 PARKING LOT RD").
_STREET_ENDINGS = frozenset(
    words(
        "N S E W NE NW SE SW NORTH SOUTH EAST WEST RD ST DR LN CT AVE AV WAY CIR PL HWY BLVD TRL PKWY "
        "LOOP RUN PATH XING EXT TER TRCE PIKE ROW SQ"
    )
)


def split_unit(street: str) -> tuple[str, str]:
    """("123 MAIN ST", "APT 4") from "123 MAIN ST APT 4"; the line unchanged when it ends in no unit.

    Units written with a designator (APT, UNIT, STE, #, LOT, FL, RM) and "#4" are recognised.
    """
    parts = street.rsplit(None, 2)
    if len(parts) < 3:
        return street, ""
    head, word, ident = parts
    if ident[0] == "#" and len(ident) > 1 and word.upper() not in UNIT_WORDS:
        return f"{head} {word}", ident
    if word.upper() in UNIT_WORDS and " " in head and ident.upper() not in _STREET_ENDINGS:
        return head, f"{word} {ident}"
    return street, ""
