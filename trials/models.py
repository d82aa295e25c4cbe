"""The curated ATMP product and clinical-trial database.

The reference format is the JOIN4ATMP "ATMP cover sheet": one workbook per
product, labels in column A, one column per trial under "Regulatory
Information". Every controlled vocabulary keeps the sheet's *original text*
beside the normalised value (``<field>_text``), so an exported sheet says what
the imported one said ("multi centre", "previosuly used", "Phase 1/2a"), and
cells the model has no field for are kept as ``SheetCell`` rows. That is what
makes the import/export round trip lossless.
"""

from __future__ import annotations

import functools
import re

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from platform_site.curation import CuratedModel, CuratedQuerySet, CurationStatus, HistorySource


@functools.cache
def _choice_labels(field) -> dict:
    return dict(make_hashable(field.flatchoices))


class ChoiceLabels:
    """`get_FOO_display()` with each field's value -> label table built once, not per call.

    Django's own (which this overrides, as `get_FOO_display` calls it) rebuilds the whole
    table on every call; a list page calls it about 150 times (five vocabularies on 25 rows
    and their products): 0.45 ms of the trial list's 4.4 ms template, measured with and
    without. Our choices are fixed TextChoices, so a table never changes while the
    process runs.
    """

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return force_str(_choice_labels(field).get(make_hashable(value), value), strings_only=True)


# --- Controlled vocabularies ---------------------------------------------------------
class AtmpType(models.TextChoices):
    """Reg. (EC) 1394/2007 Art. 2; cover sheets write "GTMP - ex vivo modified"."""

    GTMP = "gtmp", "GTMP (in vivo gene therapy)"
    GTMP_EX_VIVO = "gtmp_ex_vivo", "GTMP – ex vivo modified cells"
    SCTMP = "sctmp", "sCTMP (somatic cell therapy)"
    TEP = "tep", "TEP (tissue engineered product)"
    CATMP = "catmp", "cATMP (combined ATMP)"


class PatientClassification(models.TextChoices):
    """The sheets' "Patient classification" row."""

    CANCER = "cancer", "Cancer"
    COMMON_CANCER = "common_cancer", "Common cancer"
    RARE_NON_CANCER = "rare_non_cancer", "Rare non-cancer disease"
    COMMON_NON_CANCER = "common_non_cancer", "Common non-cancer disease"
    OTHER = "other", "Other"


class CellSource(models.TextChoices):
    AUTOLOGOUS = "autologous", "Autologous"
    ALLOGENEIC = "allogeneic", "Allogeneic"
    XENOGENEIC = "xenogeneic", "Xenogeneic"
    NOT_APPLICABLE = "not_applicable", "Not applicable (no cells)"
    OTHER = "other", "Other"


class GeneTransferMode(models.TextChoices):
    VIRAL_VECTOR = "viral_vector", "Viral vector"
    NON_VIRAL = "non_viral", "Non-viral"
    GENE_EDITING = "gene_editing", "Gene editing"
    NONE = "none", "None (no genetic modification)"
    OTHER = "other", "Other"


class Phase(models.TextChoices):
    """Development stage, in order (domain guide section 3). "Phase 1/2a" -> PHASE_1_2."""

    PRECLINICAL = "preclinical", "Preclinical"
    EARLY_PHASE_1 = "early_phase_1", "Early phase 1"
    PHASE_1 = "phase_1", "Phase 1"
    PHASE_1_2 = "phase_1_2", "Phase 1/2"
    PHASE_2 = "phase_2", "Phase 2"
    PHASE_2_3 = "phase_2_3", "Phase 2/3"
    PHASE_3 = "phase_3", "Phase 3"
    PHASE_4 = "phase_4", "Phase 4"
    NOT_APPLICABLE = "na", "Not applicable"

    @classmethod
    def rank(cls, value: str | None) -> int:
        """Position in development order; unknown and N/A rank lowest."""
        order = [
            cls.PRECLINICAL,
            cls.EARLY_PHASE_1,
            cls.PHASE_1,
            cls.PHASE_1_2,
            cls.PHASE_2,
            cls.PHASE_2_3,
            cls.PHASE_3,
            cls.PHASE_4,
        ]
        return order.index(value) + 1 if value in order else 0


