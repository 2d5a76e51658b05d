"""Phone-number normalisation, masking and matching for call-log checks."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

# Explicit extension markers as Chinese office numbers are written: 转 / 分机 / ext / x / #.
# Everything after the marker is the extension, which the rules ignore.
_EXTENSION_MARKER = re.compile(r"(转|轉|分机|分機|ext\.?|extension|x|#|,|;)", re.IGNORECASE)
# "0571-88886666-8001": a trailing dash group that makes an otherwise valid number invalid.
_TRAILING_GROUP = re.compile(r"[\s\-–—]+\d{1,6}\s*$")


@dataclass(frozen=True)
class PhoneMatch:
    """Whether a call's counterpart is one of the customer's registered numbers."""

    matched: bool
    normalized: str | None
    masked: str | None
    reason: str | None


def _parse_valid(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def normalize_phone(raw: str, region: str = "CN") -> str | None:
    """Return the number in E.164 form (extensions dropped), or None if it is not a valid number."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    text = raw.strip()
    candidates = [text]
    marker = _EXTENSION_MARKER.search(text)
    if marker and marker.start() > 0:
        candidates.append(text[: marker.start()])
    for candidate in list(candidates):
        trimmed = _TRAILING_GROUP.sub("", candidate)
        if trimmed != candidate and trimmed.strip():
            candidates.append(trimmed)
    # The whole string is tried first so "+86-138-0013-8000" is never mistaken for a
    # number with extension 8000; cut-down forms are only fallbacks.
    for candidate in candidates:
        number = _parse_valid(candidate, region)
        if number is not None:
            number.extension = None
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def mask_phone(e164: str) -> str:
    """Mask the middle of an E.164 number, keeping country code, first 3 and last 4 digits."""
    try:
        number = phonenumbers.parse(e164, None)
        country = f"+{number.country_code}"
        national = phonenumbers.national_significant_number(number)
    except phonenumbers.NumberParseException:
        digits = re.sub(r"\D", "", e164)
        country, national = "", digits
    if len(national) >= 8:
        head, tail = national[:3], national[-4:]
    else:
        # Short numbers would be fully revealed by 3+4 digits; keep only the last two.
        head, tail = "", national[-2:]
    stars = "*" * max(len(national) - len(head) - len(tail), 1)
    return f"{country}{head}{stars}{tail}"


def match_phone(counterpart: str, registered: Iterable[str], region: str = "CN") -> PhoneMatch:
    """Compare a call's counterpart with registered numbers after normalising both."""
    normalized = normalize_phone(counterpart, region)
    if normalized is None:
        return PhoneMatch(False, None, None, "number_unparseable")
    masked = mask_phone(normalized)
    known = {n for n in (normalize_phone(r, region) for r in registered if r) if n}
    if not known:
        return PhoneMatch(False, normalized, masked, "no_registered_numbers")
    if normalized in known:
        return PhoneMatch(True, normalized, masked, None)
    return PhoneMatch(False, normalized, masked, "number_not_registered")
