"""Browser tests: pytest-playwright driving Debian's Chromium against live_server.

Browsers cannot be downloaded here, so we never run `playwright install`; the
system Chromium (`apt-get install chromium`, done by .ci/run) is launched
instead. Without it these tests skip and say why. Tile requests are blocked in
every test: pages must work with no tile server.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def page(page):
    # No tile server in tests: refuse tile images outright; the map must still work.
    page.route("**/*.png", lambda route: route.abort() if "tile" in route.request.url else route.continue_())
    page.set_default_timeout(15_000)
    return page


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
