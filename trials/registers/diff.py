"""Field by field: what the platform says about a trial, what the register says, and how to show both.

Each field has a platform value and a register value in the same JSON-able form
(a string, an ISO date, a number or a sorted list), so comparing, storing in a
`ProposedChange` and showing them is one code path. Trial fields are written
through the trials write service; the register facts the trial model has no
field for go to `TrialRegisterFacts`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trials.models import Phase, RegistryKind, SponsorType, Trial, TrialStatus
from trials.vocabulary import parse_locations

from .models import TrialRegisterFacts
from .parsers.common import RegisterRecord

TRIAL_FIELDS = ["title", "phase", "status", "sponsor", "sponsor_type", "countries", "identifiers"]
FACT_FIELDS = ["conditions", "intervention_type", "start_date", "completion_date", "enrolment"]
LABELS = {
    "title": "Title",
    "phase": "Phase",
    "status": "Overall status",
    "sponsor": "Sponsor",
    "sponsor_type": "Sponsor type",
    "countries": "Countries",
    "identifiers": "Registry IDs",
    "conditions": "Conditions",
    "intervention_type": "Intervention type",
    "start_date": "Start date",
    "completion_date": "Completion date",
    "enrolment": "Enrolment",
}


@dataclass(frozen=True)
class FieldDiff:
    field: str
    current: object
    register: object


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def status_value(status: str, as_of: dt.date | None) -> dict | None:
    return {"status": status, "as_of": _iso(as_of)} if status else None


def register_values(record: RegisterRecord) -> dict[str, object]:
    """The record in the platform's terms; a field the register leaves empty is left out (never proposed)."""
    countries, _unknown = parse_locations(", ".join(record.countries))
    values: dict[str, object] = {
        "title": record.title,
        "phase": record.phase,
        "status": status_value(record.status, record.status_date or record.record_date),
        "sponsor": record.sponsor,
        "sponsor_type": record.sponsor_type,
        "countries": sorted({ref.code for ref in countries}),
        "identifiers": sorted([i.registry, i.value] for i in record.identifiers),
        "conditions": "\n".join(record.conditions),
        "intervention_type": record.intervention_type,
        "start_date": _iso(record.start_date),
        "completion_date": _iso(record.completion_date),
        "enrolment": record.enrolment,
    }
    return {name: value for name, value in values.items() if value not in ("", None, [])}


def platform_values(trial: Trial) -> dict[str, object]:
    facts = TrialRegisterFacts.objects.filter(trial=trial).first()
    return {
        "title": trial.title,
        "phase": trial.phase,
        "status": status_value(trial.status, trial.status_as_of),
        "sponsor": trial.sponsor,
        "sponsor_type": trial.sponsor_type,
        "countries": sorted(trial.countries.values_list("code", flat=True)),
        "identifiers": sorted([r, v] for r, v in trial.identifiers.values_list("registry", "value")),
        "conditions": facts.conditions if facts else "",
        "intervention_type": facts.intervention_type if facts else "",
        "start_date": _iso(facts.start_date) if facts else None,
        "completion_date": _iso(facts.completion_date) if facts else None,
        "enrolment": facts.enrolment if facts else None,
    }


def differences(trial: Trial, record: RegisterRecord) -> list[FieldDiff]:
    """Fields where the register says something the platform does not.

    Registry IDs only ever grow: a number the register does not list is kept. A
    status whose date alone moved is not a change ("still recruiting").
    """
    current = platform_values(trial)
    found = []
    for name, value in register_values(record).items():
        here = current[name]
        if name == "identifiers":
            if not [pair for pair in value if pair not in here]:
                continue
            value = sorted(here + [pair for pair in value if pair not in here])
        elif name == "status" and here and here["status"] == value["status"] and here["as_of"]:
            continue
        elif name == "title" and " ".join(str(here).split()) == value:
            continue
        if value != here:
            found.append(FieldDiff(name, here, value))
    return found


# --- Showing values ---------------------------------------------------------------------------
def display(field: str, value) -> str:
    if value in (None, "", []):
        return "–"
    if field == "phase":
        return str(Phase(value).label) if value in Phase.values else str(value)
    if field == "sponsor_type":
        return str(SponsorType(value).label) if value in SponsorType.values else str(value)
    if field == "status":
        label = TrialStatus(value["status"]).label if value["status"] in TrialStatus.values else value["status"]
        return f"{label} (as of {value['as_of']})" if value.get("as_of") else str(label)
    if field == "countries":
        from django_countries import countries

        names = dict(countries)
        return ", ".join(str(names.get(code, code)) for code in value)
    if field == "identifiers":
        kinds = dict(RegistryKind.choices)
        return "; ".join(f"{number} ({kinds.get(kind, kind)})" for kind, number in value)
    if field == "conditions":
        return "; ".join(str(value).splitlines())
    return str(value)
