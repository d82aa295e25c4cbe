"""Rank correlation between uncertain inputs (Iman & Conover 1982), e.g. price and uptake.

Iman R.L. & Conover W.J., "A distribution-free approach to inducing rank correlation among
input variables", Commun. Stat. Simul. Comput. 11:311 (1982). Each input keeps exactly the
values drawn from its own distribution; only their pairing across inputs is reordered so
that the ranks follow the requested (Spearman) correlation. Correlated normal scores carry
the ranks; a Spearman correlation rho_s corresponds to a normal correlation
2 sin(pi rho_s / 6) (Pearson 1907), used so the achieved rank correlation is the one asked.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .model import InputError


@dataclass(frozen=True)
class Correlation:
    a: str  # input path, e.g. "market.price_per_treatment_eur"
    b: str
    rank_correlation: float  # Spearman, -1 < rho < 1


class Uncertainty(dict):
    """Distributions by input path, plus the rank correlations between some of them."""

    def __init__(self, distributions=(), correlations: tuple[Correlation, ...] = ()):
        super().__init__(distributions)
        self.correlations = tuple(correlations)


def correlations_of(uncertainty: Mapping) -> tuple[Correlation, ...]:
    return uncertainty.correlations if isinstance(uncertainty, Uncertainty) else ()


def target_matrix(paths: list[str], correlations) -> np.ndarray:
    """The normal-score correlation matrix for these paths; InputError if it cannot hold."""
    index = {p: i for i, p in enumerate(paths)}
    matrix = np.eye(len(paths))
    for c in correlations:
        i, j = index[c.a], index[c.b]
        matrix[i, j] = matrix[j, i] = 2 * math.sin(math.pi * c.rank_correlation / 6)
    try:
        np.linalg.cholesky(matrix)
    except np.linalg.LinAlgError:
        raise InputError(
            {"uncertainty.correlations": ["These correlations contradict each other; weaken one of them."]}
        ) from None
    return matrix


def correlation_errors(uncertainty: Mapping) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    seen = set()
    for k, c in enumerate(correlations_of(uncertainty)):
        path = f"uncertainty.correlations.{k}"
        for end in (c.a, c.b):
            if end not in uncertainty:
                errors.setdefault(path, []).append("Give both inputs a distribution first.")
        if c.a == c.b:
            errors.setdefault(path, []).append("Choose two different inputs.")
        if not (math.isfinite(c.rank_correlation) and -1 < c.rank_correlation < 1):
            errors.setdefault(path, []).append("A rank correlation lies strictly between -1 and 1.")
        pair = frozenset((c.a, c.b))
        if pair in seen:
            errors.setdefault(path, []).append("This pair is correlated twice.")
        seen.add(pair)
    if not errors and correlations_of(uncertainty):
        try:
            target_matrix(sorted(uncertainty), correlations_of(uncertainty))
        except InputError as error:
            errors |= error.errors
    return errors


def rank_correlate(samples: dict[str, np.ndarray], correlations, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Reorder each input's samples so that their ranks follow the requested correlations."""
    if not correlations:
        return samples
    paths = sorted({c.a for c in correlations} | {c.b for c in correlations})
    n = len(samples[paths[0]])
    target = np.linalg.cholesky(target_matrix(paths, correlations))
    # Independent normal scores, one random order per input.
    scores = np.sort(rng.standard_normal(n))
    columns = np.column_stack([scores[rng.permutation(n)] for _ in paths])
    # Remove the scores' accidental correlation, then impose the target's.
    achieved = np.linalg.cholesky(np.corrcoef(columns, rowvar=False))
    correlated = columns @ np.linalg.inv(achieved).T @ target.T
    result = dict(samples)
    for j, path in enumerate(paths):
        ranks = np.argsort(np.argsort(correlated[:, j]))
        result[path] = np.sort(samples[path])[ranks]
    return result
