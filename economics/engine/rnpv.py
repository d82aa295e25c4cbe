"""The deterministic evaluation: yearly table, NPV, rNPV and the figures derived from them."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .cashflows import (
    commercial_flows,
    discount_factors,
    param_arrays,
    phase_costs_by_year,
    project_values,
    reach_probabilities,
    setup_costs_by_year,
    timeline,
)
from .model import EvaluationInputs
from .validation import MAX_PEAK_REVENUE_EUR, check_finite_result, validate

_MAX_BREAK_EVEN_PRICE_EUR = 1e12


@dataclass(frozen=True)
class YearRow:
    year: int
    stage: str  # the phase under way, "launch preparation", "sales year k" or ""
    development_cost_eur: float
    manufacturing_setup_eur: float
    revenue_eur: float
    cogs_eur: float
    operating_cost_eur: float
    tax_eur: float
    net_cash_flow_eur: float  # unadjusted: as if every phase succeeds
    risk_adjusted_cash_flow_eur: float
    discount_factor: float
    present_value_eur: float
    risk_adjusted_present_value_eur: float
    cumulative_risk_adjusted_present_value_eur: float
    patients_treated: float


@dataclass(frozen=True)
class StageProbability:
    stage: str
    probability: float  # cumulative probability of reaching it


@dataclass(frozen=True)
class LicensingResult:
    npv_eur: float  # licensor, after tax, as if every phase succeeds
    rnpv_eur: float  # licensor, after tax, risk-adjusted
    licensee_rnpv_eur: float  # the project's rNPV less the licensor's rNPV (payments deductible)
    upfront_at_signing_eur: float  # after tax, at t = 0 (not in the yearly table)
    yearly_risk_adjusted_income_eur: tuple[float, ...]


@dataclass(frozen=True)
class EvaluationResult:
    rows: tuple[YearRow, ...]
    stage_probabilities: tuple[StageProbability, ...]
    probability_of_launch: float
    npv_eur: float
    rnpv_eur: float
    peak_sales_eur: float  # if launched
    expected_peak_sales_eur: float  # peak sales x probability of launch
    launch_year: int | None  # first sales year (row index), None if beyond the horizon
    payback_year: int | None  # first year from which cumulative risk-adjusted PV stays >= 0
    break_even_price_eur: float | None  # price per treatment at which rNPV = 0
    conventions: dict
    licensing: LicensingResult | None

    def as_dict(self) -> dict:
        return asdict(self)


def evaluate(inputs: EvaluationInputs) -> EvaluationResult:
    validate(inputs)
    horizon = inputs.horizon_years
    timing = inputs.conventions.discount_timing
    pa = param_arrays(inputs)
    tl = timeline(pa, horizon)
    df = discount_factors(pa, horizon, timing)[0]
    reach = reach_probabilities(pa.probabilities)[0]  # P(reach phase i)..., P(launch)
    launch_p = float(reach[-1])
    phase_costs = phase_costs_by_year(pa, tl, horizon)[0]  # (P, Y)
    setup = setup_costs_by_year(pa, tl, horizon)[0]
    setup_weight = reach[-2] if inputs.phases else 1.0
    commercial = commercial_flows(pa, tl)
    net_commercial = commercial.net_eur[0]

    development = phase_costs.sum(axis=0)
    net = net_commercial - setup - development
    adjusted = net_commercial * launch_p - setup * setup_weight - (phase_costs * reach[:-1, None]).sum(axis=0)
    pv, adjusted_pv = net * df, adjusted * df
    cumulative = np.cumsum(adjusted_pv)
    check_finite_result([pv, adjusted_pv, commercial.revenue_eur[0], commercial.patients_treated[0]])
    stages = _stage_labels(inputs, tl, horizon)
    rows = tuple(
        YearRow(
            year=y + 1,
            stage=stages[y],
            development_cost_eur=float(development[y]),
            manufacturing_setup_eur=float(setup[y]),
            revenue_eur=float(commercial.revenue_eur[0, y]),
            cogs_eur=float(commercial.cogs_eur[0, y]),
            operating_cost_eur=float(commercial.operating_cost_eur[0, y]),
            tax_eur=float(commercial.tax_eur[0, y]),
            net_cash_flow_eur=float(net[y]),
            risk_adjusted_cash_flow_eur=float(adjusted[y]),
            discount_factor=float(df[y]),
            present_value_eur=float(pv[y]),
            risk_adjusted_present_value_eur=float(adjusted_pv[y]),
            cumulative_risk_adjusted_present_value_eur=float(cumulative[y]),
            patients_treated=float(commercial.patients_treated[0, y]),
        )
        for y in range(horizon)
    )
    selling = np.nonzero(tl.sales_year[0] >= 1)[0]
    peak_sales = float(commercial.revenue_eur[0].max()) if horizon else 0.0
    return EvaluationResult(
        rows=rows,
        stage_probabilities=tuple(
            [StageProbability(p.name, float(reach[i])) for i, p in enumerate(inputs.phases)]
            + [StageProbability("Launch", launch_p)]
        ),
        probability_of_launch=launch_p,
        npv_eur=float(pv.sum()),
        rnpv_eur=float(adjusted_pv.sum()),
        peak_sales_eur=peak_sales,
        expected_peak_sales_eur=peak_sales * launch_p,
        launch_year=int(selling[0] + 1) if selling.size else None,
        payback_year=_payback_year(cumulative),
        break_even_price_eur=break_even_price(inputs),
        conventions=inputs.conventions.as_dict(),
        licensing=(
            _licensing(inputs, tl, df, reach, float(adjusted_pv.sum()), commercial.revenue_eur[0])
            if inputs.licensing
            else None
        ),
    )


def rnpv_of(inputs: EvaluationInputs) -> float:
    """The rNPV alone, without building the table (sensitivity, break-even search)."""
    pa = param_arrays(inputs)
    _, value = project_values(
        pa, inputs.horizon_years, inputs.conventions.discount_timing, reach_probabilities(pa.probabilities)
    )
    return float(value[0])


def break_even_price(inputs: EvaluationInputs) -> float | None:
    """The price per treatment at which rNPV = 0, to the cent; None when price cannot help.

    rNPV is continuous and non-decreasing in price (revenue is linear in price, tax
    is a non-decreasing function of profit), so bisection is exact to its tolerance.
    """

    def value(price: float) -> float:
        return rnpv_of(inputs.with_value("market.price_per_treatment_eur", price))

    if value(0.0) >= 0:
        return 0.0
    high = max(inputs.market.price_per_treatment_eur, 1.0)
    m = inputs.market
    # Beyond this price the inputs would fail validation (peak revenue beyond any real market).
    ceiling = min(
        _MAX_BREAK_EVEN_PRICE_EUR,
        MAX_PEAK_REVENUE_EUR / max(m.eligible_patients_per_year * m.peak_treated_share, 1e-300),
    )
    while value(high) < 0:
        if high >= ceiling:
            return None  # no patients reached, no launch in the horizon, P(launch) = 0, or beyond any market
        high = min(high * 4, ceiling)
    low = 0.0
    while high - low > 0.001:
        middle = (low + high) / 2
        if value(middle) < 0:
            low = middle
        else:
            high = middle
    cent = math.floor(low * 100) / 100  # below the root; step up to the first whole cent with rNPV >= 0
    while value(cent) < 0:
        cent = round(cent + 0.01, 2)
    return cent if cent <= ceiling else None


def _payback_year(cumulative: np.ndarray) -> int | None:
    negative = np.nonzero(cumulative < 0)[0]
    if not negative.size:
        return 1 if cumulative.size else None
    last_negative = int(negative[-1])
    return last_negative + 2 if last_negative + 1 < cumulative.size else None


def _stage_labels(inputs: EvaluationInputs, tl, horizon: int) -> list[str]:
    labels = []
    starts, ends, k = tl.phase_start[0], tl.phase_end[0], tl.sales_year[0]
    for y in range(1, horizon + 1):
        under_way = [p.name for i, p in enumerate(inputs.phases) if starts[i] < y and ends[i] > y - 1]
        if under_way:
            labels.append(" / ".join(under_way))
        elif k[y - 1] >= 1:
            labels.append(f"Sales year {int(k[y - 1])}")
        else:
            labels.append("Launch preparation")
    return labels


def _licensing(inputs: EvaluationInputs, tl, df: np.ndarray, reach: np.ndarray, project_rnpv: float, revenue):
    """One deal seen from both sides (docs/economics.md, "Licensing").

    Licensor: upfront (at signing: t = 0, undiscounted, certain; or at a chosen time), each
    development/regulatory milestone in the year its phase ends weighted by P(passing it),
    each sales milestone in the first year annual sales reach its threshold and royalties
    on sales (tiered, marginal), both weighted by P(launch); after tax. Licensee: the
    project's rNPV less the same payments, which it deducts at the same tax rate.
    """
    lic = inputs.licensing
    r = inputs.discount_rate
    horizon = inputs.horizon_years
    income = np.zeros(horizon)
    adjusted = np.zeros(horizon)
    names = [p.name for p in inputs.phases]
    for milestone in lic.milestones:
        i = names.index(milestone.after_phase)
        year = min(max(int(np.ceil(round(tl.phase_end[0, i], 9))), 1), horizon)
        income[year - 1] += milestone.amount_eur
        adjusted[year - 1] += milestone.amount_eur * reach[i + 1]  # P(passing that phase's gate)
    for milestone in lic.sales_milestones:
        reached = np.nonzero(revenue >= milestone.threshold_eur)[0] if milestone.threshold_eur > 0 else []
        if len(reached):
            income[reached[0]] += milestone.amount_eur
            adjusted[reached[0]] += milestone.amount_eur * reach[-1]
    royalties = royalty(revenue, lic.royalty_rate, lic.royalty_tiers)
    income += royalties
    adjusted += royalties * reach[-1]
    upfront_df = 1.0 if lic.upfront_year is None else (1.0 + r) ** -lic.upfront_year
    keep = 1.0 - inputs.tax_rate
    npv = (float((income * df).sum()) + lic.upfront_eur * upfront_df) * keep
    rnpv = (float((adjusted * df).sum()) + lic.upfront_eur * upfront_df) * keep
    yearly = adjusted * keep
    if lic.upfront_year is None:
        upfront_row = None
    else:
        upfront_row = min(max(int(np.ceil(round(lic.upfront_year, 9))), 1), horizon) - 1
        yearly[upfront_row] += lic.upfront_eur * keep
    return LicensingResult(
        npv_eur=npv,
        rnpv_eur=rnpv,
        licensee_rnpv_eur=project_rnpv - rnpv,
        upfront_at_signing_eur=lic.upfront_eur * keep if upfront_row is None else 0.0,
        yearly_risk_adjusted_income_eur=tuple(float(x) for x in yearly),
    )


def royalty(sales: np.ndarray, base_rate: float, tiers) -> np.ndarray:
    """Royalties on annual sales: base_rate below the first tier, each tier's rate on the part above it."""
    amount = base_rate * sales
    bands = sorted(tiers, key=lambda tier: tier.above_sales_eur)
    previous_rate = base_rate
    for tier in bands:
        amount = amount + (tier.rate - previous_rate) * np.maximum(sales - tier.above_sales_eur, 0.0)
        previous_rate = tier.rate
    return amount
