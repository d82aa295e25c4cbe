"""Refreshing a trial: proposals field by field, per-field acceptance through the write service."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.trials.factories import ProductFactory
from trials.models import Trial
from trials.registers import services
from trials.registers.clients import RegisterClient
from trials.registers.models import ProposedChange, RegisterCheck, TrialRegisterFacts
from trials.services import trial_save

from .conftest import record_text

pytestmark = pytest.mark.django_db

SHEET = {
    "title": "CD19 CAR-T study (as the cover sheet wrote it)",
    "phase_text": "Phase 1/2a",
    "status_text": "ongoing (23.09.2024)",
    "sponsor": "Fictional University Hospital Leipzig",
    "sponsor_type_text": "hospital",
    "countries_text": "Germany",
}


def make_trial(registry_ids: str, **data) -> Trial:
    product = ProductFactory(name=f"Demo product {registry_ids}")
    values = {**SHEET, "registry_id_text": registry_ids, **data}
    return trial_save(trial=None, product=product, data=values, user=None, reason="Imported", source="sheet")


def refresh(trial: Trial, **kwargs) -> RegisterCheck:
    with RegisterClient() as client:
        return services.trial_refresh(trial=trial, client=client, **kwargs)


def changes(trial: Trial) -> dict[str, ProposedChange]:
    pending = trial.proposed_changes.filter(state=ProposedChange.State.PENDING)
    return {change.field: change for change in pending}


def test_refresh_proposes_field_by_field_and_writes_nothing(registers_on):
    trial = make_trial("NCT09990001")
    before = Trial.objects.get(pk=trial.pk)
    check = refresh(trial)
    assert check.outcome == RegisterCheck.Outcome.CHANGES
    assert (check.registry, check.register_id, check.record_date) == ("ctgov", "NCT09990001", dt.date(2026, 11, 30))
    proposed = changes(trial)
    assert set(proposed) == {
        "title", "status", "countries", "identifiers",
        "conditions", "intervention_type", "start_date", "completion_date", "enrolment",
    }  # fmt: skip
    # Phase 1/2a is phase 1/2 and the sponsor is the same: nothing to propose there.
    status = proposed["status"]
    assert status.current_value == {"status": "ongoing", "as_of": "2024-09-23"}
    assert status.register_value == {"status": "active_not_recruiting", "as_of": "2026-10-01"}
    assert status.register_date == dt.date(2026, 11, 30)
    assert status.source == "ClinicalTrials.gov record of 2026-11-30"
    assert proposed["countries"].register_value == ["DE", "FR", "US"]
    assert proposed["identifiers"].register_value == [["eudract", "2018-999002-22"], ["nct", "NCT09990001"]]
    assert proposed["enrolment"].register_value == 48
    # Values the sheet set are curated; facts the platform never had are not.
    assert status.curated_on_platform and not proposed["enrolment"].curated_on_platform
    after = Trial.objects.get(pk=trial.pk)
    assert (after.status, after.title, after.updated_at) == (before.status, before.title, before.updated_at)


def test_accepting_one_field_saves_it_through_the_write_service_with_the_record_as_reason(registers_on, curator):
    trial = make_trial("NCT09990001")
    refresh(trial)
    status = changes(trial)["status"]
    with pytest.raises(services.DecisionError, match="curated on the platform"):
        services.change_accept(change=status, user=curator)
    services.change_accept(change=status, user=curator, replace_curated=True)
    trial.refresh_from_db()
    assert (trial.status, trial.status_as_of) == ("active_not_recruiting", dt.date(2026, 10, 1))
    assert trial.status_text == "Active, not recruiting (01.10.2026)"
    latest = trial.history.first()
    assert latest.history_change_reason == "ClinicalTrials.gov record of 2026-11-30"
    assert (latest.history_source, latest.history_user) == ("register", curator)
    assert trial.title == SHEET["title"]  # other fields wait for their own decision
    assert set(changes(trial)) >= {"title", "countries"}


def test_identifiers_and_countries_accepted(registers_on, curator):
    trial = make_trial("NCT09990001")
    refresh(trial)
    proposed = changes(trial)
    services.change_accept(change=proposed["identifiers"], user=curator, replace_curated=True)
    services.change_accept(change=proposed["countries"], user=curator, replace_curated=True)
    trial.refresh_from_db()
    assert sorted(trial.identifiers.values_list("registry", "value")) == [
        ("eudract", "2018-999002-22"), ("nct", "NCT09990001"),
    ]  # fmt: skip
    assert sorted(trial.countries.values_list("code", flat=True)) == ["DE", "FR", "US"]


def test_facts_the_trial_model_lacks_are_kept_with_history(registers_on, curator):
    trial = make_trial("NCT09990001")
    refresh(trial)
    for field in ("enrolment", "start_date", "conditions"):
        services.change_accept(change=changes(trial)[field], user=curator)
    facts = TrialRegisterFacts.objects.get(trial=trial)
    assert (facts.enrolment, facts.start_date) == (48, dt.date(2019, 3, 14))
    assert facts.conditions == "B-cell Acute Lymphoblastic Leukaemia\nRelapsed Leukaemia"
    assert facts.history.first().history_change_reason == "ClinicalTrials.gov record of 2026-11-30"


def test_rejected_value_is_not_proposed_again_and_agreement_is_unchanged(registers_on, curator):
    trial = make_trial("NCT09990001")
    refresh(trial)
    for field, change in changes(trial).items():
        if field == "title":
            services.change_reject(change=change, user=curator)
        else:
            services.change_accept(change=change, user=curator, replace_curated=True)
    with pytest.raises(services.DecisionError, match="already rejected"):
        services.change_accept(change=ProposedChange.objects.get(trial=trial, field="title"), user=curator)
    again = refresh(trial)
    assert again.outcome == RegisterCheck.Outcome.UNCHANGED
    assert changes(trial) == {}


def test_a_newer_record_supersedes_pending_proposals(registers_on):
    trial = make_trial("NCT09990001")
    refresh(trial)
    first = changes(trial)["status"]
    refresh(trial)
    first.refresh_from_db()
    assert first.state == ProposedChange.State.SUPERSEDED
    assert changes(trial)["status"].pk != first.pk


def test_register_accepted_value_is_not_curated_next_time(registers_on, curator):
    trial = make_trial("NCT09990001")
    refresh(trial)
    services.change_accept(change=changes(trial)["enrolment"], user=curator)
    newer = record_text("ctgov", "NCT09990001").replace('"count": 48', '"count": 52')
    registers_on.records["/ctgov/studies/NCT09990001"] = newer
    refresh(trial)
    enrolment = changes(trial)["enrolment"]
    assert (enrolment.current_value, enrolment.register_value) == (48, 52)
    assert not enrolment.curated_on_platform  # 48 came from the register: accepting 52 replaces no curator's value


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ((404, "Not found", {}, 0), "has no trial NCT09990001"),
        ((429, "slow down", {}, 0), "429"),
        ((200, "{broken", {}, 0), "not JSON"),
        ((200, '{"protocolSection": {"identificationModule": {"nctId": "NCT09990001"}}}', {}, 0), "no title"),
    ],
)
def test_failure_is_recorded_per_trial_and_nothing_changes(registers_on, script, message):
    trial = make_trial("NCT09990001")
    registers_on.script("/ctgov/studies/NCT09990001", script)
    before = Trial.history.filter(id=trial.pk).count()
    check = refresh(trial)
    assert check.outcome == RegisterCheck.Outcome.FAILED
    assert message in check.error
    assert not ProposedChange.objects.exists()
    assert Trial.history.filter(id=trial.pk).count() == before


def test_trial_without_a_register_number_fails_clearly(registers_on):
    trial = make_trial("ISRCTN12345678")
    check = refresh(trial)
    assert check.outcome == RegisterCheck.Outcome.FAILED
    assert "no number for any register" in check.error


def test_eudract_trial_that_transitioned_is_read_from_ctis_and_gains_its_eu_ct_number(registers_on, curator):
    trial = make_trial("2019-999001-11", title="Demo AAV haemophilia B trial", sponsor="Fictional Gene Corp B.V.")
    check = refresh(trial)
    assert (check.registry, check.register_id) == ("ctis", "2024-599901-12-00")
    identifiers = changes(trial)["identifiers"]
    assert identifiers.register_value == [
        ["eu_ct", "2024-599901-12-00"], ["eudract", "2019-999001-11"], ["nct", "NCT09990002"],
    ]  # fmt: skip
    assert identifiers.source == "CTIS record of 2026-11-18"
    services.change_accept(change=identifiers, user=curator, replace_curated=True)
    trial.refresh_from_db()
    assert trial.primary_identifier == "2024-599901-12-00"
    # From now on the trial is refreshed from CTIS directly.
    assert services.refresh_source(trial) == ("ctis", "2024-599901-12-00")
    assert registers_on.hits("/ctis/search") == 1


def test_transitioned_trial_unknown_to_ctis_keeps_its_eu_ctr_facts_without_a_status(registers_on):
    registers_on.script("/ctis/search", (200, '{"pagination": {"totalRecords": 0}, "data": []}', {}, 0))
    trial = make_trial("2019-999001-11")
    check = refresh(trial)
    assert (check.registry, check.register_id) == ("euctr", "2019-999001-11")
    assert "status" not in changes(trial)  # "Trial now transitioned" says nothing about the trial's status
    assert changes(trial)["enrolment"].register_value == 30


def test_registry_option_restricts_the_source(registers_on):
    trial = make_trial("2018-999002-22 / NCT09990001")
    assert services.refresh_source(trial) == ("ctgov", "NCT09990001")
    assert services.refresh_source(trial, "euctr") == ("euctr", "2018-999002-22")
    assert services.refresh_source(trial, "ctis") is None
    check = refresh(trial, registry="euctr")
    assert check.registry == "euctr" and check.outcome == RegisterCheck.Outcome.CHANGES


def test_dry_run_reports_and_proposes_nothing(registers_on):
    trial = make_trial("NCT09990001")
    check = refresh(trial, dry_run=True)
    assert check.outcome == RegisterCheck.Outcome.REPORTED
    assert {d.field for d in check.differences} >= {"status", "countries"}
    assert not ProposedChange.objects.exists()
