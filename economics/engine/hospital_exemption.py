"""The hospital-exemption route: an academic or hospital developer treating its own patients.

Legal basis (sourced): Regulation (EC) No 1394/2007, Art. 28(2), adding Art. 3(7) to
Directive 2001/83/EC: ATMPs "prepared on a non-routine basis according to specific quality
standards, and used within the same Member State in a hospital under the exclusive
professional responsibility of a medical practitioner, in order to comply with an individual
medical prescription for a custom-made product for an individual patient" are outside the
central marketing authorisation; the national competent authority authorises their
manufacture. Hence: no marketing-authorisation phase and no MAA costs.

Every number below is a platform assumption unless its citation says otherwise; national
rules (volume limits, pricing) differ by Member State and must be replaced by the user's own.
"""

from __future__ import annotations

import math
from dataclasses import asdict

from .defaults import (
    ASSUMPTION,
    MARKET,
    PRICE_AND_COGS_EUR,
    AtmpKind,
    Citation,
    IndicationClass,
    clinical_probabilities,
)

HE_LEGAL_BASIS = Citation(
    "Regulation (EC) No 1394/2007 Art. 28(2) (Directive 2001/83/EC Art. 3(7)): hospital exemption, "
    "non-routine preparation under national authorisation, no marketing authorisation"
)
# Patients a hospital treats per year under the exemption ("non-routine basis"): no EU figure.
HE_PATIENTS_PER_YEAR_LIMIT = 50
# Cost-recovery price: cost of goods plus this share for overheads (quality, release, staff).
HE_OVERHEAD_SHARE = 0.15


def _assumption(note: str) -> dict:
    return asdict(Citation(ASSUMPTION.reference, verified=False, note=note))


def hospital_exemption_inputs(kind: AtmpKind | str, indication: IndicationClass | str) -> tuple[dict, dict]:
    """(inputs, citations by path) for the hospital-exemption route of this product class."""
    kind, indication = AtmpKind(kind), IndicationClass(indication)
    probabilities, p_citation = clinical_probabilities(kind, indication)
    phase_1_2 = round(probabilities[0] * probabilities[1], 4)
    patients, share, to_peak = MARKET[indication]
    _, cogs, cogs_citation = PRICE_AND_COGS_EUR[kind]
    treated_share = min(share, HE_PATIENTS_PER_YEAR_LIMIT / patients)
    phases = [
        {"name": "GMP process development", "duration_years": 1.5, "cost_eur": 1_500_000},
        {"name": "Academic phase 1/2 study", "duration_years": 3.0, "cost_eur": 4_000_000},
        {"name": "National HE authorisation", "duration_years": 0.5, "cost_eur": 150_000},
    ]
    success = (0.8, phase_1_2, 0.9)
    for phase, p in zip(phases, success, strict=True):
        phase |= {"success_probability": p, "cost_is_per_year": False}
    inputs = {
        "phases": phases,
        "market": {
            "eligible_patients_per_year": patients,
            "peak_treated_share": math.floor(treated_share * 10_000) / 10_000,  # never above the cap
            "years_to_peak": to_peak,
            "price_per_treatment_eur": round(cogs * (1 + HE_OVERHEAD_SHARE), 2),
            "cogs_per_treatment_eur": cogs,
            "price_erosion_per_year": 0.0,
            "exclusivity_years": None,
            "revenue_drop_after_exclusivity": 0.0,
            "manufacturing_setup_eur": 2_000_000,
            "commercial_cost_eur_per_year": 0,
            "pharmacovigilance_cost_eur_per_year": 100_000,
            "launch_delay_years": 0,
            "launch_cost_eur": 0,
            "uptake_steepness": 1.5,
            "uptake_curve": "linear",
            "erosion_steps_after_exclusivity": [],
            "erosion_applies_to": "price",
        },
        "discount_rate": 0.105,
        "tax_rate": 0.0,
        "horizon_years": 20,
        "conventions": {"discount_timing": "mid_year", "tax_loss_carry_forward": False},
        "licensing": None,
    }
    citations = {f"market.{name}": asdict(ASSUMPTION) for name in inputs["market"]}
    citations |= {
        "phases.0.duration_years": _assumption("Process transfer and validation in the hospital's cleanroom."),
        "phases.0.cost_eur": _assumption("Process development and validation budget."),
        "phases.0.success_probability": _assumption("Share of academic processes reaching a first patient."),
        "phases.1.duration_years": _assumption("One combined academic study."),
        "phases.1.cost_eur": _assumption("Academic trial budget."),
        "phases.1.success_probability": asdict(
            Citation(p_citation.reference, p_citation.verified, "Product of the class's phase 1 and 2 probabilities.")
        ),
        "phases.2.duration_years": _assumption("Review by the national competent authority (legal basis cited below)."),
        "phases.2.cost_eur": _assumption("Dossier for the national competent authority; no MAA fees."),
        "phases.2.success_probability": _assumption("National authorisation of manufacture under the exemption."),
        "market.peak_treated_share": _assumption(
            f"Capped at {HE_PATIENTS_PER_YEAR_LIMIT} patients a year (non-routine preparation); national limits differ."
        ),
        "market.price_per_treatment_eur": _assumption(
            f"Cost recovery: cost of goods + {HE_OVERHEAD_SHARE:.0%} overheads; no commercial price."
        ),
        "market.cogs_per_treatment_eur": asdict(cogs_citation),
        "market.exclusivity_years": asdict(HE_LEGAL_BASIS) | {"note": "No market exclusivity: none is modelled."},
        "market.commercial_cost_eur_per_year": asdict(HE_LEGAL_BASIS) | {"note": "No marketing: no commercial costs."},
        "tax_rate": _assumption("Public hospital: no tax on cost recovery."),
        "discount_rate": _assumption("The industry cost of capital (10.5%, Sabatini & Chalmers 2023) kept."),
    }
    return inputs, citations
