"""Input distributions for Monte Carlo: each draws N values from an injected Generator."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np


class DistributionKind(enum.StrEnum):
    FIXED = "fixed"
    UNIFORM = "uniform"
    TRIANGULAR = "triangular"
    PERT = "pert"
    NORMAL = "normal"  # mean (mode) and sd; truncated to [low, high] when they are given
    TRUNCATED_NORMAL = "truncated_normal"  # the same, with low and high required
    LOGNORMAL = "lognormal"  # parameters: mean and sd of the value itself


@dataclass(frozen=True)
class Distribution:
    kind: DistributionKind
    low: float | None = None
    mode: float | None = None  # triangular/PERT most likely value; normal/lognormal mean
    high: float | None = None
    sd: float | None = None  # normal/lognormal standard deviation

    def errors(self) -> dict[str, str]:
        """Field -> message for an ill-formed distribution (empty when fine)."""
        need = {
            DistributionKind.FIXED: ("mode",),
            DistributionKind.UNIFORM: ("low", "high"),
            DistributionKind.TRIANGULAR: ("low", "mode", "high"),
            DistributionKind.PERT: ("low", "mode", "high"),
            DistributionKind.NORMAL: ("mode", "sd"),
            DistributionKind.TRUNCATED_NORMAL: ("mode", "sd", "low", "high"),
            DistributionKind.LOGNORMAL: ("mode", "sd"),
        }[self.kind]
        problems = {name: "Required for this distribution." for name in need if getattr(self, name) is None}
        for name in need:
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                problems[name] = "Enter a finite number."
        if problems:
            return problems
        if (
            self.low is not None
            and self.high is not None
            and not (math.isfinite(self.low) and math.isfinite(self.high))
        ):
            problems["low"] = "Enter finite numbers."
            return problems
        if self.low is not None and self.high is not None and self.low > self.high:
            problems["high"] = "High must not be below low."
        if self.kind in (DistributionKind.TRIANGULAR, DistributionKind.PERT) and not (
            self.low <= self.mode <= self.high
        ):
            problems["mode"] = "The most likely value must lie between low and high."
        if self.kind == DistributionKind.PERT and self.low == self.high:
            problems["high"] = "PERT needs low < high (use fixed for a single value)."
        if self.kind in (DistributionKind.NORMAL, DistributionKind.TRUNCATED_NORMAL, DistributionKind.LOGNORMAL):
            if self.sd < 0:
                problems["sd"] = "A standard deviation cannot be negative."
        if self.kind in (DistributionKind.NORMAL, DistributionKind.TRUNCATED_NORMAL):
            low, high = self._normal_window
            if not low <= self.mode <= high:
                problems["mode"] = "The mean must lie between the bounds."
        if self.kind == DistributionKind.LOGNORMAL and self.mode <= 0:
            problems["mode"] = "A lognormal mean must be positive."
        return problems

    @property
    def bounds(self) -> tuple[float, float]:
        """A low/high pair for sensitivity ranges (lognormal: 5th and 95th percentiles)."""
        if self.kind == DistributionKind.FIXED:
            return self.mode, self.mode
        if self.kind == DistributionKind.LOGNORMAL:
            mu, sigma = _lognormal_parameters(self.mode, self.sd)
            return math.exp(mu - 1.6449 * sigma), math.exp(mu + 1.6449 * sigma)
        if self.kind in (DistributionKind.NORMAL, DistributionKind.TRUNCATED_NORMAL):
            low, high = self._normal_window  # the 5th-95th percentile range, within the bounds
            return max(low, self.mode - 1.6449 * self.sd), min(high, self.mode + 1.6449 * self.sd)
        return self.low, self.high

    @property
    def _normal_window(self) -> tuple[float, float]:
        low = -math.inf if self.low is None else self.low
        high = math.inf if self.high is None else self.high
        return low, high

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        k = self.kind
        if k == DistributionKind.FIXED:
            return np.full(n, float(self.mode))
        if k == DistributionKind.UNIFORM:
            return rng.uniform(self.low, self.high, n)
        if k == DistributionKind.TRIANGULAR:
            if self.low == self.high:
                return np.full(n, float(self.low))
            return rng.triangular(self.low, self.mode, self.high, n)
        if k == DistributionKind.PERT:
            span = self.high - self.low
            alpha = 1 + 4 * (self.mode - self.low) / span
            beta = 1 + 4 * (self.high - self.mode) / span
            return self.low + span * rng.beta(alpha, beta, n)
        if k in (DistributionKind.NORMAL, DistributionKind.TRUNCATED_NORMAL):
            return _truncated_normal(rng, self.mode, self.sd, *self._normal_window, n)
        mu, sigma = _lognormal_parameters(self.mode, self.sd)
        return rng.lognormal(mu, sigma, n)


def _lognormal_parameters(mean: float, sd: float) -> tuple[float, float]:
    sigma2 = math.log(1 + (sd / mean) ** 2)
    return math.log(mean) - sigma2 / 2, math.sqrt(sigma2)


def _truncated_normal(rng, mean, sd, low, high, n) -> np.ndarray:
    """Redraw values outside [low, high]; falls back to clipping if the window is far in a tail."""
    if sd == 0 or low == high:
        return np.clip(np.full(n, float(mean)), low, high)
    values = rng.normal(mean, sd, n)
    for _ in range(100):
        outside = (values < low) | (values > high)
        count = int(outside.sum())
        if not count:
            return values
        values[outside] = rng.normal(mean, sd, count)
    return np.clip(values, low, high)
