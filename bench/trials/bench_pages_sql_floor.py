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

# benchmark group -> page; each is timed against its own SQL in the same group.
PAGES = {
    "trials-searched": "/trials/?q=leukaemia&phase=phase_2&country=DE",
    "trials-filtered": "/trials/?phase=phase_2&country=DE&status=ongoing",
    "trials-searched-only": "/trials/?q=leukaemia",  # 8,000 matches, ranked
    "trials-first-page": "/trials/",
    "products-searched": "/trials/products/?q=lymphoma&atmp_type=gtmp_ex_vivo",
    "products-first-page": "/trials/products/",
}

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


@pytest.mark.parametrize("group", PAGES)
def test_floor_page_sql_alone(benchmark, big_catalogue, group):
    benchmark.group = group
    benchmark(_replay, _captured_sql(PAGES[group]))


@pytest.mark.parametrize("group", PAGES)
def test_page(benchmark, big_catalogue, group):
    benchmark.group = group
    url = PAGES[group]
    # Same number of statements for 10 or 100 rows a page (and for 5 or 50 products:
    # tests/trials/test_query_counts.py).
    separator = "&" if "?" in url else "?"
    small = len(_captured_sql(f"{url}{separator}per_page=10"))
    large = len(_captured_sql(f"{url}{separator}per_page=100"))
    assert small == large, (small, large)
    benchmark.extra_info["queries"] = small
    benchmark(_get, Client(), url)


def _touch_one_trial():
    """A write to the catalogue: the change log moves on, so the next request rebuilds the index."""
    trial = Trial.objects.order_by("pk").first()
    Trial.objects.filter(pk=trial.pk).update(title=trial.title)


@pytest.mark.benchmark(group="trials-searched-after-a-change")
def test_searched_trial_page_first_request_after_a_change(benchmark, big_catalogue):
    """The price of freshness: the first request after any write rebuilds the facet index."""
    client = Client()
    benchmark.pedantic(_get, args=(client, PAGES["trials-searched"]), setup=_touch_one_trial, rounds=5, iterations=1)
