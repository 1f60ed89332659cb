"""US postal addresses: parse and normalize to USPS Publication 28 form.

Normalized addresses are what households are matched on, so two spellings of one
door ("45 Elm Avenue Apt 3" and "45 ELM AVE #3") must come out the same.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError


class AddressError(ValueError):
    """The text could not be read as a street address."""


@dataclass(frozen=True)
class Address:
    line1: str
    unit: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""

    @property
    def one_line(self) -> str:
        street = f"{self.line1} {self.unit}".strip()
        place = " ".join(p for p in (self.state, self.postal_code) if p)
        return ", ".join(p for p in (street, self.city, place) if p)


def normalize_address(
    line1: str, unit: str = "", city: str = "", state: str = "", postal_code: str = ""
) -> Address:
    """Normalize one address; raise AddressError with a readable reason when it cannot be parsed."""
    if not line1 or not line1.strip():
        raise AddressError("The street address is empty.")
    if not any(ch.isdigit() for ch in line1.split()[0]):
        raise AddressError(f"“{line1.strip()}” has no house number.")
    unit = unit.strip()
    if unit and unit[0].isalnum() and not any(ch.isspace() for ch in unit):
        unit = f"APT {unit}"  # a bare "4B" reads as an apartment
    street_part = f"{line1.strip()} {unit}".strip()
    place = " ".join(p for p in (state.strip(), postal_code.strip()) if p)
    text = ", ".join(p for p in (street_part, city.strip(), place) if p)
    try:
        # One line, not strict: a street line alone is enough; city, state and ZIP are optional.
        clean = normalize_address_record(text, strict=False)
    except AddressNormalizationError as exc:
        raise AddressError(f"Could not read “{line1.strip()}” as a street address.") from exc
    street = clean.get("address_line_1") or ""
    return Address(
        line1=street,
        unit=(clean.get("address_line_2") or "").replace("# ", "APT ", 1),
        city=clean.get("city") or "",
        state=clean.get("state") or "",
        postal_code=(clean.get("postal_code") or "")[:5],
    )


_HOUSE_NUMBER = re.compile(r"^(\d+[A-Z]?(?:-\d+[A-Z]?)?(?: 1/2)?) +(.+)$")


class StreetNormalizer:
    """Normalizes many addresses fast by normalizing each distinct street only once.

    Voter files repeat a few thousand street names over millions of rows: the house
    number is split off, the rest ("ELM AVENUE", "ELM AVENUE APT 3") is normalized by
    normalize_address behind a bounded cache, and the number is put back. The result
    is what normalize_address gives for the whole line.
    """

    def __init__(self, max_size: int = 200_000) -> None:
        self._cache: dict[tuple[str, str], tuple[str, str] | None] = {}
        self.max_size = max_size

    def normalize(self, street_line: str, unit: str = "") -> tuple[str, str]:
        """(line1, unit) in USPS form; raises AddressError when the line is no street address."""
        text = " ".join(street_line.upper().split())
        match = _HOUSE_NUMBER.match(text)
        if match is None:
            raise AddressError(f"“{street_line.strip()}” has no house number.")
        number, rest = match.groups()
        key = (rest, " ".join(unit.upper().split()))
        if key in self._cache:
            found = self._cache[key]
        else:
            try:
                address = normalize_address(f"1 {rest}", key[1])
                # Interned: one street comes with many units and one unit on many streets.
                found = (sys.intern(address.line1[2:]), sys.intern(address.unit))
                key = (sys.intern(rest), sys.intern(key[1]))
            except AddressError:
                found = None
            if len(self._cache) >= self.max_size:
                self._cache.clear()
            self._cache[key] = found
        if found is None:
            raise AddressError(f"Could not read “{street_line.strip()}” as a street address.")
        return f"{number} {found[0]}", found[1]
