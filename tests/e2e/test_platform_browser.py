import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_interactive_api_docs_render_under_the_content_security_policy(live_server, page):
    violations = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("ATMP Expert Platform API").first).to_be_visible()
    assert not violations, violations


def test_home_page_navigation_works_on_a_small_screen(live_server, page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Toggle navigation").click()
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Experts", exact=True).click()
    expect(page.get_by_role("heading", name="Experts", level=1)).to_be_visible()