class TrialStatus(models.TextChoices):
    """Portal status (domain guide section 3); the sheets mostly say "ongoing (dd.mm.yyyy)"."""

    PLANNED = "planned", "Planned"
    RECRUITING = "recruiting", "Recruiting"
    ONGOING = "ongoing", "Ongoing"
    ACTIVE_NOT_RECRUITING = "active_not_recruiting", "Active, not recruiting"
    SUSPENDED = "suspended", "Suspended"
    COMPLETED = "completed", "Completed"
    TERMINATED = "terminated", "Terminated"
    WITHDRAWN = "withdrawn", "Withdrawn"
    UNKNOWN = "unknown", "Unknown"


class SponsorType(models.TextChoices):
    ACADEMIC = "academic", "Academic"
    HOSPITAL = "hospital", "Hospital"
    SME = "sme", "SME"
    COMMERCIAL = "commercial", "Commercial / industry"
    PUBLIC = "public", "Public body"
    OTHER = "other", "Other"


class CentreType(models.TextChoices):
    SINGLE = "single", "Single centre"
    MULTI = "multi", "Multi-centre"


class SheetReviewStatus(models.TextChoices):
    """JOIN4ATMP's own review of a sheet ("Review Status Information" section)."""

    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class LocationKind(models.TextChoices):
    COUNTRY = "country", "Country"
    REGION = "region", "Region"


class RegistryKind(models.TextChoices):
    """Trial registers (domain guide section 2); `identifiers.py` validates each format."""

    EUDRACT = "eudract", "EudraCT"
    EU_CT = "eu_ct", "EU CT (CTIS)"
    NCT = "nct", "ClinicalTrials.gov"
    ISRCTN = "isrctn", "ISRCTN"
    DRKS = "drks", "DRKS"
    OTHER = "other", "Other"


def phase_rank_expression(field: str = "phase") -> Case:
    """SQL twin of Phase.rank, so lists sort by development stage, not alphabetically."""
    return Case(
        *[When(**{field: value}, then=Value(Phase.rank(value))) for value in Phase.values],
        default=Value(0),
        output_field=IntegerField(),
    )


