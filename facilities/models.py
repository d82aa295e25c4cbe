"""ATMP GMP facilities: where manufacturing capacity is, what it can do, and under which licences.

A facility is a manufacturing site (a GMP unit of a hospital, an institute, a
blood/tissue establishment, a CDMO or a company). Its point is stored as plain
latitude/longitude decimals, not a GeoDjango geometry: the embedded default must
run without the GDAL system library (see docs/facilities.md).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

# --- Controlled vocabularies ---------------------------------------------------------


class InstitutionType(models.TextChoices):
    """Who operates the site (issue #5; domain guide section 6)."""

    UNIVERSITY_HOSPITAL = "university_hospital", "University hospital"
    ACADEMIC_INSTITUTE = "academic_institute", "Academic institute"
    BLOOD_TISSUE_ESTABLISHMENT = "blood_tissue_establishment", "Blood / tissue establishment"
    PUBLIC_RESEARCH_ORGANISATION = "public_research_organisation", "Public research organisation"
    CDMO = "cdmo", "CDMO (contract manufacturer)"
    COMPANY = "company", "Company"


class FacilityStatus(models.TextChoices):
    """Only PUBLISHED facilities appear on the public map, pages and API."""

    DRAFT = "draft", "Draft (curators only)"
    PUBLISHED = "published", "Published"


class AtmpCategory(models.TextChoices):
    """ATMP types a site manufactures: the legal classes (Reg. 1394/2007) plus the kinds users ask for."""

    GTMP = "gtmp", "GTMP (gene therapy)"
    SCTMP = "sctmp", "sCTMP (somatic cell therapy)"
    TEP = "tep", "TEP (tissue engineered)"
    CATMP = "catmp", "cATMP (combined)"
    CAR_T = "car_t", "CAR-T / TCR-T cells"
    VIRAL_VECTOR = "viral_vector", "Viral vectors"
    CELL_BANK = "cell_bank", "Cell banks (MCB/WCB)"
    MSC = "msc", "Mesenchymal stromal cells"
    IPSC = "ipsc", "iPSC / ESC-derived cells"


class Activity(models.TextChoices):
    CELL_PROCESSING = "cell_processing", "Cell processing"
    VIRAL_VECTOR_PRODUCTION = "viral_vector_production", "Viral vector production"
    QC_TESTING = "qc_testing", "QC testing"
    QP_RELEASE = "qp_release", "Batch release by a Qualified Person"
    IMPORT = "import", "Import"
    STORAGE = "storage", "Storage / cryopreservation"
    FILL_FINISH = "fill_finish", "Fill & finish"


class AuthorisationKind(models.TextChoices):
    """Regulatory status records (domain guide section 6: MIA, GMP certificate, HE, tissue licence)."""

    MIA_IMP = "mia_imp", "Manufacturing authorisation: investigational products"
    MIA_COMMERCIAL = "mia_commercial", "Manufacturing authorisation: marketed products"
    HOSPITAL_EXEMPTION = "hospital_exemption", "Hospital-exemption manufacturing"
    TISSUE_ESTABLISHMENT = "tissue_establishment", "Tissue-establishment licence"
    GMP_CERTIFICATE = "gmp_certificate", "GMP certificate"

    @classmethod
    def short_label(cls, value: str) -> str:
        return {
            cls.MIA_IMP: "MIA (IMP)",
            cls.MIA_COMMERCIAL: "MIA (marketed)",
            cls.HOSPITAL_EXEMPTION: "Hospital exemption",
            cls.TISSUE_ESTABLISHMENT: "Tissue establishment",
            cls.GMP_CERTIFICATE: "GMP certificate",
        }.get(value, value)


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


# Clean-room grades (EU GMP Annex 1, 2022): a site lists the grades it has, e.g. "ABCD".
CLEANROOM_GRADES_PATTERN = r"^A?B?C?D?$"

# Paths under /facilities/ that a facility's slug must never shadow.
RESERVED_SLUGS = {
    *("countries", "export", "corrections", "links", "import", "contacts", "hub", "needs", "enquiries"),
    *("gaps", "jobs", "import-template"),
}

LATITUDE_VALIDATORS = [MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))]
LONGITUDE_VALIDATORS = [MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))]


