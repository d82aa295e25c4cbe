"""Sections and row labels of the ATMP cover sheet, and how each maps to the model.

Labels are matched by a *key*: lower case, punctuation and extra spaces dropped,
and the known typos of real sheets corrected ("identifyer"). A row is looked up
within its section, because the old template has a "Trial Status" row in the
cover-sheet section as well as in the regulatory one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Section keys, in template order.
COVER = "cover"
REGULATORY = "regulatory"
WP1 = "wp1"
REVIEW = "review"

SECTION_TITLES = {
    COVER: "ATMP Cover Sheet",
    REGULATORY: "Regulatory Information",
    WP1: "WP 1",
    REVIEW: "Review Status Information",
}

# Value kinds: how the importer turns the cell text into model values (see trials/imports.py).
TEXT = "text"
LOCATIONS = "locations"
ATMP_TYPE = "atmp_type"
CELL_SOURCE = "cell_source"
DISEASES = "diseases"
COHORTS = "cohorts"
CLASSIFICATION = "classification"
TARGETS = "targets"
GENE_TRANSFER = "gene_transfer"
SHEET_REVIEW = "sheet_review"
REGISTRY_IDS = "registry_ids"
PHASE = "phase"
STATUS = "status"
SPONSOR_TYPE = "sponsor_type"
CENTRE = "centre"
YES_NO = "yes_no"

_TYPOS = {"identifyer": "identifier", "centre": "center", "previosuly": "previously"}


def label_key(text) -> str:
    """ "Title of ATMP / ATMP identifyer / ...  " -> "title of atmp atmp identifier ..."."""
    words = re.findall(r"[a-z0-9]+", str(text or "").lower())
    return " ".join(_TYPOS.get(w, w) for w in words)


@dataclass(frozen=True)
class Row:
    """One row of the template: its label, where its value goes, and other spellings."""

    section: str
    label: str
    field: str  # model field holding the text as written
    kind: str = TEXT
    aliases: tuple[str, ...] = ()
    personal: bool = False  # names of people, e-mail addresses: trials.models.TRIAL_PERSONAL_FIELDS + the reviewer
    template: bool = True  # False: only older sheets have it; exported only when filled

    @property
    def keys(self) -> set[str]:
        return {label_key(self.label), *(label_key(a) for a in self.aliases)}

    @property
    def is_trial_row(self) -> bool:
        return self.section == REGULATORY


ROWS: tuple[Row, ...] = (
    # --- ATMP Cover Sheet (product) ---
    Row(
        COVER,
        "Title of ATMP / ATMP identifier / Investigational medicinal product name",
        "name",
        aliases=("Title of ATMP", "ATMP identifier", "Investigational medicinal product name", "Product name"),
    ),
    Row(COVER, "Country of Origin", "country_of_origin_text", LOCATIONS),
    Row(COVER, "Type of ATMP", "atmp_type_text", ATMP_TYPE, aliases=("ATMP type",)),
    Row(COVER, "Cell source", "cell_source_text", CELL_SOURCE),
    Row(COVER, "Cell type", "cell_type"),
    Row(COVER, "Route of administration", "route_of_administration"),
    Row(COVER, "Disease", "disease_text", DISEASES, aliases=("Disease / indication", "Indication")),
    Row(COVER, "Patient cohort", "patient_cohort_text", COHORTS, aliases=("Patient cohorts",)),
    Row(COVER, "Patient classification", "patient_classification_text", CLASSIFICATION),
    Row(COVER, "Target of ATMP", "target_text", TARGETS, aliases=("Target",)),
    Row(COVER, "Mode of gene transfer", "gene_transfer_mode_text", GENE_TRANSFER),
    Row(COVER, "Conducted trials", "conducted_trials_text"),
    Row(COVER, "ATMP_Category", "category", aliases=("ATMP category", "Category")),
    Row(COVER, "Trial Status", "cover_trial_status_text", template=False),
    # --- Regulatory Information (one column per trial) ---
    Row(
        REGULATORY,
        "Study ID (EudraCT ID for EU; NCT for USA)",
        "registry_id_text",
        REGISTRY_IDS,
        aliases=("Study ID", "EudraCT ID", "Trial ID", "Registry ID"),
    ),
    Row(REGULATORY, "Study title", "title", aliases=("Title of study", "Trial title")),
    Row(REGULATORY, "Phase", "phase_text", PHASE, aliases=("Trial phase",)),
    Row(REGULATORY, "Trial Status", "status_text", STATUS, aliases=("Status", "Study status")),
    Row(REGULATORY, "PI", "principal_investigator", personal=True, aliases=("Principal investigator",)),
    Row(REGULATORY, "Sponsor", "sponsor"),
    Row(REGULATORY, "Type of Sponsor", "sponsor_type_text", SPONSOR_TYPE, aliases=("Sponsor type",)),
    Row(REGULATORY, "Lead clinical (Name and institution)", "lead_clinical", personal=True, aliases=("Lead clinical",)),
    Row(
        REGULATORY,
        "Lead pre-clinical (name and institution)",
        "lead_preclinical",
        personal=True,
        aliases=("Lead preclinical",),
    ),
    Row(
        REGULATORY,
        "Lead manufacturing (name and institution)",
        "lead_manufacturing",
        personal=True,
        aliases=("Lead manufacturing",),
    ),
    Row(REGULATORY, "Lead study center", "lead_study_centre"),
    Row(REGULATORY, "Center", "centre_type_text", CENTRE, aliases=("Single/multi center",)),
    Row(REGULATORY, "Countries", "countries_text", LOCATIONS, aliases=("Country", "Trial countries")),
    Row(REGULATORY, "Funding", "funding"),
    Row(REGULATORY, "Patent holder", "patent_holder"),
    Row(REGULATORY, "Mechanism of action already known?", "mechanism_known_text", YES_NO),
    Row(REGULATORY, "First in-human?", "first_in_human_text", YES_NO, aliases=("First in human",)),
    Row(REGULATORY, "E-Mail of PI", "pi_email", personal=True, aliases=("PI e-mail",)),
    Row(REGULATORY, "E-Mail of Sponsor", "sponsor_email", personal=True, aliases=("Sponsor e-mail",)),
    # --- WP 1 (product, free text) ---
    Row(WP1, "Animal studies", "animal_studies"),
    Row(WP1, "Non-animal based studies of relevance", "non_animal_studies"),
    Row(
        WP1,
        "Alternative methods - if used, specify; were methods accepted by authorities? were methods predictive?",
        "alternative_methods",
        aliases=("Alternative methods",),
    ),
    Row(
        WP1,
        "Digital /AI methods - if used, specify; accepted by authorities? were methods predictive?",
        "digital_ai_methods",
        aliases=("Digital / AI methods",),
    ),
    Row(WP1, "Which parts were first-in-human?", "first_in_human_parts"),
    Row(WP1, "Target already studied?", "target_already_studied"),
    Row(WP1, "Mode of gene delivery new/previously used?", "gene_delivery_novelty"),
    Row(WP1, "Tests for quality control, product release", "quality_control_tests"),
    Row(WP1, "Efficacy testing", "efficacy_testing"),
    Row(WP1, "How was 1st dose determined?", "first_dose_rationale", aliases=("How was the first dose determined?",)),
    Row(WP1, "What was the first dose?", "first_dose"),
    Row(
        WP1,
        "Which tests and preclinical models turned out to be most informative during clinical translation?",
        "most_informative_models",
    ),
    Row(WP1, "Was there ever a phase 2? If not, why?", "phase_2_history"),
    Row(
        WP1,
        "Did the phase 1 study confirm findings and hypothesis from the preclinical studies?",
        "phase_1_confirmed_preclinical",
    ),
    Row(
        WP1,
        "Time from first submission of phase 1 proposal to approval? Reasons for delay?",
        "regulatory_timeline",
    ),
    Row(WP1, "Advice and support from authorities", "regulatory_advice"),
    Row(WP1, "Fee to regulators?", "regulator_fees"),
    Row(WP1, "Additional preclinical experiments requested?", "additional_experiments"),
    Row(
        WP1,
        "Expert statement: what preclinical studies were most predictive and useful to test safety and efficacy "
        "of ATMP",
        "expert_statement_predictive",
    ),
    Row(
        WP1,
        "Expert statement: could you have done studies safely without animal experiments?",
        "expert_statement_without_animals",
    ),
    Row(WP1, "Expert statement: what was the biggest hurdle experienced?", "expert_statement_biggest_hurdle"),
    # --- Review Status Information (product) ---
    Row(REVIEW, "Status", "sheet_review_status_text", SHEET_REVIEW, aliases=("Review status",)),
    Row(REVIEW, "Reviewer", "sheet_reviewer", personal=True),
)

# Section headers as the sheets write them: the old template says "Status Information".
SECTION_ALIASES: dict[str, str] = {
    label_key("ATMP Cover Sheet"): COVER,
    label_key("Cover Sheet"): COVER,
    label_key("Regulatory Information"): REGULATORY,
    label_key("WP 1"): WP1,
    label_key("WP1"): WP1,
    label_key("Review Status Information"): REVIEW,
    label_key("Status Information"): REVIEW,
}


@dataclass
class Catalogue:
    rows: tuple[Row, ...] = ROWS
    _by_key: dict[tuple[str, str], Row] = field(default_factory=dict)

    def __post_init__(self):
        for row in self.rows:
            for key in row.keys:
                self._by_key[(row.section, key)] = row

    def section_of(self, label) -> str | None:
        """The section a header row opens, or None when the label is not a section header."""
        return SECTION_ALIASES.get(label_key(label))

    def match(self, section: str, label) -> Row | None:
        """The template row a label stands for, within its section; None when unknown.

        Exact key first; then a label cut short in the sheet or with words added at
        the end ("Disease / indication (ICD-10)") still matches when one key starts
        with the other and the shorter has at least two words.
        """
        key = label_key(label)
        if not key:
            return None
        row = self._by_key.get((section, key))
        if row is not None:
            return row
        candidates = [
            r
            for (sec, k), r in self._by_key.items()
            if sec == section and len(min(k, key, key=len).split()) >= 2 and (k.startswith(key) or key.startswith(k))
        ]
        unique = {r.field: r for r in candidates}
        return next(iter(unique.values())) if len(unique) == 1 else None

    def section_rows(self, section: str) -> list[Row]:
        return [r for r in self.rows if r.section == section]

    def by_field(self, section: str, field_name: str) -> Row:
        return next(r for r in self.rows if r.section == section and r.field == field_name)


CATALOGUE = Catalogue()
TEMPLATE_ROW_COUNT = sum(1 for r in ROWS if r.template)
