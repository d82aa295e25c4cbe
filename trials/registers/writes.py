"""One accepted field -> the partial data dict the trials write service takes.

Every write to a trial goes through `trials.services.trial_save`, which
normalises vocabularies, lookups and identifiers and records who and why in the
history; this module only says what each register field means in the trial's
own fields.
"""

from __future__ import annotations

import datetime as dt

from django_countries import countries

from trials import services as trial_services
from trials.models import Phase, RegistryKind, SponsorType, Trial


def trial_data(field: str, value) -> dict:
    if field == "title":
        return {"title": value}
    if field == "phase":
        return {"phase": value, "phase_text": str(Phase(value).label)}
    if field == "status":
        # The write service words the text the sheets' way: "Recruiting (30.11.2026)".
        as_of = dt.date.fromisoformat(value["as_of"]) if value.get("as_of") else None
        return {"status": value["status"], "status_as_of": as_of}
    if field == "sponsor":
        return {"sponsor": value}
    if field == "sponsor_type":
        return {"sponsor_type": value, "sponsor_type_text": str(SponsorType(value).label)}
    if field == "countries":
        names = dict(countries)
        return {"countries_text": ", ".join(str(names.get(code, code)) for code in value)}
    if field == "identifiers":
        order = [RegistryKind.EU_CT, RegistryKind.EUDRACT, RegistryKind.NCT, RegistryKind.ISRCTN, RegistryKind.DRKS]
        ranked = sorted(value, key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))
        return {"registry_id_text": " / ".join(number for _kind, number in ranked)}
    raise ValueError(f"{field} is not a trial field")


def save_trial_field(*, trial: Trial, field: str, value, user, reason: str) -> Trial:
    """Through the write service, source "register", the register and record date as the reason."""
    return trial_services.trial_save(
        trial=trial, product=trial.product, data=trial_data(field, value), user=user, reason=reason, source="register"
    )
