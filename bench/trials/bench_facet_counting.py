"""The two ways FacetColumn.counts counts one facet, at 100,000 records, against counting every code.

FacetColumn.counts picks out the records when few are in the result and weights every
code by its record's 0/1 when many are (trials/facet_index.py, SPARSE_BELOW). Each way
is timed on both sides of that line, for a single-valued facet (8 values, as phase) and
a many-valued one (175,000 record-country pairs, 20 countries, as the generator makes).
Floor: np.bincount of every code with no selection at all, the counting alone.

Run: make bench BENCH=bench/trials/bench_facet_counting.py   (no database needed)
"""

from __future__ import annotations

import numpy as np
import pytest

from trials import facet_index

RECORDS = 100_000
SHARES = {"sparse-1pc": 0.01, "dense-50pc": 0.5}
WAYS = {"pick-out": 2.0, "weighted": 0.0}  # SPARSE_BELOW that forces each way


def _single() -> facet_index.FacetColumn:
    rng = np.random.default_rng(1)
    values = [f"phase_{i}" for i in range(8)]
    return facet_index.FacetColumn(values, values, rng.integers(0, 9, RECORDS).astype(np.intp))


def _many() -> facet_index.FacetColumn:
    rng = np.random.default_rng(2)
    keys = np.unique(rng.integers(0, RECORDS, 175_000) * 21 + rng.integers(1, 21, 175_000))
    rows = keys // 21
    values = [f"C{i}" for i in range(20)]
    return facet_index.FacetColumn(
        values, values, keys % 21, rows=rows, starts=np.searchsorted(rows, np.arange(RECORDS + 1))
    )


COLUMNS = {"single": _single(), "pairs": _many()}


def _mask(share: float) -> np.ndarray:
    return np.random.default_rng(3).random(RECORDS) < share


@pytest.mark.parametrize("share", SHARES)
@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("way", WAYS)
def test_count(benchmark, monkeypatch, way, column, share):
    benchmark.group = f"facet-counting-{column}-{share}"
    monkeypatch.setattr(facet_index, "SPARSE_BELOW", WAYS[way])
    among = _mask(SHARES[share])
    counts = benchmark(COLUMNS[column].counts, among)
    assert counts.sum() > 0


@pytest.mark.parametrize("share", SHARES)
@pytest.mark.parametrize("column", COLUMNS)
def test_floor_bincount_of_every_code(benchmark, column, share):
    benchmark.group = f"facet-counting-{column}-{share}"
    benchmark(np.bincount, COLUMNS[column].codes)
