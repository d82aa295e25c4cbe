"""Checks on EvaluationInputs: every problem found, keyed by field path, in words a user can act on.

Besides ranges (probabilities in 0..1, no negative costs) the inputs must stay finite and
within sizes no real ATMP project reaches: a price of 1e308 would overflow patients x price
to infinity and then NaN, which must never reach a result, a page or the database.
"""

from __future__ import annotations

import math
from dataclasses import fields

from .model import MARKET_OPTIONS, ErosionTarget, EvaluationInputs, InputError, Market, UptakeCurve

# Sizes far beyond any real project, low enough that no product or sum of them overflows.
MAX_MONEY_EUR = 1e12  # one trillion euros for any single amount
MAX_PATIENTS_PER_YEAR = 1e9
MAX_YEARS = 100.0
MAX_PEAK_REVENUE_EUR = 1e13  # eligible patients x share x price: several times the world's drug market

_YEAR_FIELDS = {"years_to_peak", "exclusivity_years", "launch_delay_years"}
_SHARE_FIELDS = {"peak_treated_share", "price_erosion_per_year", "revenue_drop_after_exclusivity"}
MAX_STEEPNESS = 20.0
MAX_STEPS = 20


class _Errors(dict):
    def add(self, path: str, message: str) -> None:
        self.setdefault(path, []).append(message)

    def finite(self, path: str, value: float | None, limit: float, unit: str = "") -> bool:
        """False (and a message) when value is NaN, infinite or larger than limit in size."""
        if value is None:
            return True
        if not math.isfinite(value):
            self.add(path, "Enter a finite number.")
            return False
        if abs(value) > limit:
            self.add(path, f"This is too large: use at most {limit:,.0f}{unit}.")
            return False
        return True


def validate(inputs: EvaluationInputs) -> None:
    """Raise InputError with every problem found, keyed by field path."""
    errors = _Errors()
    add = errors.add
    names = [p.name for p in inputs.phases]
    m = inputs.market
    if not inputs.phases and m.launch_delay_years < 0:
        add("phases", "Add at least one phase, or a non-negative launch delay.")
    for i, phase in enumerate(inputs.phases):
        if not phase.name.strip():
            add(f"phases.{i}.name", "Give the phase a name.")
        if errors.finite(f"phases.{i}.duration_years", phase.duration_years, MAX_YEARS, " years"):
            if not phase.duration_years > 0:
                add(f"phases.{i}.duration_years", "A phase lasts more than 0 years.")
        if errors.finite(f"phases.{i}.cost_eur", phase.cost_eur, MAX_MONEY_EUR, " €") and phase.cost_eur < 0:
            add(f"phases.{i}.cost_eur", "A cost cannot be negative.")
        if errors.finite(f"phases.{i}.success_probability", phase.success_probability, math.inf):
            if not 0 <= phase.success_probability <= 1:
                add(f"phases.{i}.success_probability", "A probability lies between 0 and 1.")
    if len(set(names)) != len(names):
        add("phases", "Each phase needs its own name.")
    market_ok = True
    for f in fields(Market):
        if f.name in MARKET_OPTIONS:
            continue
        value = getattr(m, f.name)
        path = f"market.{f.name}"
        if f.name in _SHARE_FIELDS:
            ok = errors.finite(path, value, math.inf) and 0 <= value <= 1
            if value is not None and math.isfinite(value) and not ok:
                add(path, "A share lies between 0 and 1.")
        elif f.name in _YEAR_FIELDS:
            ok = errors.finite(path, value, MAX_YEARS, " years")
            if ok and value is not None and value < 0:
                add(path, "This cannot be negative.")
        elif f.name == "uptake_steepness":
            ok = errors.finite(path, value, MAX_STEEPNESS)
            if ok and value <= 0:
                add(path, "Use a steepness above 0 (e.g. 1.5).")
        elif f.name == "eligible_patients_per_year":
            ok = errors.finite(path, value, MAX_PATIENTS_PER_YEAR)
            if ok and value < 0:
                add(path, "This cannot be negative.")
        else:
            ok = errors.finite(path, value, MAX_MONEY_EUR, " €")
            if ok and value < 0:
                add(path, "This cannot be negative.")
        market_ok = market_ok and ok
    if m.uptake_curve not in set(UptakeCurve):
        add("market.uptake_curve", f"Choose one of: {', '.join(UptakeCurve)}.")
    if m.erosion_applies_to not in set(ErosionTarget):
        add("market.erosion_applies_to", f"Choose one of: {', '.join(ErosionTarget)}.")
    if len(m.erosion_steps_after_exclusivity) > MAX_STEPS:
        add("market.erosion_steps_after_exclusivity", f"At most {MAX_STEPS} steps.")
    for step in m.erosion_steps_after_exclusivity:
        if not (math.isfinite(step) and 0 <= step <= 1):
            add("market.erosion_steps_after_exclusivity", "Each step is a share lost, between 0 and 1.")
            break
    if market_ok:
        peak_revenue = m.eligible_patients_per_year * m.peak_treated_share * m.price_per_treatment_eur
        if peak_revenue > MAX_PEAK_REVENUE_EUR:
            add(
                "market.price_per_treatment_eur",
                f"Patients treated × price gives €{peak_revenue:,.0f} a year, beyond any real market "
                f"(at most €{MAX_PEAK_REVENUE_EUR:,.0f}); check the price and the number of patients.",
            )
    if errors.finite("discount_rate", inputs.discount_rate, math.inf) and not -0.5 < inputs.discount_rate <= 1:
        add("discount_rate", "Use a yearly rate between -0.5 and 1 (e.g. 0.105 for 10.5%).")
    if errors.finite("tax_rate", inputs.tax_rate, math.inf) and not 0 <= inputs.tax_rate < 1:
        add("tax_rate", "A tax rate lies between 0 and 1.")
    if inputs.horizon_years < 1 or inputs.horizon_years > 60:
        add("horizon_years", "Choose a horizon of 1 to 60 years.")
    elif "phases" not in errors and not any(k.startswith(("phases.", "market.launch")) for k in errors):
        if inputs.horizon_years < inputs.development_years + m.launch_delay_years:
            add("horizon_years", f"The horizon must cover development ({inputs.development_years:g} years) and launch.")
    if inputs.licensing is not None:
        _validate_licensing(inputs, names, errors)
    if errors:
        raise InputError(dict(errors))


