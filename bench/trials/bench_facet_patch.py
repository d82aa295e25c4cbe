"""The first trial-list request after a single catalogue write, against an unchanged request.

After a write the facet index reads again only the records the change log names and
patches them into its arrays (trials/facet_patch.py) instead of rebuilding every array
(0.7 s at 100,000 trials, bench_facets.py). Target: within 2x of the unchanged request,
which is the floor (same facets, same filters, the index already current).

Run: make bench BENCH=bench/trials/bench_facet_patch.py   (add DATABASE_URL=... --create-db for PostgreSQL)
"""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict

from trials import facet_index
from trials.facets import TRIAL_FACETS
from trials.filters import TrialFilter
from trials.models import Phase, Trial

QUERY = QueryDict("phase=phase_2&country=DE")

pytestmark = pytest.mark.django_db


def _request():
    filterset = TrialFilter(QUERY, queryset=Trial.objects.public())
    return facet_index.count_facets(filterset, AnonymousUser(), TRIAL_FACETS)


@pytest.mark.benchmark(group="facets-after-a-write")
def test_first_request_after_one_write(benchmark, big_catalogue):
    trial = Trial.objects.order_by("pk")[1000]
    phases = itertools.cycle([Phase.PHASE_1, Phase.PHASE_2, Phase.PHASE_3])
    _request()

    def one_write():  # not timed: only the request after it is
        Trial.objects.filter(pk=trial.pk).update(phase=next(phases))

    benchmark.pedantic(_request, setup=one_write, rounds=15, iterations=1)
    full = facet_index.build(Trial, TRIAL_FACETS)
    assert (
        facet_index.count_facets(
            TrialFilter(QUERY, queryset=Trial.objects.public()), AnonymousUser(), TRIAL_FACETS
        ).total
        == full.count(TRIAL_FACETS, {"phase": ["phase_2"], "country": ["DE"]}, full.published, QUERY).total
    )


@pytest.mark.benchmark(group="facets-after-a-write")
def test_floor_an_unchanged_request(benchmark, big_catalogue):
    _request()
    benchmark.pedantic(_request, rounds=15, iterations=1)
