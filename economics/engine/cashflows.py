"""The vectorised cash-flow model shared by the deterministic and Monte Carlo runs.

Every function here works on N parameter sets at once (arrays of shape (N,) or
(N, phases)) and returns (N, years) arrays. The deterministic evaluation is the
case N = 1 with probabilities as weights; a Monte Carlo chunk is the case
N = simulations with 0/1 weights drawn as Bernoulli outcomes. Sharing one model
is what makes "the mean of the Monte Carlo equals the rNPV" a checkable property.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .model import MARKET_OPTIONS, DiscountTiming, ErosionTarget, EvaluationInputs, UptakeCurve

# Floating sums such as 0.1 + 0.2 must not push a launch into the next year.
_TIME_DECIMALS = 9


@dataclass
class ParamArrays:
    """The scalar inputs of N parameter sets, one array per input."""

    durations: np.ndarray  # (N, P) years
    costs_total_eur: np.ndarray  # (N, P) total cost of each phase
    probabilities: np.ndarray  # (N, P)
    market: dict[str, np.ndarray]  # name -> (N,)
    discount_rate: np.ndarray  # (N,)
    tax_rate: np.ndarray  # (N,)
    # Shared by all N sets: uptake curve, erosion steps and target, tax loss carry-forward.
    options: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return self.discount_rate.shape[0]


def param_arrays(inputs: EvaluationInputs, n: int = 1, overrides: dict[str, np.ndarray] | None = None) -> ParamArrays:
    """Broadcast the inputs to N sets; `overrides` replaces inputs by path (e.g. sampled values)."""
    overrides = overrides or {}

    def value(path: str, base: float) -> np.ndarray:
        if path in overrides:
            return np.asarray(overrides[path], dtype=float).reshape(n)
        # A read-only view with stride 0: an input shared by all N sets costs no memory or fill.
        return np.broadcast_to(float(base), (n,))

    phase_count = len(inputs.phases)
    durations = np.empty((n, phase_count))
    costs = np.empty((n, phase_count))
    probabilities = np.empty((n, phase_count))
    for i, phase in enumerate(inputs.phases):
        durations[:, i] = value(f"phases.{i}.duration_years", phase.duration_years)
        cost = value(f"phases.{i}.cost_eur", phase.cost_eur)
        # A per-year cost scales with the (possibly sampled) duration.
        costs[:, i] = cost * durations[:, i] if phase.cost_is_per_year else cost
        probabilities[:, i] = value(f"phases.{i}.success_probability", phase.success_probability)
    market = {}
    for name, base in vars(inputs.market).items():
        if name in MARKET_OPTIONS:
            continue
        if name == "exclusivity_years" and base is None:
            market[name] = np.broadcast_to(np.inf, (n,))
        else:
            market[name] = value(f"market.{name}", base)
    return ParamArrays(
        durations=durations,
        costs_total_eur=costs,
        probabilities=np.clip(probabilities, 0.0, 1.0),
        market=market,
        discount_rate=value("discount_rate", inputs.discount_rate),
        tax_rate=value("tax_rate", inputs.tax_rate),
        options={name: getattr(inputs.market, name) for name in MARKET_OPTIONS}
        | {"tax_loss_carry_forward": inputs.conventions.tax_loss_carry_forward},
    )


@dataclass
class Timeline:
    phase_start: np.ndarray  # (N, P)
    phase_end: np.ndarray  # (N, P)
    development_years: np.ndarray  # (N,) int: whole years up to the end of development (may be 0)
    horizon_years: int

    @property
    def last_development_year(self) -> np.ndarray:
        """(N,) int: year index holding the end of development."""
        return np.maximum(self.development_years, 1)

    @property
    def sales_year(self) -> np.ndarray:
        """(N, Y) int: k = 1, 2, ... in sales years, <= 0 before launch.

        Built on demand: a Monte Carlo run needs it only for the sets that launch.
        """
        years = np.arange(1, self.horizon_years + 1)
        return years[None, :] - self.development_years[:, None]

    def rows(self, rows: np.ndarray) -> Timeline:
        return Timeline(self.phase_start[rows], self.phase_end[rows], self.development_years[rows], self.horizon_years)


def timeline(pa: ParamArrays, horizon_years: int) -> Timeline:
    ends = np.round(np.cumsum(pa.durations, axis=1), _TIME_DECIMALS)
    starts = ends - pa.durations
    development_end = (ends[:, -1] if ends.shape[1] else np.zeros(pa.n)) + pa.market["launch_delay_years"]
    # Sales start at the first whole year after development ends (docs/economics.md, "Timing").
    development_years = np.ceil(np.round(development_end, _TIME_DECIMALS)).astype(int)
    return Timeline(starts, ends, development_years, horizon_years)


def discount_factors(pa: ParamArrays, horizon_years: int, timing: DiscountTiming) -> np.ndarray:
    """(N, Y) factors; (1, Y) when every set shares one rate, which saves N x Y powers."""
    offset = {DiscountTiming.MID_YEAR: 0.5, DiscountTiming.START_OF_YEAR: 1.0}.get(timing, 0.0)
    t = np.arange(1, horizon_years + 1) - offset
    rates = pa.discount_rate
    if rates.size and np.all(rates == rates[0]):
        return ((1.0 + rates[0]) ** -t)[None, :]
    return (1.0 + rates[:, None]) ** -t[None, :]


def _gather(table: np.ndarray, index: np.ndarray) -> np.ndarray:
    """table[n, index[n, ...]] for an (N, K) or shared (1, K) table."""
    if table.shape[0] == 1:
        return np.take(table[0], index)
    return np.take_along_axis(table, index.reshape(index.shape[0], -1), axis=1).reshape(index.shape)


def phase_present_values(pa: ParamArrays, tl: Timeline, df: np.ndarray) -> np.ndarray:
    """(N, P) present value of each phase's cost, without building (N, P, Y) arrays.

    A phase spends at a constant rate; the money spent in year y is discounted with
    that year's factor. G(t) = sum of DF_y x (part of year y before t) is piecewise
    linear, so PV = rate x (G(end) - G(start)); identical to summing phase_costs_by_year.
    """
    horizon = df.shape[1]
    cumulative = np.hstack([np.zeros((df.shape[0], 1)), np.cumsum(df, axis=1)])

    def g(t: np.ndarray) -> np.ndarray:
        t = np.clip(t, 0.0, horizon)
        whole = t.astype(int)  # t >= 0: truncation is the floor
        np.minimum(whole, horizon - 1, out=whole)
        t -= whole  # the part of year `whole` before t; computed in place in the clipped copy
        t *= _gather(df, whole)
        t += _gather(cumulative, whole)
        return t

    rate = np.zeros(pa.durations.shape)
    np.divide(pa.costs_total_eur, pa.durations, out=rate, where=pa.durations > 0)
    value = g(tl.phase_end)
    value -= g(tl.phase_start)
    value *= rate
    return value


def phase_costs_by_year(pa: ParamArrays, tl: Timeline, horizon_years: int) -> np.ndarray:
    """(N, P, Y): each phase's cost spread evenly over the part of each year it covers."""
    years = np.arange(1, horizon_years + 1, dtype=float)
    start = tl.phase_start[:, :, None]
    end = tl.phase_end[:, :, None]
    overlap = np.clip(np.minimum(end, years) - np.maximum(start, years - 1.0), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(pa.durations > 0, pa.costs_total_eur / pa.durations, 0.0)
    return rate[:, :, None] * overlap


@dataclass
class CommercialFlows:
    patients_treated: np.ndarray
    revenue_eur: np.ndarray
    cogs_eur: np.ndarray
    operating_cost_eur: np.ndarray
    tax_eur: np.ndarray

    @property
    def net_eur(self) -> np.ndarray:
        return self.revenue_eur - self.cogs_eur - self.operating_cost_eur - self.tax_eur


def commercial_flows(pa: ParamArrays, tl: Timeline) -> CommercialFlows:
    """Sales-year cash flows if the product launches (unweighted)."""
    m = {name: values[:, None] for name, values in pa.market.items()}
    options = pa.options
    k = tl.sales_year.astype(float)
    selling = k >= 1
    # The ramp is 0 before launch, so no sales-year mask is needed for patients.
    patients = uptake(m, k, options.get("uptake_curve", UptakeCurve.LINEAR))
    patients *= m["eligible_patients_per_year"] * m["peak_treated_share"]
    price = _eroded_price(m, k)
    retained = _retained_after_exclusivity(m, k, options.get("erosion_steps_after_exclusivity", ()))
    if options.get("erosion_applies_to") == ErosionTarget.VOLUME:
        patients *= retained  # fewer patients: their cost of goods goes too
    else:
        price *= retained
    revenue = price * patients
    cogs = patients * m["cogs_per_treatment_eur"]
    opex = selling * (m["commercial_cost_eur_per_year"] + m["pharmacovigilance_cost_eur_per_year"])
    opex += (k == 1) * m["launch_cost_eur"]
    operating_profit = revenue - cogs
    operating_profit -= opex
    tax = taxable_profit(operating_profit, options.get("tax_loss_carry_forward", False))
    tax *= pa.tax_rate[:, None]
    return CommercialFlows(patients, revenue, cogs, opex, tax)


def uptake(m: dict[str, np.ndarray], k: np.ndarray, curve: str) -> np.ndarray:
    """Share of the peak reached in sales year k: 0 before launch, 1 from years_to_peak on.

    Linear: k / T. S-curve: the logistic L(x) = 1 / (1 + exp(-s (x - T/2))) rescaled so that
    it is 0 at x = 0 and 1 at x = T: (L(k) - L(0)) / (L(T) - L(0)).
    """
    peak_years = m["years_to_peak"]
    selling = (k >= 1).astype(float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if curve == UptakeCurve.S_CURVE:
            s = m["uptake_steepness"]

            def logistic(x):
                return 1.0 / (1.0 + np.exp(-s * (x - peak_years / 2)))

            ramp = (logistic(k) - logistic(0.0)) / (logistic(peak_years) - logistic(0.0))
            ramp = np.where(k >= peak_years, 1.0, np.clip(np.nan_to_num(ramp), 0.0, 1.0)) * selling
        else:
            ramp = np.clip(k / peak_years, 0.0, 1.0)
        return np.where(peak_years > 0, ramp, selling)


def taxable_profit(operating_profit: np.ndarray, carry_forward: bool) -> np.ndarray:
    """(N, Y) profit on which tax is due.

    Without carry-forward: max(profit, 0) each year. With it, the tax base paid up to year k is
    the running maximum of cumulative profit (never below 0), so year k's base is that maximum's
    increase: earlier losses are used up before any tax is due.
    """
    if not carry_forward:
        return np.maximum(operating_profit, 0.0)
    paid_up_to = np.maximum.accumulate(np.maximum(np.cumsum(operating_profit, axis=1), 0.0), axis=1)
    return np.diff(paid_up_to, axis=1, prepend=0.0)


def _eroded_price(m: dict[str, np.ndarray], k: np.ndarray) -> np.ndarray:
    """Price x (1 - yearly erosion)^(k - 1)."""
    erosion = m["price_erosion_per_year"]
    if np.all(erosion == 0):
        return np.broadcast_to(m["price_per_treatment_eur"], k.shape).copy()
    return m["price_per_treatment_eur"] * np.exp(np.maximum(k - 1.0, 0.0) * np.log1p(-np.minimum(erosion, 1 - 1e-12)))


def _retained_after_exclusivity(m: dict[str, np.ndarray], k: np.ndarray, further_steps) -> np.ndarray:
    """Share kept j sales years after exclusivity ends: (1 - drop) x Π (1 - step) over the first j - 1 steps."""
    exclusivity = m["exclusivity_years"]
    with np.errstate(invalid="ignore"):
        after = np.where(k > exclusivity, np.ceil(k - np.minimum(exclusivity, 1e6)), 0.0)
    kept_by_step = np.cumprod([1.0, *(1.0 - np.asarray(further_steps, dtype=float))])
    index = np.clip(after - 1, 0, len(kept_by_step) - 1).astype(int)
    return np.where(after >= 1, (1.0 - m["revenue_drop_after_exclusivity"]) * kept_by_step[index], 1.0)


def setup_costs_by_year(pa: ParamArrays, tl: Timeline, horizon_years: int) -> np.ndarray:
    years = np.arange(1, horizon_years + 1)
    in_setup_year = years[None, :] == tl.last_development_year[:, None]
    return np.where(in_setup_year, pa.market["manufacturing_setup_eur"][:, None], 0.0)


def reach_probabilities(probabilities: np.ndarray) -> np.ndarray:
    """(N, P + 1): P(reaching phase i) for each phase, then P(launch) in the last column."""
    n = probabilities.shape[0]
    return np.cumprod(np.hstack([np.ones((n, 1)), probabilities]), axis=1)


def _rows(pa: ParamArrays, tl: Timeline, rows: np.ndarray) -> tuple[ParamArrays, Timeline]:
    """The parameter sets and timelines of the given rows only."""
    sub = ParamArrays(
        durations=pa.durations[rows],
        costs_total_eur=pa.costs_total_eur[rows],
        probabilities=pa.probabilities[rows],
        market={name: values[rows] for name, values in pa.market.items()},
        discount_rate=pa.discount_rate[rows],
        tax_rate=pa.tax_rate[rows],
        options=pa.options,
    )
    return sub, tl.rows(rows)


def _commercial_pv(pa: ParamArrays, tl: Timeline, df: np.ndarray) -> np.ndarray:
    net = commercial_flows(pa, tl).net_eur
    return net @ df[0] if df.shape[0] == 1 else np.einsum("ny,ny->n", net, df)


def project_values(
    pa: ParamArrays,
    horizon_years: int,
    timing: DiscountTiming,
    reach_weights: np.ndarray,
    *,
    with_unadjusted: bool = True,
) -> tuple[np.ndarray | None, np.ndarray]:
    """(NPV if everything happens, value with reach_weights) for each of the N sets.

    reach_weights is (N, P + 1) as from reach_probabilities(): probabilities give the
    rNPV, 0/1 outcomes give one simulated project's NPV. Without `with_unadjusted`
    (the Monte Carlo case) the sales years, the bulk of the work, are computed only
    for the sets that launch: most simulated ATMP projects fail before, and their
    weight on sales is exactly 0. The first value is then None.
    """
    tl = timeline(pa, horizon_years)
    df = discount_factors(pa, horizon_years, timing)
    phase_pv = phase_present_values(pa, tl, df)  # (N, P)
    setup_year = tl.last_development_year - 1
    setup_pv = np.where(
        setup_year < horizon_years,
        pa.market["manufacturing_setup_eur"] * _gather(df, np.minimum(setup_year, horizon_years - 1)),
        0.0,
    )
    launch_weight = reach_weights[:, -1]
    if with_unadjusted:
        commercial_pv = _commercial_pv(pa, tl, df)
    else:
        commercial_pv = np.zeros(pa.n)
        launched = np.flatnonzero(launch_weight)
        if launched.size:
            sub_pa, sub_tl = _rows(pa, tl, launched)
            sub_df = df if df.shape[0] == 1 else df[launched]
            commercial_pv[launched] = _commercial_pv(sub_pa, sub_tl, sub_df)
    setup_weight = reach_weights[:, -2] if pa.probabilities.shape[1] else reach_weights[:, -1]
    weighted = commercial_pv * launch_weight - setup_pv * setup_weight - (phase_pv * reach_weights[:, :-1]).sum(axis=1)
    unadjusted = commercial_pv - setup_pv - phase_pv.sum(axis=1) if with_unadjusted else None
    return unadjusted, weighted
