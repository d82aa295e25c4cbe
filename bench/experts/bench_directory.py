"""The expert directory at 10,000 profiles against its own SQL replayed alone.

Each page is /experts/ (or /api/experts/) as an anonymous visitor gets it, with its six facet
counts and the network's reach. The floor is the very statements the page ran, captured from a
real request with their parameters and replayed on the database: no ORM, no FilterSet, no
template. The page's time divided by the floor is the price of Django around the SQL.

SQLite:      make bench BENCH=bench/experts
PostgreSQL:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_experts_bench \\
               make bench BENCH=bench/experts PYTEST_ARGS="--create-db"
Figures: docs/benchmarks.md, section "Experts".
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

PAGES = {
    "experts-filtered": "/experts/?country=DE&area=car-t&language=en",
    "experts-searched": "/experts/?q=vector+potency&availability=mentoring",
    "experts-first-page": "/experts/",
    "experts-api-filtered": "/api/experts/?country=DE&area=car-t&language=en",
}
# The same pages narrowed to a few dozen results: the statement count must not change.
NARROWER = "&stakeholder_type=payer&stakeholder_type=clinician&stakeholder_type=regulator"

pytestmark = pytest.mark.django_db


def _get(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _captured_sql(url: str) -> list[tuple[str, object]]:
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
def test_floor_page_sql_alone(benchmark, ten_thousand_experts, group):
    benchmark.group = group
    benchmark(_replay, _captured_sql(PAGES[group]))


@pytest.mark.parametrize("group", PAGES)
def test_page(benchmark, ten_thousand_experts, group):
    benchmark.group = group
    url = PAGES[group]
    separator = "&" if "?" in url else "?"
    narrower = f"{url}{separator}{NARROWER.lstrip('&')}"
    assert Client().get(narrower).status_code == 200
    many, few = len(_captured_sql(url)), len(_captured_sql(narrower))
    assert many == few, (many, few)
    benchmark.extra_info["queries"] = many
    benchmark(_get, Client(), url)
