"""Inputs of an rNPV evaluation: frozen dataclasses with units in their names.

Time runs in years from the start of the evaluation (t = 0). Year y of the
yearly table covers [y - 1, y). Money is in euros, undiscounted, in today's
prices (no inflation: use a real discount rate).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, replace


class DiscountTiming(enum.StrEnum):
    """When within a year its cash flow is taken to happen."""

    END_OF_YEAR = "end_of_year"  # discount factor (1 + r)^-y
    MID_YEAR = "mid_year"  # discount factor (1 + r)^-(y - 0.5)
    START_OF_YEAR = "start_of_year"  # (1 + r)^-(y - 1): year 1 undiscounted, as spreadsheet NPV on a t=0 column


class UptakeCurve(enum.StrEnum):
    LINEAR = "linear"  # share x min(1, k / years_to_peak)
    S_CURVE = "s_curve"  # logistic, rescaled to 0 at launch and 1 at years_to_peak


class ErosionTarget(enum.StrEnum):
    """What loss of exclusivity erodes: the price (costs per patient stay) or the volume (they fall too)."""

    PRICE = "price"
    VOLUME = "volume"


class InputError(ValueError):
    """Invalid inputs; `errors` maps a field path (e.g. "phases.1.success_probability") to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__("; ".join(f"{path}: {' '.join(msgs)}" for path, msgs in errors.items()))


@dataclass(frozen=True)
class Phase:
    """One development phase. Phases run one after another in the given order."""

    name: str
    duration_years: float
    cost_eur: float
    success_probability: float
    # True: cost_eur is spent in each year of the phase; False: it is the phase's total.
    cost_is_per_year: bool = False

    @property
    def total_cost_eur(self) -> float:
        return self.cost_eur * self.duration_years if self.cost_is_per_year else self.cost_eur


@dataclass(frozen=True)
class Market:
    """The commercial phase, counted in sales years k = 1, 2, ... after launch."""

    eligible_patients_per_year: float
    peak_treated_share: float  # share of eligible patients treated at peak, 0..1
    years_to_peak: float  # uptake reaches the peak share after this many sales years
    price_per_treatment_eur: float
    cogs_per_treatment_eur: float = 0.0  # cost of goods, incl. failed manufacturing runs
    price_erosion_per_year: float = 0.0  # compounding from sales year 2
    exclusivity_years: float | None = None  # sales years before loss of exclusivity
    revenue_drop_after_exclusivity: float = 0.0  # share lost in the first sales year after exclusivity
    manufacturing_setup_eur: float = 0.0  # one-off capex in the last year of development
    commercial_cost_eur_per_year: float = 0.0  # sales force, market access, medical affairs
    pharmacovigilance_cost_eur_per_year: float = 0.0
    launch_delay_years: float = 0.0  # gap between the end of development and first sales
    launch_cost_eur: float = 0.0  # charged in the first sales year; tax-deductible
    uptake_steepness: float = 1.5  # S-curve only: logistic slope per year
    uptake_curve: UptakeCurve = UptakeCurve.LINEAR
    # Further yearly losses after the first (e.g. (0.25,) after a 0.5 drop: 50% then a further 25%).
    erosion_steps_after_exclusivity: tuple[float, ...] = ()
    erosion_applies_to: ErosionTarget = ErosionTarget.PRICE


@dataclass(frozen=True)
class Milestone:
    """A licensing milestone, paid when the named phase succeeds."""

    after_phase: str
    amount_eur: float


@dataclass(frozen=True)
class SalesMilestone:
    """Paid once, in the first year in which annual sales reach the threshold."""

    threshold_eur: float
    amount_eur: float


@dataclass(frozen=True)
class RoyaltyTier:
    """Royalty rate on the part of annual sales above `above_sales_eur` (marginal, like tax bands)."""

    above_sales_eur: float
    rate: float


