"""Matching one need against 10,000 offers, against a NumPy floor computing the same scores.

The floor is the bare vectorised arithmetic of facilities.matching's score (same arrays, same
weights, no reasons, no ranking); the function under test also selects the best 20 and writes
their reasons in words. Pure Python and NumPy: no database.

Run: .venv/bin/pytest bench/facilities/bench_matching.py --benchmark-enable -q
"""

from __future__ import annotations

import random
import time

import numpy as np
import pytest

from facilities import hub_queries, matching

N_OFFERS = 10_000
COUNTRIES = ["DE", "FR", "IT", "ES", "NL", "BE", "SE", "PL", "AT", "DK", "FI", "PT", "IE", "CZ", "GR", "NO"]


@pytest.fixture(scope="module")
def table() -> matching.OfferTable:
    rng = random.Random(14)
    vocab = hub_queries.VOCABULARY
    offers = [
        matching.Offer(
            facility_id=i,
            country=rng.choice(COUNTRIES),
            latitude=rng.uniform(36, 70),
            longitude=rng.uniform(-10, 30),
            services=frozenset(rng.sample(vocab.services, rng.randint(1, 5))),
            categories=frozenset(rng.sample(vocab.categories, 2)),
            processes=frozenset(rng.sample(vocab.processes, rng.randint(0, 3))),
            scales=frozenset(rng.sample(vocab.scales, rng.randint(0, 3))),
            batches_per_year=rng.choice([None, 5, 10, 20, 50]),
            lead_time_months=rng.choice([None, 3, 4, 6, 9, 12]),
            takes_academic=rng.random() < 0.8,
            stale=rng.random() < 0.1,
        )
        for i in range(N_OFFERS)
    ]
    return matching.OfferTable(offers, vocab)


NEED = matching.Need(
    services=frozenset({"viral_vector_production", "gmp_manufacturing", "qp_certification"}),
    category="car_t",
    processes=frozenset({"lentiviral_vector", "car_t_expansion"}),
    phase="phase_2",
    batches=12,
    within_months=6,
    countries=frozenset({"DE", "AT"}),
    max_distance_km=1500,
    latitude=48.1351,
    longitude=11.5820,
    academic=True,
)


def floor_scores(t: matching.OfferTable, need_masks: tuple[int, int, int, int], need: matching.Need) -> np.ndarray:
    """The same score as matching.scores, written as plain NumPy with the need's masks precomputed."""
    services_mask, category_bit, process_mask, phase_bit = need_masks
    services = np.bitwise_count(t.services & np.uint64(services_mask)) / services_mask.bit_count()
    category = (t.categories & np.uint64(category_bit)) != 0
    process = np.bitwise_count(t.processes & np.uint64(process_mask)) / process_mask.bit_count()
    capacity = np.where(t.batches < 0, 0.5, np.minimum(t.batches / need.batches, 1.0))
    capacity = np.where((t.scales != 0) & ((t.scales & np.uint64(phase_bit)) == 0), 0.0, capacity)
    timing = np.where(t.lead < 0, 0.5, np.minimum(need.within_months / np.maximum(t.lead, 1), 1.0))
    preferred = np.isin(t.countries, list(need.countries))
    phi, lam = np.radians(need.latitude), np.radians(need.longitude)
    a = np.sin((t.lat - phi) / 2) ** 2 + np.cos(phi) * np.cos(t.lat) * np.sin((t.lon - lam) / 2) ** 2
    distance = 2 * matching.EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
    location = np.where(preferred, 1.0, np.clip(1.0 - distance / need.max_distance_km, 0.0, 1.0))
    w = matching.WEIGHTS
    total = (w["services"] * services + w["category"] * category + w["process"] * process
             + w["capacity"] * capacity + w["timing"] * timing + w["location"] * location)  # fmt: skip
    total = np.where(t.academic, total, total / 2)
    out = (services == 0) | ((distance > need.max_distance_km) & ~preferred)
    return np.where(out, np.nan, total)


def _masks(table):
    v = table.vocabulary
    return (
        v.mask("services", NEED.services),
        v.mask("categories", [NEED.category]),
        v.mask("processes", NEED.processes),
        v.mask("scales", [NEED.phase]),
    )


def test_floor_and_function_compute_the_same_scores(table):
    ours, _ = matching.scores(NEED, table)
    assert np.allclose(ours, floor_scores(table, _masks(table), NEED), equal_nan=True)
    best = matching.rank(NEED, table, limit=20)
    assert len(best) == 20 and best[0].score == np.nanmax(ours).round(1)


@pytest.mark.benchmark(group="facilities-matching")
def test_floor_numpy_scores(benchmark, table):
    masks = _masks(table)
    benchmark(floor_scores, table, masks, NEED)


@pytest.mark.benchmark(group="facilities-matching")
def test_rank_one_need_against_ten_thousand_offers(benchmark, table):
    matches = benchmark(matching.rank, NEED, table, limit=20)
    assert len(matches) == 20 and all(m.reasons for m in matches)


def test_ratio_in_alternating_blocks(table):
    """Both timed in alternating blocks (the machine drifts); the medians and their ratio are printed."""
    masks = _masks(table)
    floor, ours = [], []
    for _ in range(30):
        start = time.perf_counter()
        floor_scores(table, masks, NEED)
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        matching.rank(NEED, table, limit=20)
        ours.append(time.perf_counter() - start)
    f, o = float(np.median(floor)) * 1000, float(np.median(ours)) * 1000
    print(f"\nmatching 10,000 offers: rank {o:.2f} ms, NumPy floor {f:.2f} ms, ratio {o / f:.2f}")


def test_building_the_table_once(table):
    """Not part of matching: the column table is built once from the offers (printed for the docs)."""
    offers = [
        matching.Offer(i, "DE", 50.0, 10.0, frozenset({"gmp_manufacturing"}), frozenset({"car_t"}))
        for i in range(N_OFFERS)
    ]
    start = time.perf_counter()
    matching.OfferTable(offers, table.vocabulary)
    print(f"\nbuilding the OfferTable of 10,000 offers: {(time.perf_counter() - start) * 1000:.1f} ms")
