"""Browser tests: pytest-playwright driving Debian's Chromium against live_server.

Browsers cannot be downloaded here, so we never run `playwright install`; the
system Chromium (`apt-get install chromium`, done by .ci/run) is launched
instead. Without it these tests skip and say why. Tile requests are blocked in
every test: pages must work with no tile server.

Most modules create their records in each test (transactional: the database is
flushed after every test). The accessibility modules visit many pages over the
same records instead: they ask for `seeded_site`, which loads the demo content
and a finished job once per module (tests/e2e/seeding.py).
"""

import os
import shutil

import pytest
from django.core.management import call_command

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


def block_tiles(page_or_context) -> None:
    """No tile server in tests: refuse tile images outright; the map must still work."""
    page_or_context.route("**/*.png", lambda route: route.abort() if "tile" in route.request.url else route.continue_())


@pytest.fixture
def page(page):
    block_tiles(page)
    page.set_default_timeout(15_000)
    return page


@pytest.fixture(scope="module")
def seeded_site(django_db_setup, django_db_blocker, live_server):
    """The live server over the demo content plus a finished evaluation job, seeded once for the module.

    The test database is set up before the live server (so the server stops before the database is dropped).
    The database stays open for the whole module (the live server thread reads it between tests) and is
    flushed at the end, as pytest-django's transactional tests leave it.
    """
    from django.db import connections

    from tests.e2e.seeding import seed_site

    with django_db_blocker.unblock():
        live_server._live_server_modified_settings.enable()
        try:
            site = seed_site(live_server.url)
            # Fixture set-up and tear-down may run in another context than the tests (Playwright's greenlets):
            # close what they opened, or PostgreSQL refuses to drop a test database still in use. (SQLite's
            # in-memory database ignores close().)
            connections.close_all()
            yield site
        finally:
            live_server._live_server_modified_settings.disable()
            call_command("flush", interactive=False, verbosity=0)
            connections.close_all()


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper of the same name, except for tests on `seeded_site`.

    pytest-django gives every test that reaches live_server a transactional database, flushed after the
    test; on the seeded site that would throw the module's records away after its first page.
    """
    if "live_server" not in request.fixturenames or "seeded_site" in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def log_in(page, base_url: str, email: str, password: str) -> None:
    """Log in through the real form, as a person would."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
