from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grassroots.lib.addresses import AddressError, normalize_address


@pytest.mark.parametrize(
    ("typed", "unit", "line1", "expected_unit"),
    [
        ("45 Elm Avenue", "Apt 3", "45 ELM AVE", "APT 3"),
        ("45 ELM AVE", "#3", "45 ELM AVE", "APT 3"),
        ("45 elm ave.", "3", "45 ELM AVE", "APT 3"),
        ("123-45 Liberty Avenue", "", "123-45 LIBERTY AVE", ""),
        ("7 North Birch Road", "", "7 N BIRCH RD", ""),
    ],
)
def test_two_spellings_of_one_door_normalize_the_same(
    typed: str, unit: str, line1: str, expected_unit: str
) -> None:
    address = normalize_address(typed, unit, "Eastbrook", "ny", "11368-1234")
    assert (address.line1, address.unit, address.city, address.state, address.postal_code) == (
        line1,
        expected_unit,
        "EASTBROOK",
        "NY",
        "11368",
    )


@pytest.mark.parametrize(
    ("typed", "reason"), [("", "empty"), ("   ", "empty"), ("Elm Avenue", "no house number")]
)
def test_an_unreadable_address_raises_a_clear_error(typed: str, reason: str) -> None:
    with pytest.raises(AddressError, match=reason):
        normalize_address(typed)


@given(st.text(max_size=60), st.text(max_size=10))
def test_any_text_either_normalizes_or_raises_address_error(line1: str, unit: str) -> None:
    try:
        address = normalize_address(line1, unit)
    except AddressError:
        return
    assert address.line1 == address.line1.upper()
    assert address.line1.strip()
