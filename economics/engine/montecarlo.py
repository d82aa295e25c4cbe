"""Monte Carlo: simulate N projects in chunks and combine the chunk summaries.

A simulated project draws every uncertain input from its distribution and the
outcome of each phase as a Bernoulli trial with that phase's (possibly sampled)
probability of success; it stops spending at the first failed phase. Each chunk
returns a small summary (moments, a fine histogram on shared bin edges, counts by
stopping phase), never the raw values, so chunks can run on different workers and
be combined in any order with the same result.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .cashflows import param_arrays, project_values
from .correlation import correlation_errors, correlations_of, rank_correlate
from .distributions import Distribution
from .model import EvaluationInputs, InputError, scalar_paths
from .validation import range_errors, validate

PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
FINE_BINS = 2000  # percentiles are read from this histogram: resolution = range / 2000
DISPLAY_BINS = 40
PILOT_SIMULATIONS = 4000
_BLOCK = 50_000  # simulations per vectorised block: bounds memory at ~8 MB per (block, 20 years) array


def validate_uncertainty(inputs: EvaluationInputs, uncertainty: Mapping[str, Distribution]) -> None:
    validate(inputs)
    known = set(scalar_paths(inputs))
    errors: dict[str, list[str]] = {}
    for path, dist in uncertainty.items():
        if path not in known:
            errors.setdefault(f"uncertainty.{path}", []).append("Not an input of this evaluation.")
            continue
        problems = dist.errors()
        for name, message in problems.items():
            errors.setdefault(f"uncertainty.{path}.{name}", []).append(message)
        if not problems:
            for message in range_errors(inputs, path, *dist.bounds):
                errors.setdefault(f"uncertainty.{path}", []).append(message)
    errors |= correlation_errors(uncertainty)
    if errors:
        raise InputError(errors)


def simulate_npv(
    inputs: EvaluationInputs,
    uncertainty: Mapping[str, Distribution],
    n: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """NPV of n simulated projects and the phase index where each stopped (P = launched)."""
    overrides = {path: dist.sample(rng, n) for path, dist in sorted(uncertainty.items())}
    overrides = rank_correlate(overrides, correlations_of(uncertainty), rng)
    pa = param_arrays(inputs, n, overrides)
    phases = pa.probabilities.shape[1]
    # Phase outcomes, then a False column: the first False is where the project stopped (P = launched).
    outcomes = np.zeros((n, phases + 1), dtype=bool)
    np.less(rng.random(pa.probabilities.shape), pa.probabilities, out=outcomes[:, :phases])
    stopped_at = outcomes.argmin(axis=1)
    reached = (np.arange(phases + 1) <= stopped_at[:, None]).astype(float)
    _, npv = project_values(
        pa, inputs.horizon_years, inputs.conventions.discount_timing, reached, with_unadjusted=False
    )
    return npv, stopped_at


@dataclass(frozen=True)
class ChunkSummary:
    n: int
    total: float
    total_squares: float
    positive: int
    minimum: float
    maximum: float
    histogram: tuple[int, ...]  # FINE_BINS counts on the shared edges (+ under/overflow at the ends)
    stopped_counts: tuple[int, ...]  # per phase, then launched
    stopped_totals: tuple[float, ...]

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, data: dict) -> ChunkSummary:
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})


def histogram_edges(inputs, uncertainty, seed_sequence: np.random.SeedSequence) -> list[float]:
    """Shared bin edges from a pilot run, widened so the full run rarely falls outside."""
    npv, _ = simulate_npv(inputs, uncertainty, PILOT_SIMULATIONS, np.random.default_rng(seed_sequence))
    low, high = float(npv.min()), float(npv.max())
    margin = max((high - low) * 0.25, abs(high) * 0.01, 1.0)
    return np.linspace(low - margin, high + margin, FINE_BINS - 1).tolist()


def run_chunk(inputs, uncertainty, n: int, seed_sequence: np.random.SeedSequence, edges) -> ChunkSummary:
    rng = np.random.default_rng(seed_sequence)
    phases = len(inputs.phases)
    counts = np.zeros(FINE_BINS, dtype=np.int64)
    stopped_counts = np.zeros(phases + 1, dtype=np.int64)
    stopped_totals = np.zeros(phases + 1)
    total = squares = 0.0
    positive = 0
    minimum, maximum = np.inf, -np.inf
    inner_edges = np.asarray(edges)
    done = 0
    while done < n:
        size = min(_BLOCK, n - done)
        npv, stopped = simulate_npv(inputs, uncertainty, size, rng)
        # searchsorted puts values below the first edge in bin 0 and above the last in the last bin.
        counts += np.bincount(np.searchsorted(inner_edges, npv, side="right"), minlength=FINE_BINS)
        stopped_counts += np.bincount(stopped, minlength=phases + 1)
        stopped_totals += np.bincount(stopped, weights=npv, minlength=phases + 1)
        total += float(npv.sum())
        squares += float(np.dot(npv, npv))
        positive += int((npv > 0).sum())
        minimum, maximum = min(minimum, float(npv.min())), max(maximum, float(npv.max()))
        done += size
    return ChunkSummary(
        n,
        total,
        squares,
        positive,
        minimum,
        maximum,
        tuple(int(c) for c in counts),
        tuple(int(c) for c in stopped_counts),
        tuple(float(t) for t in stopped_totals),
    )


def chunk_sizes(n: int, chunk_size: int) -> list[int]:
    full, rest = divmod(n, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def combine(chunks: list[ChunkSummary], edges, phase_names: list[str]) -> dict:
    """The stored Monte Carlo result: summary statistics, histogram for display, outcomes."""
    n = sum(c.n for c in chunks)
    counts = np.sum([c.histogram for c in chunks], axis=0)
    # fsum: the same result whatever order the chunks come back in.
    mean = math.fsum(c.total for c in chunks) / n
    variance = max(math.fsum(c.total_squares for c in chunks) / n - mean**2, 0.0)
    minimum, maximum = min(c.minimum for c in chunks), max(c.maximum for c in chunks)
    stopped_counts = np.sum([c.stopped_counts for c in chunks], axis=0)
    stopped_totals = [math.fsum(c.stopped_totals[i] for c in chunks) for i in range(len(phase_names) + 1)]
    # Fine-bin boundaries, with the open end bins closed at the observed min and max.
    inner = np.asarray(edges)
    bounds = np.concatenate([[min(minimum, inner[0])], inner, [max(maximum, inner[-1])]])
    labels = [*phase_names, "Launched"]
    return {
        "n": n,
        "mean_npv_eur": mean,
        "sd_npv_eur": variance**0.5,
        "standard_error_eur": (variance / n) ** 0.5,
        "probability_npv_positive": sum(c.positive for c in chunks) / n,
        "min_npv_eur": minimum,
        "max_npv_eur": maximum,
        "percentiles_eur": {str(p): _percentile(counts, bounds, p / 100) for p in PERCENTILES},
        "percentile_resolution_eur": float(inner[1] - inner[0]) if inner.size > 1 else 0.0,
        "histogram": _display_histogram(counts, bounds, minimum, maximum),
        "outcomes": [
            {
                "stopped_at": label,
                "count": int(stopped_counts[i]),
                "share": float(stopped_counts[i] / n),
                "mean_npv_eur": float(stopped_totals[i] / stopped_counts[i]) if stopped_counts[i] else None,
            }
            for i, label in enumerate(labels)
        ],
    }


def _percentile(counts: np.ndarray, bounds: np.ndarray, q: float) -> float:
    """Linear interpolation inside the fine bin holding the q-quantile."""
    cumulative = np.cumsum(counts)
    target = q * cumulative[-1]
    i = int(np.searchsorted(cumulative, target, side="left"))
    before = cumulative[i - 1] if i else 0
    inside = (target - before) / counts[i] if counts[i] else 0.0
    return float(bounds[i] + inside * (bounds[i + 1] - bounds[i]))


def _display_histogram(counts, bounds, minimum, maximum) -> dict:
    """Re-bin the fine histogram to DISPLAY_BINS bins spanning the observed range."""
    if maximum <= minimum:
        return {"edges_eur": [minimum, minimum + 1.0], "counts": [int(counts.sum())]}
    edges = np.linspace(minimum, maximum, DISPLAY_BINS + 1)
    centres = (bounds[:-1] + bounds[1:]) / 2
    centres = np.clip(centres, minimum, maximum)
    idx = np.clip(np.searchsorted(edges, centres, side="right") - 1, 0, DISPLAY_BINS - 1)
    display = np.bincount(idx, weights=counts, minlength=DISPLAY_BINS)
    return {"edges_eur": edges.tolist(), "counts": [int(c) for c in display]}


def run_monte_carlo(inputs, uncertainty, n: int, seed: int, chunk_size: int) -> dict:
    """The whole run in one process: the same pieces the Celery tasks call, in the same order."""
    validate_uncertainty(inputs, uncertainty)
    plan = monte_carlo_plan(inputs, uncertainty, n, seed, chunk_size)
    chunks = [run_chunk(inputs, uncertainty, size, ss, plan["edges"]) for size, ss in plan["chunks"]]
    return combine(chunks, plan["edges"], [p.name for p in inputs.phases])


def monte_carlo_plan(inputs, uncertainty, n: int, seed: int, chunk_size: int) -> dict:
    """Chunk sizes with their own seed sequences, plus the pilot's histogram edges.

    The chunks depend on (seed, n, chunk_size) only, never on the number of workers,
    so a run is reproducible however many workers take part.
    """
    sizes = chunk_sizes(n, chunk_size)
    pilot, *streams = np.random.SeedSequence(seed).spawn(len(sizes) + 1)
    return {"edges": histogram_edges(inputs, uncertainty, pilot), "chunks": list(zip(sizes, streams, strict=True))}