def _validate_licensing(inputs: EvaluationInputs, names: list[str], errors: _Errors) -> None:
    lic = inputs.licensing
    if errors.finite("licensing.upfront_eur", lic.upfront_eur, MAX_MONEY_EUR, " €") and lic.upfront_eur < 0:
        errors.add("licensing.upfront_eur", "This cannot be negative.")
    if errors.finite("licensing.royalty_rate", lic.royalty_rate, math.inf) and not 0 <= lic.royalty_rate <= 1:
        errors.add("licensing.royalty_rate", "A royalty rate lies between 0 and 1.")
    for j, milestone in enumerate(lic.milestones):
        path = f"licensing.milestones.{j}"
        if milestone.after_phase not in names:
            errors.add(f"{path}.after_phase", "Name one of the phases above.")
        if errors.finite(f"{path}.amount_eur", milestone.amount_eur, MAX_MONEY_EUR, " €") and milestone.amount_eur < 0:
            errors.add(f"{path}.amount_eur", "This cannot be negative.")
    _validate_deal_terms(inputs, errors)


def range_errors(inputs: EvaluationInputs, path: str, low: float, high: float) -> list[str]:
    """Why inputs with `path` set to low or high would be invalid: the one check shared by
    distributions (Monte Carlo) and sensitivity ranges, so neither accepts what the form refuses."""
    messages: list[str] = []
    for which, value in (("low", low), ("high", high)):
        try:
            validate(inputs.with_value(path, value))
        except InputError as error:
            for problems in error.errors.values():
                messages += [f"At its {which} value ({value:g}): {problem}" for problem in problems]
    return list(dict.fromkeys(messages))


def check_finite_result(values) -> None:
    """Refuse to return (or store) results that are not finite numbers."""
    import numpy as np

    if not np.all(np.isfinite(np.asarray(values, dtype=float))):
        raise InputError(
            {"non_field_errors": ["These inputs give results too large to compute; check amounts and rates."]}
        )


def _validate_deal_terms(inputs: EvaluationInputs, errors: _Errors) -> None:
    """Upfront timing, sales milestones and royalty tiers."""
    lic = inputs.licensing
    if errors.finite("licensing.upfront_year", lic.upfront_year, MAX_YEARS, " years"):
        if lic.upfront_year is not None and not 0 <= lic.upfront_year <= inputs.horizon_years:
            errors.add("licensing.upfront_year", "Choose a time between 0 (signing) and the horizon.")
    for j, milestone in enumerate(lic.sales_milestones):
        path = f"licensing.sales_milestones.{j}"
        if errors.finite(f"{path}.threshold_eur", milestone.threshold_eur, MAX_PEAK_REVENUE_EUR, " €"):
            if milestone.threshold_eur <= 0:
                errors.add(f"{path}.threshold_eur", "A sales threshold is above 0.")
        if errors.finite(f"{path}.amount_eur", milestone.amount_eur, MAX_MONEY_EUR, " €") and milestone.amount_eur < 0:
            errors.add(f"{path}.amount_eur", "This cannot be negative.")
    for j, tier in enumerate(lic.royalty_tiers):
        path = f"licensing.royalty_tiers.{j}"
        if errors.finite(f"{path}.above_sales_eur", tier.above_sales_eur, MAX_PEAK_REVENUE_EUR, " €"):
            if tier.above_sales_eur < 0:
                errors.add(f"{path}.above_sales_eur", "This cannot be negative.")
        if errors.finite(f"{path}.rate", tier.rate, math.inf) and not 0 <= tier.rate <= 1:
            errors.add(f"{path}.rate", "A royalty rate lies between 0 and 1.")
