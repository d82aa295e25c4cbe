"""In the browser: a question is routed to a matching expert, answered, accepted and found by the site search."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from experts.models import ExpertiseArea
from tests.knowledge.conftest import XSS_PAYLOADS, expert_with, make_case

from .conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_ask_route_answer_accept_and_find(live_server, page, browser):
    ExpertiseArea.objects.get_or_create(slug="car-t", defaults={"name": "CAR-T"})
    expert_with("asker@example.org", areas=["ethics"])
    expert_with("matcher@example.org", areas=["car-t"], atmp_types=["gtmp_ex_vivo"])
    expert_with("bystander@example.org", areas=["ethics"])

    log_in(page, live_server.url, "asker@example.org", PASSWORD)
    page.goto(f"{live_server.url}/knowledge/questions/ask/")
    page.get_by_label("Title").fill("Quokkabridge potency assay for CAR-T release")
    page.get_by_label("Body").fill("Which **potency assay** did you validate?")
    page.get_by_label("CAR-T").check()
    page.get_by_role("button", name="Post the question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quokkabridge potency assay for CAR-T release")

    routed = [m for m in mail.outbox if m.to == ["matcher@example.org"]]
    assert routed and not [m for m in mail.outbox if m.to == ["bystander@example.org"]]
    path = re.search(r"https?://[^/\s]+(/knowledge/questions/\d+/)", routed[0].body).group(1)

    matcher = browser.new_page()
    log_in(matcher, live_server.url, "matcher@example.org", PASSWORD)
    matcher.goto(f"{live_server.url}/knowledge/me/")
    expect(matcher.get_by_role("link", name="Quokkabridge potency assay for CAR-T release")).to_be_visible()
    matcher.goto(f"{live_server.url}{path}")
    matcher.get_by_label("Your answer").fill("We used a cytotoxicity assay against CD19+ targets.")
    matcher.get_by_role("button", name="Post your answer").click()
    expect(matcher.get_by_text("We used a cytotoxicity assay")).to_be_visible()
    matcher.close()

    page.reload()
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_test_id("accepted")).to_be_visible()

    page.get_by_label("Search the platform").fill("quokkabridge")
    page.get_by_label("Search the platform").press("Enter")
    results = page.locator("section[data-kind='questions']")
    expect(results).to_contain_text("Quokkabridge potency assay for CAR-T release")
    results.get_by_role("link", name="Quokkabridge potency assay for CAR-T release").click()
    expect(page.get_by_test_id("accepted")).to_be_visible()


def test_no_xss_payload_executes(live_server, page):
    owner = expert_with("owner-xss@example.org")
    payload = "\n\n".join(XSS_PAYLOADS)
    case = make_case(owner, title=XSS_PAYLOADS[0], slug="xss-browser", summary=XSS_PAYLOADS[1], lessons=payload)
    case.swots.update(strengths=payload, threats=payload)
    case.hurdles.update(description=payload)
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    pages = [case.get_absolute_url(), f"{case.get_absolute_url()}swot/", "/knowledge/cases/compare/?case=xss-browser",
             "/search/?q=alert"]  # fmt: skip
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
    assert dialogs == []
