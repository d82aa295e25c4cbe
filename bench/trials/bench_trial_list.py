"""The trial list at 100,000 trials over 20,000 products: filtered, searched, with facet counts.

Run: make bench PYTEST_ARGS="bench/trials"          (SQLite)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/atmp_trials_b \
       .venv/bin/pytest bench/trials --create-db --benchmark-only -o addopts=""   (PostgreSQL)

The floor is the same SQL the page runs (page, count, facets), executed alone through the ORM's
compiled queries, with no view, no template. The query count is also recorded per page size.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trials import facets
from trials.filters import TrialFilter
from trials.models import AtmpType, CurationStatus, Location, Phase, Product, SponsorType, Trial, TrialStatus
from trials.search import search_vectors_refresh

PRODUCTS = 20_000
TRIALS = 100_000
URL = "/trials/?q=leukaemia&phase=phase_1&phase=phase_2&country=DE&atmp_type=gtmp_ex_vivo"
WORDS = ["leukaemia", "lymphoma", "myeloma", "haemophilia", "retinal", "cartilage", "glioma", "sickle", "heart", "skin"]


@pytest.fixture(scope="session")
def big_catalogue(django_db_setup, django_db_blocker):
    rng = random.Random(4)
    with django_db_blocker.unblock():
        if Trial.objects.count() >= TRIALS:
            yield
            return
        codes = ["DE", "FR", "IT", "ES", "NL", "BE", "AT", "GB", "US", "CH"]
        locations = Location.objects.bulk_create([Location(code=c, name=c, kind="country") for c in codes])
        products = Product.objects.bulk_create(
            [
                Product(
                    name=f"BENCH-{i:05d}", slug=f"bench-{i:05d}", atmp_type=rng.choice(AtmpType.values),
                    disease_text=rng.choice(WORDS), curation_status=CurationStatus.PUBLISHED,
                    highest_phase=rng.choice(Phase.values), patient_classification="cancer",
                )
                for i in range(PRODUCTS)
            ],
            batch_size=2000,
        )  # fmt: skip
        trials = Trial.objects.bulk_create(
            [
                Trial(
                    product=products[i % PRODUCTS], column_index=i // PRODUCTS,
                    title=f"Study of {rng.choice(WORDS)} number {i}", phase=rng.choice(Phase.values),
                    status=rng.choice(TrialStatus.values), sponsor_type=rng.choice(SponsorType.values),
                    start_year=rng.randint(2005, 2025), first_in_human=rng.choice([True, False, None]),
                )
                for i in range(TRIALS)
            ],
            batch_size=5000,
        )  # fmt: skip
        through = Trial.countries.through
        through.objects.bulk_create(
            [
                through(trial_id=t.pk, location_id=loc.pk)
                for t in trials
                for loc in rng.sample(locations, rng.randint(1, 3))
            ],
            batch_size=10000,
        )
        search_vectors_refresh()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    yield


def _sql_alone():
    """The page's own queries without the view: count, one page, prefetches, facets."""
    data = QueryDict(URL.split("?", 1)[1])
    base = Trial.objects.public()
    qs = TrialFilter(data, queryset=base).qs
    qs.count()
    page = list(qs.select_related("product").prefetch_related("countries", "identifiers")[:25])
    assert page
    for facet in facets.facet_counts(filterset_class=TrialFilter, data=data, queryset=base, specs=facets.TRIAL_FACETS):
        assert facet.options is not None


@pytest.mark.benchmark(group="trial-list-100k")
def test_floor_the_pages_sql_alone(benchmark, big_catalogue, db):
    benchmark(_sql_alone)


@pytest.mark.benchmark(group="trial-list-100k")
def test_filtered_searched_page_with_facets(benchmark, big_catalogue, db):
    client = Client()
    response = client.get(URL)
    assert response.status_code == 200
    counts = {}
    for size in (10, 100):
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"{URL}&per_page={size}")
        counts[size] = len(ctx.captured_queries)
    assert counts[10] == counts[100]
    benchmark.extra_info["queries_per_page"] = counts[10]
    benchmark.extra_info["results"] = response.context["page_obj"].paginator.count
    benchmark(lambda: client.get(URL))
