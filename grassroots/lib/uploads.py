"""What an uploaded file must be before anything is kept of it: no larger than UPLOAD_MAX_BYTES,
and text, not an image, an archive or a program renamed .csv.

``LimitedUploadHandler`` (first in FILE_UPLOAD_HANDLERS) stops reading a request whose file
passes the limit; ``check_upload`` is called by the upload forms; ``not_text`` also by the
importers, on the first bytes of any file they open, so that a file given on the command line
is refused the same way.
"""

from __future__ import annotations

from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

# How much of a file's start is read to tell what it is.
HEAD_BYTES = 8192
# Binary formats by their first bytes, with the name a person knows them by.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (or an Excel or Word file)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel or Word file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)
# Text in these encodings is full of NUL bytes: the importers read UTF-8, Windows and Latin-1 text.
WIDE_TEXT = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# Control bytes (other than tab, line feed and carriage return) text of any kind holds few of.
# NUL is counted apart: old exports pad fields with it and the importers drop it, so a few in a
# small file are no sign of binary data; half a file of them is (UTF-16 without its mark, say).
_CONTROL = frozenset(range(1, 32)) - {9, 10, 13} | {127}
MOST_CONTROL_SHARE = 0.01
MOST_NUL_SHARE = 0.1


class UploadRefused(ValueError):
    """The file cannot be imported as it is; the message says why, for the person who sent it."""


def not_text(head: bytes) -> str:
    """Why a file beginning with ``head`` is not text an importer reads ("" when it may be)."""
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return _("This file is %(kind)s, not a text file: export it as CSV or text and send that.") % {
                "kind": name
            }
    for mark, encoding in WIDE_TEXT:
        if head.startswith(mark):
            return _("This file is %(encoding)s text: save it as UTF-8 (or Windows) CSV and send that.") % {
                "encoding": encoding
            }
    controls = sum(1 for byte in head if byte in _CONTROL)
    nuls = head.count(0)
    if head and (controls > MOST_CONTROL_SHARE * len(head) or nuls > MOST_NUL_SHARE * len(head)):
        return _("This file is not text (it holds binary data): export it as CSV or text and send that.")
    return ""


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def check_upload(upload: UploadedFile) -> None:
    """UploadRefused when ``upload`` is larger than UPLOAD_MAX_BYTES or is not text. Reads only the
    file's start, and leaves the file at its beginning."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(
            _("This file is %(size)s; the most an upload may be is %(limit)s.")
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)}
        )
    upload.seek(0)
    reason = not_text(upload.read(HEAD_BYTES))
    upload.seek(0)
    if reason:
        raise UploadRefused(reason)


def check_text_file(stream: IO[bytes]) -> None:
    """UploadRefused when the binary ``stream`` is not text; the stream is put back where it was."""
    start = stream.tell()
    reason = not_text(stream.read(HEAD_BYTES))
    stream.seek(start)
    if reason:
        raise UploadRefused(reason)


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading a request's upload once it passes UPLOAD_MAX_BYTES, so that a huge file never
    fills the disk; the request keeps why (``upload_refused``) for the form to say it."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        limit = settings.UPLOAD_MAX_BYTES
        if start + len(raw_data) > limit:
            if self.request is not None:
                self.request.upload_refused = _(  # type: ignore[attr-defined]
                    "This file is larger than %(limit)s, the most an upload may be."
                ) % {"limit": _megabytes(limit)}
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers keep the file


def refused_upload(request: HttpRequest) -> str:
    """Why LimitedUploadHandler stopped this request's upload ("" when it did not)."""
    return str(getattr(request, "upload_refused", ""))