# --- Lookup tables for many-valued cells --------------------------------------------------
class Location(models.Model):
    """A country (ISO 3166-1 alpha-2 code) or a region the sheets name ("EU-Europe")."""

    code = models.CharField(max_length=32, unique=True, help_text="ISO alpha-2 for countries; a slug for regions.")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=LocationKind.choices)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Disease(models.Model):
    """A disease or indication as the sheets name it ("B-ALL"); codes are optional."""

    name = models.CharField(max_length=255, unique=True)
    therapeutic_area = models.CharField(max_length=64, blank=True)
    is_rare = models.BooleanField(null=True, help_text="EU rare disease: at most 5 in 10,000.")
    orpha_code = models.CharField(max_length=20, blank=True, help_text="e.g. ORPHA:355")
    icd10_code = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """What the ATMP acts on ("CD19", "retinal pigment epithelium")."""

    name = models.CharField(max_length=255, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PatientCohort(models.Model):
    """Age groups ("adult", "pediatric", "adolescent"), normalised spelling in `name`."""

    name = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Products --------------------------------------------------------------------
class ProductQuerySet(CuratedQuerySet):
    def of_type(self, atmp_type: str):
        return self.filter(atmp_type=atmp_type)

    def with_phase_rank(self):
        return self.annotate(phase_rank=phase_rank_expression("highest_phase"))


class Product(ChoiceLabels, CuratedModel):
    """An ATMP: the "ATMP Cover Sheet" section and the "WP 1" preclinical answers."""

    # Cover sheet
    name = models.CharField(
        "title / identifier / IMP name",
        max_length=255,
        unique=True,
        help_text="Title of ATMP / ATMP identifier / investigational medicinal product name.",
    )
    slug = models.SlugField(max_length=255, unique=True)
    country_of_origin_text = models.CharField(max_length=255, blank=True)
    origin_locations = models.ManyToManyField(Location, blank=True, related_name="originating_products")
    atmp_type = models.CharField(max_length=20, choices=AtmpType.choices, blank=True)
    atmp_type_text = models.CharField(max_length=255, blank=True)
    category = models.CharField("ATMP category", max_length=255, blank=True)
    cell_source = models.CharField(max_length=20, choices=CellSource.choices, blank=True)
    cell_source_text = models.CharField(max_length=255, blank=True)
    cell_type = models.CharField(max_length=255, blank=True)
    route_of_administration = models.CharField(max_length=255, blank=True)
    diseases = models.ManyToManyField(Disease, blank=True, related_name="products")
    disease_text = models.TextField("disease / indication", blank=True)
    patient_cohorts = models.ManyToManyField(PatientCohort, blank=True, related_name="products")
    patient_cohort_text = models.CharField(max_length=255, blank=True)
    patient_classification = models.CharField(max_length=20, choices=PatientClassification.choices, blank=True)
    patient_classification_text = models.CharField(max_length=255, blank=True)
    targets = models.ManyToManyField(Target, blank=True, related_name="products")
    target_text = models.CharField("target of ATMP", max_length=255, blank=True)
    gene_transfer_mode = models.CharField(max_length=20, choices=GeneTransferMode.choices, blank=True)
    gene_transfer_mode_text = models.CharField("mode of gene transfer", max_length=255, blank=True)
    conducted_trials_text = models.CharField("conducted trials", max_length=255, blank=True)
    # Old template only: a "Trial Status" row inside the cover-sheet section.
    cover_trial_status_text = models.CharField(max_length=255, blank=True)
    highest_phase = models.CharField(
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text="Highest development stage reached; kept up to date from the trials.",
    )

    # WP 1: preclinical development (free text answers)
    animal_studies = models.TextField(blank=True)
    non_animal_studies = models.TextField("non-animal based studies of relevance", blank=True)
    alternative_methods = models.TextField(blank=True)
    digital_ai_methods = models.TextField("digital / AI methods", blank=True)
    first_in_human_parts = models.TextField("which parts were first-in-human?", blank=True)
    target_already_studied = models.TextField(blank=True)
    gene_delivery_novelty = models.TextField("mode of gene delivery new / previously used?", blank=True)
    quality_control_tests = models.TextField("tests for quality control, product release", blank=True)
    efficacy_testing = models.TextField(blank=True)
    first_dose_rationale = models.TextField("how was the 1st dose determined?", blank=True)
    first_dose = models.TextField("what was the first dose?", blank=True)
    most_informative_models = models.TextField(blank=True)
    phase_2_history = models.TextField("was there ever a phase 2? If not, why?", blank=True)
    phase_1_confirmed_preclinical = models.TextField(blank=True)
    regulatory_timeline = models.TextField("time from phase 1 submission to approval", blank=True)
    regulatory_advice = models.TextField("advice and support from authorities", blank=True)
    regulator_fees = models.TextField("fee to regulators?", blank=True)
    additional_experiments = models.TextField("additional preclinical experiments requested?", blank=True)
    expert_statement_predictive = models.TextField(blank=True)
    expert_statement_without_animals = models.TextField(blank=True)
    expert_statement_biggest_hurdle = models.TextField(blank=True)

    # "Review Status Information" section of the sheet (JOIN4ATMP's review)
    sheet_review_status = models.CharField(max_length=20, choices=SheetReviewStatus.choices, blank=True)
    sheet_review_status_text = models.CharField(max_length=255, blank=True)
    sheet_reviewer = models.CharField(max_length=255, blank=True)

    # The platform's curation workflow: status, submission and decision come from CuratedModel.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributed_products",
        help_text="The contributor; they may edit until a curator publishes.",
    )

    source_file = models.CharField(max_length=255, blank=True, help_text="Workbook this record was imported from.")
    sheet_name = models.CharField(max_length=64, blank=True, help_text="Worksheet title in that workbook.")
    is_demo = models.BooleanField(default=False, help_text="Fictional record created by load_demo.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(bases=[HistorySource])
    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["atmp_type", "curation_status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:240] or "product"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("trials:product_detail", args=[self.slug])

    def completeness(self, trials=None) -> tuple[int, int]:
        """(filled, total) of the template's fields: cover sheet, WP 1 and every trial column.

        Pass the already-fetched trials to avoid another query.
        """
        trials = list(self.trials.all()) if trials is None else list(trials)
        fields = COVER_SHEET_FIELDS + WP1_FIELDS
        filled = sum(1 for name in fields if _is_filled(getattr(self, name)))
        total = len(fields)
        for trial in trials:
            filled += sum(1 for name in TRIAL_SHEET_FIELDS if _is_filled(getattr(trial, name)))
            total += len(TRIAL_SHEET_FIELDS)
        return filled, total

    def completeness_percent(self, trials=None) -> int:
        filled, total = self.completeness(trials)
        return round(100 * filled / total) if total else 0

    def refresh_highest_phase(self, save: bool = True) -> str:
        """The highest phase among the product's trials (kept for filters and economics)."""
        phases = [t.phase for t in self.trials.all() if t.phase]
        best = max(phases, key=Phase.rank, default="")
        if best != self.highest_phase:
            self.highest_phase = best
            if save:
                self.save(update_fields=["highest_phase", "updated_at"])
        return best


# --- Trials ----------------------------------------------------------------------
class TrialQuerySet(models.QuerySet):
    def public(self):
        return self.filter(product__curation_status=CurationStatus.PUBLISHED)

    def visible_to(self, user):
        return self.filter(product__in=Product.objects.visible_to(user))

    def in_phase(self, *phases: str):
        return self.filter(phase__in=phases)

    def with_phase_rank(self):
        return self.annotate(phase_rank=phase_rank_expression("phase"))


TITLE_PREVIEW_LENGTH = 140


class Trial(ChoiceLabels, models.Model):
    """One study: one column of the sheet's "Regulatory Information" section."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="trials")
    column_index = models.PositiveSmallIntegerField(
        default=0, help_text="Position among the product's trial columns (0 = column B)."
    )
    registry_id_text = models.CharField(
        "study ID as written", max_length=255, blank=True, help_text="EudraCT ID for EU; NCT for USA."
    )
    primary_identifier = models.CharField(max_length=32, blank=True, db_index=True)
    title = models.TextField("study title", blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    phase_text = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=30, choices=TrialStatus.choices, blank=True)
    status_text = models.CharField(max_length=255, blank=True)
    status_as_of = models.DateField(
        null=True, blank=True, help_text='Date the sheet gives, e.g. "ongoing (23.09.2024)".'
    )
    # Personal data: shown to approved experts and curators only.
    principal_investigator = models.CharField("PI", max_length=255, blank=True)
    sponsor = models.CharField(max_length=255, blank=True)
    sponsor_type = models.CharField(max_length=20, choices=SponsorType.choices, blank=True)
    sponsor_type_text = models.CharField(max_length=255, blank=True)
    lead_clinical = models.CharField("lead clinical (name and institution)", max_length=500, blank=True)
    lead_preclinical = models.CharField("lead pre-clinical (name and institution)", max_length=500, blank=True)
    lead_manufacturing = models.CharField("lead manufacturing (name and institution)", max_length=500, blank=True)
    lead_study_centre = models.CharField(max_length=500, blank=True)
    centre_type = models.CharField(max_length=10, choices=CentreType.choices, blank=True)
    centre_type_text = models.CharField("center", max_length=255, blank=True)
    countries = models.ManyToManyField(Location, blank=True, related_name="trials")
    countries_text = models.CharField(max_length=500, blank=True)
    funding = models.CharField(max_length=500, blank=True)
    patent_holder = models.CharField(max_length=500, blank=True)
    mechanism_known = models.BooleanField("mechanism of action already known?", null=True)
    mechanism_known_text = models.CharField(max_length=255, blank=True)
    first_in_human = models.BooleanField("first in-human?", null=True)
    first_in_human_text = models.CharField(max_length=255, blank=True)
    pi_email = models.CharField("e-mail of PI", max_length=500, blank=True)
    sponsor_email = models.CharField("e-mail of sponsor", max_length=500, blank=True)
    start_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Year the trial was registered (from the EudraCT/EU CT number) or started."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = SearchVectorField(null=True, editable=False)

    history = HistoricalRecords(bases=[HistorySource])
    objects = TrialQuerySet.as_manager()

    class Meta:
        ordering = ["product__name", "column_index"]
        constraints = [
            models.UniqueConstraint(fields=["product", "column_index"], name="trial_unique_column_per_product"),
        ]
        indexes = [
            models.Index(fields=["phase", "status"]),
            models.Index(fields=["start_year"]),
            models.Index(fields=["sponsor_type"]),
        ]

    def __str__(self) -> str:
        return self.primary_identifier or self.registry_id_text or f"{self.product} trial {self.column_index + 1}"

    def get_absolute_url(self) -> str:
        return f"{self.product.get_absolute_url()}#trial-{self.pk}"

    @property
    def title_preview(self) -> str:
        """The title as the trial list shows it: at most 140 characters, "…" where cut.

        Plain slicing: the `truncatechars` filter takes 20 µs a title (it walks the text
        for combining characters), a sixth of rendering a list row.
        """
        if len(self.title) <= TITLE_PREVIEW_LENGTH:
            return self.title
        return self.title[: TITLE_PREVIEW_LENGTH - 1].rstrip() + "…"

    def is_owned_by(self, user) -> bool:
        return self.product.owner_id == user.pk


class TrialIdentifier(ChoiceLabels, models.Model):
    """One register's number for a trial; a trial often has EudraCT + EU CT + NCT."""

    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="identifiers")
    registry = models.CharField(max_length=10, choices=RegistryKind.choices)
    value = models.CharField(max_length=32, help_text="Normalised: trimmed, upper case, ASCII hyphens.")

    class Meta:
        ordering = ["trial", "registry"]
        constraints = [
            models.UniqueConstraint(fields=["trial", "registry", "value"], name="trialidentifier_unique"),
        ]
        indexes = [models.Index(fields=["value"])]

    def __str__(self) -> str:
        return self.value

    @property
    def register_url(self) -> str:
        """Link out to the public register that issued this number."""
        templates = {
            RegistryKind.EUDRACT: "https://www.clinicaltrialsregister.eu/ctr-search/search?query={v}",
            RegistryKind.EU_CT: "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={v}",
            RegistryKind.NCT: "https://clinicaltrials.gov/study/{v}",
            RegistryKind.ISRCTN: "https://www.isrctn.com/{v}",
            RegistryKind.DRKS: "https://drks.de/search/en/trial/{v}",
        }
        template = templates.get(self.registry)
        return template.format(v=self.value) if template else ""


def load_list_relations(trials: list[Trial]) -> list[Trial]:
    """Each trial's registry IDs and countries for a list page, in two light queries.

    What `prefetch_related("identifiers", "countries")` does, without its machinery: 2.6 ms
    for 25 rows against 1.2 ms this way, on the searched trial list (docs/benchmarks.md).
    Sets `listed_identifiers` (TrialIdentifier) and `listed_countries` (Location), each in
    its model's own order.
    """
    by_id = {trial.pk: trial for trial in trials}
    for trial in trials:
        trial.listed_identifiers, trial.listed_countries = [], []
    if not by_id:
        return trials
    identifiers = TrialIdentifier.objects.filter(trial_id__in=by_id).order_by("registry", "pk")
    for trial_id, registry, value in identifiers.values_list("trial_id", "registry", "value"):
        by_id[trial_id].listed_identifiers.append(TrialIdentifier(trial_id=trial_id, registry=registry, value=value))
    countries = Trial.countries.through.objects.filter(trial_id__in=by_id)
    countries = countries.order_by(*(f"location__{field}" for field in Location._meta.ordering))
    for trial_id, code, name in countries.values_list("trial_id", "location__code", "location__name"):
        by_id[trial_id].listed_countries.append(Location(code=code, name=name))
    return trials


class SheetCell(models.Model):
    """A cover-sheet cell the structured fields do not hold, kept so export loses nothing.

    Where it sits: ``section`` and ``label`` (as written) name the row, ``offset`` tells
    apart the rows tied to it (the n-th unlabelled row after it, the n-th repetition
    of the label), ``column`` the column. Kinds: NOTE, an extra cell beside a value (a
    source URL, DOI or details in columns C and D); UNKNOWN, a value under a label the
    importer does not know; HEADER, a value beside a section header; UNLABELLED, a value
    in a row without a label (``label`` is then the row it follows); LINK (LINK_AFTER
    in a row without a label), the hyperlink target of the cell at that place.
    """

    class Kind(models.TextChoices):
        NOTE = "note", "Note beside a value"
        UNKNOWN = "unknown", "Value under an unknown label"
        HEADER = "header", "Value beside a section header"
        UNLABELLED = "unlabelled", "Value in a row without a label"
        LINK = "link", "Hyperlink of a cell"
        LINK_AFTER = "link_after", "Hyperlink of a cell in a row without a label"

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="sheet_cells")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    section = models.CharField(max_length=64, blank=True, help_text="Sheet section the row belongs to.")
    label = models.CharField(max_length=500, help_text="Row label as written in column A.")
    offset = models.PositiveSmallIntegerField(
        default=0, help_text="n-th unlabelled row after the label, or n-th repetition of the label; 0 otherwise."
    )
    column = models.PositiveSmallIntegerField(help_text="1-based sheet column (2 = B).")
    value = models.TextField()

    class Meta:
        ordering = ["product", "section", "label", "offset", "column"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "kind", "section", "label", "offset", "column"], name="sheetcell_unique_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} [{self.column}]: {self.value[:40]}"


