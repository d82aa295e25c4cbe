"""Facet counts of the searched trial list at 100,000 trials: in memory against GROUP BY.

Three ways to the same ten facets of `?q=leukaemia&phase=phase_2&country=DE` (a test,
tests/trials/test_facet_index.py, holds their counts equal):
- GROUP BY: one query per facet, each re-running the search and joins (trials/facets.py,
  what the trial list did until 2026-11-25; the product list still does);
- in memory: the search's ids from the database, then NumPy (trials/facet_index.py);
- the floor: the one query the in-memory way still runs (the search's ids), alone.
Also the index build, paid by the first request after a write.

Run: make bench BENCH=bench/trials/bench_facets.py   (add DATABASE_URL=... --create-db for PostgreSQL)
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from trials import facet_index
from trials.facets import PRODUCT_FACETS, TRIAL_FACETS, facet_counts
from trials.filters import TrialFilter
from trials.models import Product, Trial

QUERY = QueryDict("q=leukaemia&phase=phase_2&country=DE")

pytestmark = pytest.mark.django_db


def _filterset(data=QUERY):
    return TrialFilter(data, queryset=Trial.objects.public())


def _group_by():
    return facet_counts(filterset_class=TrialFilter, data=QUERY, queryset=Trial.objects.public(), specs=TRIAL_FACETS)


def _in_memory():
    return facet_index.count_facets(_filterset(), AnonymousUser(), TRIAL_FACETS).facets


def _search_ids_alone():
    return list(_filterset(QueryDict("q=leukaemia")).qs.order_by().values_list("pk", flat=True))


def _as_dicts(facets):
    return {f.name: {o.value: o.count for o in f.options} for f in facets}


@pytest.mark.benchmark(group="facets-searched")
def test_facets_by_group_by(benchmark, big_catalogue):
    benchmark(_group_by)


@pytest.mark.benchmark(group="facets-searched")
def test_facets_in_memory(benchmark, big_catalogue):
    assert _as_dicts(_in_memory()) == _as_dicts(_group_by())
    benchmark(_in_memory)


@pytest.mark.benchmark(group="facets-searched")
def test_floor_the_search_ids_alone(benchmark, big_catalogue):
    benchmark(_search_ids_alone)


@pytest.mark.benchmark(group="facets-index-build")
def test_index_build_trials(benchmark, big_catalogue):
    index = benchmark.pedantic(facet_index.build, args=(Trial, TRIAL_FACETS), rounds=5, iterations=1)
    benchmark.extra_info["records"] = index.size


@pytest.mark.benchmark(group="facets-index-build")
def test_index_build_products(benchmark, big_catalogue):
    index = benchmark.pedantic(facet_index.build, args=(Product, PRODUCT_FACETS), rounds=5, iterations=1)
    benchmark.extra_info["records"] = index.size
