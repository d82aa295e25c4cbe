"""Inputs to and from plain dicts (JSON): the one format stored, exported and sent to the API.

`inputs_from_dict` never raises anything but InputError, with messages keyed by
field path, so any malformed body becomes a 400 with field errors.
"""

from __future__ import annotations

import math
from dataclasses import MISSING, asdict, fields
from typing import Any

from .distributions import Distribution, DistributionKind
from .model import (
    Conventions,
    DiscountTiming,
    EvaluationInputs,
    InputError,
    Licensing,
    Market,
    Milestone,
    Phase,
)
from .validation import validate

MAX_PHASES = 12
MAX_MILESTONES = 12


def inputs_to_dict(inputs: EvaluationInputs) -> dict:
    data = asdict(inputs)
    data["conventions"] = {"discount_timing": str(inputs.conventions.discount_timing)}
    data["phases"] = [dict(p) for p in data["phases"]]
    if data["licensing"] is not None:
        data["licensing"]["milestones"] = [dict(m) for m in data["licensing"]["milestones"]]
    return data


def uncertainty_to_dict(uncertainty: dict[str, Distribution]) -> dict:
    return {
        path: {k: v for k, v in asdict(d).items() if v is not None} | {"kind": str(d.kind)}
        for path, d in uncertainty.items()
    }


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
    optional = {f.name: f.default for f in fields(Market)}
    market_values = {}
    for name, default in optional.items():
        required = default is MISSING
        market_values[name] = r.number(raw_market, name, f"market.{name}", default=... if required else default)
    timing = r.section(data, "conventions", "conventions", required=False).get("discount_timing", "end_of_year")
    if timing not in set(DiscountTiming):
        r.fail("conventions.discount_timing", f"Choose one of: {', '.join(DiscountTiming)}.")
        timing = DiscountTiming.END_OF_YEAR
    licensing = None
    raw_licensing = r.section(data, "licensing", "licensing", required=False)
    if raw_licensing:
        milestones = []
        raw_milestones = r.section(raw_licensing, "milestones", "licensing.milestones", list, required=False)
        for j, raw in enumerate(raw_milestones[:MAX_MILESTONES]):
            path = f"licensing.milestones.{j}"
            if not isinstance(raw, dict):
                r.fail(path, "Expected an object.")
                continue
            milestones.append(
                Milestone(str(raw.get("after_phase", "")), r.number(raw, "amount_eur", f"{path}.amount_eur"))
            )
        licensing = Licensing(
            upfront_eur=r.number(raw_licensing, "upfront_eur", "licensing.upfront_eur", default=0.0),
            milestones=tuple(milestones),
            royalty_rate=r.number(raw_licensing, "royalty_rate", "licensing.royalty_rate", default=0.0),
        )
    inputs = EvaluationInputs(
        phases=tuple(phases),
        market=Market(**market_values),
        discount_rate=r.number(data, "discount_rate", "discount_rate"),
        tax_rate=r.number(data, "tax_rate", "tax_rate", default=0.0),
        horizon_years=r.number(data, "horizon_years", "horizon_years", integer=True),
        conventions=Conventions(discount_timing=DiscountTiming(timing)),
        licensing=licensing,
    )
    if r.errors:
        raise InputError(r.errors)
    validate(inputs)
    return inputs


def uncertainty_from_dict(data: Any) -> dict[str, Distribution]:
    """Parse {path: {kind, low, mode, high, sd}}; the paths are checked against the inputs later."""
    if data in (None, ""):
        return {}
    if not isinstance(data, dict):
        raise InputError({"uncertainty": ["Expected an object mapping inputs to distributions."]})
    r = _Reader()
    result = {}
    for path, raw in list(data.items())[:200]:
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
    if r.errors:
        raise InputError(r.errors)
    return result
