"""The deal and market terms, each against a case worked out by hand, step by step, plus properties."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from economics.engine import (
    Conventions,
    DiscountTiming,
    EvaluationInputs,
    Licensing,
    Market,
    Milestone,
    Phase,
    evaluate,
)
from economics.engine.model import ErosionTarget, RoyaltyTier, SalesMilestone, UptakeCurve
from economics.engine.rnpv import royalty

from .test_engine_properties import evaluation_inputs


def sales_only(patients=1.0, price=100.0, horizon=3, rate=0.0, tax=0.0, timing=DiscountTiming.END_OF_YEAR, **market):
    """No development: sales year k is year k. Every patient treated from year 1 unless stated."""
    values = dict(
        eligible_patients_per_year=patients, peak_treated_share=1.0, years_to_peak=0.0, price_per_treatment_eur=price
    )
    return EvaluationInputs((), Market(**(values | market)), rate, tax, horizon, Conventions(timing))


# --- Discounting conventions ----------------------------------------------------------
def test_start_of_year_leaves_year_one_undiscounted():
    # 100 a year for 3 years at 10%.
    # End of year:   100/1.1 + 100/1.1² + 100/1.1³ = 90.909 + 82.645 + 75.131 = 248.685
    # Start of year: 100 + 100/1.1 + 100/1.1²      = 100 + 90.909 + 82.645  = 273.554
    # Mid-year:      100/1.1^0.5 + 100/1.1^1.5 + 100/1.1^2.5 = 95.346 + 86.678 + 78.799 = 260.823
    expected = {
        DiscountTiming.END_OF_YEAR: 248.685,
        DiscountTiming.START_OF_YEAR: 273.554,
        DiscountTiming.MID_YEAR: 260.823,
    }
    for timing, value in expected.items():
        result = evaluate(sales_only(rate=0.1, timing=timing))
        assert result.rnpv_eur == pytest.approx(value, abs=0.001), timing
        assert result.conventions["discount_timing"] == timing  # printed with every result
    assert evaluate(sales_only(rate=0.1, timing=DiscountTiming.START_OF_YEAR)).rows[0].discount_factor == 1.0


# --- Uptake ------------------------------------------------------------------------------
def test_s_curve_uptake_by_hand():
    # T = 4 years to peak, steepness s = 1: L(x) = 1 / (1 + e^-(x - 2)).
    # L(0) = 0.119203, L(1) = 0.268941, L(2) = 0.5, L(3) = 0.731059, L(4) = 0.880797; L(4) - L(0) = 0.761594.
    # Share of peak: year 1 = 0.149738 / 0.761594 = 0.196612; year 2 = 0.380797 / 0.761594 = 0.5;
    # year 3 = 0.611856 / 0.761594 = 0.803388; year 4 on = 1.
    # 100 patients at €1, r = 0, 5 years: 100 x (0.196612 + 0.5 + 0.803388 + 1 + 1) = 350.
    inputs = sales_only(
        patients=100, price=1, horizon=5, years_to_peak=4, uptake_curve=UptakeCurve.S_CURVE, uptake_steepness=1.0
    )
    result = evaluate(inputs)
    assert [round(r.patients_treated, 4) for r in result.rows] == [19.6612, 50.0, 80.3388, 100.0, 100.0]
    assert result.rnpv_eur == pytest.approx(350.0)
    linear = evaluate(replace(inputs, market=replace(inputs.market, uptake_curve=UptakeCurve.LINEAR)))
    assert [r.patients_treated for r in linear.rows] == [25.0, 50.0, 75.0, 100.0, 100.0]


# --- Loss of exclusivity ---------------------------------------------------------------
def test_multi_step_erosion_on_price_and_on_volume_by_hand():
    # 10 patients, price 100, cost of goods 40, exclusivity 1 sales year, then -50% and a further -50%.
    # On price:  year 1: 10 x (100 - 40) = 600; year 2: price 50: 10 x (50 - 40) = 100;
    #            years 3, 4: price 25: 10 x (25 - 40) = -150 each. Total 600 + 100 - 150 - 150 = 400.
    # On volume: year 1: 600; year 2: 5 patients x 60 = 300; years 3, 4: 2.5 x 60 = 150 each. Total 1200.
    terms = dict(
        cogs_per_treatment_eur=40.0,
        exclusivity_years=1.0,
        revenue_drop_after_exclusivity=0.5,
        erosion_steps_after_exclusivity=(0.5,),
    )
    on_price = evaluate(sales_only(patients=10, horizon=4, **terms))
    assert [r.net_cash_flow_eur for r in on_price.rows] == pytest.approx([600, 100, -150, -150])
    on_volume = evaluate(sales_only(patients=10, horizon=4, erosion_applies_to=ErosionTarget.VOLUME, **terms))
    assert [r.net_cash_flow_eur for r in on_volume.rows] == pytest.approx([600, 300, 150, 150])
    assert [r.cogs_eur for r in on_volume.rows] == pytest.approx([400, 200, 100, 100])  # costs per patient fall too


# --- Launch costs and tax --------------------------------------------------------------
def one_phase(market: Market, tax=0.25, carry_forward=False, horizon=3) -> EvaluationInputs:
    """One free phase of 1 year with P = 0.5: sales year k is year k + 1."""
    return EvaluationInputs(
        (Phase("P1", 1.0, 0.0, 0.5),), market, 0.0, tax, horizon, Conventions(tax_loss_carry_forward=carry_forward)
    )


def test_launch_costs_fall_in_the_first_sales_year_weighted_by_launch_and_deducted_for_tax():
    # Revenue 10 x 100 = 1000 a year in years 2 and 3; launch costs 1000 in year 2; tax 25%; r = 0.
    # Year 2: profit 1000 - 1000 = 0, tax 0.  Year 3: profit 1000, tax 250, net 750.
    # NPV = 750; rNPV = P(launch) 0.5 x 750 = 375.
    # Without launch costs: 2 x 750 = 1500, rNPV 750: the launch costs cost 1000 x (1 - 0.25) x 0.5 = 375.
    market = Market(10, 1.0, 0.0, 100.0, launch_cost_eur=1000.0)
    result = evaluate(one_phase(market))
    assert result.rows[1].operating_cost_eur == 1000.0
    assert (result.npv_eur, result.rnpv_eur) == pytest.approx((750.0, 375.0))
    without = evaluate(one_phase(replace(market, launch_cost_eur=0.0)))
    assert without.rnpv_eur - result.rnpv_eur == pytest.approx(375.0)


def test_tax_loss_carry_forward_by_hand():
    # Revenue 1000 a year in years 2-4 (sales years 1-3); launch costs 1100 in sales year 1; tax 25%; r = 0.
    # Profits: -100, 1000, 1000.
    # No carry-forward: tax 0, 250, 250; net -100 + 750 + 750 = 1400.
    # Carry-forward: year 3 base 1000 - 100 = 900, tax 225; year 4 tax 250; net -100 + 775 + 750 = 1425.
    market = Market(10, 1.0, 0.0, 100.0, launch_cost_eur=1100.0)
    plain = evaluate(one_phase(market, horizon=4))
    carried = evaluate(one_phase(market, carry_forward=True, horizon=4))
    assert [r.tax_eur for r in plain.rows] == pytest.approx([0, 0, 250, 250])
    assert [r.tax_eur for r in carried.rows] == pytest.approx([0, 0, 225, 250])
    assert (plain.npv_eur, carried.npv_eur) == pytest.approx((1400.0, 1425.0))
    assert "carried forward" in carried.conventions["tax_rule"]
    assert "no loss carry-forward" in plain.conventions["tax_rule"]


# --- Licensing ---------------------------------------------------------------------------
def test_a_deal_seen_by_licensor_and_licensee_by_hand():
    # One free phase P1 (1 year, P = 0.5); then 20 patients at 100 with a 2-year linear ramp:
    # revenue 1000 (year 2), 2000 (year 3), 2000 (year 4). r = 0, tax 0.
    # Project rNPV = 0.5 x (1000 + 2000 + 2000) = 2500.
    # Licensor: upfront 1000 at signing (certain)                                   = 1000
    #           milestone 200 when P1 succeeds (year 1), x P(pass P1) 0.5           =  100
    #           sales milestone 400 when annual sales first reach 1500 (year 3) x 0.5 =  200
    #           royalties 5% below 1500, 10% above: 50; 75 + 50 = 125; 125 -> 300 x 0.5 = 150
    #           total 1450.  Licensee: 2500 - 1450 = 1050.
    deal = Licensing(
        upfront_eur=1000.0,
        milestones=(Milestone("P1", 200.0),),
        royalty_rate=0.05,
        sales_milestones=(SalesMilestone(1500.0, 400.0),),
        royalty_tiers=(RoyaltyTier(1500.0, 0.10),),
    )
    inputs = replace(one_phase(Market(20, 1.0, 2.0, 100.0), tax=0.0, horizon=4), licensing=deal)
    result = evaluate(inputs)
    assert result.rnpv_eur == pytest.approx(2500.0)
    assert result.licensing.rnpv_eur == pytest.approx(1450.0)
    assert result.licensing.licensee_rnpv_eur == pytest.approx(1050.0)
    assert result.licensing.npv_eur == pytest.approx(1000 + 200 + 400 + 300)


def test_an_upfront_at_signing_is_undiscounted_and_a_later_one_discounted():
    # Upfront 1000 at 10%: at signing 1000; at year 2: 1000 / 1.1² = 826.446.
    inputs = replace(sales_only(rate=0.1), licensing=Licensing(upfront_eur=1000.0))
    assert evaluate(inputs).licensing.rnpv_eur == pytest.approx(1000.0)
    later = replace(inputs, licensing=Licensing(upfront_eur=1000.0, upfront_year=2.0))
    assert evaluate(later).licensing.rnpv_eur == pytest.approx(826.446, abs=0.001)


# --- Properties ---------------------------------------------------------------------------
@given(
    st.floats(0, 1e9),
    st.floats(0, 1e9),
    st.floats(0, 1),
    st.lists(st.tuples(st.floats(0, 1e9), st.floats(0, 1)), max_size=4),
)
def test_royalties_never_fall_when_sales_rise(sales_a, sales_b, base, tiers):
    tiers = [RoyaltyTier(above, rate) for above, rate in tiers]
    low, high = sorted((sales_a, sales_b))
    amounts = royalty(np.array([low, high]), base, tiers)
    assert amounts[1] >= amounts[0] - 1e-6 * max(1.0, amounts[0])


@given(evaluation_inputs(), st.floats(0, 1))
@settings(max_examples=80, deadline=None)
def test_a_further_erosion_step_never_raises_the_value(inputs, step):
    market = inputs.market
    if market.erosion_applies_to == ErosionTarget.VOLUME:  # with no cost per patient, less volume is never better
        market = replace(market, cogs_per_treatment_eur=0.0)
    market = replace(market, exclusivity_years=market.exclusivity_years or 2.0)
    before = replace(inputs, market=market)
    after = replace(
        before, market=replace(market, erosion_steps_after_exclusivity=(*market.erosion_steps_after_exclusivity, step))
    )
    assert evaluate(after).rnpv_eur <= evaluate(before).rnpv_eur + 1e-6


@given(evaluation_inputs())
@settings(max_examples=80, deadline=None)
def test_carrying_losses_forward_never_raises_the_tax(inputs):
    plain = replace(inputs, conventions=replace(inputs.conventions, tax_loss_carry_forward=False))
    carried = replace(inputs, conventions=replace(inputs.conventions, tax_loss_carry_forward=True))
    with_carry = sum(r.tax_eur for r in evaluate(carried).rows)
    without = sum(r.tax_eur for r in evaluate(plain).rows)
    assert with_carry <= without * (1 + 1e-12) + 1e-6  # floating sums differ in the last digits


@given(evaluation_inputs())
@settings(max_examples=60, deadline=None)
def test_s_curve_uptake_rises_from_zero_to_the_peak(inputs):
    s_curve = replace(inputs, market=replace(inputs.market, uptake_curve=UptakeCurve.S_CURVE, exclusivity_years=None))
    peak = s_curve.market.eligible_patients_per_year * s_curve.market.peak_treated_share
    treated = [r.patients_treated for r in evaluate(s_curve).rows]
    assert all(0 <= t <= peak * (1 + 1e-12) for t in treated)
    assert all(b >= a - 1e-9 for a, b in zip(treated, treated[1:], strict=False))
