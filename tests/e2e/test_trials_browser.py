"""In the browser: filter the trial list, open a product, switch tabs, download its sheet."""

import pytest
from playwright.sync_api import expect

from tests.trials.factories import LocationFactory, ProductFactory, TrialFactory
from trials.models import AtmpType, Phase

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def records(db):
    de = LocationFactory(code="DE", name="Germany")
    car = ProductFactory(name="Browser CAR-T", slug="browser-car-t", disease_text="B-ALL")
    TrialFactory(product=car, phase=Phase.PHASE_1, title="Browser CD19 study", countries=[de])
    other = ProductFactory(name="Browser AAV", atmp_type=AtmpType.GTMP, disease_text="Haemophilia")
    TrialFactory(product=other, phase=Phase.PHASE_3, title="Browser AAV study", countries=[de])
    car.refresh_highest_phase()
    other.refresh_highest_phase()


def test_filter_open_product_and_download_its_sheet(live_server, page, records):
    page.goto(f"{live_server.url}/trials/")
    expect(page.get_by_test_id("result-count")).to_contain_text("2 results")
    # Ticking a facet applies the filter at once (static/trials/trials.js) and keeps it in the URL.
    page.get_by_role("checkbox", name="Phase 1 1").check()
    page.wait_for_url("**phase=phase_1**")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 result")
    expect(page.get_by_text("Browser AAV study")).to_have_count(0)
    page.get_by_role("link", name="Browser CAR-T").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Browser CAR-T")
    page.get_by_role("tab", name="Regulatory information").click()
    expect(page.get_by_role("tabpanel")).to_contain_text("Browser CD19 study")
    with page.expect_download() as download_info:
        page.get_by_test_id("download-sheet").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        assert handle.read(2) == b"PK"  # an xlsx is a zip


def test_dashboard_bar_click_opens_the_filtered_list(live_server, page, records):
    page.goto(f"{live_server.url}/trials/dashboard/")
    canvas = page.locator('canvas[data-chart="chart-phase-data"]')
    expect(canvas).to_be_visible()
    page.wait_for_function("document.querySelector('canvas[data-chart=\"chart-phase-data\"]').chart !== undefined")
    # Click the centre of the first bar (Phase 1) as Chart.js reports it.
    point = page.evaluate(
        "() => { const c = document.querySelector('canvas[data-chart=\"chart-phase-data\"]');"
        " const el = c.chart.getDatasetMeta(0).data[0]; const r = c.getBoundingClientRect();"
        " const p = el.getCenterPoint(); return {x: r.left + p.x, y: r.top + (p.y + el.base) / 2}; }"
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/trials/?phase=phase_1")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 result")
