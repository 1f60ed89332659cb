"""US postal addresses: parse and normalize to USPS Publication 28 form.

Normalized addresses are what households are matched on, so two spellings of one
door ("45 Elm Avenue Apt 3" and "45 ELM AVE #3") must come out the same.
"""

from __future__ import annotations

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
    record = {
        "address_line_1": line1.strip(),
        "address_line_2": unit.strip() or None,
        "city": city.strip() or None,
        "state": state.strip() or None,
        "postal_code": postal_code.strip() or None,
    }
    try:
        clean = normalize_address_record(record)
    except AddressNormalizationError as exc:
        raise AddressError(f"Could not read “{line1.strip()}” as a street address.") from exc
    street = clean.get("address_line_1") or ""
    if not any(ch.isdigit() for ch in street.split(" ", 1)[0]):
        raise AddressError(f"“{line1.strip()}” has no house number.")
    return Address(
        line1=street,
        unit=clean.get("address_line_2") or "",
        city=clean.get("city") or "",
        state=clean.get("state") or "",
        postal_code=(clean.get("postal_code") or "")[:5],
    )
