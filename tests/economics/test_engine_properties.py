"""Properties the rNPV model must have, checked on random inputs with hypothesis."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from economics.engine import Conventions, DiscountTiming, EvaluationInputs, Market, Phase, evaluate
from economics.engine.model import ErosionTarget, UptakeCurve
from economics.engine.montecarlo import combine, monte_carlo_plan, run_chunk, run_monte_carlo

from .reference import reference_values

money = st.floats(0, 5e7, allow_nan=False)
probability = st.floats(0, 1)


@st.composite
def evaluation_inputs(draw, probabilities=probability, discount=None):
    discount = st.floats(0, 0.3) if discount is None else discount
    phases = tuple(
        Phase(f"P{i}", draw(st.floats(0.25, 4)), draw(money), draw(probabilities), draw(st.booleans()))
        for i in range(draw(st.integers(0, 5)))
    )
    market = Market(
        eligible_patients_per_year=draw(st.floats(0, 5000)),
        peak_treated_share=draw(probability),
        years_to_peak=draw(st.floats(0, 6)),
        price_per_treatment_eur=draw(st.floats(0, 2e6)),
        cogs_per_treatment_eur=draw(st.floats(0, 3e5)),
        price_erosion_per_year=draw(st.floats(0, 0.2)),
        exclusivity_years=draw(st.none() | st.floats(0, 15)),
        revenue_drop_after_exclusivity=draw(probability),
        manufacturing_setup_eur=draw(money),
        commercial_cost_eur_per_year=draw(st.floats(0, 1e7)),
        pharmacovigilance_cost_eur_per_year=draw(st.floats(0, 1e6)),
        launch_delay_years=draw(st.floats(0, 3)),
        launch_cost_eur=draw(st.floats(0, 2e7)),
        uptake_steepness=draw(st.floats(0.1, 5)),
        uptake_curve=draw(st.sampled_from(list(UptakeCurve))),
        erosion_steps_after_exclusivity=tuple(draw(st.lists(probability, max_size=4))),
        erosion_applies_to=draw(st.sampled_from(list(ErosionTarget))),
    )
    development = sum(p.duration_years for p in phases) + market.launch_delay_years
    horizon = draw(st.integers(int(np.ceil(development)) + 1, 40))
    timing = draw(st.sampled_from(list(DiscountTiming)))
    conventions = Conventions(timing, tax_loss_carry_forward=draw(st.booleans()))
    return EvaluationInputs(phases, market, draw(discount), draw(st.floats(0, 0.5)), horizon, conventions)


def _close(a, b):
    return a == pytest.approx(b, rel=1e-8, abs=0.01)


@given(evaluation_inputs())
@settings(max_examples=150, deadline=None)
def test_engine_agrees_with_the_plain_python_reference(inputs):
    npv, rnpv = reference_values(inputs)
    result = evaluate(inputs)
    assert _close(result.npv_eur, npv)
    assert _close(result.rnpv_eur, rnpv)


@given(evaluation_inputs(probabilities=st.just(1.0)))
@settings(max_examples=80, deadline=None)
def test_with_every_probability_at_one_rnpv_equals_npv(inputs):
    result = evaluate(inputs)
    assert _close(result.rnpv_eur, result.npv_eur)


@given(evaluation_inputs(discount=st.just(0.0)))
@settings(max_examples=80, deadline=None)
def test_at_zero_discount_rate_rnpv_is_the_probability_weighted_sum(inputs):
    result = evaluate(inputs)
    # Weight each component by the probability of the event it depends on, and just add.
    reach = [s.probability for s in result.stage_probabilities]
    phase_costs = sum(p.total_cost_eur * reach[i] for i, p in enumerate(inputs.phases))
    setup = sum(r.manufacturing_setup_eur for r in result.rows) * (reach[-2] if inputs.phases else 1.0)
    commercial = sum(r.revenue_eur - r.cogs_eur - r.operating_cost_eur - r.tax_eur for r in result.rows)
    assert _close(result.rnpv_eur, commercial * reach[-1] - setup - phase_costs)


@given(evaluation_inputs(), st.floats(0.1, 5))
@settings(max_examples=80, deadline=None)
def test_a_later_launch_never_raises_the_value_of_a_positive_stream(inputs, delay):
    # A positive stream: no costs at all, only revenue.
    market = replace(
        inputs.market,
        cogs_per_treatment_eur=0,
        manufacturing_setup_eur=0,
        commercial_cost_eur_per_year=0,
        pharmacovigilance_cost_eur_per_year=0,
        launch_cost_eur=0,
    )
    positive = replace(inputs, market=market, phases=tuple(replace(p, cost_eur=0) for p in inputs.phases))
    later = replace(
        positive,
        market=replace(market, launch_delay_years=market.launch_delay_years + delay),
        horizon_years=positive.horizon_years + 6,
    )
    assert evaluate(later).rnpv_eur <= evaluate(replace(positive, horizon_years=later.horizon_years)).rnpv_eur + 1e-6


@given(evaluation_inputs(), st.floats(0.01, 0.5))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_higher_success_probability_never_lowers_rnpv_when_launch_pays(inputs, extra):
    if not inputs.phases:
        return
    last = inputs.phases[-1]

    def with_last(p):
        return evaluate(replace(inputs, phases=(*inputs.phases[:-1], replace(last, success_probability=p)))).rnpv_eur

    # The last phase's probability only scales the value of launching: worth more if that value is positive.
    launch_pays = with_last(1.0) >= with_last(0.0)
    if launch_pays:
        assert with_last(min(1.0, last.success_probability + extra)) >= with_last(last.success_probability) - 1e-6


@given(evaluation_inputs())
@settings(max_examples=40, deadline=None)
def test_break_even_price_makes_rnpv_cross_zero(inputs):
    price = evaluate(inputs).break_even_price_eur
    if price is None or price == 0:
        return
    at = evaluate(replace(inputs, market=replace(inputs.market, price_per_treatment_eur=price)))
    below = evaluate(replace(inputs, market=replace(inputs.market, price_per_treatment_eur=max(price - 0.01, 0))))
    assert at.rnpv_eur >= -1e-6
    assert below.rnpv_eur < 1e-6


def _project():
    return EvaluationInputs(
        phases=(Phase("Phase 1", 2, 5e6, 0.6), Phase("Phase 2", 3, 15e6, 0.35), Phase("Phase 3", 3, 40e6, 0.6)),
        market=Market(500, 0.5, 3, 350_000, cogs_per_treatment_eur=80_000, manufacturing_setup_eur=1e7),
        discount_rate=0.105,
        tax_rate=0.25,
        horizon_years=20,
    )


def test_monte_carlo_mean_converges_to_the_rnpv():
    inputs = _project()
    result = run_monte_carlo(inputs, {}, n=200_000, seed=7, chunk_size=50_000)
    rnpv = evaluate(inputs).rnpv_eur
    assert abs(result["mean_npv_eur"] - rnpv) < 4 * result["standard_error_eur"]
    shares = {o["stopped_at"]: o["share"] for o in result["outcomes"]}
    assert shares["Phase 1"] == pytest.approx(0.4, abs=0.005)
    assert shares["Launched"] == pytest.approx(0.6 * 0.35 * 0.6, abs=0.005)
    assert sum(o["count"] for o in result["outcomes"]) == result["n"] == 200_000
    assert sum(result["histogram"]["counts"]) == 200_000


def test_monte_carlo_is_reproducible_and_independent_of_chunk_order():
    inputs = _project()
    first = run_monte_carlo(inputs, {}, n=30_000, seed=11, chunk_size=10_000)
    assert run_monte_carlo(inputs, {}, n=30_000, seed=11, chunk_size=10_000) == first
    plan = monte_carlo_plan(inputs, {}, 30_000, 11, 10_000)
    chunks = [run_chunk(inputs, {}, size, ss, plan["edges"]) for size, ss in reversed(plan["chunks"])]
    assert combine(chunks, plan["edges"], ["Phase 1", "Phase 2", "Phase 3"]) == first
    assert run_monte_carlo(inputs, {}, n=30_000, seed=12, chunk_size=10_000) != first


def test_monte_carlo_percentiles_are_ordered_and_within_range():
    result = run_monte_carlo(_project(), {}, n=20_000, seed=3, chunk_size=20_000)
    values = [result["percentiles_eur"][k] for k in ("5", "10", "25", "50", "75", "90", "95")]
    assert values == sorted(values)
    assert result["min_npv_eur"] <= values[0] and values[-1] <= result["max_npv_eur"]
    assert 0 < result["probability_npv_positive"] < 1


@given(evaluation_inputs(), st.integers(0, 2**32 - 1))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_monte_carlo_fast_path_values_failed_projects_exactly_like_the_full_model(inputs, seed):
    """Skipping the sales years of projects that never launch changes no simulated NPV."""
    from economics.engine.cashflows import param_arrays, project_values

    n = 64
    pa = param_arrays(inputs, n)
    rng = np.random.default_rng(seed)
    outcomes = rng.random(pa.probabilities.shape) < pa.probabilities
    reached = np.cumprod(np.hstack([np.ones((n, 1), dtype=bool), outcomes]), axis=1).astype(float)
    timing = inputs.conventions.discount_timing
    _, full = project_values(pa, inputs.horizon_years, timing, reached)
    _, fast = project_values(pa, inputs.horizon_years, timing, reached, with_unadjusted=False)
    np.testing.assert_allclose(fast, full, rtol=1e-12, atol=1e-6)
