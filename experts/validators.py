"""ORCID iDs: sixteen characters in four groups, the last a check character (ISO 7064 MOD 11-2)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

ORCID_PATTERN = re.compile(r"^(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])$")
ORCID_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")


def orcid_check_character(base_digits: str) -> str:
    """The check character for the first fifteen digits (ISO 7064 MOD 11-2, as ORCID documents it)."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalise_orcid(value: str) -> str:
    """ "https://orcid.org/0000-0002-1825-009x" -> "0000-0002-1825-009X"; unrecognised text is returned trimmed."""
    text = (value or "").strip()
    for prefix in ORCID_URL_PREFIXES:
        if text.lower().startswith(prefix):
            text = text[len(prefix) :]
            break
    match = ORCID_PATTERN.match(text.upper())
    return "-".join(match.groups()) if match else text


def validate_orcid(value: str) -> None:
    match = ORCID_PATTERN.match(value or "")
    if not match or "-".join(match.groups()) != value:
        raise ValidationError(
            "Enter an ORCID iD as four groups of four characters, e.g. 0000-0002-1825-0097.", code="orcid_format"
        )
    digits = value.replace("-", "")
    if orcid_check_character(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD's last character does not match its check digit: please copy it again from orcid.org.",
            code="orcid_checksum",
        )
