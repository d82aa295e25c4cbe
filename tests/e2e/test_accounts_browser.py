import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_log_in_through_the_form_shows_the_account_menu(live_server, page):
    make_user("browser.expert@example.org", role="expert", password="a-long-browser-password")
    log_in(page, live_server.url, "browser.expert@example.org", "a-long-browser-password")
    menu = page.get_by_test_id("account-menu")
    expect(menu).to_contain_text("browser.expert@example.org")
    expect(menu).to_contain_text("expert")
    menu.get_by_role("button").or_(menu.locator("a.dropdown-toggle")).first.click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_wrong_password_keeps_the_visitor_logged_out_with_a_message(live_server, page):
    make_user("browser.pending@example.org", role="pending", password="a-long-browser-password")
    log_in(page, live_server.url, "browser.pending@example.org", "not-the-password")
    expect(page.get_by_text("The email address and/or password you specified are not correct.")).to_be_visible()
    expect(page.get_by_test_id("account-menu")).to_have_count(0)
