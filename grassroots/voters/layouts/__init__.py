"""The voter-file layouts, and what picks one and opens a file for it.

``LAYOUTS`` lists the states' own formats by key; ``detect_layout`` recognises one from a
file's first line; ``get_layout`` gives a ready layout (for "csv", a ``MappedCsvLayout``
built from a column mapping); ``open_voter_file`` opens an upload as text in the encoding it
is written in. To add a state, see docs/HOWTO-add-a-voter-file-layout.md.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import tempfile
from typing import IO, Any, TextIO

from grassroots.voters.layouts.base import HistoryRow, Layout, LayoutError, RowError, VoterRow
from grassroots.voters.layouts.csv import MappedCsvLayout, sniff_columns
from grassroots.voters.layouts.fl import Florida
from grassroots.voters.layouts.nc import NorthCarolina
from grassroots.voters.layouts.ny import NewYork
from grassroots.voters.layouts.oh import Ohio

__all__ = [
    "LAYOUTS",
    "HistoryRow",
    "Layout",
    "LayoutError",
    "MappedCsvLayout",
    "RowError",
    "VoterRow",
    "check_layout",
    "detect_layout",
    "get_layout",
    "layout_choices",
    "open_voter_file",
    "sniff_columns",
]

LAYOUTS: dict[str, type[Layout]] = {
    "nc": NorthCarolina,
    "ny": NewYork,
    "fl": Florida,
    "oh": Ohio,
}

NO_MATCH = (
    "This file matches none of the known layouts (North Carolina, New York, Florida, Ohio); "
    "choose the layout or map its columns."
)
EMPTY = "The file is empty."


def layout_choices() -> list[tuple[str, str]]:
    """(key, name) of every layout, the mapped CSV last: for a form's select."""
    return [(key, layout.name) for key, layout in LAYOUTS.items()] + [
        (MappedCsvLayout.key, MappedCsvLayout.name)
    ]


def get_layout(key: str, **options: Any) -> Layout:
    """The layout for ``key``; "csv" takes MappedCsvLayout's arguments
    (mapping, state, date_format, delimiter)."""
    if key == MappedCsvLayout.key:
        return MappedCsvLayout(**options)
    try:
        layout = LAYOUTS[key]
    except KeyError:
        raise LayoutError(f"Unknown layout “{key}”.") from None
    return layout()


def detect_layout(first_line: str) -> type[Layout]:
    """The layout whose files begin like ``first_line``; LayoutError when none does."""
    line = first_line.lstrip("\ufeff")
    if not line.strip():
        raise LayoutError(EMPTY)
    for layout in LAYOUTS.values():
        if layout.detect(line):
            return layout
    raise LayoutError(NO_MATCH)


def check_layout(key: str, first_line: str) -> type[Layout]:
    """The layout a file beginning with ``first_line`` is read with, given the layout asked for
    ("auto" to detect it); LayoutError with a message for a person when the file does not fit."""
    if not first_line.lstrip("\ufeff").strip():
        raise LayoutError(EMPTY)
    if key in ("", "auto"):
        return detect_layout(first_line)
    if key == MappedCsvLayout.key:
        return MappedCsvLayout
    try:
        layout = LAYOUTS[key]
    except KeyError:
        raise LayoutError(f"Unknown layout “{key}”.") from None
    if not layout.detect(first_line.lstrip("\ufeff")):
        raise LayoutError(f"This file does not look like a {layout.name} file: check the layout chosen.")
    return layout


_CHUNK = 1 << 20
# Bytes cp1252 leaves undefined: a file holding them is read as latin-1 instead.
_CP1252_HOLES = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")


def open_voter_file(source: str | os.PathLike[str] | IO[bytes]) -> tuple[TextIO, str]:
    """The file as a text stream (universal newlines off, as csv wants) and its encoding.

    The encoding is "utf-8" (or "utf-8-sig" when the file starts with a byte-order mark) if
    the whole file decodes as UTF-8, else "cp1252" (Windows), or "latin-1" when the file holds
    bytes cp1252 does not define. The file is scanned once in chunks, never held in memory.
    A byte-order mark is skipped whatever the encoding (see text_stream).
    A binary stream that cannot seek is first copied to a temporary file. Closing the text
    stream closes the file. Raises LayoutError("The file is empty.") for a file with nothing in it.
    """
    binary: IO[bytes]
    if isinstance(source, (str, os.PathLike)):
        binary = open(source, "rb")  # noqa: SIM115 - handed to the caller inside the text stream
    elif source.seekable():
        binary = source
    else:
        binary = tempfile.TemporaryFile()  # noqa: SIM115 - as above
        shutil.copyfileobj(source, binary, _CHUNK)
        binary.seek(0)
    try:
        start = binary.tell()
        encoding = _encoding_of(binary)
        binary.seek(start)
    except BaseException:
        if binary is not source:
            binary.close()
        raise
    return text_stream(binary, encoding), encoding


def text_stream(binary: IO[bytes], encoding: str) -> TextIO:
    """The text of a binary file whose encoding open_voter_file found, as it gives it.

    A byte-order mark where the text starts is skipped whatever the encoding: utf-8-sig drops
    it itself, but a file saved with one and later given a cp1252 byte would have it read as
    "ï»¿" before its first header. The stream's tell() at the start is then past the mark:
    rewind it there, not to 0."""
    if encoding != "utf-8-sig":
        start = binary.tell()
        if binary.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
            binary.seek(start)
    return _TextWithoutNul(binary, encoding=encoding, newline="")


class _TextWithoutNul(io.TextIOWrapper):
    """A file's text with its NUL characters dropped: no file means one, and PostgreSQL
    refuses to store them in any text column (the whole batch would fail)."""

    def __next__(self) -> str:  # type: ignore[override]  # typeshed gives IOBase's bytes
        line = super().__next__()
        return line.replace("\x00", "") if "\x00" in line else line

    def readline(self, size: int | None = -1, /) -> str:  # type: ignore[override]  # as above
        line = super().readline(-1 if size is None else size)
        return line.replace("\x00", "") if "\x00" in line else line

    def read(self, size: int | None = -1, /) -> str:
        text = super().read(size)
        return text.replace("\x00", "") if "\x00" in text else text


def _encoding_of(binary: IO[bytes]) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, holes, content, bom = True, False, False, False
    first = True
    while chunk := binary.read(_CHUNK):
        if first:
            first = False
            if chunk.startswith(codecs.BOM_UTF8):
                bom = True
                chunk = chunk[len(codecs.BOM_UTF8) :]
        if not content:  # NUL characters are dropped from the text (_TextWithoutNul): not content
            content = bool(chunk.replace(b"\x00", b"").strip())
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
        if not holes:
            holes = any(hole in chunk for hole in _CP1252_HOLES)
    if not content:
        raise LayoutError(EMPTY)
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    if utf8:
        return "utf-8-sig" if bom else "utf-8"
    return "latin-1" if holes else "cp1252"
