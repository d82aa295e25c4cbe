"""Monte Carlo engine vs a plain Python loop vs drawing the random numbers alone.

1,000,000 simulations of a 20-year project (5 phases, 3 uncertain inputs), one core.
The plain Python loop runs 20,000 simulations and is scaled to 1,000,000 (x 50): running
it in full would take minutes. `make bench BENCH=bench/economics/bench_montecarlo.py` prints the figures; the
ratios go in docs/benchmarks.md.
"""

import math

import numpy as np
import pytest

from economics.engine.defaults import default_inputs
from economics.engine.montecarlo import simulate_npv
from economics.engine.serialization import inputs_from_dict, uncertainty_from_dict
from tests.economics.reference import reference_values

N = 1_000_000
LOOP_N = 20_000

UNCERTAINTY = {
    "market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, "high": 450000},
    "phases.2.duration_years": {"kind": "triangular", "low": 2, "mode": 3, "high": 5},
    "market.eligible_patients_per_year": {"kind": "normal", "mode": 1000, "sd": 200, "low": 500, "high": 1500},
}


def _project():
    data, _ = default_inputs("car_t", "oncology", "preclinical")
    data["horizon_years"] = 20
    data["phases"][3]["duration_years"] = 2.0  # development fits well inside 20 years
    return inputs_from_dict(data), uncertainty_from_dict(UNCERTAINTY)


def _engine(inputs, uncertainty, rng):
    done = 0
    while done < N:  # the chunk loop of run_chunk, without the histogram bookkeeping
        simulate_npv(inputs, uncertainty, 50_000, rng)
        done += 50_000


def _draws_only(inputs, uncertainty, rng):
    """The floor: the same random numbers (inputs and phase outcomes), no cash flows."""
    phases = len(inputs.phases)
    for _ in range(N // 50_000):
        for dist in uncertainty.values():
            dist.sample(rng, 50_000)
        rng.random((50_000, phases))


def _python_loop(inputs, uncertainty, rng):
    """The same model, one simulated project at a time, in plain Python."""
    from dataclasses import replace

    paths = sorted(uncertainty)
    for _ in range(LOOP_N):
        sim = inputs
        for path in paths:
            sim = sim.with_value(path, float(uncertainty[path].sample(rng, 1)[0]))
        outcomes = [rng.random() < p.success_probability for p in sim.phases]
        failed_at = outcomes.index(False) if False in outcomes else None
        if failed_at is not None:  # stop spending after the failed phase; no sales
            sim = replace(
                sim,
                phases=sim.phases[: failed_at + 1],
                market=replace(
                    sim.market,
                    eligible_patients_per_year=0,
                    manufacturing_setup_eur=0,
                    commercial_cost_eur_per_year=0,
                    pharmacovigilance_cost_eur_per_year=0,
                ),
            )
        reference_values(sim)


@pytest.mark.parametrize("kind", ["engine", "draws_only", "python_loop"])
def test_monte_carlo_1m_sims_20_years(benchmark, kind):
    inputs, uncertainty = _project()
    rng = np.random.default_rng(1)
    function = {"engine": _engine, "draws_only": _draws_only, "python_loop": _python_loop}[kind]
    rounds = 1 if kind == "python_loop" else 3
    benchmark.extra_info["simulations"] = LOOP_N if kind == "python_loop" else N
    benchmark.extra_info["scale_to_1m"] = N / LOOP_N if kind == "python_loop" else 1
    benchmark.pedantic(function, args=(inputs, uncertainty, rng), rounds=rounds, iterations=1)
    assert math.isfinite(benchmark.stats.stats.median)
