"""The three register parsers on the saved records (tests/registers/records/, constructed in each format)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from trials.registers import parsers
from trials.registers.parsers import common
from trials.registers.parsers.common import RecordError, SecondaryId

from .conftest import record_text

CTGOV_ID, CTIS_ID = "NCT09990001", "2024-599901-12-00"
EUDRACT_ONGOING, EUDRACT_TRANSITIONED = "2018-999002-22", "2019-999001-11"


def test_ctgov_study_maps_onto_the_platform():
    record = parsers.parse("ctgov", record_text("ctgov", CTGOV_ID), expected_id=CTGOV_ID)
    assert record.title.startswith("A Phase 1/2 Study of Demo Autologous CD19 CAR-T Cells")  # official title
    assert (record.phase, record.phase_text) == ("phase_1_2", "PHASE1, PHASE2")
    assert (record.status, record.status_text) == ("active_not_recruiting", "ACTIVE_NOT_RECRUITING")
    assert record.status_date == dt.date(2026, 10, 1)  # statusVerifiedDate "2026-10"
    assert record.record_date == dt.date(2026, 11, 30)
    assert (record.sponsor, record.sponsor_type) == ("Fictional University Hospital Leipzig", "hospital")
    assert record.countries == ("Germany", "France", "United States")
    assert record.conditions == ("B-cell Acute Lymphoblastic Leukaemia", "Relapsed Leukaemia")
    assert record.intervention_type == "Genetic; Drug"
    assert (record.start_date, record.completion_date) == (dt.date(2019, 3, 14), dt.date(2027, 12, 1))
    assert record.enrolment == 48
    # The European number listed as a secondary ID; "DRKS-not-a-number" is not a trial number.
    assert record.identifiers == (SecondaryId("nct", CTGOV_ID), SecondaryId("eudract", EUDRACT_ONGOING))


def test_ctis_record_of_a_transitioned_trial_links_back_to_eudract():
    record = parsers.parse("ctis", record_text("ctis", CTIS_ID), expected_id=CTIS_ID)
    assert record.title == "An Open-label Phase 1/2 Trial of Demo AAV Gene Therapy in Patients With Haemophilia B"
    assert record.phase == "phase_1_2"  # trialPhase code 7
    assert (record.status, record.status_text) == ("active_not_recruiting", "Ongoing, recruitment ended")
    assert record.status_date == dt.date(2026, 10, 15)  # the latest status change in a member state
    assert (record.sponsor_type, record.sponsor) == ("commercial", "Fictional Gene Corp B.V.")
    assert record.countries == ("Netherlands", "Spain", "Germany")
    assert record.intervention_type == "Gene therapy medicinal product"
    assert record.enrolment == 36
    assert record.identifiers == (
        SecondaryId("eu_ct", CTIS_ID),
        SecondaryId("eudract", EUDRACT_TRANSITIONED),  # authorizedApplication.eudraCt
        SecondaryId("nct", "NCT09990002"),
    )


def test_euctr_export_with_several_member_states():
    record = parsers.parse("euctr", record_text("euctr", EUDRACT_ONGOING), expected_id=EUDRACT_ONGOING)
    # The title continues on the next line of the export.
    assert record.title.endswith("Relapsed or Refractory B-cell Acute Lymphoblastic Leukaemia")
    assert record.status == "ongoing"  # Germany ongoing wins over France completed
    assert record.countries == ("Germany", "France", "UK")
    assert (record.phase, record.sponsor_type, record.enrolment) == ("phase_1_2", "hospital", 48)
    assert record.intervention_type == "Gene therapy medicinal product"
    assert record.record_date == dt.date(2019, 4, 10)
    assert SecondaryId("nct", CTGOV_ID) in record.identifiers  # the NCT number listed in A.5.2
    assert not record.transitioned


def test_euctr_transitioned_trial_says_so_and_claims_no_status():
    record = parsers.parse("euctr", record_text("euctr", EUDRACT_TRANSITIONED), expected_id=EUDRACT_TRANSITIONED)
    assert record.transitioned
    assert (record.status, record.status_text) == ("", "Trial now transitioned")
    assert record.sponsor_type == "commercial"


def test_ctis_search_answer_gives_the_eu_ct_number():
    assert parsers.ctis.parse_search(record_text("ctis", f"search-eudract-{EUDRACT_TRANSITIONED}")) == [CTIS_ID]


def test_record_survives_a_json_round_trip():
    record = parsers.parse("ctis", record_text("ctis", CTIS_ID), expected_id=CTIS_ID)
    assert common.RegisterRecord.from_json(json.loads(json.dumps(record.to_json()))) == record


def test_platform_values_are_valid_choices(db):
    from trials.models import Phase, RegistryKind, SponsorType, TrialStatus

    for module in (parsers.ctgov, parsers.ctis, parsers.euctr):
        assert set(module.STATUSES.values()) <= set(TrialStatus.values)
    phases = {common.phase_from_numbers(s) for s in ({1}, {1, 2}, {2}, {2, 3}, {3}, {4})}
    assert phases | {common.EARLY_PHASE_1, common.PHASE_NA} <= set(Phase.values)
    assert {common.ACADEMIC, common.HOSPITAL, common.COMMERCIAL, common.PUBLIC, common.OTHER} <= set(SponsorType.values)
    assert {common.EUDRACT, common.EU_CT, common.NCT, common.ISRCTN} <= set(RegistryKind.values)


# --- Bad records: a clear error, never a crash ---------------------------------------------
def _ctgov(change) -> str:
    study = json.loads(record_text("ctgov", CTGOV_ID))
    change(study)
    return json.dumps(study)


def _ctis(change) -> str:
    record = json.loads(record_text("ctis", CTIS_ID))
    change(record)
    return json.dumps(record)


@pytest.mark.parametrize(
    ("registry", "body", "message"),
    [
        ("ctgov", "{not json", "not JSON"),
        ("ctgov", "[]", "without a protocolSection"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["statusModule"].pop("overallStatus")), "no overall status"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["statusModule"].update(overallStatus="SLEEPING")),
         'Unknown overall status "SLEEPING"'),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["identificationModule"].update(
            officialTitle="A <b>bold</b> study")), "HTML"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["identificationModule"].update(
            officialTitle="", briefTitle="")), "no title"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["identificationModule"].update(nctId="NCT09990009")),
         "answered NCT09990009"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["designModule"].update(phases=["PHASE7"])), "Unknown phase"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["statusModule"]["startDateStruct"].update(date="soon")),
         "not a date"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"].update(conditionsModule=["x"])), "not an object"),
        ("ctgov", _ctgov(lambda s: s["protocolSection"]["contactsLocationsModule"].update(locations=["Berlin"])),
         "unexpected shape"),
        ("ctis", _ctis(lambda r: r.update(ctStatus="Dormant")), 'Unknown trial status "Dormant"'),
        ("ctis", _ctis(lambda r: r.pop("ctNumber")), "no EU CT number"),
        ("ctis", _ctis(lambda r: r["authorizedApplication"]["authorizedPartI"]["trialDetails"][
            "clinicalTrialIdentifiers"].update(fullTitle="Gene therapy &amp; more")), "HTML"),
        ("ctis", "<html>Service unavailable</html>", "not JSON"),
        ("euctr", "", "holds no protocol"),
        ("euctr", record_text("euctr", EUDRACT_ONGOING).replace("Trial Status: Ongoing", "Trial Status: Paused"),
         'Unknown trial status "Paused"'),
        ("euctr", record_text("euctr", EUDRACT_ONGOING).replace("A.3 Full title", "A.3.9 Not the title"), "no title"),
    ],
)  # fmt: skip
def test_bad_records_give_a_clear_error(registry, body, message):
    expected_id = {"ctgov": CTGOV_ID, "ctis": CTIS_ID, "euctr": EUDRACT_ONGOING}[registry]
    with pytest.raises(RecordError, match=message):
        parsers.parse(registry, body, expected_id=expected_id)


def test_ctis_ended_with_early_termination_is_terminated():
    def ended_early(record):
        record["ctStatus"] = "Ended"
        events = [{"notificationType": "EARLY_TERMINATION"}]
        record["events"] = {"trialEvents": [{"mscName": "Spain", "events": events}]}

    record = parsers.parse("ctis", _ctis(ended_early), expected_id=CTIS_ID)
    assert record.status == "terminated"