class CatalogueChange(models.Model):
    """One row per write to the tables the in-memory facet index is built from.

    Written only by database triggers (migrations 0004, 0009), so bulk inserts, raw
    updates and imports are all seen. Each row names the trial and/or product a
    changed row belongs to (neither: rebuild everything). The index is updated when
    the newest row or the row count differs from what it was built at: the random token survives a
    rolled-back transaction that reused an id (SQLite), and the count catches a
    transaction that commits after a later one (PostgreSQL sequence order is not
    commit order). Pruned to one new row when long (facet_index.prune_change_log).
    See trials/facet_index.py.
    """

    token = models.CharField(max_length=32)
    trial_id = models.BigIntegerField(null=True)  # not a foreign key: the trial may be gone
    product_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"change {self.pk}"


# --- The template's fields, in sheet order (product page, completeness) -------------
# The text twin stands for a vocabulary: a cell is "filled" when the sheet said anything.
COVER_SHEET_FIELDS = [
    "name",
    "country_of_origin_text",
    "atmp_type_text",
    "category",
    "cell_source_text",
    "cell_type",
    "route_of_administration",
    "disease_text",
    "patient_cohort_text",
    "patient_classification_text",
    "target_text",
    "gene_transfer_mode_text",
    "conducted_trials_text",
]
WP1_FIELDS = [
    "animal_studies",
    "non_animal_studies",
    "alternative_methods",
    "digital_ai_methods",
    "first_in_human_parts",
    "target_already_studied",
    "gene_delivery_novelty",
    "quality_control_tests",
    "efficacy_testing",
    "first_dose_rationale",
    "first_dose",
    "most_informative_models",
    "phase_2_history",
    "phase_1_confirmed_preclinical",
    "regulatory_timeline",
    "regulatory_advice",
    "regulator_fees",
    "additional_experiments",
    "expert_statement_predictive",
    "expert_statement_without_animals",
    "expert_statement_biggest_hurdle",
]
TRIAL_SHEET_FIELDS = [
    "registry_id_text",
    "title",
    "phase_text",
    "status_text",
    "principal_investigator",
    "sponsor",
    "sponsor_type_text",
    "lead_clinical",
    "lead_preclinical",
    "lead_manufacturing",
    "lead_study_centre",
    "centre_type_text",
    "countries_text",
    "funding",
    "patent_holder",
    "mechanism_known_text",
    "first_in_human_text",
    "pi_email",
    "sponsor_email",
]
# Trial fields that name people or hold e-mail addresses: experts and curators only.
TRIAL_PERSONAL_FIELDS = [
    "principal_investigator",
    "lead_clinical",
    "lead_preclinical",
    "lead_manufacturing",
    "pi_email",
    "sponsor_email",
]


