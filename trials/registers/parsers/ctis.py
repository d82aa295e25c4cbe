"""CTIS (EU Clinical Trials Information System): the public portal's trial JSON onto the platform.

`GET {CTIS}/retrieve/{EU CT number}` answers the full public record;
`POST {CTIS}/search` with `searchCriteria.eudraCtCode` finds the EU CT number
of a trial that transitioned from EudraCT. Field paths: `ctNumber`,
`ctStatus`/`ctPublicStatusCode`, `authorizedApplication.authorizedPartI`
(`trialDetails.clinicalTrialIdentifiers`, `trialDetails.trialInformation`,
`sponsors`, `products`, `medicalConditions`, `rowSubjectCount`),
`authorizedApplication.eudraCt` (`isTransitioned`, `eudraCtCode`),
`authorizedApplication.memberStatesConcerned[].mscName`, `events.trialEvents`.
The portal publishes no schema; the paths are those of its answers as
documented by the projects cited in tests/registers/records/README.md.
"""

from __future__ import annotations

import json
import re

from . import common as c

# ctPublicStatusCode and the portal's status texts.
STATUS_CODES = {
    1: "Under evaluation",
    2: "Authorised, recruitment pending",
    3: "Authorised, recruiting",
    4: "Ongoing, recruiting",
    5: "Ongoing, recruitment ended",
    6: "Temporarily halted",
    7: "Suspended",
    8: "Ended",
    9: "Expired",
    10: "Revoked",
    11: "Not authorised",
    12: "Cancelled",
}
STATUSES = {
    "under evaluation": c.PLANNED,
    "authorised": c.PLANNED,
    "authorised, not started": c.PLANNED,
    "authorised, recruitment pending": c.PLANNED,
    "authorised, recruiting": c.RECRUITING,
    "ongoing, recruiting": c.RECRUITING,
    "ongoing, not yet recruiting": c.PLANNED,
    "ongoing, recruitment ended": c.ACTIVE_NOT_RECRUITING,
    "restarted": c.ONGOING,
    "temporarily halted": c.SUSPENDED,
    "suspended": c.SUSPENDED,
    "ended": c.COMPLETED,  # TERMINATED when an early-termination event was notified
    "revoked": c.TERMINATED,
    "expired": c.WITHDRAWN,
    "not authorised": c.WITHDRAWN,
    "cancelled": c.WITHDRAWN,
}
# trialInformation.trialCategory.trialPhase codes: 1-3 phase I (first in human, bioequivalence,
# other), 4 II, 5 III, 6 IV, 7-9 I/II, 10-12 II/III (the last three are not confirmed).
PHASE_CODES = {
    "1": {1}, "2": {1}, "3": {1}, "4": {2}, "5": {3}, "6": {4},
    "7": {1, 2}, "8": {1, 2}, "9": {1, 2}, "10": {2, 3}, "11": {2, 3}, "12": {2, 3},
}  # fmt: skip
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _obj(value, path: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise c.RecordError(f"{path} is not an object.")
    return value


def _items(value, path: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise c.RecordError(f"{path} is not a list.")
    return value


def _phase(raw) -> tuple[str, str]:
    word = c.text(raw, "trialCategory.trialPhase")
    if not word:
        return "", ""
    if word in PHASE_CODES:
        return c.phase_from_numbers(PHASE_CODES[word]), word
    numbers = {_ROMAN[n] for n in re.findall(r"\b(iv|iii|ii|i)\b", word.lower())}
    phase = c.phase_from_numbers(numbers)
    if not phase:
        raise c.RecordError(f'Unknown trial phase "{word}" (trialCategory.trialPhase).')
    return phase, word


def _status(record: dict) -> tuple[str, str]:
    raw = record.get("ctStatus")
    if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()):
        raw = STATUS_CODES.get(int(raw), raw)
    word = c.text(raw, "ctStatus")
    if not word and record.get("ctPublicStatusCode") is not None:
        word = STATUS_CODES.get(record["ctPublicStatusCode"], str(record["ctPublicStatusCode"]))
    if not word:
        raise c.RecordError("The record has no trial status (ctStatus).")
    status = STATUSES.get(word.lower())
    if status is None:
        raise c.RecordError(f'Unknown trial status "{word}" (ctStatus).')
    if status == c.COMPLETED:
        events = _items(_obj(record.get("events"), "events").get("trialEvents"), "events.trialEvents")
        notified = [c.text(e.get("notificationType")) for t in events for e in _items(t.get("events"), "events")]
        if any("EARLY_TERMINATION" in n.upper().replace(" ", "_") for n in notified):
            return c.TERMINATED, f"{word} (early termination)"
    return status, word


def _sponsor(part_one: dict) -> tuple[str, str, str]:
    sponsors = [_obj(s, "sponsors[]") for s in _items(part_one.get("sponsors"), "authorizedPartI.sponsors")]
    primary = next((s for s in sponsors if s.get("primary")), sponsors[0] if sponsors else {})
    organisation = _obj(primary.get("organisation"), "sponsors[].organisation")
    name = c.text(organisation.get("name"), "sponsors[].organisation.name")
    kind = c.text(organisation.get("type"), "sponsors[].organisation.type")
    if primary.get("isCommercial") is True or organisation.get("commercial") is True:
        return name, c.COMMERCIAL, kind or "Commercial"
    return name, c.sponsor_type_from_name(f"{kind} {name}"), kind or "Non-commercial"


def parse(body: str, *, expected_id: str) -> c.RegisterRecord:
    try:
        record = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise c.RecordError(f"CTIS answered something that is not JSON ({exc}).") from exc
    if not isinstance(record, dict):
        raise c.RecordError("CTIS answered JSON that is not a trial record.")
    number = c.text(record.get("ctNumber"), "ctNumber")
    if not number:
        raise c.RecordError("The record has no EU CT number (ctNumber).")
    if number != expected_id:
        raise c.RecordError(f"Asked for {expected_id}, CTIS answered {number}.")
    application = _obj(record.get("authorizedApplication"), "authorizedApplication")
    part_one = _obj(application.get("authorizedPartI"), "authorizedApplication.authorizedPartI")
    details = _obj(part_one.get("trialDetails"), "authorizedPartI.trialDetails")
    names = _obj(details.get("clinicalTrialIdentifiers"), "trialDetails.clinicalTrialIdentifiers")
    information = _obj(details.get("trialInformation"), "trialDetails.trialInformation")
    duration = _obj(information.get("trialDuration"), "trialInformation.trialDuration")
    title_path = "clinicalTrialIdentifiers." + ("fullTitle" if names.get("fullTitle") else "publicTitle")
    title = c.title(names.get("fullTitle") or names.get("publicTitle"), title_path)
    status, status_text = _status(record)
    phase, phase_text = _phase(_obj(information.get("trialCategory"), "trialCategory").get("trialPhase"))
    sponsor, sponsor_type, sponsor_type_text = _sponsor(part_one)

    conditions = [m.get("medicalCondition") for m in _items(part_one.get("medicalConditions"), "medicalConditions")]
    therapies = [
        t.get("advancedTherapyType")
        for p in _items(part_one.get("products"), "authorizedPartI.products")
        for t in _items(p.get("therapies"), "products[].therapies")
    ]
    states = _items(application.get("memberStatesConcerned"), "authorizedApplication.memberStatesConcerned")
    parts_two = _items(application.get("authorizedPartsII"), "authorizedApplication.authorizedPartsII")
    enrolment = part_one.get("rowSubjectCount")
    if enrolment is None and parts_two:
        enrolment = sum(int(p.get("recruitmentSubjectCount") or 0) for p in parts_two) or None
    history = [
        c.date(h.get("trialStatusDate"), "clinicalTrialStatusHistory[].trialStatusDate")
        for p in parts_two
        for h in _items(_obj(p.get("mscInfo"), "mscInfo").get("clinicalTrialStatusHistory"), "statusHistory")
    ]
    record_date = c.date(record.get("publishDate"), "publishDate") or c.date(record.get("decisionDate"), "decisionDate")

    identifiers = [c.SecondaryId(c.EU_CT, number)]
    eudract = _obj(application.get("eudraCt"), "authorizedApplication.eudraCt")
    numbers = _obj(names.get("secondaryIdentifyingNumbers"), "clinicalTrialIdentifiers.secondaryIdentifyingNumbers")
    texts = [eudract.get("eudraCtCode")]
    for key in ("nctNumber", "isrctnNumber"):
        texts.append(_obj(numbers.get(key), f"secondaryIdentifyingNumbers.{key}").get("number"))
    texts += [r.get("number") for r in _items(numbers.get("additionalRegistries"), "additionalRegistries")]
    for value in texts:
        for found in c.find_ids(value):
            if found not in identifiers:
                identifiers.append(found)

    return c.RegisterRecord(
        registry=c.CTIS,
        register_id=number,
        title=title,
        record_date=record_date,
        phase=phase,
        phase_text=phase_text,
        status=status,
        status_text=status_text,
        status_date=max((d for d in history if d), default=None) or record_date,
        sponsor=sponsor,
        sponsor_type=sponsor_type,
        sponsor_type_text=sponsor_type_text,
        countries=c.unique(s.get("mscName") for s in states),
        conditions=c.unique(conditions),
        intervention_type="; ".join(c.unique(therapies)),
        start_date=c.date(record.get("startDateEU") or duration.get("estimatedRecruitmentStartDate"), "startDateEU"),
        completion_date=c.date(record.get("endDateEU") or duration.get("estimatedEndDate"), "endDateEU"),
        enrolment=c.count(enrolment, "authorizedPartI.rowSubjectCount"),
        identifiers=tuple(identifiers),
    )


def parse_search(body: str) -> list[str]:
    """The EU CT numbers a portal search answered (`data[].ctNumber`)."""
    try:
        answer = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise c.RecordError(f"CTIS search answered something that is not JSON ({exc}).") from exc
    if not isinstance(answer, dict):
        raise c.RecordError("CTIS search answered JSON without a data list.")
    hits = _items(answer.get("data"), "data")
    return [c.text(hit.get("ctNumber")) for hit in hits if isinstance(hit, dict) and hit.get("ctNumber")]
