"""One large fictional catalogue for every trials benchmark in the session (generate.py)."""

from __future__ import annotations

import os

import pytest

from .generate import generate, remove

PRODUCTS = int(os.environ.get("TRIALS_BENCH_PRODUCTS", "20000"))


@pytest.fixture(scope="session")
def big_catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        info = generate(products=PRODUCTS)
        print(f"\ngenerated {info['products']} products, {info['trials']} trials in {info['seconds']} s")
        yield info
        remove(info)  # other benchmarks expect the test database as it was
