import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_run_an_evaluation_save_it_and_see_a_monte_carlo_histogram(live_server, page):
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    make_user("econ.user@example.org", role="pending", password="a-long-browser-password")
    log_in(page, live_server.url, "econ.user@example.org", "a-long-browser-password")
    page.goto(f"{live_server.url}/economics/")
    rnpv = page.get_by_test_id("rnpv")
    before = rnpv.inner_text()
    expect(page.locator("#cashflow-chart[data-rendered=true]")).to_have_count(1)
    # Instant results: changing the price re-computes through htmx without a page load.
    page.get_by_label("Price per treatment (€)").fill("900000")
    expect(rnpv).not_to_have_text(before)
    page.get_by_label("Name (to save it)").fill("Browser CTMP")
    page.get_by_role("button", name="Save evaluation").click()
    expect(page.get_by_role("heading", name="Browser CTMP")).to_be_visible()
    page.get_by_label("Simulations").fill("5000")
    page.get_by_role("button", name="Start job").click()
    expect(page.get_by_role("heading", name="Distribution of NPV")).to_be_visible()
    expect(page.locator("#histogram-chart[data-rendered=true]")).to_have_count(1)
    expect(page.get_by_test_id("mc-mean")).to_contain_text("€")
    assert not errors, errors
