"""Telling text from binary data in the first bytes of a file."""

from __future__ import annotations

import pytest

from grassroots.lib.uploads import not_text

BINARY = "This file is not text (it holds binary data)"


def test_a_small_latin_1_file_padded_with_a_few_nul_bytes_is_text() -> None:
    body = (
        "ID,First,Last,Street\r\n"
        "X1,Zo\xe9,Lef\xe8vre,12 ELM AVE\x00\x00\x00\r\n"
        "X2,Ana,Pe\xf1a,7 PINE RD\r\n"
        "X3,Bo,Chen,40 OAK ST\r\n"
    ).encode("latin-1")
    assert not_text(body) == ""


@pytest.mark.parametrize(
    "head",
    [
        bytes(range(256)) * 4,  # every byte value
        "ncid\tlast_name\r\nAB1\tPENA\r\n".encode("utf-16-le"),  # UTF-16 without its mark: half NULs
        b"\x00" * 200 + b"ID,First,Last\r\n",
        b"ID,First,Last\r\n" + b"\x01\x02\x03" * 10,  # control bytes other than NUL
    ],
)
def test_binary_data_is_still_refused(head: bytes) -> None:
    assert not_text(head).startswith(BINARY)
