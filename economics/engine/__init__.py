"""The rNPV engine: plain Python + NumPy, no Django.

Everything the portal shows (deterministic evaluation, Monte Carlo, sensitivity)
is computed here; the Django app only validates input, stores rows and renders.
The formulas and conventions are written out in docs/economics.md.
"""

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
from .rnpv import EvaluationResult, evaluate

__all__ = [
    "Conventions",
    "DiscountTiming",
    "Distribution",
    "DistributionKind",
    "EvaluationInputs",
    "EvaluationResult",
    "InputError",
    "Licensing",
    "Market",
    "Milestone",
    "Phase",
    "evaluate",
]
