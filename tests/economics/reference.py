"""A slow, plain-Python restatement of docs/economics.md, written apart from the engine.

Tests compare the vectorised engine against it on random inputs (hypothesis), so
a bug in the NumPy code must also be made here, in a different shape, to hide.
"""

import math


def reference_values(inp) -> tuple[float, float]:
    """(NPV, rNPV) by walking the years one at a time."""
    r, horizon = inp.discount_rate, inp.horizon_years
    offset = {"mid_year": 0.5, "start_of_year": 1.0}.get(inp.conventions.discount_timing, 0.0)
    npv = rnpv = 0.0
    reach = 1.0
    t = 0.0
    for phase in inp.phases:
        start, end = t, round(t + phase.duration_years, 9)
        rate = phase.total_cost_eur / phase.duration_years
        for y in range(1, horizon + 1):
            part = max(0.0, min(end, y) - max(start, y - 1))
            flow = rate * part / (1 + r) ** (y - offset)
            npv -= flow
            rnpv -= flow * reach
        reach_last = reach
        reach *= phase.success_probability
        t = end
    m = inp.market
    dev_end = round(t + m.launch_delay_years, 9)
    last_dev_year = max(math.ceil(dev_end), 1)
    if last_dev_year <= horizon:
        setup = m.manufacturing_setup_eur / (1 + r) ** (last_dev_year - offset)
        npv -= setup
        rnpv -= setup * (reach_last if inp.phases else 1.0)
    losses = 0.0  # operating losses not yet used against profit (carry-forward only)
    for y in range(1, horizon + 1):
        k = y - math.ceil(dev_end)
        if k < 1:
            continue
        patients = m.eligible_patients_per_year * m.peak_treated_share * _ramp(m, k)
        price = m.price_per_treatment_eur * (1 - m.price_erosion_per_year) ** (k - 1)
        if m.exclusivity_years is not None and k > m.exclusivity_years:
            kept = 1 - m.revenue_drop_after_exclusivity
            for step in m.erosion_steps_after_exclusivity[: math.ceil(k - m.exclusivity_years) - 1]:
                kept *= 1 - step
            if m.erosion_applies_to == "volume":
                patients *= kept
            else:
                price *= kept
        profit = patients * price - patients * m.cogs_per_treatment_eur
        profit -= m.commercial_cost_eur_per_year + m.pharmacovigilance_cost_eur_per_year
        profit -= m.launch_cost_eur if k == 1 else 0.0
        if inp.conventions.tax_loss_carry_forward:
            base = max(profit - losses, 0.0)
            losses = max(losses - profit, 0.0)
        else:
            base = max(profit, 0.0)
        profit -= inp.tax_rate * base
        pv = profit / (1 + r) ** (y - offset)
        npv += pv
        rnpv += pv * reach
    return npv, rnpv


def _ramp(m, k: int) -> float:
    peak = m.years_to_peak
    if peak <= 0 or k >= peak:
        return 1.0
    if m.uptake_curve == "s_curve":

        def logistic(x):
            return 1 / (1 + math.exp(-m.uptake_steepness * (x - peak / 2)))

        return (logistic(k) - logistic(0)) / (logistic(peak) - logistic(0))
    return k / peak
