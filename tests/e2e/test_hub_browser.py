"""The GMP coordination hub and the map of disparities in a real browser (Chromium, no tile server)."""

import pytest
from playwright.sync_api import expect

from facilities.hub_models import Answer, Enquiry
from tests.conftest import make_user
from tests.e2e.conftest import log_in
from tests.facilities.helpers import make_contact, make_facility, make_offer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-browser-password"


def _hub():
    berlin = make_facility("Berlin Vector Unit", city="Berlin", atmp_categories="|car_t|")
    paris = make_facility("Paris Vector Unit", city="Paris", atmp_categories="|car_t|")
    madrid = make_facility("Madrid Vector Unit", city="Madrid")
    make_offer(berlin, services=("viral_vector_production", "gmp_manufacturing"), lead_time_months=3)
    make_offer(paris, services=("viral_vector_production",), lead_time_months=6)
    make_offer(madrid, services=("viral_vector_production",), lead_time_months=9)
    make_contact(paris, make_user("qa.paris@example.org", role="expert", password=PASSWORD))
    make_user("developer@example.org", role="expert", password=PASSWORD)
    return berlin, paris


def test_expert_posts_a_need_contacts_two_facilities_and_a_contact_answers(live_server, page, browser):
    berlin, paris = _hub()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    log_in(page, live_server.url, "developer@example.org", PASSWORD)
    page.goto(f"{live_server.url}/facilities/needs/new/")
    page.get_by_label("Title").fill("Lentiviral vector for an academic CAR-T trial")
    page.get_by_label("ATMP category").select_option("car_t")
    page.get_by_label("Lentiviral vector").check()
    page.get_by_label("Phase").select_option("phase_1")
    page.get_by_label("Batches needed").fill("4")
    page.get_by_label("Needed within (months)").fill("4")
    page.get_by_label("Viral vector production").check()
    page.get_by_label("GMP manufacturing").check()
    page.get_by_label("Latitude").fill("48.1372")
    page.get_by_label("Longitude").fill("11.5756")
    page.get_by_role("button", name="Post and see matches").click()

    matches = page.locator("#matches tbody tr")
    expect(matches).to_have_count(3)
    expect(matches.nth(0)).to_contain_text("Berlin Vector Unit")
    expect(matches.nth(0).locator(".match-reasons")).to_contain_text("offers GMP manufacturing, vector production")
    expect(matches.nth(1)).to_contain_text("Paris Vector Unit")
    expect(matches.nth(1).locator(".match-reasons")).to_contain_text("lead time 6 months > needed 4")
    expect(matches.nth(1).locator(".match-reasons")).to_contain_text("km")

    page.get_by_label("Contact Berlin Vector Unit").check()
    page.get_by_label("Contact Paris Vector Unit").check()
    page.get_by_role("button", name="Contact the selected facilities").click()
    answers = page.locator("#answers tbody tr")
    expect(answers).to_have_count(2)
    expect(page.locator("#answers")).to_contain_text("No answer yet")
    need_url = page.url

    contact_context = browser.new_context()
    contact = contact_context.new_page()
    log_in(contact, live_server.url, "qa.paris@example.org", PASSWORD)
    contact.goto(f"{live_server.url}/facilities/needs/")
    contact.get_by_role("link", name="Lentiviral vector for an academic CAR-T trial").click()
    expect(contact.get_by_role("heading", level=1)).to_contain_text("Enquiry for Paris Vector Unit")
    expect(contact.locator("body")).not_to_contain_text("developer@example.org")
    contact.get_by_label("Interested", exact=True).check()
    contact.get_by_label("Message").fill("We can start vector production in March.")
    contact.get_by_role("button", name="Send the answer").click()
    expect(contact.locator(".alert-info")).to_contain_text("Interested")
    contact_context.close()
    assert Enquiry.objects.get(facility=paris).answer == Answer.INTERESTED

    page.goto(need_url)
    expect(page.locator("#answers")).to_contain_text("We can start vector production in March.")
    expect(page.locator("#answers")).not_to_contain_text("qa.paris@example.org")
    assert problems == []


def test_choropleth_renders_with_a_legend_and_switches_metric(live_server, page):
    _hub()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/facilities/countries/")
    holder = page.locator("#choropleth")
    expect(holder).to_have_attribute("data-drawn", "true")
    expect(holder.locator("path.choropleth-c1")).not_to_have_count(0)  # Germany, France, Spain
    expect(holder.locator("path.choropleth-c0")).not_to_have_count(0)  # EU/EEA countries with none
    expect(page.locator("#choropleth-legend")).to_contain_text("Legend: per million inhabitants")
    expect(page.locator("#choropleth-legend li")).to_have_count(5)
    expect(page.get_by_test_id("country-table")).to_contain_text("Malta")

    page.get_by_label("Count").select_option("capability")
    page.get_by_label('Capability (for "with a given capability")').select_option("atmp:car_t")
    expect(page.locator("#country-results")).to_contain_text("facilities with CAR-T / TCR-T cells")
    expect(holder).to_have_attribute("data-drawn", "true")
    expect(page.locator("#choropleth path[data-country='Spain']")).to_have_class("choropleth-c0")
    assert problems == []
