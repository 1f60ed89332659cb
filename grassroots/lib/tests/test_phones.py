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


def _parsed(text: str) -> str | None:
    """What the whole parse makes of a number (the fast path for ten bare digits must agree)."""
    import phonenumbers

    number = phonenumbers.parse(text, "US")
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@given(st.integers(min_value=2_000_000_000, max_value=9_999_999_999))
def test_ten_bare_digits_read_as_the_whole_parse_reads_them(value: int) -> None:
    text = str(value)
    try:
        fast: str | None = normalize_phone(text)
    except PhoneError:
        fast = None
    assert fast == _parsed(text)


@pytest.mark.parametrize("text", ["9195550142", "2125550142", "4165550142", "8095550142", "2005550142"])
def test_ten_bare_digits_of_each_kind_read_as_the_whole_parse_reads_them(text: str) -> None:
    try:
        fast: str | None = normalize_phone(text)
    except PhoneError:
        fast = None
    assert fast == _parsed(text)
