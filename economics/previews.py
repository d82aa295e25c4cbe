"""A distribution's shape as a small SVG polyline, drawn on the server (no script: CSP)."""

from __future__ import annotations

import numpy as np

from .engine.distributions import Distribution, DistributionKind

WIDTH, HEIGHT, BINS = 120, 32, 24
_DRAWS = 4000


def distribution_preview(values) -> dict | None:
    """{"points": "x,y …", "low": …, "high": …} for a template, or None when the row is incomplete."""
    try:
        kind = DistributionKind(values.get("kind"))
        dist = Distribution(kind, **{k: _number(values.get(k)) for k in ("low", "mode", "high", "sd")})
    except (TypeError, ValueError):
        return None
    if dist.errors():
        return None
    # A fixed seed: the same inputs always draw the same picture.
    samples = dist.sample(np.random.default_rng(0), _DRAWS)
    # The caption states the range: the bounds, or where 90% of values fall for unbounded shapes.
    bounded = dist.kind not in (DistributionKind.NORMAL, DistributionKind.LOGNORMAL) or (
        dist.low is not None and dist.high is not None
    )
    text_low, text_high = dist.bounds
    caption = {"low": text_low, "high": text_high, "ninety_percent": not bounded}
    low, high = float(samples.min()), float(samples.max())
    if high <= low:
        x = WIDTH / 2
        return {"points": f"{x:.1f},{HEIGHT} {x:.1f},0"} | caption
    counts, _ = np.histogram(samples, bins=BINS, range=(low, high))
    top = counts.max()
    step = WIDTH / (BINS - 1)
    points = " ".join(f"{i * step:.1f},{HEIGHT - HEIGHT * c / top:.1f}" for i, c in enumerate(counts))
    return {"points": f"0,{HEIGHT} {points} {WIDTH},{HEIGHT}"} | caption


def _number(value):
    if value in (None, ""):
        return None
    return float(value)
