"""Any other voter list: a CSV or TSV with a header row, its columns mapped to voter fields.

The mapping is ``{field: column header}`` as chosen on the column-mapping page (and saved as
a ``ColumnMapping``); ``sniff_columns`` gives that page the delimiter and the headers. Codes
(status, party, ...) are taken as they are: there is no table to check them against.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, TextIO

from grassroots.voters.layouts._records import clip, header_cells, records
from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow

# The fields a column can be mapped to, with their names on the page.
FIELDS: dict[str, str] = {
    "voter_id": "voter id",
    "first_name": "first name",
    "last_name": "last name",
    "middle_name": "middle name",
    "suffix": "name suffix",
    "birth_date": "birth date",
    "birth_year": "birth year",
    "street_line": "street address",
    "unit": "unit",
    "city": "city",
    "residence_state": "state",
    "postal_code": "ZIP code",
    "party": "party",
    "status": "status",
    "registration_date": "registration date",
    "precinct": "precinct",
    "phone": "phone",
    "email": "email",
    "county": "county",
    "gender": "gender",
}
REQUIRED_FIELDS = ("voter_id", "first_name", "last_name")
_TEXT_FIELDS = tuple(
    f
    for f in FIELDS
    if f not in {"voter_id", "first_name", "last_name", "birth_date", "birth_year", "registration_date"}
)
DELIMITERS = ("\t", ",", ";", "|")


class MappedCsvLayout(Layout):
    key = "csv"
    name = "Other file (CSV or TSV with mapped columns)"
    state = ""

    def __init__(
        self, mapping: Mapping[str, str], state: str = "", date_format: str = "%m/%d/%Y", delimiter: str = ","
    ) -> None:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise LayoutError(f"Unknown field(s) in the column mapping: {', '.join(unknown)}.")
        absent = [FIELDS[f] for f in REQUIRED_FIELDS if not (mapping.get(f) or "").strip()]
        if absent:
            raise LayoutError(
                f"Map a column to each of voter id, first name and last name (missing: {', '.join(absent)})."
            )
        if len(delimiter) != 1:
            raise LayoutError("The delimiter must be one character.")
        if state and not (len(state.strip()) == 2 and state.strip().isalpha()):
            raise LayoutError(f"“{state}” is not a two-letter state code.")
        self.mapping = {f: c.strip() for f, c in mapping.items() if c and c.strip()}
        # The state is chosen per mapping: the instance's value hides the class's blank one.
        vars(self)["state"] = state.strip().upper()
        self.date_format = date_format
        self.delimiter = delimiter
        self._dates: dict[str, date] = {}

    @classmethod
    def detect(cls, first_line: str) -> bool:
        return False  # a mapped file is never recognised on its own: the user chooses its mapping

    def _date(self, text: str) -> date:
        found = self._dates.get(text)
        if found is None:
            found = datetime.strptime(text, self.date_format).date()  # noqa: DTZ007 - a calendar date
            if len(self._dates) > 100_000:
                self._dates.clear()
            self._dates[text] = found
        return found

    def read(self, stream: TextIO) -> Iterator[VoterRow | RowError]:
        lines = iter(stream)
        header_line = 1  # blank lines before the header are skipped but still count
        for first in lines:
            if first.strip():
                break
            header_line += 1
        else:
            raise LayoutError("The file is empty.")
        header = header_cells(first, self.delimiter)
        at = {name: i for i, name in enumerate(header)}
        missing = [f"“{column}” ({FIELDS[f]})" for f, column in self.mapping.items() if column not in at]
        if missing:
            raise LayoutError(
                f"The file's header has no column {', '.join(missing)}: check the delimiter and the mapping."
            )
        width = len(header)
        index = {f: at[column] for f, column in self.mapping.items()}
        i_id, i_first, i_last = index["voter_id"], index["first_name"], index["last_name"]
        text_fields = [(f, index[f]) for f in _TEXT_FIELDS if f in index]
        date_fields = [
            (f, index[f], self.mapping[f]) for f in ("birth_date", "registration_date") if f in index
        ]
        i_year = index.get("birth_year")
        state = vars(self)["state"]
        names = tuple(header)
        for number, fields, text in records(lines, self.delimiter, width, first_line=header_line + 1):
            if isinstance(fields, str):
                yield RowError(number, fields, clip(text))
                continue
            if not fields[i_id]:
                yield RowError(number, f"missing voter id ({self.mapping['voter_id']})", clip(text))
                continue
            if not fields[i_last]:
                yield RowError(
                    number, f"missing last name ({self.mapping['last_name']})", clip(text), fields[i_id]
                )
                continue
            values: dict[str, Any] = {f: fields[i] for f, i in text_fields}
            error = ""
            for f, i, column in date_fields:
                if fields[i]:
                    try:
                        values[f] = self._date(fields[i])
                    except ValueError:
                        error = f"unreadable date '{fields[i]}' in {column} (expected {self.date_format})"
                        break
            if not error and i_year is not None and fields[i_year]:
                year = fields[i_year]
                if year.isascii() and year.isdigit() and len(year) == 4:
                    values["birth_year"] = int(year)
                else:
                    error = f"unreadable year '{year}' in {self.mapping['birth_year']}"
            if error:
                yield RowError(number, error, clip(text), fields[i_id])
                continue
            birth = values.get("birth_date")
            if "birth_year" not in values and isinstance(birth, date):
                values["birth_year"] = birth.year
            postal = values.get("postal_code")
            if isinstance(postal, str) and len(postal) > 5 and postal[:5].isdigit():
                values["postal_code"] = postal[:5]
            if state and not values.get("residence_state"):
                values["residence_state"] = state
            yield VoterRow(
                line=number,
                state=state or str(values.get("residence_state") or "")[:2].upper(),
                voter_id=fields[i_id],
                first_name=fields[i_first],
                last_name=fields[i_last],
                raw=dict(zip(names, fields, strict=True)),
                **values,
            )

    def read_history(self, stream: TextIO) -> Iterator[HistoryRow | RowError]:
        raise NotImplementedError("A mapped file has no vote history.")


def sniff_columns(first_lines: str | Iterable[str]) -> tuple[str, list[str]]:
    """The delimiter and the column headers of a file from its first lines (the header first).

    The delimiter is the one of tab, comma, semicolon and bar that splits the header into
    the most columns and every following sample line into as many.
    """
    if isinstance(first_lines, str):
        first_lines = first_lines.splitlines()
    sample = [line.rstrip("\r\n") for line in first_lines if line.strip()]
    if not sample:
        raise LayoutError("The file is empty.")
    best, best_cells = ",", header_cells(sample[0], ",")
    best_score = (False, 1)
    for delimiter in DELIMITERS:
        cells = header_cells(sample[0], delimiter)
        if len(cells) < 2:
            continue
        consistent = all(
            len(fields) == len(cells)
            for _, fields, _ in records(sample[1:], delimiter, len(cells), any_width=True)
            if isinstance(fields, list)
        )
        score = (consistent, len(cells))
        if score > best_score:
            best, best_cells, best_score = delimiter, cells, score
    return best, best_cells