def _is_filled(value) -> bool:
    return value is not None and str(value).strip() != ""


# Used by search, import and the API: a registry ID anywhere in free text.
REGISTRY_ID_PATTERN = re.compile(r"\b(\d{4}-\d{6}-\d{2}(?:-\d{2})?|NCT\d{8}|ISRCTN\d{8}|DRKS\d{8})\b", re.I)


class RevisionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(curation_status=CurationStatus.SUBMITTED)


class ProductRevision(CuratedModel):
    """A proposed change to a published product, kept beside it until a curator decides.

    The published version stays public meanwhile. ``changes`` holds only what differs
    from the record as it was when the change was proposed (trials/revisions.py):
    ``{"product": {field: {"old": .., "new": ..}}, "trials": [{"id": pk or null,
    "column_index": n, "delete": bool, "fields": {field: {"old": .., "new": ..}}}],
    "cells": [[kind, section, label, column, value], ...] or null}``.
    Approving applies it through trials.services in one transaction; rejecting discards it.
    At most one revision of a product waits at a time (constraint below).
    """

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="revisions")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="product_revisions"
    )
    reason = models.CharField(max_length=100, blank=True, help_text="The author's reason for the change.")
    source = models.CharField(max_length=20, help_text="Entry point: web, api or sheet.")
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=Q(curation_status="submitted"),
                name="productrevision_one_pending_per_product",
            ),
        ]

    def __str__(self) -> str:
        return f"Change to {self.product}"

    def get_absolute_url(self) -> str:
        return reverse("trials:revision_detail", args=[self.pk])
