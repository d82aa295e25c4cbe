"""The site search at 100,000 trials plus 10,000 knowledge items, against its own SQL replayed alone.

The floor is the statements the page ran (captured with their parameters) replayed on
the database; the page's time divided by the floor is the price of Django around it.

PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_knowledge_bench \\
               make bench BENCH=bench/knowledge PYTEST_ARGS="--create-db"
Smaller:     TRIALS_BENCH_PRODUCTS=2000 KNOWLEDGE_BENCH_ITEMS=1000 make bench BENCH=bench/knowledge
Figures: docs/benchmarks.md, section "Knowledge".
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

PAGES = {
    "search-common-word": "/search/?q=leukaemia",  # thousands of matches in every kind
    "search-two-words": "/search/?q=CD19+lymphoma",
    "search-no-match": "/search/?q=quokkabridge",
    "search-one-kind": "/search/?q=leukaemia&kind=trials&page=3",
}

pytestmark = pytest.mark.django_db


def _captured_sql(url: str) -> list:
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert Client().get(url).status_code == 200
    return statements


def _replay(statements) -> None:
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def test_the_same_number_of_queries_whatever_is_found(big_portal):
    counts = {group: len(_captured_sql(url)) for group, url in PAGES.items() if "kind=" not in url}
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize("group", PAGES)
def test_floor_search_sql_alone(benchmark, big_portal, group):
    benchmark.group = group
    benchmark(_replay, _captured_sql(PAGES[group]))


@pytest.mark.parametrize("group", PAGES)
def test_search_page(benchmark, big_portal, group):
    benchmark.group = group
    client = Client()
    benchmark.extra_info["queries"] = len(_captured_sql(PAGES[group]))
    benchmark(client.get, PAGES[group])
