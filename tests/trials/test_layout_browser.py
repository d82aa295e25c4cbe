"""In the browser: the trial table fits a 1366 px screen and a 390 px phone, filters come before results."""

import pytest

from tests.e2e.conftest import CHROMIUM, browser_type_launch_args, page  # noqa: F401 - the browser fixtures

from .factories import LocationFactory, ProductFactory, TrialFactory, TrialIdentifierFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture
def long_rows(db):
    de = LocationFactory(code="DE", name="Germany")
    for n in range(5):
        product = ProductFactory(name=f"Layout product with a long name number {n}")
        trial = TrialFactory(
            product=product,
            title="A fictional phase 1/2 study of autologous CD19-directed CAR T cells in relapsed or refractory "
            "B-cell acute lymphoblastic leukaemia in adults and adolescents, with long-term follow-up",
            sponsor="Fictional University Hospital of a City With a Long Name",
            countries=[de],
        )
        TrialIdentifierFactory(trial=trial, registry="eudract", value=f"2019-00123{n}-56")
        TrialIdentifierFactory(trial=trial, registry="nct", value=f"NCT0123456{n}")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (390, 844)], ids=["desktop-1366", "phone-390"])
def test_the_trial_table_fits_the_screen(live_server, page, long_rows, width, height):  # noqa: F811
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{live_server.url}/trials/")
    page.get_by_test_id("trial-table").wait_for()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
    table_box = page.get_by_test_id("trial-table").bounding_box()
    region_box = page.locator(".trials-table").bounding_box()
    assert region_box["x"] + region_box["width"] <= width
    if width < 992:
        filters = page.get_by_role("button", name="Filters").bounding_box()
        results = page.get_by_test_id("result-count").bounding_box()
        assert filters["y"] < results["y"], "on a phone the filters come before the results"
    else:
        assert table_box["width"] <= region_box["width"] + 1, "at 1366 px the whole table fits its column"
