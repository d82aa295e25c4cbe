"""One-way (tornado) and two-way sensitivity of the rNPV, computed in one vectorised pass."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .cashflows import param_arrays, project_values, reach_probabilities
from .labels import input_label
from .model import PROBABILITY_PATHS, EvaluationInputs, InputError, scalar_paths
from .validation import check_finite_result, validate

DEFAULT_SWING = 0.2  # ±20% of the base value when no range is given


def _rnpv_many(inputs: EvaluationInputs, overrides: dict[str, np.ndarray], n: int) -> np.ndarray:
    pa = param_arrays(inputs, n, overrides)
    _, values = project_values(
        pa, inputs.horizon_years, inputs.conventions.discount_timing, reach_probabilities(pa.probabilities)
    )
    return values


def default_range(inputs: EvaluationInputs, path: str, swing: float = DEFAULT_SWING) -> tuple[float, float]:
    base = inputs.value_at(path)
    low, high = base * (1 - swing), base * (1 + swing)
    if path.rsplit(".", 1)[-1] in PROBABILITY_PATHS:
        low, high = max(low, 0.0), min(high, 1.0)
    return (low, high) if low <= high else (high, low)


def one_way(
    inputs: EvaluationInputs, ranges: Mapping[str, tuple[float, float]] | None = None, swing: float = DEFAULT_SWING
) -> dict:
    """rNPV at each input's low and high with the others at base, sorted by swing (tornado)."""
    validate(inputs)
    paths = list(ranges) if ranges else [p for p in scalar_paths(inputs) if inputs.value_at(p) != 0]
    _check_paths(inputs, paths)
    ranges = {p: (ranges or {}).get(p) or default_range(inputs, p, swing) for p in paths}
    base_values = {p: inputs.value_at(p) for p in scalar_paths(inputs)}
    n = 2 * len(paths) + 1
    overrides = {p: np.full(n, v) for p, v in base_values.items()}
    for i, path in enumerate(paths):
        overrides[path][2 * i], overrides[path][2 * i + 1] = ranges[path]
    values = _rnpv_many(inputs, overrides, n)
    check_finite_result(values)
    names = [p.name for p in inputs.phases]
    base = float(values[-1])
    bars = [
        {
            "input": path,
            "label": input_label(path, names),
            "low_value": ranges[path][0],
            "high_value": ranges[path][1],
            "rnpv_at_low_eur": float(values[2 * i]),
            "rnpv_at_high_eur": float(values[2 * i + 1]),
            "swing_eur": float(abs(values[2 * i + 1] - values[2 * i])),
        }
        for i, path in enumerate(paths)
    ]
    bars.sort(key=lambda bar: bar["swing_eur"], reverse=True)
    return {"base_rnpv_eur": base, "bars": bars}


def two_way(inputs: EvaluationInputs, path_a: str, values_a, path_b: str, values_b) -> dict:
    """rNPV over the grid values_a x values_b (rows: a, columns: b)."""
    validate(inputs)
    _check_paths(inputs, [path_a, path_b])
    if path_a == path_b:
        raise InputError({"input_b": ["Choose two different inputs."]})
    a, b = np.meshgrid(np.asarray(values_a, float), np.asarray(values_b, float), indexing="ij")
    n = a.size
    overrides = {path_a: a.ravel(), path_b: b.ravel()}
    values = _rnpv_many(inputs, overrides, n).reshape(a.shape)
    check_finite_result(values)
    names = [p.name for p in inputs.phases]
    return {
        "input_a": path_a,
        "input_b": path_b,
        "label_a": input_label(path_a, names),
        "label_b": input_label(path_b, names),
        "values_a": [float(x) for x in values_a],
        "values_b": [float(x) for x in values_b],
        "rnpv_eur": values.tolist(),
    }


def grid(low: float, high: float, steps: int) -> list[float]:
    return np.linspace(low, high, steps).tolist()


def _check_paths(inputs: EvaluationInputs, paths) -> None:
    known = set(scalar_paths(inputs))
    unknown = [p for p in paths if p not in known]
    if unknown:
        raise InputError({"inputs": [f"Not an input of this evaluation: {', '.join(unknown)}."]})