@dataclass(frozen=True)
class Licensing:
    """Out-licensing the asset now: the licensee develops and sells, the licensor receives payments."""

    upfront_eur: float = 0.0
    milestones: tuple[Milestone, ...] = ()
    royalty_rate: float = 0.0  # share of the licensee's net sales (below the first tier)
    upfront_year: float | None = None  # None: at signing (t = 0, undiscounted); else paid at that time
    sales_milestones: tuple[SalesMilestone, ...] = ()
    royalty_tiers: tuple[RoyaltyTier, ...] = ()


@dataclass(frozen=True)
class Conventions:
    """The choices that change the number. Stored and shown with every result."""

    discount_timing: DiscountTiming = DiscountTiming.END_OF_YEAR
    tax_loss_carry_forward: bool = False
    # Fixed rules, named so every result can state them:
    phase_cost_weighting: str = "probability of reaching the phase"
    revenue_weighting: str = "cumulative probability of launch (launch costs included)"

    @property
    def tax_rule(self) -> str:
        if self.tax_loss_carry_forward:
            return "tax on operating profit after launch, earlier operating losses carried forward"
        return "tax on positive yearly operating profit after launch; no loss carry-forward"

    def as_dict(self) -> dict:
        return {
            "discount_timing": str(self.discount_timing),
            "tax_loss_carry_forward": self.tax_loss_carry_forward,
            "phase_cost_weighting": self.phase_cost_weighting,
            "revenue_weighting": self.revenue_weighting,
            "tax_rule": self.tax_rule,
        }


@dataclass(frozen=True)
class EvaluationInputs:
    phases: tuple[Phase, ...]
    market: Market
    discount_rate: float
    tax_rate: float
    horizon_years: int
    conventions: Conventions = field(default_factory=Conventions)
    licensing: Licensing | None = None

    @property
    def development_years(self) -> float:
        return sum(p.duration_years for p in self.phases)

    def with_value(self, path: str, value: float) -> EvaluationInputs:
        """A copy with one scalar input replaced; paths as in `scalar_paths()`."""
        parts = path.split(".")
        if parts[0] == "phases":
            index, name = int(parts[1]), parts[2]
            phases = list(self.phases)
            phases[index] = replace(phases[index], **{name: value})
            return replace(self, phases=tuple(phases))
        if parts[0] == "market":
            return replace(self, market=replace(self.market, **{parts[1]: value}))
        if parts[0] == "licensing" and self.licensing is not None:
            return replace(self, licensing=replace(self.licensing, **{parts[1]: value}))
        if parts[0] in ("discount_rate", "tax_rate") and len(parts) == 1:
            return replace(self, **{parts[0]: value})
        raise KeyError(path)

    def value_at(self, path: str) -> float:
        parts = path.split(".")
        if parts[0] == "phases":
            return float(getattr(self.phases[int(parts[1])], parts[2]))
        if parts[0] == "market":
            value = getattr(self.market, parts[1])
            if value is None:
                raise KeyError(path)
            return float(value)
        if parts[0] == "licensing" and self.licensing is not None:
            return float(getattr(self.licensing, parts[1]))
        if parts[0] in ("discount_rate", "tax_rate") and len(parts) == 1:
            return float(getattr(self, parts[0]))
        raise KeyError(path)


PHASE_SCALARS = ("duration_years", "cost_eur", "success_probability")
# Choices and lists of the market, not numbers a distribution or a sensitivity range can move.
MARKET_OPTIONS = ("uptake_curve", "erosion_steps_after_exclusivity", "erosion_applies_to")
MARKET_SCALARS = tuple(f.name for f in fields(Market) if f.name not in MARKET_OPTIONS)
PROBABILITY_PATHS = {
    "success_probability",
    "peak_treated_share",
    "price_erosion_per_year",
    "revenue_drop_after_exclusivity",
    "royalty_rate",
    "tax_rate",
}


def scalar_paths(inputs: EvaluationInputs) -> list[str]:
    """Every input a distribution or a sensitivity range can be put on."""
    paths = [f"phases.{i}.{name}" for i in range(len(inputs.phases)) for name in PHASE_SCALARS]
    paths += [f"market.{name}" for name in MARKET_SCALARS if getattr(inputs.market, name) is not None]
    paths += ["discount_rate", "tax_rate"]
    return paths
