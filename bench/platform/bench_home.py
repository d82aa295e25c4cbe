"""The home page against its floor: the same headline counts as raw SQL.

Run: make bench BENCH=bench/platform
"""

import pytest
from django.db import connection
from django.test import Client

from platform_site.views import headline_counts


@pytest.fixture
def populated(db):
    from platform_site.demo import load_demo_content

    load_demo_content()


# The same three counts the ORM runs, written by hand (the floor).
RAW_COUNTS = [
    "SELECT COUNT(*) FROM trials_product WHERE curation_status = 'published'",
    "SELECT COUNT(*) FROM trials_trial t JOIN trials_product p ON p.id = t.product_id"
    " WHERE p.curation_status = 'published'",
    "SELECT COUNT(*) FROM experts_expertprofile e JOIN experts_user u ON u.id = e.user_id"
    " WHERE e.approved_at IS NOT NULL AND u.is_active",
]


def _raw_counts():
    with connection.cursor() as cursor:
        for sql in RAW_COUNTS:
            cursor.execute(sql)
            cursor.fetchone()


@pytest.mark.benchmark(group="home")
def test_floor_raw_count_queries(benchmark, populated):
    benchmark(_raw_counts)


@pytest.mark.benchmark(group="home")
def test_headline_counts_through_the_orm(benchmark, populated):
    benchmark(headline_counts)


@pytest.mark.benchmark(group="home")
def test_home_page_full_request(benchmark, populated):
    client = Client()
    benchmark(lambda: client.get("/"))
