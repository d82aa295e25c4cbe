"""Inputs to and from plain dicts (JSON): the one format stored, exported and sent to the API.

`inputs_from_dict` never raises anything but InputError, with messages keyed by
field path, so any malformed body becomes a 400 with field errors.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, fields
from typing import Any

from .correlation import Correlation, Uncertainty, correlations_of
from .distributions import Distribution, DistributionKind
from .model import (
    MARKET_OPTIONS,
    Conventions,
    DiscountTiming,
    ErosionTarget,
    EvaluationInputs,
    InputError,
    Licensing,
    Market,
    Milestone,
    Phase,
    RoyaltyTier,
    SalesMilestone,
    UptakeCurve,
)
from .validation import validate

MAX_PHASES = 12
MAX_MILESTONES = 12
MAX_STEPS = 20


def inputs_to_dict(inputs: EvaluationInputs) -> dict:
    data = asdict(inputs)
    conventions = inputs.conventions
    data["conventions"] = {
        "discount_timing": str(conventions.discount_timing),
        "tax_loss_carry_forward": conventions.tax_loss_carry_forward,
    }
    data["phases"] = [dict(p) for p in data["phases"]]
    market = data["market"]
    market["uptake_curve"], market["erosion_applies_to"] = (
        str(market["uptake_curve"]),
        str(market["erosion_applies_to"]),
    )
    market["erosion_steps_after_exclusivity"] = list(market["erosion_steps_after_exclusivity"])
    if data["licensing"] is not None:
        for key in ("milestones", "sales_milestones", "royalty_tiers"):
            data["licensing"][key] = [dict(m) for m in data["licensing"][key]]
    return data


def uncertainty_to_dict(uncertainty: dict[str, Distribution]) -> dict:
    data = {
        path: {k: v for k, v in asdict(d).items() if v is not None} | {"kind": str(d.kind)}
        for path, d in uncertainty.items()
    }
    if correlations_of(uncertainty):
        data["correlations"] = [asdict(c) for c in correlations_of(uncertainty)]
    return data


class _Reader:
    def __init__(self):
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def number(self, data: Any, key: str, path: str, *, default: Any = ..., integer: bool = False):
        if not isinstance(data, dict) or key not in data or data[key] in (None, ""):
            if default is ...:
                self.fail(path, "This field is required.")
                return 0
            return default
        value = data[key]
        if isinstance(value, bool):
            self.fail(path, "Enter a number.")
            return 0
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(path, "Enter a number.")
            return 0
        if not math.isfinite(number):
            self.fail(path, "Enter a finite number.")
            return 0
        if integer:
            if number != int(number):
                self.fail(path, "Enter a whole number.")
            return int(number)
        return number

    def choice(self, data: Any, key: str, path: str, enum_type):
        """An enum member; the first member when absent (the default of every choice)."""
        value = data.get(key) if isinstance(data, dict) else None
        if value in (None, ""):
            return next(iter(enum_type))
        if value not in set(enum_type):
            self.fail(path, f"Choose one of: {', '.join(enum_type)}.")
            return next(iter(enum_type))
        return enum_type(value)

    def section(self, data: Any, key: str, path: str, kind=dict, required=True):
        value = data.get(key) if isinstance(data, dict) else None
        if value is None:
            if required:
                self.fail(path, "This field is required.")
            return kind()
        if isinstance(value, tuple) and kind is list:
            value = list(value)
        if not isinstance(value, kind):
            self.fail(path, f"Expected {'an object' if kind is dict else 'a list'}.")
            return kind()
        return value


def inputs_from_dict(data: Any) -> EvaluationInputs:
    """Parse and validate; raise InputError with every problem found."""
    r = _Reader()
    if not isinstance(data, dict):
        raise InputError({"non_field_errors": ["Expected a JSON object."]})
    raw_phases = r.section(data, "phases", "phases", list)
    if len(raw_phases) > MAX_PHASES:
        r.fail("phases", f"At most {MAX_PHASES} phases.")
        raw_phases = raw_phases[:MAX_PHASES]
    phases = []
    for i, raw in enumerate(raw_phases):
        p = f"phases.{i}"
        if not isinstance(raw, dict):
            r.fail(p, "Expected an object.")
            continue
        name = raw.get("name")
        phases.append(
            Phase(
                name=str(name)[:80] if name is not None else "",
                duration_years=r.number(raw, "duration_years", f"{p}.duration_years"),
                cost_eur=r.number(raw, "cost_eur", f"{p}.cost_eur"),
                success_probability=r.number(raw, "success_probability", f"{p}.success_probability"),
                cost_is_per_year=bool(raw.get("cost_is_per_year", False)),
            )
        )
    raw_market = r.section(data, "market", "market")
    optional = {f.name: f.default for f in fields(Market) if f.name not in MARKET_OPTIONS}
    market_values = {}
    for name, default in optional.items():
        required = default is MISSING
        market_values[name] = r.number(raw_market, name, f"market.{name}", default=... if required else default)
    market_values["uptake_curve"] = r.choice(raw_market, "uptake_curve", "market.uptake_curve", UptakeCurve)
    market_values["erosion_applies_to"] = r.choice(
        raw_market, "erosion_applies_to", "market.erosion_applies_to", ErosionTarget
    )
    steps = r.section(
        raw_market, "erosion_steps_after_exclusivity", "market.erosion_steps_after_exclusivity", list, required=False
    )
    market_values["erosion_steps_after_exclusivity"] = tuple(
        r.number({"step": step}, "step", "market.erosion_steps_after_exclusivity") for step in steps[:MAX_STEPS]
    )
    raw_conventions = r.section(data, "conventions", "conventions", required=False)
    timing = r.choice(raw_conventions, "discount_timing", "conventions.discount_timing", DiscountTiming)
    carry_forward = bool(raw_conventions.get("tax_loss_carry_forward", False))
    licensing = None
    raw_licensing = r.section(data, "licensing", "licensing", required=False)
    if raw_licensing:
        licensing = _licensing(r, raw_licensing)
    inputs = EvaluationInputs(
        phases=tuple(phases),
        market=Market(**market_values),
        discount_rate=r.number(data, "discount_rate", "discount_rate"),
        tax_rate=r.number(data, "tax_rate", "tax_rate", default=0.0),
        horizon_years=r.number(data, "horizon_years", "horizon_years", integer=True),
        conventions=Conventions(discount_timing=timing, tax_loss_carry_forward=carry_forward),
        licensing=licensing,
    )
    if r.errors:
        raise InputError(r.errors)
    validate(inputs)
    return inputs


def _licensing(r: _Reader, raw_licensing: dict) -> Licensing:
    def rows(key: str, make) -> tuple:
        result = []
        for j, raw in enumerate(
            r.section(raw_licensing, key, f"licensing.{key}", list, required=False)[:MAX_MILESTONES]
        ):
            if not isinstance(raw, dict):
                r.fail(f"licensing.{key}.{j}", "Expected an object.")
                continue
            result.append(make(raw, f"licensing.{key}.{j}"))
        return tuple(result)

    return Licensing(
        upfront_eur=r.number(raw_licensing, "upfront_eur", "licensing.upfront_eur", default=0.0),
        upfront_year=r.number(raw_licensing, "upfront_year", "licensing.upfront_year", default=None),
        milestones=rows(
            "milestones",
            lambda raw, p: Milestone(str(raw.get("after_phase", "")), r.number(raw, "amount_eur", f"{p}.amount_eur")),
        ),
        sales_milestones=rows(
            "sales_milestones",
            lambda raw, p: SalesMilestone(
                r.number(raw, "threshold_eur", f"{p}.threshold_eur"), r.number(raw, "amount_eur", f"{p}.amount_eur")
            ),
        ),
        royalty_rate=r.number(raw_licensing, "royalty_rate", "licensing.royalty_rate", default=0.0),
        royalty_tiers=rows(
            "royalty_tiers",
            lambda raw, p: RoyaltyTier(
                r.number(raw, "above_sales_eur", f"{p}.above_sales_eur"), r.number(raw, "rate", f"{p}.rate")
            ),
        ),
    )


def uncertainty_from_dict(data: Any) -> Uncertainty:
    """Parse {path: {kind, low, mode, high, sd}, "correlations": [{a, b, rank_correlation}]}.

    The paths are checked against the inputs later (montecarlo.validate_uncertainty).
    """
    if data in (None, ""):
        return Uncertainty()
    if not isinstance(data, dict):
        raise InputError({"uncertainty": ["Expected an object mapping inputs to distributions."]})
    r = _Reader()
    result = {}
    for path, raw in [(p, v) for p, v in data.items() if p != "correlations"][:200]:
        p = f"uncertainty.{path}"
        if not isinstance(raw, dict):
            r.fail(p, "Expected an object.")
            continue
        kind = raw.get("kind")
        if kind not in set(DistributionKind):
            r.fail(f"{p}.kind", f"Choose one of: {', '.join(DistributionKind)}.")
            continue
        values = {name: r.number(raw, name, f"{p}.{name}", default=None) for name in ("low", "mode", "high", "sd")}
        dist = Distribution(DistributionKind(kind), **values)
        for name, message in dist.errors().items():
            r.fail(f"{p}.{name}", message)
        result[str(path)] = dist
    correlations = []
    for k, raw in enumerate(r.section(data, "correlations", "uncertainty.correlations", list, required=False)[:50]):
        p = f"uncertainty.correlations.{k}"
        if not isinstance(raw, dict):
            r.fail(p, "Expected an object.")
            continue
        rho = r.number(raw, "rank_correlation", f"{p}.rank_correlation")
        correlations.append(Correlation(str(raw.get("a", "")), str(raw.get("b", "")), rho))
    if r.errors:
        raise InputError(r.errors)
    return Uncertainty(result, tuple(correlations))
