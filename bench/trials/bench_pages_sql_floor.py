"""List pages at 100,000 trials over 20,000 products against their own SQL replayed alone.

Each page is a list as an anonymous visitor sees it, with its facet counts. The
floor is the very statements the page ran (captured from a real request with
their parameters) replayed on the database: no ORM, no FilterSet, no template.
The page's time divided by the floor is the price of Django around the SQL.

SQLite:      make bench BENCH=bench/trials/bench_pages_sql_floor.py
PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_trials_b \\
               make bench BENCH=bench/trials/bench_pages_sql_floor.py PYTEST_ARGS="--create-db"
Smaller:     TRIALS_BENCH_PRODUCTS=2000 make bench BENCH=bench/trials/bench_pages_sql_floor.py
Figures: docs/benchmarks.md, section "Trials".
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from trials.models import Trial

SEARCHED_TRIALS = "/trials/?q=leukaemia&phase=phase_2&country=DE"
FILTERED_TRIALS = "/trials/?phase=phase_2&country=DE&status=ongoing"
UNFILTERED_TRIALS = "/trials/"
SEARCHED_PRODUCTS = "/trials/products/?q=lymphoma&atmp_type=gtmp_ex_vivo"
UNFILTERED_PRODUCTS = "/trials/products/"
SEARCHED_ONLY_TRIALS = "/trials/?q=leukaemia"  # 8,000 matches ranked

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str):
    """The page as a visitor gets it; the facet index is warm after the first request."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _captured_sql(url: str) -> list[tuple[str, object]]:
    """Every statement the page runs (warm: after the facet index is built), with its parameters."""
    _get(Client(), url)
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        _get(Client(), url)
    return statements


def _replay(statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


@pytest.mark.benchmark(group="trials-searched")
def test_floor_searched_trial_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(SEARCHED_TRIALS))


@pytest.mark.benchmark(group="trials-searched")
def test_searched_trial_page(benchmark, big_catalogue):
    # Same number of statements for 10 or 100 rows a page (and for 5 or 50 products:
    # tests/trials/test_query_counts.py).
    small = len(_captured_sql(SEARCHED_TRIALS + "&per_page=10"))
    large = len(_captured_sql(SEARCHED_TRIALS + "&per_page=100"))
    assert small == large, (small, large)
    benchmark.extra_info["queries"] = small
    benchmark(_get, Client(), SEARCHED_TRIALS)


def _touch_one_trial():
    """A write to the catalogue: the change log moves on, so the next request rebuilds the index."""
    trial = Trial.objects.order_by("pk").first()
    Trial.objects.filter(pk=trial.pk).update(title=trial.title)


@pytest.mark.benchmark(group="trials-searched-after-a-change")
def test_searched_trial_page_first_request_after_a_change(benchmark, big_catalogue):
    """The price of freshness: the first request after any write rebuilds the facet index."""
    client = Client()
    benchmark.pedantic(_get, args=(client, SEARCHED_TRIALS), setup=_touch_one_trial, rounds=5, iterations=1)


@pytest.mark.benchmark(group="trials-filtered")
def test_floor_filtered_trial_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(FILTERED_TRIALS))


@pytest.mark.benchmark(group="trials-filtered")
def test_filtered_trial_page(benchmark, big_catalogue):
    benchmark(_get, Client(), FILTERED_TRIALS)


@pytest.mark.benchmark(group="trials-first-page")
def test_floor_unfiltered_trial_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(UNFILTERED_TRIALS))


@pytest.mark.benchmark(group="trials-first-page")
def test_unfiltered_trial_page(benchmark, big_catalogue):
    benchmark(_get, Client(), UNFILTERED_TRIALS)


@pytest.mark.benchmark(group="products-searched")
def test_floor_searched_product_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(SEARCHED_PRODUCTS))


@pytest.mark.benchmark(group="products-searched")
def test_searched_product_page(benchmark, big_catalogue):
    benchmark(_get, Client(), SEARCHED_PRODUCTS)


@pytest.mark.benchmark(group="products-first-page")
def test_floor_unfiltered_product_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(UNFILTERED_PRODUCTS))


@pytest.mark.benchmark(group="products-first-page")
def test_unfiltered_product_page(benchmark, big_catalogue):
    benchmark(_get, Client(), UNFILTERED_PRODUCTS)


@pytest.mark.benchmark(group="trials-searched-only")
def test_floor_search_only_trial_page_sql_alone(benchmark, big_catalogue):
    benchmark(_replay, _captured_sql(SEARCHED_ONLY_TRIALS))


@pytest.mark.benchmark(group="trials-searched-only")
def test_search_only_trial_page(benchmark, big_catalogue):
    benchmark(_get, Client(), SEARCHED_ONLY_TRIALS)
