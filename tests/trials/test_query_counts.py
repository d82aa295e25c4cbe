"""The number of SQL queries per page is fixed: it grows neither with the page size nor
with the amount of data (the 100,000-trial benchmark in bench/trials/ relies on it)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from trials import facet_index
from trials.models import Trial

from .factories import LocationFactory, ProductFactory, TrialFactory, TrialIdentifierFactory

pytestmark = pytest.mark.django_db

FILTERED = "q=leukaemia&phase=phase_1&country=DE&sort=-phase"
LIST_PAGES = [
    "/trials/",
    f"/trials/?{FILTERED}",
    "/trials/products/",
    "/trials/products/?q=leukaemia&atmp_type=gtmp_ex_vivo&status=ongoing&sort=phase",
    "/trials/dashboard/",
    "/api/products/",
    f"/api/trials/?{FILTERED}",
]


def build(products: int, trials_each: int) -> None:
    de = LocationFactory(code="DE", name="Germany")
    fr = LocationFactory(code="FR", name="France")
    for _p in range(products):
        product = ProductFactory(disease_text="acute lymphoblastic leukaemia", origin_locations=[de])
        for _t in range(trials_each):
            trial = TrialFactory(product=product, countries=[de, fr])
            TrialIdentifierFactory(trial=trial)
        product.refresh_highest_phase()


def count(client, url: str) -> int:
    """Queries of a warm request: the trial list's facet index is built by the first request
    after a change (a fixed number of queries, pinned below), not by every request."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["anonymous", "expert"])
def test_list_pages_run_the_same_queries_for_little_and_much_data(client_for, role):
    client = client_for(role)
    build(3, 1)
    small = {url: count(client, url) for url in LIST_PAGES}
    build(40, 3)
    large = {url: count(client, url) for url in LIST_PAGES}
    assert small == large


@pytest.mark.parametrize("url", ["/trials/?", f"/trials/?{FILTERED}&", "/trials/products/?"])
def test_page_size_does_not_change_the_query_count(client, url):
    build(30, 2)
    assert count(client, f"{url}per_page=10") == count(client, f"{url}per_page=100")


def test_the_trial_list_stays_under_a_fixed_budget(client, django_assert_num_queries, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view's own queries (anonymous pages are otherwise served from the cache)
    build(30, 2)
    facet_index._built.clear()  # as in a new process: no index to patch
    url = f"/trials/?{FILTERED}&per_page=100"
    # First: the change log, the build (the trials' own values, then their countries
    # and their products' countries of origin), the search's ids, the page and its 2 prefetches.
    with django_assert_num_queries(8):
        client.get(url)
    # Then: the change log, the search's ids, the page, 2 prefetches. No COUNT, no GROUP BY.
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(4):  # no search: no ids to fetch
        client.get("/trials/?phase=phase_1&country=DE")
    Trial.objects.filter(pk=Trial.objects.first().pk).update(phase="phase_2")
    # After a write: the change log, the rows logged since, the trials of the products they
    # name, the same three reads as a build for those trials only, then the page as before.
    with django_assert_num_queries(10):
        client.get(url)


def test_product_page_queries_do_not_grow_with_its_trials(client_for):
    client = client_for("expert")
    one = ProductFactory()
    TrialIdentifierFactory(trial=TrialFactory(product=one, countries=[LocationFactory()]))
    many = ProductFactory()
    for _ in range(12):
        TrialIdentifierFactory(trial=TrialFactory(product=many, countries=[LocationFactory()]))
    assert count(client, one.get_absolute_url()) == count(client, many.get_absolute_url())
