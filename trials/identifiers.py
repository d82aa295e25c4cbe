"""Trial registry identifiers: parse, validate, normalise, link out.

Formats (domain guide section 2):

* EudraCT ``YYYY-NNNNNN-CC``: issued from 2004 on; the check digits' algorithm
  is not published, so only the format and the year are checked.
* EU CT (CTIS) ``YYYY-5NNNNN-NN-NN``: CTIS opened in 2022.
* ClinicalTrials.gov ``NCT`` + 8 digits, ISRCTN + 8 digits, DRKS + 8 digits.

Normalising means: trim, upper case, every kind of dash to an ASCII hyphen,
no spaces inside ("NCT 0123 4567" -> "NCT01234567").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import RegistryKind

EUDRACT_FIRST_YEAR = 2004  # Directive 2001/20/EC applied from 1 May 2004.
EU_CT_FIRST_YEAR = 2022  # CTIS went live on 31 January 2022.

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile(r"\s+")

_PATTERNS: dict[str, re.Pattern] = {
    RegistryKind.EU_CT: re.compile(r"^(\d{4})-5\d{5}-\d{2}-\d{2}$"),
    RegistryKind.EUDRACT: re.compile(r"^(\d{4})-\d{6}-\d{2}$"),
    RegistryKind.NCT: re.compile(r"^NCT\d{8}$"),
    RegistryKind.ISRCTN: re.compile(r"^ISRCTN\d{8}$"),
    RegistryKind.DRKS: re.compile(r"^DRKS\d{8}$"),
}

# Anything that looks like it was meant to be an identifier, found in free text.
_CANDIDATE = re.compile(
    r"\d{4}\s*[-\u2010-\u2015\u2212]\s*\d{5,7}\s*[-\u2010-\u2015\u2212]\s*\d{1,3}"
    r"(?:\s*[-\u2010-\u2015\u2212]\s*\d{1,3})?"
    # Prefixed numbers: single spaces inside are tolerated, but the candidate stops at 10 digits so
    # "NCT03144583 2016-002972-29" is two candidates, not one.
    r"|(?:NCT|ISRCTN|DRKS)\s?\d(?:\s?\d){3,9}(?!\d)",
    re.I,
)

REGISTER_URLS = {
    RegistryKind.EUDRACT: "https://www.clinicaltrialsregister.eu/ctr-search/search?query={v}",
    RegistryKind.EU_CT: "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={v}",
    RegistryKind.NCT: "https://clinicaltrials.gov/study/{v}",
    RegistryKind.ISRCTN: "https://www.isrctn.com/{v}",
    RegistryKind.DRKS: "https://drks.de/search/en/trial/{v}",
}


class InvalidIdentifier(ValueError):
    """The text is not a registry identifier we can accept; the message says why."""


@dataclass(frozen=True)
class RegistryId:
    registry: str
    value: str

    @property
    def register_url(self) -> str:
        return register_url(self.registry, self.value)

    @property
    def year(self) -> int | None:
        """Year of issue, where the number carries one (EudraCT, EU CT)."""
        if self.registry in (RegistryKind.EUDRACT, RegistryKind.EU_CT):
            return int(self.value[:4])
        return None

    def __str__(self) -> str:
        return self.value


def normalise(text: str) -> str:
    """Trim, upper-case, ASCII hyphens, no inner spaces."""
    text = _DASHES.sub("-", str(text or "")).upper()
    return _SPACES.sub("", text)


def registry_of(value: str) -> str | None:
    """The register whose format a *normalised* value has, or None."""
    for registry, pattern in _PATTERNS.items():
        if pattern.match(value):
            return registry
    return None


def parse(text: str) -> RegistryId:
    """One identifier; raises InvalidIdentifier with a message a contributor understands."""
    value = normalise(text)
    if not value:
        raise InvalidIdentifier("The study ID is empty.")
    registry = registry_of(value)
    if registry is None:
        if re.match(r"^\d{4}-\d{6}-\d{2}-\d{2}$", value):
            raise InvalidIdentifier(
                f'"{text}" looks like an EU CT number, but CTIS numbers have 5 as the first digit of the sequence '
                "(YYYY-5NNNNN-NN-NN)."
            )
        raise InvalidIdentifier(
            f'"{text}" is not a registry ID: expected EudraCT YYYY-NNNNNN-CC, EU CT YYYY-5NNNNN-NN-NN, '
            "NCT + 8 digits, ISRCTN + 8 digits or DRKS + 8 digits."
        )
    ident = RegistryId(registry, value)
    _check_year(text, ident)
    return ident


def _check_year(text: str, ident: RegistryId) -> None:
    year = ident.year
    if year is None:
        return
    first = EUDRACT_FIRST_YEAR if ident.registry == RegistryKind.EUDRACT else EU_CT_FIRST_YEAR
    last = timezone.now().year + 1  # a number issued "next year" is a typo, not foresight
    if not first <= year <= last:
        name = RegistryKind(ident.registry).label
        raise InvalidIdentifier(f'"{text}": {name} numbers start with a year from {first} to {last}, not {year}.')


def is_valid(text: str) -> bool:
    try:
        parse(text)
    except InvalidIdentifier:
        return False
    return True


def find_all(text: str) -> tuple[list[RegistryId], list[str]]:
    """Every identifier in a cell ("2016-002972-29 / NCT03144583"), and the candidates that failed.

    Returns (valid identifiers in order, without duplicates; error messages).
    Text with no candidate at all yields one error, so a cell is never silently empty.
    """
    found: list[RegistryId] = []
    errors: list[str] = []
    candidates = _CANDIDATE.findall(str(text or ""))
    if not candidates and str(text or "").strip():
        candidates = [str(text).strip()]
    for candidate in candidates:
        try:
            ident = parse(candidate)
        except InvalidIdentifier as exc:
            errors.append(str(exc))
            continue
        if ident not in found:
            found.append(ident)
    return found, errors


def primary(idents: list[RegistryId]) -> RegistryId | None:
    """The identifier to show first: EU CT, then EudraCT, then NCT, then the others."""
    order = [RegistryKind.EU_CT, RegistryKind.EUDRACT, RegistryKind.NCT, RegistryKind.ISRCTN, RegistryKind.DRKS]
    return min(idents, key=lambda i: order.index(i.registry) if i.registry in order else len(order), default=None)


def start_year(idents: list[RegistryId]) -> int | None:
    """Earliest year carried by an EudraCT/EU CT number: when the trial was registered in the EU."""
    years = [i.year for i in idents if i.year]
    return min(years) if years else None


def register_url(registry: str, value: str) -> str:
    template = REGISTER_URLS.get(registry)
    return template.format(v=value) if template else ""


def validate_registry_ids(text: str) -> None:
    """Django validator for form fields holding one or more IDs."""
    if not str(text or "").strip():
        return
    _found, errors = find_all(text)
    if errors:
        raise ValidationError(errors)