# --- Facilities ----------------------------------------------------------------------
class FacilityQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=FacilityStatus.PUBLISHED)

    def visible_to(self, user):
        from platform_site.permissions import is_curator

        return self if is_curator(user) else self.public()

    def in_bbox(self, min_lon: Decimal, min_lat: Decimal, max_lon: Decimal, max_lat: Decimal):
        return self.filter(longitude__gte=min_lon, longitude__lte=max_lon, latitude__gte=min_lat, latitude__lte=max_lat)

    def making(self, category: str):
        return self.filter(atmp_categories__contains=f"|{category}|")

    def doing(self, activity: str):
        return self.filter(activities__contains=f"|{activity}|")

    def authorised_for(self, kind: str):
        return self.filter(authorisations__kind=kind).distinct()

    def making_trial_products_of_type(self, atmp_type: str):
        """Facilities a curator linked to a public product of this ATMP type that has trials."""
        return self.filter(
            manufacturing_links__product__in=_trial_products_of_type(atmp_type),
        ).distinct()


def _trial_products_of_type(atmp_type: str):
    from trials.models import Product

    return Product.objects.public().filter(atmp_type=atmp_type, trials__isnull=False)


class Facility(models.Model):
    """A GMP manufacturing site for ATMPs."""

    name = models.CharField(max_length=255, help_text="The site or unit, e.g. 'Cell Therapy GMP Unit'.")
    slug = models.SlugField(max_length=255, unique=True)
    institution = models.CharField("operating institution", max_length=255)
    institution_type = models.CharField(max_length=40, choices=InstitutionType.choices)

    address = models.CharField(max_length=255, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    city = models.CharField(max_length=120)
    region = models.CharField(max_length=120, blank=True)
    country = CountryField()
    latitude = models.DecimalField(max_digits=9, decimal_places=6, validators=LATITUDE_VALIDATORS)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, validators=LONGITUDE_VALIDATORS)

    website = models.URLField(blank=True)
    contact_email = models.EmailField(
        blank=True,
        help_text="A role address (e.g. gmp-unit@…), never a person's: it is shown on the public page.",
    )

    # Capabilities. Multi-valued vocabularies are stored delimited ("|gtmp|car_t|") so that
    # one LIKE filter works on SQLite and PostgreSQL alike and the map query needs no joins.
    atmp_categories = models.CharField(
        "ATMP types manufactured", max_length=255, blank=True, help_text="Codes between bars, e.g. |gtmp|car_t|."
    )
    activities = models.CharField(max_length=255, blank=True, help_text="Codes between bars, e.g. |qc_testing|.")
    cleanroom_grades = models.CharField(
        "clean-room grades",
        max_length=4,
        blank=True,
        validators=[RegexValidator(CLEANROOM_GRADES_PATTERN, "Grades in order, each at most once, e.g. 'ABCD'.")],
        help_text="EU GMP Annex 1 grades present, e.g. ABCD.",
    )
    cleanroom_count = models.PositiveSmallIntegerField("number of clean rooms", null=True, blank=True)
    cleanroom_area_m2 = models.PositiveIntegerField("clean-room area (m²)", null=True, blank=True)
    closed_systems = models.CharField(
        "closed / automated systems", max_length=255, blank=True, help_text="e.g. CliniMACS Prodigy, Cocoon."
    )
    batches_per_year = models.PositiveIntegerField(
        "capacity (batches per year)", null=True, blank=True, help_text="Capacity indicator as published."
    )
    capacity_notes = models.TextField(blank=True)
    services_to_third_parties = models.BooleanField(
        "offers services to third parties", default=False, help_text="Contract manufacturing or testing for others."
    )
    services_description = models.TextField(blank=True)

    # Provenance of the facility's own facts.
    source_url = models.URLField("source", blank=True, help_text="Public source for the facts above.")
    source_note = models.CharField(max_length=255, blank=True)
    verified_on = models.DateField("last verified", null=True, blank=True)

    status = models.CharField(
        max_length=20, choices=FacilityStatus.choices, default=FacilityStatus.PUBLISHED, db_index=True
    )
    is_demo = models.BooleanField(default=False, help_text="Fictional record created by load_demo.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()
    objects = FacilityQuerySet.as_manager()

    class Meta:
        ordering = ["country", "city", "name"]
        verbose_name_plural = "facilities"
        indexes = [models.Index(fields=["latitude", "longitude"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90) & Q(latitude__lte=90), name="facility_latitude_in_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=-180) & Q(longitude__lte=180), name="facility_longitude_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.institution}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(f"{self.name} {self.city}")[:200] or "facility"
        slug, n = base, 2
        while slug in RESERVED_SLUGS or Facility.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def get_absolute_url(self) -> str:
        return reverse("facilities:detail", args=[self.slug])

    def clean(self):
        errors = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = f"'{self.slug}' is reserved for a page of the map; choose another."
        for field, choices in (("atmp_categories", AtmpCategory), ("activities", Activity)):
            try:
                setattr(self, field, bars_from_codes(codes_from_bars(getattr(self, field)), choices))
            except ValueError as error:
                errors[field] = str(error)
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status == FacilityStatus.PUBLISHED

    # Multi-valued vocabularies as lists of codes.
    @property
    def atmp_category_codes(self) -> list[str]:
        return codes_from_bars(self.atmp_categories)

    @atmp_category_codes.setter
    def atmp_category_codes(self, codes) -> None:
        self.atmp_categories = bars_from_codes(codes, AtmpCategory)

    @property
    def activity_codes(self) -> list[str]:
        return codes_from_bars(self.activities)

    @activity_codes.setter
    def activity_codes(self, codes) -> None:
        self.activities = bars_from_codes(codes, Activity)

    def atmp_category_labels(self) -> list[str]:
        return [AtmpCategory(c).label for c in self.atmp_category_codes if c in AtmpCategory.values]

    def activity_labels(self) -> list[str]:
        return [Activity(c).label for c in self.activity_codes if c in Activity.values]


def codes_from_bars(value: str) -> list[str]:
    return [code for code in (value or "").split("|") if code]


def bars_from_codes(codes, choices) -> str:
    """Normalise to the vocabulary's own order; unknown codes are refused (ValueError)."""
    wanted = {str(c).strip() for c in codes if str(c).strip()}
    unknown = wanted - set(choices.values)
    if unknown:
        raise ValueError(f"unknown code(s): {', '.join(sorted(unknown))}")
    ordered = [c for c in choices.values if c in wanted]
    return f"|{'|'.join(ordered)}|" if ordered else ""


class Authorisation(models.Model):
    """One regulatory status record of a facility, with its source and when it was last verified."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="authorisations")
    kind = models.CharField(max_length=30, choices=AuthorisationKind.choices)
    reference_number = models.CharField(
        max_length=120, blank=True, help_text="Authorisation or GMP certificate number as issued."
    )
    issuing_authority = models.CharField(max_length=255, help_text="e.g. Paul-Ehrlich-Institut, ANSM, AEMPS.")
    issued_on = models.DateField(null=True, blank=True)
    last_inspection_on = models.DateField("date of last inspection", null=True, blank=True)
    source_url = models.URLField("source", blank=True, help_text="e.g. the EudraGMDP entry.")
    source_note = models.CharField(max_length=255, blank=True)
    verified_on = models.DateField("last verified", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "reference_number"], name="authorisation_unique_per_facility"
            ),
        ]

    def __str__(self) -> str:
        number = f" {self.reference_number}" if self.reference_number else ""
        return f"{self.get_kind_display()}{number}"

    @property
    def short_label(self) -> str:
        return AuthorisationKind.short_label(self.kind)


# --- Corrections proposed by experts ----------------------------------------------------
class FacilityCorrectionQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=CorrectionStatus.PENDING)


class FacilityCorrection(models.Model):
    """An expert's proposed change to a facility; a curator accepts (applies it) or rejects it."""

    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="corrections")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="facility_corrections"
    )
    changes = models.JSONField(default=dict, blank=True, help_text="Field name -> proposed value (as text).")
    previous = models.JSONField(default=dict, blank=True, help_text="The values when the correction was proposed.")
    reason = models.TextField(help_text="Why, and the public source that supports the change.")
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = FacilityCorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # A decided correction names its reviewer's decision time; a pending one has none.
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.PENDING, reviewed_at__isnull=True)
                | (~Q(status=CorrectionStatus.PENDING) & Q(reviewed_at__isnull=False)),
                name="facilitycorrection_reviewed_when_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"Correction to {self.facility.name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("facilities:correction_review", args=[self.pk])

    def is_owned_by(self, user) -> bool:
        return self.proposed_by_id == user.pk


# --- Link to the trials database ---------------------------------------------------------
class ManufacturingSiteLink(models.Model):
    """A product's manufacturing site ("Lead manufacturing" on its cover sheet), confirmed by a curator."""

    product = models.ForeignKey("trials.Product", on_delete=models.CASCADE, related_name="manufacturing_sites")
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="manufacturing_links")
    source_text = models.CharField(
        max_length=500, blank=True, help_text="The 'Lead manufacturing' text the match was made from."
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["facility", "product"]
        constraints = [
            models.UniqueConstraint(fields=["product", "facility"], name="manufacturingsitelink_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product} made at {self.facility.name}"


# The hub's models live in their own modules; imported here so Django registers them with the app.
from .contacts import FacilityContact  # noqa: E402, F401
from .hub_models import Enquiry, ManufacturingNeed, ServiceOffer  # noqa: E402, F401
from .import_jobs import ImportJob  # noqa: E402, F401
