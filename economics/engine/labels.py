"""Input paths in words: "phases.0.success_probability" -> "Phase 1 success probability".

Used by every place a path reaches a person (tornado bars, job errors, form messages),
so nobody reads an internal path.
"""

from __future__ import annotations

from collections.abc import Sequence

PHASE_FIELDS = {
    "name": "name",
    "duration_years": "duration (years)",
    "cost_eur": "cost (€)",
    "success_probability": "success probability",
}
MARKET_FIELDS = {
    "eligible_patients_per_year": "Eligible patients per year",
    "peak_treated_share": "Share treated at peak",
    "years_to_peak": "Years from launch to peak uptake",
    "price_per_treatment_eur": "Price per treatment (€)",
    "cogs_per_treatment_eur": "Cost of goods per treatment (€)",
    "price_erosion_per_year": "Price erosion per year",
    "exclusivity_years": "Sales years of exclusivity",
    "revenue_drop_after_exclusivity": "Revenue lost after exclusivity ends",
    "manufacturing_setup_eur": "Manufacturing set-up (€)",
    "commercial_cost_eur_per_year": "Commercial costs per year (€)",
    "pharmacovigilance_cost_eur_per_year": "Pharmacovigilance costs per year (€)",
    "launch_delay_years": "Delay from end of development to launch (years)",
}
OTHER_FIELDS = {
    "discount_rate": "Discount rate",
    "tax_rate": "Tax rate",
    "horizon_years": "Horizon (years)",
    "licensing.upfront_eur": "Licensing upfront payment (€)",
    "licensing.royalty_rate": "Licensing royalty rate",
    "conventions.discount_timing": "Discounting convention",
}
DISTRIBUTION_FIELDS = {"kind": "distribution", "low": "low", "mode": "most likely / mean", "high": "high", "sd": "SD"}


def input_label(path: str, phase_names: Sequence[str] = ()) -> str:
    """A path in words; phases are named by their name when known, else "Phase <n>"."""
    parts = str(path).split(".")
    if parts[0] == "uncertainty" and len(parts) > 1:
        rest = ".".join(parts[1:])
        for field, words in DISTRIBUTION_FIELDS.items():
            if rest.endswith(f".{field}") and rest.count(".") >= 1 and _known(rest.removesuffix(f".{field}")):
                return f"{input_label(rest.removesuffix(f'.{field}'), phase_names)}: {words}"
        return f"{input_label(rest, phase_names)}: distribution"
    if parts[0] == "phases" and len(parts) == 3 and parts[1].isdigit():
        index = int(parts[1])
        name = phase_names[index] if index < len(phase_names) else f"Phase {index + 1}"
        return f"{name} {PHASE_FIELDS.get(parts[2], parts[2].replace('_', ' '))}"
    if parts[0] == "market" and len(parts) == 2:
        return MARKET_FIELDS.get(parts[1], parts[1].replace("_", " ").capitalize())
    if parts[0] == "licensing" and len(parts) == 4 and parts[1] == "milestones" and parts[2].isdigit():
        return f"Licensing milestone {int(parts[2]) + 1}: {parts[3].replace('_eur', ' (€)').replace('_', ' ')}"
    if path in OTHER_FIELDS:
        return OTHER_FIELDS[path]
    return str(path).replace("_", " ").replace(".", ": ").capitalize()


def _known(path: str) -> bool:
    parts = path.split(".")
    return (
        (parts[0] == "phases" and len(parts) == 3) or (parts[0] == "market" and len(parts) == 2) or path in OTHER_FIELDS
    )
