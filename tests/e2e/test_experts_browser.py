"""The directory in a browser: an expert hides a field from the public, another finds them and writes."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import log_in
from tests.experts.conftest import ensure_expertise_areas

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-browser-password"


def test_edit_profile_hide_a_field_then_be_found_and_written_to(live_server, page, browser, settings, tmp_path):
    settings.EXPERTS_PHOTO_DIR = tmp_path
    ensure_expertise_areas()  # an earlier browser test's flush removed the seeded taxonomy
    make_user("vera.vector@example.org", role="expert", password=PASSWORD)
    make_user("sam.seeker@example.org", role="expert", password=PASSWORD)

    # 1. Vera fills in her profile and keeps her institution for approved experts only.
    log_in(page, live_server.url, "vera.vector@example.org", PASSWORD)
    page.goto(f"{live_server.url}/experts/me/")
    page.get_by_label("Display name").fill("Vera Vector")
    page.get_by_label("Institution", exact=True).fill("Secret Vector Institute")
    page.get_by_label("Institution: who can see it").select_option("experts")
    page.get_by_label("Country", exact=True).select_option("NL")
    page.get_by_label("Vector production").check()
    page.get_by_label("Listed for everyone").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()

    # 2. An anonymous visitor sees her profile, but not the institution.
    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{live_server.url}/experts/")
    anonymous.get_by_role("link", name="Vera Vector").click()
    expect(anonymous.get_by_role("heading", name="Vera Vector")).to_be_visible()
    expect(anonymous.get_by_text("Secret Vector Institute")).to_have_count(0)
    expect(anonymous.locator("body")).not_to_contain_text("vera.vector@example.org")

    # 3. Sam, another expert, filters the directory and finds her with the institution shown.
    seeker = browser.new_context().new_page()
    log_in(seeker, live_server.url, "sam.seeker@example.org", PASSWORD)
    seeker.goto(f"{live_server.url}/experts/")
    seeker.locator("fieldset[data-facet=area]").get_by_label("Vector production").check()
    seeker.locator("fieldset[data-facet=country]").get_by_label("Netherlands").check()
    seeker.get_by_role("button", name="Apply filters").click()
    expect(seeker).to_have_url(f"{live_server.url}/experts/?q=&area=vector-production&country=NL")
    expect(seeker.get_by_role("heading", name="1 expert matches these filters")).to_be_visible()
    seeker.get_by_role("link", name="Vera Vector").click()
    expect(seeker.get_by_text("Secret Vector Institute")).to_be_visible()

    # 4. He writes to her; the message reaches the outbox, her address never reaches his page.
    seeker.get_by_role("link", name="Write to Vera Vector").click()
    seeker.get_by_label("Subject").fill("Vector yields")
    seeker.get_by_label("Message").fill("Could we compare our AAV yields?")
    seeker.get_by_role("button", name="Send").click()
    expect(seeker.get_by_text("Your message to Vera Vector was sent.")).to_be_visible()
    expect(seeker.locator("body")).not_to_contain_text("vera.vector@example.org")
    delivered = [m for m in mail.outbox if m.to == ["vera.vector@example.org"]]
    assert len(delivered) == 1 and "Could we compare our AAV yields?" in delivered[0].body
    assert delivered[0].reply_to == []
