"""The rNPV engine on its own: no database, no client.

Published figures reproduced (to the published rounding):
* BIO/Informa/QLS, Clinical Development Success Rates 2011–2020: phase transitions
  52.0%, 28.9%, 57.8%, 90.6% give a likelihood of approval from phase 1 of 7.9%.
* BIO, Clinical Development Success Rates 2006–2015: 63.2%, 30.7%, 58.1%, 85.3% -> 9.6%.
* Mid-year discounting at 10%: the factor for a flow half a year out is 0.9535
  (sapling.com, "How to calculate a risk-adjusted NPV": 1 / 1.1^0.5 = 0.9535).
The full cash-flow tables of Stewart et al. (2001) and Svennebring & Wikberg (2013)
could not be retrieved, so the cash-flow cases below are hand-worked, step by step.
"""

import math
import subprocess
import sys
from dataclasses import replace

import pytest

from economics.engine import (
    Conventions,
    DiscountTiming,
    EvaluationInputs,
    InputError,
    Licensing,
    Market,
    Milestone,
    Phase,
    evaluate,
)
from economics.engine.serialization import inputs_from_dict, inputs_to_dict


def one_phase_case(**changes) -> EvaluationInputs:
    """One 1-year phase costing 100 with p = 0.5, then 10 patients a year at price 30, r = 10%."""
    inputs = EvaluationInputs(
        phases=(Phase("Phase 1", 1, 100, 0.5),),
        market=Market(eligible_patients_per_year=10, peak_treated_share=1, years_to_peak=0, price_per_treatment_eur=30),
        discount_rate=0.10,
        tax_rate=0.0,
        horizon_years=3,
    )
    return replace(inputs, **changes)


def test_hand_worked_one_phase_end_of_year():
    # Year 1: phase 1 costs 100 (certain: P(reach) = 1); years 2 and 3: sales 10 x 30 = 300 with P(launch) = 0.5.
    # NPV  = -100/1.1 + 300/1.1^2 + 300/1.1^3 = -90.909091 + 247.933884 + 225.394440 = 382.42
    # rNPV = -90.909091 + 0.5 x (247.933884 + 225.394440) = 145.76
    result = evaluate(one_phase_case())
    assert round(result.npv_eur, 2) == 382.42
    assert round(result.rnpv_eur, 2) == 145.76
    assert [row.stage for row in result.rows] == ["Phase 1", "Sales year 1", "Sales year 2"]
    assert [round(row.risk_adjusted_cash_flow_eur, 2) for row in result.rows] == [-100.0, 150.0, 150.0]
    assert result.launch_year == 2
    assert result.payback_year == 2  # cumulative: -90.91, then +33.06 and it stays positive
    assert result.peak_sales_eur == 300
    assert result.expected_peak_sales_eur == 150
    assert [(s.stage, s.probability) for s in result.stage_probabilities] == [("Phase 1", 1.0), ("Launch", 0.5)]


def test_hand_worked_break_even_price():
    # rNPV(P) = -100/1.1 + 0.5 x 10 x P x (1/1.1^2 + 1/1.1^3) = 0
    # => P = (100/1.1) x 1.1^3 / (5 x 2.1) = 121 / 10.5 = 11.5238..., first whole cent 11.53
    result = evaluate(one_phase_case())
    assert result.break_even_price_eur == 11.53
    at_break_even = evaluate(one_phase_case(market=replace(one_phase_case().market, price_per_treatment_eur=11.53)))
    below = evaluate(one_phase_case(market=replace(one_phase_case().market, price_per_treatment_eur=11.52)))
    assert at_break_even.rnpv_eur >= 0 > below.rnpv_eur


def test_hand_worked_mid_year_is_end_of_year_times_root_of_one_plus_r():
    mid = evaluate(one_phase_case(conventions=Conventions(discount_timing=DiscountTiming.MID_YEAR)))
    # Each flow moves half a year earlier: every factor is multiplied by 1.1^0.5.
    assert round(mid.rnpv_eur, 2) == round(145.755071 * math.sqrt(1.1), 2) == 152.87
    assert mid.conventions["discount_timing"] == "mid_year"


def test_published_mid_year_factor_at_ten_percent():
    mid = evaluate(one_phase_case(conventions=Conventions(discount_timing=DiscountTiming.MID_YEAR)))
    assert round(mid.rows[0].discount_factor, 4) == 0.9535


@pytest.mark.parametrize(
    ("transitions", "published_loa"),
    [((0.520, 0.289, 0.578, 0.906), 0.079), ((0.632, 0.307, 0.581, 0.853), 0.096)],
    ids=["BIO 2011-2020", "BIO 2006-2015"],
)
def test_published_likelihood_of_approval_from_phase_transitions(transitions, published_loa):
    phases = tuple(Phase(f"P{i}", 1, 0, p) for i, p in enumerate(transitions))
    result = evaluate(one_phase_case(phases=phases, horizon_years=6))
    assert round(result.probability_of_launch, 3) == published_loa


