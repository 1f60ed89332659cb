from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.lib.phones import PhoneError, format_phone, normalize_phone


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("(718) 555-0142", "+17185550142"),
        ("718.555.0142", "+17185550142"),
        ("1 718 555 0142", "+17185550142"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_numbers_are_stored_in_e164(typed: str, e164: str) -> None:
    assert normalize_phone(typed) == e164


@pytest.mark.parametrize("typed", ["", "12", "555-0142", "call me", "+1 000 000 0000"])
def test_invalid_numbers_raise_phone_error(typed: str) -> None:
    with pytest.raises(PhoneError):
        normalize_phone(typed)


def test_stored_numbers_read_nationally_at_home_and_internationally_abroad() -> None:
    assert format_phone("+17185550142") == "(718) 555-0142"
    assert format_phone("+442079460958") == "+44 20 7946 0958"


@given(st.text(max_size=30))
def test_any_text_either_normalizes_or_raises_phone_error(text: str) -> None:
    try:
        e164 = normalize_phone(text)
    except PhoneError:
        return
    assert e164.startswith("+")
    assert normalize_phone(e164) == e164
