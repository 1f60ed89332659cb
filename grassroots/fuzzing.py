"""Hypothesis strategies that damage files the way uploads arrive damaged, for the importers' fuzz tests.

``damaged(seed)`` starts from a good file and applies a few of the harms real files suffer: cut
short, bytes lost or inserted, lines doubled or swapped, quotes and delimiters where they do not
belong, a field grown huge, the text re-encoded, or the whole file replaced by binary junk. The
settings ``FUZZ`` keep every fuzz test short and deterministic, also under pytest-xdist.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db.models import QuerySet
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Modest, derandomized (the same examples on every run and worker), no example database on disk.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# What turns up inside broken files: quoting and delimiters out of place, line ends of every
# kind, NUL, byte-order marks, bytes that are not UTF-8, formula starts, numbers too large to store.
NASTY = (
    b'"', b'""', b"\t", b",", b";", b"|", b"\r", b"\n", b"\r\n", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe",
    b"\xe9", b"\xc3", b"\x81", b"=cmd|' /C calc'!A0", b"-1", b"99999999999999999999999", b"1e308",
    b"<script>alert(1)</script>", b"{", b"}", b"[", b"]", b"null", b"NaN", b"-", b"",
)  # fmt: skip
HUGE = 200_000


def assert_clear_report(job: Any, caplog: pytest.LogCaptureFixture, written: QuerySet[Any]) -> None:
    """An import job (voters, results) finished, or failed with a message for a person before
    ``written`` got a row; its errors carry line numbers; nothing was logged as a crash."""
    crashes = [r for r in caplog.records if r.levelno >= logging.ERROR]
    caplog.clear()
    assert not crashes, crashes[0].getMessage()
    assert job.status in (job.Status.DONE, job.Status.FAILED)
    if job.status == job.Status.FAILED:
        assert job.message and not job.message.startswith("The import stopped"), job.message
        assert not written.exists(), "a failed import wrote rows"
    for error in job.row_errors.all():
        assert error.line >= 1 and error.reason


@st.composite
def damaged(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with one to four harms done to it (or, now and then, junk in its place)."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(min_size=1, max_size=400))
    data = seed
    for _ in range(draw(st.integers(1, 4))):
        size = len(data)
        at = draw(st.integers(0, size))
        harm = draw(st.sampled_from(
            ["cut", "delete", "insert", "nasty", "line", "swap", "huge", "encode", "flip"]
        ))  # fmt: skip
        if harm == "cut":
            data = data[:at]
        elif harm == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 40)) :]
        elif harm == "insert":
            data = data[:at] + draw(st.binary(min_size=1, max_size=40)) + data[at:]
        elif harm == "nasty":
            data = data[:at] + draw(st.sampled_from(NASTY)) + data[at:]
        elif harm in ("line", "swap"):
            lines = data.splitlines(keepends=True)
            if lines:
                i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
                if harm == "line":
                    lines.insert(i, lines[j])
                else:
                    lines[i], lines[j] = lines[j], lines[i]
                data = b"".join(lines)
        elif harm == "huge":
            data = data[:at] + draw(st.sampled_from([b"A", b"9", b'"', b","])) * HUGE + data[at:]
        elif harm == "encode":
            encoding = draw(st.sampled_from(["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig"]))
            data = data.decode("utf-8", errors="replace").encode(encoding, errors="replace")
        elif size:
            data = (
                data[: min(at, size - 1)] + bytes([draw(st.integers(0, 255))]) + data[min(at, size - 1) + 1 :]
            )
    return data