def test_hand_worked_fractional_phase_setup_and_per_year_costs():
    # Phase A: 1.5 years at 200/year (300 in all): year 1 gets 200, year 2 gets 100.
    # Development ends at t = 1.5, so manufacturing set-up (50) falls in year 2 and sales start in year 3.
    inputs = one_phase_case(
        phases=(Phase("A", 1.5, 200, 0.8, cost_is_per_year=True),),
        market=replace(one_phase_case().market, manufacturing_setup_eur=50),
        discount_rate=0.0,
        horizon_years=4,
    )
    result = evaluate(inputs)
    assert [row.development_cost_eur for row in result.rows] == [200, 100, 0, 0]
    assert [row.manufacturing_setup_eur for row in result.rows] == [0, 50, 0, 0]
    assert [row.revenue_eur for row in result.rows] == [0, 0, 300, 300]
    # At r = 0: rNPV = -300 x 1 - 50 x P(reach A) + 600 x 0.8 = -300 - 50 + 480 = 130
    assert result.rnpv_eur == pytest.approx(130)
    assert result.npv_eur == pytest.approx(250)


def test_hand_worked_market_uptake_erosion_exclusivity_cogs_and_tax():
    # No development; sales from year 1. 100 patients, peak share 0.5 reached after 2 years (25 then 50).
    # Price 1000 eroding 10% a year; after 2 sales years exclusivity ends and revenue halves.
    # COGS 200 per treatment, commercial 1000/year, tax 20% on positive profit, r = 0.
    market = Market(
        100,
        0.5,
        2,
        1000,
        cogs_per_treatment_eur=200,
        price_erosion_per_year=0.1,
        exclusivity_years=2,
        revenue_drop_after_exclusivity=0.5,
        commercial_cost_eur_per_year=1000,
    )
    inputs = EvaluationInputs((), market, discount_rate=0.0, tax_rate=0.2, horizon_years=3)
    result = evaluate(inputs)
    # Year 1: 25 x 1000 = 25000 revenue; cogs 5000; profit 25000-5000-1000 = 19000; tax 3800; net 15200
    # Year 2: 50 x 900 = 45000; cogs 10000; profit 34000; tax 6800; net 27200
    # Year 3: 50 x 810 x 0.5 = 20250; cogs 10000; profit 9250; tax 1850; net 7400
    assert [round(r.net_cash_flow_eur, 6) for r in result.rows] == [15200, 27200, 7400]
    assert result.rnpv_eur == pytest.approx(49800)


def test_hand_worked_licensing_scenario():
    # Upfront 10 (certain, year 1); milestone 40 when phase 1 succeeds (year 1, P = 0.5);
    # royalty 10% of sales 300 in years 2-3 with P(launch) = 0.5; no tax, r = 0:
    # rNPV = 10 + 40 x 0.5 + 2 x 30 x 0.5 = 60 ; NPV = 10 + 40 + 60 = 110
    lic = Licensing(upfront_eur=10, milestones=(Milestone("Phase 1", 40),), royalty_rate=0.1)
    result = evaluate(one_phase_case(discount_rate=0.0, licensing=lic))
    assert result.licensing.rnpv_eur == pytest.approx(60)
    assert result.licensing.npv_eur == pytest.approx(110)


def test_skipped_phases_and_combined_phase_change_the_launch_probability():
    merged = one_phase_case(phases=(Phase("Phase 1/2", 2, 100, 0.3), Phase("Phase 3", 1, 100, 0.6)), horizon_years=6)
    result = evaluate(merged)
    assert [round(s.probability, 2) for s in result.stage_probabilities] == [1.0, 0.3, 0.18]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"phases": (Phase("P1", -1, 100, 0.5),)}, "phases.0.duration_years"),
        ({"phases": (Phase("P1", 1, 100, 1.2),)}, "phases.0.success_probability"),
        ({"phases": (Phase("P1", 1, -5, 0.5),)}, "phases.0.cost_eur"),
        ({"horizon_years": 0}, "horizon_years"),
        ({"phases": (Phase("P1", 5, 100, 0.5),), "horizon_years": 3}, "horizon_years"),
        ({"tax_rate": 1.5}, "tax_rate"),
        ({"licensing": Licensing(milestones=(Milestone("Nope", 1),))}, "licensing.milestones.0.after_phase"),
    ],
)
def test_bad_input_is_reported_on_its_field(change, path):
    with pytest.raises(InputError) as caught:
        evaluate(one_phase_case(**change))
    assert path in caught.value.errors


def test_inputs_round_trip_through_a_dict():
    inputs = one_phase_case(licensing=Licensing(5, (Milestone("Phase 1", 3),), 0.05))
    assert inputs_from_dict(inputs_to_dict(inputs)) == inputs


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"phases": "x"},
        {"phases": [1]},
        {"phases": [], "market": {"price_per_treatment_eur": "abc"}},
        {"phases": [{"name": "a", "duration_years": float("nan")}]},
        {"horizon_years": 2.5},
    ],
)
def test_malformed_dicts_raise_input_error_only(data):
    with pytest.raises(InputError):
        inputs_from_dict(data)


def test_engine_imports_without_django():
    code = (
        "import sys, economics.engine, economics.engine.montecarlo, economics.engine.sensitivity, "
        "economics.engine.defaults, economics.engine.serialization; "
        "print('django' in sys.modules or any(m.startswith('django') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ".", "PATH": ""},
        cwd=str(__import__("pathlib").Path(__file__).parents[2]),
    )
    assert out.stdout.strip() == "False"
