"""List pages at 100,000 trials over 20,000 products against their own SQL replayed alone.

Each page is a list as an anonymous visitor sees it, with its facet counts. The
floor is the very statements the page ran (captured from a real request with
their parameters) replayed on the database: no ORM, no FilterSet, no template.
The page's time divided by the floor is the price of Django around the SQL.

SQLite:      make bench PYTEST_ARGS="bench/trials/bench_pages_sql_floor.py"
PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_trials_b \\
               make bench PYTEST_ARGS="bench/trials/bench_pages_sql_floor.py --create-db"
Smaller:     TRIALS_BENCH_PRODUCTS=2000 make bench PYTEST_ARGS="bench/trials/bench_pages_sql_floor.py"
Figures: docs/benchmarks.md, section "Trials".
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test import Client

from .generate import generate, remove

PRODUCTS = int(os.environ.get("TRIALS_BENCH_PRODUCTS", "20000"))

SEARCHED_TRIALS = "/trials/?q=leukaemia&phase=phase_2&country=DE"
FILTERED_TRIALS = "/trials/?phase=phase_2&country=DE&status=ongoing"
UNFILTERED_TRIALS = "/trials/"
SEARCHED_PRODUCTS = "/trials/products/?q=lymphoma&atmp_type=gtmp_ex_vivo"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def big_catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        info = generate(products=PRODUCTS)
        print(f"\ngenerated {info['products']} products, {info['trials']} trials in {info['seconds']} s")
        yield info
        remove(info)  # other benchmarks expect the test database as it was


def _get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _captured_sql(url: str) -> list[tuple[str, object]]:
    """Every statement the page runs, with its parameters, in order."""
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
