"""A business developer builds a deal evaluation without typing JSON, simulates it and opens the report."""

import pytest
from playwright.sync_api import expect

from economics.models import Evaluation
from tests.conftest import make_user
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_build_an_uncertain_s_curve_deal_run_monte_carlo_and_open_the_report(live_server, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("deal.maker@example.org", role="pending", password="a-long-browser-password")
    log_in(page, live_server.url, "deal.maker@example.org", "a-long-browser-password")
    page.goto(f"{live_server.url}/economics/")
    page.locator("summary", has_text="Advanced").click()
    # Market: an S-curve uptake.
    page.get_by_label("Uptake to the peak").select_option("s_curve")
    page.get_by_label("S-curve steepness").fill("2")
    # Licensing: a milestone when phase 2 succeeds, and a royalty.
    page.get_by_label("Licensing: royalty rate (0–1)").fill("0.08")
    page.locator('[name="milestones-0-after_phase"]').fill("Phase 2")
    page.locator('[name="milestones-0-amount_eur"]').fill("15000000")
    # An uncertain price: pick the input and a PERT distribution; its shape appears beside it.
    page.locator('[name="uncertain-0-path"]').select_option("market.price_per_treatment_eur")
    page.locator('[name="uncertain-0-kind"]').select_option("pert")
    page.locator('[name="uncertain-0-low"]').fill("250000")
    page.locator('[name="uncertain-0-mode"]').fill("350000")
    page.locator('[name="uncertain-0-high"]').fill("450000")
    page.locator('[name="uncertain-0-high"]').dispatch_event("change")
    expect(page.locator(".distribution-preview polyline")).to_have_count(1)
    expect(page.get_by_test_id("licensor-rnpv")).to_contain_text("€")
    page.get_by_label("Name (to save it)").fill("Deal without JSON")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_role("heading", name="Deal without JSON")).to_be_visible()

    saved = Evaluation.objects.get(name="Deal without JSON")
    assert saved.inputs["market"]["uptake_curve"] == "s_curve"
    assert saved.inputs["licensing"]["milestones"] == [{"after_phase": "Phase 2", "amount_eur": 15_000_000.0}]
    assert saved.uncertainty["market.price_per_treatment_eur"]["kind"] == "pert"

    page.get_by_label("Simulations").fill("5000")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_test_id("mc-mean")).to_contain_text("€")
    page.goto(f"{live_server.url}{saved.get_absolute_url()}")
    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", name="Deal without JSON: risk-adjusted NPV report")).to_be_visible()
    expect(page.get_by_test_id("report-mc-mean")).to_contain_text("€")
    expect(page.get_by_test_id("conventions")).to_contain_text("discounting")
    assert not errors, errors
