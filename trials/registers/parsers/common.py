"""What every register parser returns, and the helpers the three share.

No Django here: a parser takes the register's answer as text and returns a
`RegisterRecord` in the platform's vocabulary, or raises `RecordError` saying
what is wrong with the record. The values below are the platform's own
(`trials.models.Phase`, `TrialStatus`, `SponsorType`, `RegistryKind`); a test
checks they are valid choices of those fields.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

# Platform vocabulary (trials.models), as plain strings.
EARLY_PHASE_1, PHASE_1, PHASE_1_2, PHASE_2, PHASE_2_3 = "early_phase_1", "phase_1", "phase_1_2", "phase_2", "phase_2_3"
PHASE_3, PHASE_4, PHASE_NA = "phase_3", "phase_4", "na"
PLANNED, RECRUITING, ONGOING, ACTIVE_NOT_RECRUITING = "planned", "recruiting", "ongoing", "active_not_recruiting"
SUSPENDED, COMPLETED, TERMINATED, WITHDRAWN, UNKNOWN = "suspended", "completed", "terminated", "withdrawn", "unknown"
ACADEMIC, HOSPITAL, COMMERCIAL, PUBLIC, OTHER = "academic", "hospital", "commercial", "public", "other"
EUDRACT, EU_CT, NCT, ISRCTN = "eudract", "eu_ct", "nct", "isrctn"

# The registers a trial can be refreshed from (the command's --registry names).
CTGOV, CTIS, EUCTR = "ctgov", "ctis", "euctr"
REGISTER_NAMES = {CTGOV: "ClinicalTrials.gov", CTIS: "CTIS", EUCTR: "EU Clinical Trials Register"}
# Which register issues which number.
REGISTER_OF_KIND = {NCT: CTGOV, EU_CT: CTIS, EUDRACT: EUCTR}

_ID_PATTERNS = [
    (EU_CT, re.compile(r"\b(\d{4}-5\d{5}-\d{2}-\d{2})\b")),
    (EUDRACT, re.compile(r"\b(\d{4}-\d{6}-\d{2})\b(?!-\d)")),
    (NCT, re.compile(r"\b(NCT\d{8})\b", re.I)),
    (ISRCTN, re.compile(r"\b(ISRCTN\d{8})\b", re.I)),
]
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?\s*>|&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


class RecordError(ValueError):
    """The register's record cannot be used; the message says why, for a curator."""


@dataclasses.dataclass(frozen=True)
class SecondaryId:
    registry: str  # EUDRACT, EU_CT, NCT or ISRCTN
    value: str


@dataclasses.dataclass(frozen=True)
class RegisterRecord:
    """One trial as a register describes it, in the platform's words."""

    registry: str  # CTGOV, CTIS or EUCTR
    register_id: str
    title: str
    record_date: dt.date | None = None  # the register's own "last updated" date
    phase: str = ""
    phase_text: str = ""
    status: str = ""
    status_text: str = ""
    status_date: dt.date | None = None
    sponsor: str = ""
    sponsor_type: str = ""
    sponsor_type_text: str = ""
    countries: tuple[str, ...] = ()  # country names as the register writes them
    conditions: tuple[str, ...] = ()
    intervention_type: str = ""
    start_date: dt.date | None = None
    completion_date: dt.date | None = None
    enrolment: int | None = None
    identifiers: tuple[SecondaryId, ...] = ()  # every number the record carries, its own included
    transitioned: bool = False  # EU CTR: the trial moved to CTIS under Regulation 536/2014

    @property
    def register_name(self) -> str:
        return REGISTER_NAMES[self.registry]

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        for name in ("record_date", "status_date", "start_date", "completion_date"):
            data[name] = data[name].isoformat() if data[name] else None
        data["identifiers"] = [[i.registry, i.value] for i in self.identifiers]
        data["countries"], data["conditions"] = list(self.countries), list(self.conditions)
        return data

    @classmethod
    def from_json(cls, data: dict) -> RegisterRecord:
        values = dict(data)
        for name in ("record_date", "status_date", "start_date", "completion_date"):
            values[name] = dt.date.fromisoformat(values[name]) if values.get(name) else None
        values["identifiers"] = tuple(SecondaryId(r, v) for r, v in values.get("identifiers", []))
        values["countries"] = tuple(values.get("countries", []))
        values["conditions"] = tuple(values.get("conditions", []))
        return cls(**values)


# --- Helpers ---------------------------------------------------------------------------
def text(value, field: str = "") -> str:
    """A register string, whitespace collapsed; numbers become text; None is ""."""
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise RecordError(f"{field or 'a field'} is not text.")
    return re.sub(r"\s+", " ", str(value)).strip()


def title(value, field: str) -> str:
    """The trial title: required, and never HTML (a register answering markup is answering wrongly)."""
    result = text(value, field)
    if not result:
        raise RecordError(f"The record has no title ({field}).")
    if _HTML.search(result):
        raise RecordError(f"The title contains HTML markup ({field}); the record is not used.")
    return result


def date(value, field: str) -> dt.date | None:
    """ "2024-03-05", "2024-03" (the 1st), "2024-03-05T10:00:00", "05/03/2024"; empty is None."""
    raw = text(value, field)
    if not raw:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?", raw)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3) or 1))
        match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
        if match:
            return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    except ValueError:
        pass
    raise RecordError(f'"{raw}" in {field} is not a date.')


def count(value, field: str) -> int | None:
    raw = text(value, field)
    if not raw:
        return None
    if not re.fullmatch(r"\d{1,7}", raw):
        raise RecordError(f'"{raw}" in {field} is not a number of participants.')
    return int(raw)


def find_ids(value) -> list[SecondaryId]:
    """Every trial number in a register's free text ("EudraCT 2016-002972-29", "NCT01234567")."""
    found: list[SecondaryId] = []
    for kind, pattern in _ID_PATTERNS:
        for match in pattern.findall(text(value)):
            ident = SecondaryId(kind, match.upper())
            if ident not in found:
                found.append(ident)
    return found


def unique(values) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for value in values:
        value = text(value)
        if value and value.lower() not in seen:
            seen[value.lower()] = value
    return tuple(seen.values())


def sponsor_type_from_name(name: str) -> str:
    """A non-commercial sponsor's kind from its name; "" when the name does not say."""
    key = name.lower()
    if re.search(r"hospital|klinik|clinic|hôpital|hopital|ospedale|medical cent|nhs|charité|assistance publique", key):
        return HOSPITAL
    if re.search(r"universit|college|school|academ|institut|research cent|fondazione|foundation", key):
        return ACADEMIC
    if re.search(r"national|ministry|government|agency|department of health", key):
        return PUBLIC
    return ""


def phase_from_numbers(numbers: set[int]) -> str:
    """{1, 2} -> PHASE_1_2; a combination the platform has no value for -> ""."""
    table = {
        (1,): PHASE_1,
        (1, 2): PHASE_1_2,
        (2,): PHASE_2,
        (2, 3): PHASE_2_3,
        (3,): PHASE_3,
        (4,): PHASE_4,
    }
    return table.get(tuple(sorted(numbers)), "")
