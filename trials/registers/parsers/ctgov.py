"""ClinicalTrials.gov API v2: one study's JSON (`GET /api/v2/studies/{NCT}`) onto the platform.

Field paths follow the API's "Study Data Structure" page
(clinicaltrials.gov/data-api/about-api/study-data-structure): everything used
here lives under `protocolSection`.
"""

from __future__ import annotations

import json

from . import common as c

STATUSES = {
    "NOT_YET_RECRUITING": c.PLANNED,
    "RECRUITING": c.RECRUITING,
    "ENROLLING_BY_INVITATION": c.RECRUITING,
    "ACTIVE_NOT_RECRUITING": c.ACTIVE_NOT_RECRUITING,
    "SUSPENDED": c.SUSPENDED,
    "TERMINATED": c.TERMINATED,
    "COMPLETED": c.COMPLETED,
    "WITHDRAWN": c.WITHDRAWN,
    "UNKNOWN": c.UNKNOWN,  # "status not verified for two years"
}
PHASES = {"EARLY_PHASE1": "early", "PHASE1": 1, "PHASE2": 2, "PHASE3": 3, "PHASE4": 4, "NA": "na"}
# leadSponsor.class (AgencyClass). OTHER covers universities and hospitals alike: the name decides.
SPONSOR_CLASSES = {"INDUSTRY": c.COMMERCIAL, "NIH": c.PUBLIC, "FED": c.PUBLIC, "OTHER_GOV": c.PUBLIC}
INTERVENTION_TYPES = {
    "GENETIC": "Genetic",
    "BIOLOGICAL": "Biological",
    "DRUG": "Drug",
    "DEVICE": "Device",
    "PROCEDURE": "Procedure",
    "COMBINATION_PRODUCT": "Combination product",
    "RADIATION": "Radiation",
    "BEHAVIORAL": "Behavioural",
    "DIETARY_SUPPLEMENT": "Dietary supplement",
    "DIAGNOSTIC_TEST": "Diagnostic test",
    "OTHER": "Other",
}


def _module(study: dict, name: str) -> dict:
    module = study["protocolSection"].get(name) or {}
    if not isinstance(module, dict):
        raise c.RecordError(f"protocolSection.{name} is not an object.")
    return module


def _list(module: dict, key: str, path: str) -> list:
    value = module.get(key) or []
    if not isinstance(value, list):
        raise c.RecordError(f"{path} is not a list.")
    return value


def parse(body: str, *, expected_id: str) -> c.RegisterRecord:
    try:
        study = json.loads(body)
    except (TypeError, ValueError) as exc:
        raise c.RecordError(f"ClinicalTrials.gov answered something that is not JSON ({exc}).") from exc
    if not isinstance(study, dict) or not isinstance(study.get("protocolSection"), dict):
        raise c.RecordError("ClinicalTrials.gov answered JSON without a protocolSection.")
    ident = _module(study, "identificationModule")
    nct = c.text(ident.get("nctId"), "identificationModule.nctId").upper()
    if not nct:
        raise c.RecordError("The record has no NCT number (identificationModule.nctId).")
    if nct != expected_id:
        raise c.RecordError(f"Asked for {expected_id}, ClinicalTrials.gov answered {nct}.")
    title_path = "identificationModule." + ("officialTitle" if ident.get("officialTitle") else "briefTitle")
    title = c.title(ident.get("officialTitle") or ident.get("briefTitle"), title_path)

    status_module = _module(study, "statusModule")
    status_word = c.text(status_module.get("overallStatus"), "statusModule.overallStatus")
    if not status_word:
        raise c.RecordError("The record has no overall status (statusModule.overallStatus).")
    if status_word not in STATUSES:
        raise c.RecordError(f'Unknown overall status "{status_word}" (statusModule.overallStatus).')

    sponsor_module = _module(study, "sponsorCollaboratorsModule")
    lead = sponsor_module.get("leadSponsor") or {}
    sponsor = c.text(lead.get("name"), "leadSponsor.name")
    sponsor_class = c.text(lead.get("class"), "leadSponsor.class")
    sponsor_type = SPONSOR_CLASSES.get(sponsor_class, "")
    if sponsor_class == "OTHER":
        sponsor_type = c.sponsor_type_from_name(sponsor)

    design = _module(study, "designModule")
    phase_words = [c.text(p) for p in _list(design, "phases", "designModule.phases")]
    unknown = [p for p in phase_words if p not in PHASES]
    if unknown:
        raise c.RecordError(f'Unknown phase "{unknown[0]}" (designModule.phases).')
    phase = ""
    if phase_words == ["EARLY_PHASE1"]:
        phase = c.EARLY_PHASE_1
    elif phase_words == ["NA"]:
        phase = c.PHASE_NA
    elif phase_words:
        phase = c.phase_from_numbers({PHASES[p] for p in phase_words if isinstance(PHASES[p], int)})
    enrolment = (design.get("enrollmentInfo") or {}).get("count")

    interventions = _list(_module(study, "armsInterventionsModule"), "interventions", "interventions")
    types = [c.text(i.get("type")) for i in interventions]
    intervention_types = c.unique(INTERVENTION_TYPES.get(t, t) for t in types)
    locations = _list(_module(study, "contactsLocationsModule"), "locations", "contactsLocationsModule.locations")
    conditions = _list(_module(study, "conditionsModule"), "conditions", "conditionsModule.conditions")

    identifiers = [c.SecondaryId(c.NCT, nct)]
    for secondary in _list(ident, "secondaryIdInfos", "identificationModule.secondaryIdInfos"):
        for found in c.find_ids(secondary.get("id")):
            if found not in identifiers:
                identifiers.append(found)

    return c.RegisterRecord(
        registry=c.CTGOV,
        register_id=nct,
        title=title,
        record_date=c.date((status_module.get("lastUpdatePostDateStruct") or {}).get("date"), "lastUpdatePostDate"),
        phase=phase,
        phase_text=", ".join(phase_words),
        status=STATUSES[status_word],
        status_text=status_word,
        status_date=c.date(status_module.get("statusVerifiedDate"), "statusModule.statusVerifiedDate"),
        sponsor=sponsor,
        sponsor_type=sponsor_type,
        sponsor_type_text=sponsor_class,
        countries=c.unique(loc.get("country") for loc in locations),
        conditions=c.unique(conditions),
        intervention_type="; ".join(intervention_types),
        start_date=c.date((status_module.get("startDateStruct") or {}).get("date"), "startDateStruct.date"),
        completion_date=c.date(
            (status_module.get("completionDateStruct") or {}).get("date"), "completionDateStruct.date"
        ),
        enrolment=c.count(enrolment, "designModule.enrollmentInfo.count"),
        identifiers=tuple(identifiers),
    )
