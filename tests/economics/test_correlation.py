"""Correlated uncertain inputs (Iman–Conover): the achieved rank correlation is the one requested."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economics.engine import InputError
from economics.engine.correlation import Correlation, Uncertainty, rank_correlate
from economics.engine.defaults import default_inputs
from economics.engine.distributions import Distribution, DistributionKind
from economics.engine.montecarlo import simulate_npv, validate_uncertainty
from economics.engine.serialization import inputs_from_dict, uncertainty_from_dict, uncertainty_to_dict

PRICE, SHARE = "market.price_per_treatment_eur", "market.peak_treated_share"


def spearman(x, y) -> float:
    return float(np.corrcoef(np.argsort(np.argsort(x)), np.argsort(np.argsort(y)))[0, 1])


def uncertainty(rho: float) -> Uncertainty:
    return Uncertainty(
        {
            PRICE: Distribution(DistributionKind.PERT, low=250_000, mode=350_000, high=450_000),
            SHARE: Distribution(DistributionKind.LOGNORMAL, mode=0.2, sd=0.05),
        },
        (Correlation(PRICE, SHARE, rho),),
    )


@settings(max_examples=15, deadline=None)
@given(st.floats(-0.9, 0.9), st.integers(0, 2**32))
def test_the_achieved_rank_correlation_is_the_requested_one_and_each_input_keeps_its_values(rho, seed):
    rng = np.random.default_rng(seed)
    u = uncertainty(rho)
    drawn = {path: dist.sample(rng, 20_000) for path, dist in u.items()}
    paired = rank_correlate(drawn, u.correlations, rng)
    assert spearman(paired[PRICE], paired[SHARE]) == pytest.approx(rho, abs=0.03)
    for path in drawn:  # the same values, only paired differently
        assert np.array_equal(np.sort(paired[path]), np.sort(drawn[path]))


def test_three_inputs_at_once():
    u = uncertainty(0.6)
    third = "market.eligible_patients_per_year"
    u = Uncertainty(
        dict(u) | {third: Distribution(DistributionKind.UNIFORM, low=500, high=1500)},
        (*u.correlations, Correlation(third, SHARE, -0.4)),
    )
    rng = np.random.default_rng(5)
    paired = rank_correlate({p: d.sample(rng, 50_000) for p, d in u.items()}, u.correlations, rng)
    assert spearman(paired[PRICE], paired[SHARE]) == pytest.approx(0.6, abs=0.02)
    assert spearman(paired[third], paired[SHARE]) == pytest.approx(-0.4, abs=0.02)
    assert spearman(paired[third], paired[PRICE]) == pytest.approx(0.0, abs=0.03)


def test_contradicting_or_incomplete_correlations_are_refused():
    inputs = inputs_from_dict(default_inputs("car_t", "oncology", "phase_1")[0])
    third = "market.eligible_patients_per_year"
    u = uncertainty(0.95)
    contradiction = Uncertainty(
        dict(u) | {third: Distribution(DistributionKind.UNIFORM, low=500, high=1500)},
        (*u.correlations, Correlation(third, SHARE, 0.95), Correlation(third, PRICE, -0.95)),
    )
    with pytest.raises(InputError) as caught:
        validate_uncertainty(inputs, contradiction)
    assert "contradict" in str(caught.value)
    with pytest.raises(InputError) as caught:
        validate_uncertainty(inputs, Uncertainty(dict(u), (Correlation(PRICE, "discount_rate", 0.5),)))
    assert "Give both inputs a distribution first." in str(caught.value)


def test_correlations_round_trip_through_the_stored_format_and_change_the_simulation():
    stored = uncertainty_to_dict(uncertainty(0.8))
    assert stored["correlations"] == [{"a": PRICE, "b": SHARE, "rank_correlation": 0.8}]
    parsed = uncertainty_from_dict(stored)
    assert parsed.correlations == (Correlation(PRICE, SHARE, 0.8),)
    inputs = inputs_from_dict(default_inputs("car_t", "oncology", "phase_1")[0])
    validate_uncertainty(inputs, parsed)
    positive, _ = simulate_npv(inputs, parsed, 40_000, np.random.default_rng(1))
    independent, _ = simulate_npv(inputs, Uncertainty(dict(parsed)), 40_000, np.random.default_rng(1))
    # Price and uptake rising together widen the spread of launched projects' values.
    assert positive.std() > independent.std()
