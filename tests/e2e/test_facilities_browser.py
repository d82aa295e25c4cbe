"""The facility map in a real browser, with every tile request refused (tests/e2e/conftest.py)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from facilities.models import Facility
from tests.conftest import make_user
from tests.e2e.conftest import log_in
from tests.facilities.helpers import make_facility

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _map_facilities():
    make_facility("Berlin Cell Unit", city="Berlin", authorisations=["mia_imp"])
    make_facility("Munich Vector Lab", city="Munich", atmp_categories="|gtmp|viral_vector|")
    make_facility("Hamburg Tissue Bank", city="Hamburg", institution_type="blood_tissue_establishment")
    make_facility("Paris CAR-T Platform", city="Paris", atmp_categories="|car_t|", authorisations=["mia_imp"])
    make_facility("Lyon Cell Therapy Unit", city="Lyon", services_to_third_parties=True)
    make_facility("Milan GMP Facility", city="Milan", is_demo=True)


def test_map_shows_markers_filters_by_country_and_opens_a_popup(live_server, page):
    _map_facilities()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/facilities/")
    the_map = page.locator("#facilities-map")
    expect(the_map).to_have_attribute("data-state", "ready")
    expect(the_map).to_have_attribute("data-marker-count", "6")
    # Nearby facilities are clustered at the initial zoom; clusters and single markers are drawn.
    expect(page.locator(".marker-cluster, path.leaflet-interactive").first).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_have_text("6")

    page.locator("#id_country").select_option("FR")
    expect(page).to_have_url(re.compile(r"country=FR"))
    expect(the_map).to_have_attribute("data-marker-count", "2")
    expect(page.get_by_test_id("result-count")).to_have_text("2")
    list_items = page.get_by_test_id("facility-list").locator("li")
    expect(list_items).to_have_count(2)
    expect(page.get_by_test_id("facility-list")).not_to_contain_text("Berlin Cell Unit")

    # Paris and Lyon are far enough apart to be single markers once the map fits them.
    expect(page.locator(".marker-cluster")).to_have_count(0)
    page.locator("path.leaflet-interactive").first.click()
    popup = page.get_by_test_id("facility-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text(re.compile("Paris CAR-T Platform|Lyon Cell Therapy Unit"))
    expect(popup.get_by_role("link", name="Facility page")).to_be_visible()
    expect(popup).to_contain_text("Manufactures")  # details loaded from /api/facilities/<slug>/

    # The filtered view is a link that can be shared: opening it shows the same state.
    page.goto(page.url)
    expect(the_map).to_have_attribute("data-marker-count", "2")
    assert problems == []  # no script error, nothing blocked by the Content-Security-Policy


def test_list_works_without_javascript(live_server, browser):
    _map_facilities()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/facilities/?country=DE")
    expect(page.get_by_test_id("result-count")).to_have_text("3")
    expect(page.get_by_test_id("facility-list")).to_contain_text("Munich Vector Lab")
    context.close()


def test_admin_point_picker_saves_a_clicked_point(live_server, page):
    make_user("map.curator@example.org", role="curator", password="a-long-browser-password")
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    log_in(page, live_server.url, "map.curator@example.org", "a-long-browser-password")
    page.goto(f"{live_server.url}/admin/facilities/facility/{facility.pk}/change/")
    lat_input = page.get_by_label("Latitude")
    expect(lat_input).to_have_value("52.520008")
    picker_map = page.locator("[data-point-map]")
    expect(picker_map.locator(".leaflet-marker-icon")).to_have_count(1)
    box = picker_map.bounding_box()
    picker_map.click(position={"x": box["width"] * 0.25, "y": box["height"] * 0.75})
    expect(lat_input).not_to_have_value("52.520008")
    new_lat, new_lon = lat_input.input_value(), page.get_by_label("Longitude").input_value()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    facility = Facility.objects.get(pk=facility.pk)
    assert facility.latitude == Decimal(new_lat)
    assert facility.longitude == Decimal(new_lon)
    assert facility.latitude < Decimal("52.520008")  # clicked below the marker: further south
    assert facility.history.count() == 2
