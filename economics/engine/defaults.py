"""Default inputs per ATMP type and indication class, each with its source.

Sources are those of the platform's domain guide (section 8). Values no
publication supports are platform assumptions and say so ("unverified"): the
UI shows every citation next to the value it sets, so users know what to replace.
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass


class AtmpKind(enum.StrEnum):
    GENE_THERAPY = "gene_therapy", "Gene therapy (in vivo)"
    CAR_T = "car_t", "CAR-T / gene-modified cells"
    CELL_THERAPY = "cell_therapy", "Somatic cell therapy"
    TISSUE_ENGINEERED = "tissue_engineered", "Tissue-engineered product"

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class IndicationClass(enum.StrEnum):
    ONCOLOGY = "oncology", "Oncology"
    RARE_DISEASE = "rare_disease", "Rare disease (non-cancer)"
    OTHER = "other", "Other / common disease"

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


@dataclass(frozen=True)
class Citation:
    reference: str
    verified: bool = True
    note: str = ""


BIO_2021 = Citation(
    "BIO, Informa Pharma Intelligence & QLS Advisors, Clinical Development Success Rates 2011–2020 (2021)"
)
BIO_2021_UNVERIFIED = Citation(
    BIO_2021.reference,
    verified=False,
    note="Phase 3 → filing 57.8% and filing → approval 90.6% are not verified against the report.",
)
ELSALLAB = Citation("Elsallab M. et al., Clin Pharmacol Ther 117:1264 (2025): cell and gene therapies")
SABATINI = Citation("Sabatini M.T. & Chalmers M., Pharm Med 37:365 (2023): cost of capital 10.5%")
ORPHAN_EXCLUSIVITY = Citation(
    "Regulation (EC) 141/2000 Art. 8: 10 years orphan market exclusivity",
    verified=False,
    note="Not verified here; non-orphan products rely on data/market protection instead.",
)
POINT_OF_CARE_CART = Citation(
    "Academic point-of-care CAR-T ≈ €80K vs US$350–500K commercial (secondary source)", verified=False
)
ASSUMPTION = Citation("Platform assumption: no published source; replace with your own figure", verified=False)

# BIO 2011–2020, all indications: phase 1→2, 2→3, 3→filing, filing→approval; LOA from phase 1 = 7.9%.
BIO_TRANSITIONS = (0.520, 0.289, 0.578, 0.906)
# Durations in years, phase 1 / 2 / 3 / filing (BIO 2011–2020).
BIO_DURATIONS = {IndicationClass.ONCOLOGY: (2.7, 3.7, 3.1, 0.8), "all": (2.3, 3.6, 3.3, 1.3)}
# Likelihood of approval from phase 1 for cell & gene therapies (Elsallab et al. 2025).
ELSALLAB_LOA = {
    "all": 0.053,
    IndicationClass.RARE_DISEASE: 0.094,
    IndicationClass.ONCOLOGY: 0.032,
    "car_t": 0.136,
    "aav": 0.136,
}

PHASE_NAMES = ("Preclinical", "Phase 1", "Phase 2", "Phase 3", "Registration (MAA)")
# Academic/hospital development budgets per phase, EUR: assumptions, not published figures.
PHASE_COSTS_EUR = (2_000_000, 4_000_000, 12_000_000, 35_000_000, 2_000_000)
PRECLINICAL = (1.5, 0.6)  # duration, probability of reaching phase 1: assumptions


def _loa_for(kind: AtmpKind, indication: IndicationClass) -> tuple[float, str]:
    if kind == AtmpKind.CAR_T:
        return ELSALLAB_LOA["car_t"], "CAR-T LOA 13.6%"
    if kind == AtmpKind.GENE_THERAPY and indication == IndicationClass.RARE_DISEASE:
        return ELSALLAB_LOA["aav"], "AAV gene therapy LOA 13.6%"
    if indication in ELSALLAB_LOA:
        return ELSALLAB_LOA[indication], f"{indication.label} LOA {ELSALLAB_LOA[indication]:.1%}"
    return ELSALLAB_LOA["all"], "all cell & gene therapies LOA 5.3%"


def clinical_probabilities(kind: AtmpKind, indication: IndicationClass) -> tuple[tuple[float, ...], Citation]:
    """Per-phase probabilities whose product is the published LOA for this class.

    Elsallab et al. publish the LOA only, so each BIO 2011–2020 transition probability
    is raised to the same power a = ln(LOA) / ln(7.9%): the product is then exactly the
    published LOA and no probability exceeds 1. That split is our derivation, and the
    citation says so.
    """

    kind, indication = AtmpKind(kind), IndicationClass(indication)
    loa, what = _loa_for(kind, indication)
    bio_loa = 1.0
    for p in BIO_TRANSITIONS:
        bio_loa *= p
    power = math.log(loa) / math.log(bio_loa)
    probabilities = tuple(round(p**power, 4) for p in BIO_TRANSITIONS)
    note = (
        f"{what} (Elsallab 2025); split over phases as the BIO 2011–2020 profile, each transition "
        f"probability raised to the power {power:.3f} (platform derivation)."
    )
    if kind == AtmpKind.TISSUE_ENGINEERED:
        note += " No TEP-specific figure was found: the cell & gene therapy figure is used."
    return probabilities, Citation(ELSALLAB.reference, verified=kind != AtmpKind.TISSUE_ENGINEERED, note=note)


MARKET = {
    # eligible patients per year, peak share, years to peak: assumptions per indication class
    IndicationClass.ONCOLOGY: (1000, 0.3, 4),
    IndicationClass.RARE_DISEASE: (150, 0.5, 3),
    IndicationClass.OTHER: (3000, 0.15, 5),
}
PRICE_AND_COGS_EUR = {
    AtmpKind.CAR_T: (350_000, 80_000, POINT_OF_CARE_CART),
    AtmpKind.GENE_THERAPY: (1_000_000, 150_000, ASSUMPTION),
    AtmpKind.CELL_THERAPY: (150_000, 40_000, ASSUMPTION),
    AtmpKind.TISSUE_ENGINEERED: (60_000, 15_000, ASSUMPTION),
}

# Where a product currently stands -> the phases still ahead (index into PHASE_NAMES),
# with combined phases where the trial is combined.
START_PHASES = {
    "preclinical": ("Preclinical", "Phase 1", "Phase 2", "Phase 3", "Registration (MAA)"),
    "phase_1": ("Phase 1", "Phase 2", "Phase 3", "Registration (MAA)"),
    "phase_1_2": ("Phase 1/2", "Phase 3", "Registration (MAA)"),
    "phase_2": ("Phase 2", "Phase 3", "Registration (MAA)"),
    "phase_2_3": ("Phase 2/3", "Registration (MAA)"),
    "phase_3": ("Phase 3", "Registration (MAA)"),
    "registration": ("Registration (MAA)",),
    # Not a phase of the MAA route: the hospital-exemption preset (engine/hospital_exemption.py).
    "hospital_exemption": ("GMP process development", "Academic phase 1/2 study", "National HE authorisation"),
}


def default_inputs(
    kind: AtmpKind | str, indication: IndicationClass | str, start: str = "preclinical"
) -> tuple[dict, dict[str, dict]]:
    """(inputs as a dict, citations by field path) for this class of product."""
    kind, indication = AtmpKind(kind), IndicationClass(indication)
    if start == "hospital_exemption":
        from .hospital_exemption import hospital_exemption_inputs

        return hospital_exemption_inputs(kind, indication)
    probabilities, p_citation = clinical_probabilities(kind, indication)
    durations = BIO_DURATIONS.get(indication, BIO_DURATIONS["all"])
    duration_citation = Citation(
        BIO_2021.reference,
        note="Mean phase durations" + (", oncology" if indication == IndicationClass.ONCOLOGY else ", all indications"),
    )
    single = {
        "Preclinical": (PRECLINICAL[0], PHASE_COSTS_EUR[0], PRECLINICAL[1], ASSUMPTION, ASSUMPTION),
        **{
            PHASE_NAMES[i + 1]: (durations[i], PHASE_COSTS_EUR[i + 1], probabilities[i], duration_citation, p_citation)
            for i in range(4)
        },
    }
    merged = {"Phase 1/2": ("Phase 1", "Phase 2"), "Phase 2/3": ("Phase 2", "Phase 3")}
    phases, citations = [], {}
    for i, name in enumerate(START_PHASES.get(start, START_PHASES["preclinical"])):
        if name in merged:
            a, b = (single[n] for n in merged[name])
            # A combined trial saves roughly a quarter of the time of running both: assumption.
            duration, cost, p = round((a[0] + b[0]) * 0.75, 2), a[1] + b[1], round(a[2] * b[2], 4)
            d_cite = Citation(ASSUMPTION.reference, verified=False, note="75% of the two phases' combined duration")
            p_cite = Citation(p_citation.reference, p_citation.verified, "Product of the two phases' probabilities.")
        else:
            duration, cost, p, d_cite, p_cite = single[name]
        phases.append(
            {
                "name": name,
                "duration_years": duration,
                "cost_eur": cost,
                "success_probability": p,
                "cost_is_per_year": False,
            }
        )
        citations[f"phases.{i}.duration_years"] = asdict(d_cite)
        citations[f"phases.{i}.success_probability"] = asdict(p_cite)
        citations[f"phases.{i}.cost_eur"] = asdict(ASSUMPTION)
    patients, share, to_peak = MARKET[indication]
    price, cogs, price_citation = PRICE_AND_COGS_EUR[kind]
    inputs = {
        "phases": phases,
        "market": {
            "eligible_patients_per_year": patients,
            "peak_treated_share": share,
            "years_to_peak": to_peak,
            "price_per_treatment_eur": price,
            "cogs_per_treatment_eur": cogs,
            "price_erosion_per_year": 0.02,
            "exclusivity_years": 10,
            "revenue_drop_after_exclusivity": 0.5,
            "manufacturing_setup_eur": 10_000_000,
            "commercial_cost_eur_per_year": 3_000_000,
            "pharmacovigilance_cost_eur_per_year": 500_000,
            "launch_delay_years": 0,
            "launch_cost_eur": 0,
            "uptake_steepness": 1.5,
            "uptake_curve": "linear",
            "erosion_steps_after_exclusivity": [],
            "erosion_applies_to": "price",
        },
        "discount_rate": 0.105,
        "tax_rate": 0.25,
        "horizon_years": 25,
        "conventions": {"discount_timing": "mid_year", "tax_loss_carry_forward": False},
        "licensing": None,
    }
    for name in inputs["market"]:
        citations[f"market.{name}"] = asdict(ASSUMPTION)
    citations["market.price_per_treatment_eur"] = asdict(price_citation)
    citations["market.cogs_per_treatment_eur"] = asdict(price_citation)
    citations["market.exclusivity_years"] = asdict(ORPHAN_EXCLUSIVITY)
    citations["discount_rate"] = asdict(SABATINI)
    citations["tax_rate"] = asdict(ASSUMPTION)
    return inputs, citations
