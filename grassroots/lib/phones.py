"""Phone numbers: parse what people type into E.164, the one form we store and match on."""

from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "US"


class PhoneError(ValueError):
    """The text is not a valid phone number."""


def normalize_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of a phone number, or raise PhoneError."""
    text = (text or "").strip()
    if not text:
        raise PhoneError("The phone number is empty.")
    if region == "US" and len(text) == 10 and text.isascii() and text.isdigit() and text[0] not in "01":
        # Ten bare digits, as voter files write them: what parse() would make of them, without
        # its cost (parsing and finding the number's region take four times as long as the check).
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(text))
        if phonenumbers.is_valid_number_for_region(number, "US") or phonenumbers.is_valid_number(number):
            return f"+1{text}"
        raise PhoneError(f"“{text}” is not a valid phone number.")
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise PhoneError(f"“{text}” is not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"“{text}” is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """Format a stored E.164 number for people to read: national form at home, international abroad."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == DEFAULT_REGION:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def digits(text: str) -> str:
    """The digits of a search string, for matching partial numbers."""
    return "".join(ch for ch in text if ch.isdigit())
