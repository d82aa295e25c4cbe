"""WCAG 2.1 AA on every page kind, checked by axe-core in Chromium, anonymous and as a signed-in expert.

A new page joins with one line in PAGES. The records come from `seeded_site` (the demo content and a
finished evaluation job, loaded once for this module); see docs/accessibility.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.axe import axe_violations, describe
from tests.e2e.conftest import block_tiles
from tests.e2e.seeding import EXPERT_EMAIL

pytestmark = [pytest.mark.e2e]

ANONYMOUS, EXPERT, CURATOR = "anonymous", "expert", "curator"
BOTH = (ANONYMOUS, EXPERT)


# --- What a page needs before it is checked: the state a person would look at -----------------------------
def open_facets(page) -> None:
    """Every facet unfolded ("Show all …"), so the hidden options are checked too."""
    panel_toggle = page.locator("[aria-controls=filters-panel]")  # on a phone the filters are folded away
    if panel_toggle.is_visible():
        panel_toggle.click()
        expect(page.locator("#filters-panel")).to_have_class(re.compile(r"\bshow\b"))
    for button in page.locator("[data-facet-more]").all():
        button.click()


def show_tab(name: str) -> Callable:
    def prepare(page) -> None:
        page.get_by_role("tab", name=re.compile(name)).click()
        expect(page.get_by_role("tabpanel", name=re.compile(name))).to_be_visible()

    return prepare


def map_ready(page) -> None:
    expect(page.locator(".leaflet-container")).to_have_attribute("data-state", "ready")


def charts_drawn(page) -> None:
    page.wait_for_function(
        "() => typeof Chart !== 'undefined' && [...document.querySelectorAll('canvas')].every((c) => Chart.getChart(c))"
    )


def results_and_sharing(page) -> None:
    charts_drawn(page)
    # The sharing radio buttons are one group named by its label (static/js/platform.js).
    expect(page.get_by_role("group", name="Visibility").get_by_role("radio")).to_have_count(3)


def empty_article(page) -> None:
    page.get_by_role("button", name="Save").click()
    # Sent back with errors: the first invalid field takes the focus and reads out its error.
    invalid = page.locator("form [aria-invalid=true]").first
    expect(invalid).to_be_focused()
    expect(invalid).not_to_have_accessible_description("")


def failed_log_in(page) -> None:
    page.get_by_label("Email").fill("nobody@example.org")
    page.get_by_label("Password").fill("not-a-password")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("alert")).to_be_focused()


def bad_sign_up(page) -> None:
    page.get_by_label("Email").fill("someone@example.org")
    page.locator("#id_password1").fill("short")
    page.locator("#id_password2").fill("other")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("alert")).to_be_focused()
    # Each error is tied to its field, so it is read out with the field.
    password = page.locator("#id_password1")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("too short", re.I))


@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # formatted with the seeded records (tests/e2e/seeding.py: SeededSite)
    roles: tuple[str, ...] = BOTH
    prepare: Callable | None = None
    reflow: bool = False  # also checked at 320 px wide


# One line per page kind.
PAGES = [
    PageKind("home", "/", reflow=True),
    PageKind("about", "/about/"),
    PageKind("trial list, facets open", "/trials/", prepare=open_facets, reflow=True),
    PageKind("product list, facets open", "/trials/products/", prepare=open_facets),
    PageKind("product", "/trials/products/{product}/", reflow=True),
    PageKind("product, its trials", "/trials/products/{product}/", prepare=show_tab("Regulatory information")),
    PageKind("dashboard", "/trials/dashboard/", prepare=charts_drawn),
    PageKind("contribute a product", "/trials/contribute/", (EXPERT,)),
    PageKind("my submissions", "/trials/mine/", (EXPERT,)),
    PageKind("map", "/facilities/", prepare=map_ready, reflow=True),
    PageKind("facility", "/facilities/{facility}/", prepare=map_ready),
    PageKind("country view", "/facilities/countries/"),
    PageKind("economics form", "/economics/", prepare=charts_drawn, reflow=True),
    PageKind("evaluation shared by link", "/economics/shared/{shared_token}/", (ANONYMOUS,), charts_drawn),
    PageKind("evaluation with results", "/economics/evaluations/{evaluation}/", (EXPERT,), results_and_sharing),
    PageKind("finished Monte Carlo job", "/economics/jobs/{monte_carlo_job}/", (EXPERT,), charts_drawn),
    PageKind("finished sensitivity job", "/economics/jobs/{tornado_job}/", (EXPERT,), charts_drawn),
    PageKind("saved evaluations", "/economics/evaluations/", (EXPERT,)),
    PageKind("expert list", "/experts/", reflow=True),
    PageKind("expert profile", "/experts/{expert_profile}/"),
    PageKind("my profile", "/experts/me/", (EXPERT,)),
    PageKind("knowledge", "/experts/knowledge/"),
    PageKind("knowledge article", "/experts/knowledge/{article}/"),
    PageKind("new knowledge article", "/experts/knowledge/new/", (EXPERT,)),
    PageKind("new knowledge article sent empty", "/experts/knowledge/new/", (EXPERT,), empty_article),
    PageKind("log in", "/accounts/login/", (ANONYMOUS,), reflow=True),
    PageKind("log in, wrong password", "/accounts/login/", (ANONYMOUS,), failed_log_in),
    PageKind("sign up", "/accounts/signup/", (ANONYMOUS,)),
    PageKind("sign up with errors", "/accounts/signup/", (ANONYMOUS,), bad_sign_up),
    PageKind("e-mail addresses", "/accounts/email/", (EXPERT,)),
    PageKind("change password", "/accounts/password/change/", (EXPERT,)),
    PageKind("admin login", "/admin/login/", (ANONYMOUS,)),
    PageKind("page not found", "/no-such-page/"),
    PageKind("site search", "/search/?q=gene"),
    PageKind("trial", "/trials/{trial}/"),
    PageKind("economics report", "/economics/evaluations/{evaluation}/report/", (EXPERT,)),
    PageKind("contact an expert", "/experts/{expert_profile}/contact/", (EXPERT,)),
    PageKind("my messages", "/experts/messages/", (EXPERT,)),
    PageKind("delete my account", "/experts/me/delete/", (EXPERT,)),
    PageKind("my knowledge", "/knowledge/me/", (EXPERT,)),
    PageKind("case studies", "/knowledge/cases/", reflow=True),
    PageKind("case study", "/knowledge/cases/{case_study}/"),
    PageKind("case study SWOT", "/knowledge/cases/{case_study}/swot/"),
    PageKind("compare case studies", "/knowledge/cases/compare/"),
    PageKind("new case study", "/knowledge/cases/new/", (EXPERT,)),
    PageKind("resource library", "/knowledge/resources/"),
    PageKind("resource", "/knowledge/resources/{resource}/"),
    PageKind("new resource", "/knowledge/resources/new/", (EXPERT,)),
    PageKind("events", "/knowledge/events/"),
    PageKind("event", "/knowledge/events/{event}/"),
    PageKind("new event", "/knowledge/events/new/", (CURATOR,)),
    PageKind("news", "/knowledge/news/"),
    PageKind("news post", "/knowledge/news/{news}/"),
    PageKind("new news post", "/knowledge/news/new/", (CURATOR,)),
    PageKind("questions", "/knowledge/questions/"),
    PageKind("question", "/knowledge/questions/{question}/"),
    PageKind("ask a question", "/knowledge/questions/ask/", (EXPERT,)),
    PageKind("moderation queue", "/knowledge/moderation/", (CURATOR,)),
    PageKind("GMP hub", "/facilities/hub/", reflow=True),
    PageKind("manufacturing needs", "/facilities/needs/", (EXPERT,)),
    PageKind("manufacturing need", "/facilities/needs/{need}/", (EXPERT,)),
    PageKind("new manufacturing need", "/facilities/needs/new/", (EXPERT,)),
    PageKind("service offer", "/facilities/{facility}/offer/", (CURATOR,)),
    PageKind("manufacturing gaps", "/facilities/gaps/"),
    PageKind("suggest a facility correction", "/facilities/{facility}/correct/", (EXPERT,)),
    PageKind("facility corrections", "/facilities/corrections/", (CURATOR,)),
    PageKind("facility correction", "/facilities/corrections/{correction}/", (CURATOR,)),
    PageKind("site link suggestions", "/facilities/links/", (CURATOR,)),
    PageKind("facility contacts", "/facilities/contacts/", (CURATOR,)),
    PageKind("facility import", "/facilities/import/", (CURATOR,)),
    PageKind("enquiry to a facility", "/facilities/enquiries/{enquiry}/", (CURATOR,)),
    PageKind("review queue", "/trials/review/", (CURATOR,)),
    PageKind("pending product revision", "/trials/review/changes/{revision}/", (CURATOR,)),
    PageKind("trial registers", "/trials/registers/", (CURATOR,)),
    PageKind("register changes of a trial", "/trials/registers/trials/{trial_pk}/", (CURATOR,)),
    PageKind("add a trial from its register", "/trials/registers/add/", (CURATOR,)),
]


def _cases(pages, roles=BOTH):
    return [pytest.param(p, role, id=f"{p.name} as {role}") for p in pages for role in p.roles if role in roles]


@pytest.fixture(scope="module")
def contexts(seeded_site, browser):
    """One browser context per role for the module; axe is injected inline, so CSP is bypassed here only."""
    made = {}
    sessions = {EXPERT: seeded_site.expert_session, CURATOR: seeded_site.curator_session}
    for role in (*BOTH, CURATOR):
        # Reduced motion: Bootstrap then skips its fades, which axe would otherwise catch half-way.
        context = browser.new_context(bypass_csp=True, reduced_motion="reduce")
        block_tiles(context)
        if role in sessions:
            context.add_cookies(seeded_site.cookies(sessions[role]))
        made[role] = context
    yield made
    for context in made.values():
        context.close()


def visit(contexts, site, kind: PageKind, role: str, width: int | None = None):
    page = contexts[role].new_page()
    page.set_default_timeout(15_000)
    if width:
        page.set_viewport_size({"width": width, "height": 640})
    path = kind.path.format(**vars(site))
    response = page.goto(site.url + path)
    expected_status = 404 if kind.name == "page not found" else 200
    assert response.status == expected_status, f"{path} as {role}: HTTP {response.status}"
    assert page.url.removeprefix(site.url) == path, f"{path} as {role} was redirected to {page.url}"
    if kind.prepare:
        kind.prepare(page)
    return page


@pytest.mark.parametrize(("kind", "role"), _cases(PAGES, (*BOTH, CURATOR)))
def test_page_has_no_wcag_21_aa_violations(seeded_site, contexts, kind, role):
    page = visit(contexts, seeded_site, kind, role)
    violations = axe_violations(page)
    page.close()
    assert not violations, f"axe-core found on {kind.name} as {role}:\n{describe(violations)}"


# The first few elements reaching past the right edge (tables and maps scroll inside their own box).
_TOO_WIDE = """() => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                  && !el.closest(".table-responsive, .leaflet-container, .visually-hidden-focusable"))
  .slice(0, 5)
  .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + " " + String(el.className))"""


@pytest.mark.parametrize(("kind", "role"), _cases([p for p in PAGES if p.reflow], (ANONYMOUS,)))
def test_page_reflows_at_320_px_without_horizontal_scrolling(seeded_site, contexts, kind, role):
    # 320 CSS px is 1280 px at 400 % zoom (WCAG 1.4.10); 200 % zoom is wider, so it is covered too.
    page = visit(contexts, seeded_site, kind, role, width=320)
    overflow = page.evaluate(_TOO_WIDE)
    scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
    page.close()
    assert scroll_width <= 320 and not overflow, f"{kind.name}: {scroll_width} px wide; too wide: {overflow}"


def test_every_page_has_its_own_title_and_a_language(seeded_site):
    """Titles tell pages apart (WCAG 2.4.2): no two addresses a visitor or an expert opens share one."""
    for role in BOTH:
        titles: dict[str, set[str]] = {}
        client = Client()
        if role == EXPERT:
            client.cookies[settings.SESSION_COOKIE_NAME] = seeded_site.expert_session
        for kind in PAGES:
            if role not in kind.roles:
                continue
            html = client.get(kind.path.format(**vars(seeded_site))).content.decode()
            assert re.search(r'<html lang="en[-"]', html), f"{kind.name}: no lang"
            title = unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip())
            titles.setdefault(title, set()).add(kind.path)
        shared = {title: paths for title, paths in titles.items() if len(paths) > 1}
        assert not shared, f"pages sharing a title as {role}: {shared}"


# --- Keyboard only -----------------------------------------------------------------------------------------
def tab_to(page, target, limit: int = 150) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would; fail if Tab never gets there."""
    for _ in range(limit):
        if target.evaluate("(el) => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def focus_ring(page) -> str:
    """The outline drawn around the focused element ("none" when there is no visible focus)."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement); return `${s.outlineStyle} ${s.outlineWidth}`; }"
    )


def test_sign_in_filter_open_a_product_and_start_an_evaluation_with_the_keyboard_only(browser, seeded_site):
    context = browser.new_context()  # the real Content-Security-Policy: no axe here
    block_tiles(context)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{seeded_site.url}/accounts/login/")

    # The first Tab reaches the skip link, which moves on to the main content.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    assert skip_link.bounding_box()["width"] > 50, "the skip link shows when focused"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(EXPERT_EMAIL)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(settings.DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("account-menu")).to_contain_text(EXPERT_EMAIL)

    tab_to(page, page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Trials"))
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinical trials of ATMPs")

    # Space ticks a facet; the list reloads filtered and the focus comes back to the same box.
    facet = page.locator("fieldset[data-facet=phase] input[type=checkbox]").first
    tab_to(page, facet)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"phase="))
    expect(page.locator("fieldset[data-facet=phase] input[type=checkbox]:checked").first).to_be_focused()

    product_link = page.get_by_test_id("trial-table").locator("a[href^='/trials/products/']").first
    product_name = product_link.inner_text()
    tab_to(page, product_link)
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(product_name)

    tab_to(page, page.get_by_role("link", name="Evaluate economics"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_label("Name (to save it)"))
    page.keyboard.type("Keyboard-only evaluation")
    tab_to(page, page.get_by_role("button", name="Save evaluation"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Keyboard-only evaluation")

    tab_to(page, page.get_by_label("Simulations"))
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type("2000")
    tab_to(page, page.get_by_role("button", name="Start job"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Distribution of NPV")).to_be_visible()
    context.close()
