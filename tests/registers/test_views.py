"""The curator pages and "Add from register", end to end through the views."""

from __future__ import annotations

import pytest

from trials.models import CurationStatus, Product, Trial
from trials.registers.clients import RegisterClient
from trials.registers.models import ProposedChange, RegisterDraft, TrialRegisterFacts
from trials.registers.services import trial_refresh

from .test_refresh import make_trial

pytestmark = pytest.mark.django_db


def refreshed(*numbers: str) -> list[Trial]:
    trials = [make_trial(number) for number in numbers]
    with RegisterClient() as client:
        for trial in trials:
            trial_refresh(trial=trial, client=client)
    return trials


def test_overview_lists_changed_and_failed_trials(registers_on, client_for):
    registers_on.script("/ctgov/studies/NCT09990009", (404, "Not found", {}, 0))
    changed, failed = refreshed("NCT09990001", "NCT09990009")
    page = client_for("curator").get("/trials/registers/").content.decode()
    assert f"/trials/registers/trials/{changed.pk}/" in page
    assert "2026-11-30" in page  # the register record's date
    assert "ClinicalTrials.gov has no trial NCT09990009 (404)." in page


def test_diff_page_shows_platform_and_register_values(registers_on, client_for):
    (trial,) = refreshed("NCT09990001")
    page = client_for("curator").get(f"/trials/registers/trials/{trial.pk}/").content.decode()
    assert "Ongoing (as of 2024-09-23)" in page and "Active, not recruiting (as of 2026-10-01)" in page
    assert "Curated on the platform" in page
    assert "record of 2026-11-30" in page


def test_htmx_accept_swaps_the_row_and_saves(registers_on, client_for):
    (trial,) = refreshed("NCT09990001")
    enrolment = ProposedChange.objects.get(trial=trial, field="enrolment", state="pending")
    response = client_for("curator").post(
        f"/trials/registers/changes/{enrolment.pk}/decide/", {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="change-{enrolment.pk}"' in response.content.decode() and "Accepted" in response.content.decode()
    assert TrialRegisterFacts.objects.get(trial=trial).enrolment == 48


def test_curated_value_needs_the_box_ticked(registers_on, client_for):
    (trial,) = refreshed("NCT09990001")
    status = ProposedChange.objects.get(trial=trial, field="status", state="pending")
    client = client_for("curator")
    url = f"/trials/registers/changes/{status.pk}/decide/"
    response = client.post(url, {"decision": "accept"}, HTTP_HX_REQUEST="true")
    assert "confirm that the register" in response.content.decode()
    assert Trial.objects.get(pk=trial.pk).status == "ongoing"
    client.post(url, {"decision": "accept", "replace_curated": "on"})
    assert Trial.objects.get(pk=trial.pk).status == "active_not_recruiting"


def test_add_from_register_new_product_goes_to_review(registers_on, client_for, cast):
    client = client_for("expert")
    response = client.post("/trials/registers/add/", {"number": " nct09990001 "})
    draft = RegisterDraft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trials/registers/add/{draft.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "A Phase 1/2 Study of Demo Autologous CD19 CAR-T Cells" in page and "Phase 1/2" in page
    response = client.post(response["Location"], {"new_name": "Demo CD19 CAR-T", "atmp_type": "gtmp_ex_vivo"})
    product = Product.objects.get(name="Demo CD19 CAR-T")
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    assert (product.curation_status, product.owner) == (CurationStatus.SUBMITTED, cast["expert"])
    trial = product.trials.get()
    assert (trial.phase, trial.status, trial.sponsor_type) == ("phase_1_2", "active_not_recruiting", "hospital")
    assert sorted(trial.identifiers.values_list("value", flat=True)) == ["2018-999002-22", "NCT09990001"]
    assert sorted(trial.countries.values_list("code", flat=True)) == ["DE", "FR", "US"]
    assert trial.register_facts.enrolment == 48
    assert trial.history.first().history_source == "register"
    # The same number again: already in the database.
    response = client.post("/trials/registers/add/", {"number": "NCT09990001"})
    assert "already in the database" in response.content.decode()


def test_add_to_an_existing_product_only_if_the_user_may_edit_it(registers_on, client_for, cast):
    mine = make_trial("ISRCTN12345678").product
    mine.owner = cast["owner"]
    mine.save()
    theirs = make_trial("ISRCTN12345679").product
    client = client_for("owner")
    client.post("/trials/registers/add/", {"number": "2024-599901-12-00"})
    draft = RegisterDraft.objects.get()
    response = client.post(f"/trials/registers/add/{draft.pk}/", {"product": theirs.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    client.post(f"/trials/registers/add/{draft.pk}/", {"product": mine.pk})
    # The normal review of an expert's change to a published product: it waits beside it, which stays public.
    mine.refresh_from_db()
    assert mine.curation_status == CurationStatus.PUBLISHED
    revision = mine.revisions.get()
    assert (revision.curation_status, revision.author, revision.source) == ("submitted", cast["owner"], "register")
    assert not mine.trials.filter(primary_identifier="2024-599901-12-00").exists()
    assert RegisterDraft.objects.get().state == "submitted"


def test_add_from_register_errors_are_shown_on_the_form(registers_on, client_for, settings):
    client = client_for("curator")
    assert "ISRCTN" in client.post("/trials/registers/add/", {"number": "ISRCTN12345678"}).content.decode()
    assert (
        "has no trial NCT09990009" in client.post("/trials/registers/add/", {"number": "NCT09990009"}).content.decode()
    )
    make_trial("2018-999002-22")  # the EudraCT number NCT09990001's record lists
    page = client.post("/trials/registers/add/", {"number": "NCT09990001"}).content.decode()
    assert "2018-999002-22 is already in the database" in page
    settings.REGISTRY_REFRESH_ENABLED = False
    page = client.post("/trials/registers/add/", {"number": "NCT09990001"}).content.decode()
    assert "Register refresh is off" in page
    assert not RegisterDraft.objects.exists()
