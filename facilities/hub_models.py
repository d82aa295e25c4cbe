"""The GMP coordination hub: facilities' service offers, developers' needs, and the enquiries between them.

Who sees a need is decided here (`ManufacturingNeedQuerySet.visible_to`), in one place,
for pages, the hub overview and tests alike.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .models import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, AtmpCategory, bars_from_codes, codes_from_bars


class Service(models.TextChoices):
    """Services a facility offers to third parties (and a developer needs)."""

    PROCESS_DEVELOPMENT = "process_development", "Process development"
    GMP_MANUFACTURING = "gmp_manufacturing", "GMP manufacturing"
    VIRAL_VECTOR_PRODUCTION = "viral_vector_production", "Viral vector production"
    CELL_PROCESSING = "cell_processing", "Cell processing"
    FILL_FINISH = "fill_finish", "Fill and finish"
    QC_RELEASE_TESTING = "qc_release_testing", "QC and release testing"
    QP_CERTIFICATION = "qp_certification", "QP certification"
    CRYOSTORAGE_LOGISTICS = "cryostorage_logistics", "Cryostorage and logistics"
    TRAINING = "training", "Training"
    REGULATORY_SUPPORT = "regulatory_support", "Regulatory support"


class ProcessType(models.TextChoices):
    LENTIVIRAL_VECTOR = "lentiviral_vector", "Lentiviral vector"
    AAV_VECTOR = "aav_vector", "AAV vector"
    GAMMARETROVIRAL_VECTOR = "gammaretroviral_vector", "Gammaretroviral vector"
    CAR_T_EXPANSION = "car_t_expansion", "CAR-T expansion"
    GENE_EDITING = "gene_editing", "Gene editing"
    MSC_EXPANSION = "msc_expansion", "MSC expansion"
    IPSC_DIFFERENTIATION = "ipsc_differentiation", "iPSC differentiation"
    TISSUE_ENGINEERING = "tissue_engineering", "Tissue engineering"
    CLOSED_AUTOMATED = "closed_automated", "Closed automated systems"


class Scale(models.TextChoices):
    """The development stage a batch is made for: a facility's scales, a need's phase."""

    PRECLINICAL = "preclinical", "Preclinical / toxicology"
    PHASE_1 = "phase_1", "Phase I"
    PHASE_2 = "phase_2", "Phase II"
    PHASE_3 = "phase_3", "Phase III"
    COMMERCIAL = "commercial", "Commercial"


class Confidentiality(models.TextChoices):
    CONTACTED = "contacted", "Curators and the facilities I contact"
    EXPERTS = "experts", "All approved experts"


class NeedStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (found a manufacturer or withdrawn)"
    HIDDEN = "hidden", "Hidden by a curator"


class Answer(models.TextChoices):
    PENDING = "pending", "No answer yet"
    INTERESTED = "interested", "Interested"
    NOT_INTERESTED = "not_interested", "Not interested"


def _bars_property(field: str, choices):
    def getter(self) -> list[str]:
        return codes_from_bars(getattr(self, field))

    def setter(self, codes) -> None:
        setattr(self, field, bars_from_codes(codes, choices))

    return property(getter, setter)


def _labels(codes: list[str], choices) -> list[str]:
    return [choices(code).label for code in codes if code in choices.values]


# --- Service offers --------------------------------------------------------------------
class ServiceOfferQuerySet(models.QuerySet):
    def public(self):
        from .models import FacilityStatus

        return self.filter(facility__status=FacilityStatus.PUBLISHED)

    def offering(self, service: str):
        return self.filter(services__contains=f"|{service}|")


class ServiceOffer(models.Model):
    """What a facility offers third parties; kept by its confirmed contacts or curators."""

    facility = models.OneToOneField("facilities.Facility", on_delete=models.CASCADE, related_name="offer")
    services = models.CharField(max_length=500, help_text="Codes between bars.")
    atmp_categories = models.CharField("ATMP categories", max_length=255, blank=True)
    process_types = models.CharField(max_length=500, blank=True)
    scales = models.CharField(max_length=120, blank=True, help_text="Stages batches are made for.")
    batches_per_year = models.PositiveIntegerField(
        "batches a year for third parties", null=True, blank=True, validators=[MaxValueValidator(100_000)]
    )
    lead_time_months = models.PositiveSmallIntegerField(
        "typical lead time (months)", null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    takes_academic = models.BooleanField("takes academic or non-commercial projects", default=True)
    languages = models.CharField(max_length=255, blank=True, help_text="e.g. English, German.")
    description = models.TextField(blank=True)
    confirmed_on = models.DateField("offer last confirmed", default=timezone.localdate)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceOfferQuerySet.as_manager()

    service_codes = _bars_property("services", Service)
    category_codes = _bars_property("atmp_categories", AtmpCategory)
    process_codes = _bars_property("process_types", ProcessType)
    scale_codes = _bars_property("scales", Scale)

    def __str__(self) -> str:
        return f"Service offer of {self.facility.name}"

    @property
    def is_stale(self) -> bool:
        return self.confirmed_on < timezone.localdate() - timedelta(days=settings.FACILITIES_OFFER_STALE_DAYS)

    def service_labels(self) -> list[str]:
        return _labels(self.service_codes, Service)

    def category_labels(self) -> list[str]:
        return _labels(self.category_codes, AtmpCategory)

    def process_labels(self) -> list[str]:
        return _labels(self.process_codes, ProcessType)

    def scale_labels(self) -> list[str]:
        return _labels(self.scale_codes, Scale)


# --- Manufacturing needs -----------------------------------------------------------------
class ManufacturingNeedQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=NeedStatus.OPEN)

    def visible_to(self, user):
        """Curators: all. Experts: their own, open needs shared with all experts, and needs (not hidden)
        sent to a facility they are a confirmed contact of. Everyone else: none."""
        from platform_site.permissions import is_curator, is_expert

        if is_curator(user):
            return self
        if not is_expert(user):
            return self.none()
        shared = Q(confidentiality=Confidentiality.EXPERTS, status=NeedStatus.OPEN)
        contacted = Q(
            enquiries__facility__contacts__user=user,
            enquiries__facility__contacts__confirmed_at__isnull=False,
        ) & ~Q(status=NeedStatus.HIDDEN)
        ids = self.filter(Q(owner=user) | shared | contacted).values("pk")
        return self.filter(pk__in=ids)


class ManufacturingNeed(models.Model):
    """A developer's manufacturing need, matched to facilities' offers."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="manufacturing_needs")
    title = models.CharField(max_length=200, help_text="e.g. 'Lentiviral vector for an academic CAR-T trial'.")
    product_type = models.CharField("ATMP category", max_length=30, choices=AtmpCategory.choices)
    process_types = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True, help_text="The product and process, as much as you can share.")
    phase = models.CharField(max_length=20, choices=Scale.choices)
    batches = models.PositiveIntegerField("batches needed", validators=[MinValueValidator(1)])
    patients = models.PositiveIntegerField("patients", null=True, blank=True)
    within_months = models.PositiveSmallIntegerField(
        "needed within (months)", validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    services = models.CharField(max_length=500, help_text="Codes between bars.")
    countries = models.CharField("preferred countries", max_length=200, blank=True, help_text="ISO codes, e.g. DE,AT.")
    max_distance_km = models.PositiveIntegerField("maximum distance (km)", null=True, blank=True)
    latitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE_VALIDATORS
    )
    longitude = models.DecimalField(
        max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE_VALIDATORS
    )
    location_name = models.CharField("where you are", max_length=120, blank=True)
    academic = models.BooleanField("academic or non-commercial project", default=True)
    confidentiality = models.CharField(
        "visible to", max_length=20, choices=Confidentiality.choices, default=Confidentiality.CONTACTED
    )
    status = models.CharField(max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN, db_index=True)
    moderation_note = models.CharField(max_length=255, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ManufacturingNeedQuerySet.as_manager()

    service_codes = _bars_property("services", Service)
    process_codes = _bars_property("process_types", ProcessType)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="manufacturingneed_point_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("facilities:need_detail", args=[self.pk])

    def is_owned_by(self, user) -> bool:
        return self.owner_id == user.pk

    @property
    def country_codes(self) -> list[str]:
        return [c for c in self.countries.split(",") if c]

    def service_labels(self) -> list[str]:
        return _labels(self.service_codes, Service)

    def process_labels(self) -> list[str]:
        return _labels(self.process_codes, ProcessType)


class Enquiry(models.Model):
    """A need sent to one facility: its contacts answer; addresses are shared only when both sides agree."""

    need = models.ForeignKey(ManufacturingNeed, on_delete=models.CASCADE, related_name="enquiries")
    facility = models.ForeignKey("facilities.Facility", on_delete=models.CASCADE, related_name="enquiries")
    score = models.FloatField(help_text="The match score when sent.")
    reasons = models.TextField(blank=True, help_text="The match reasons when sent.")
    sent_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    notify_error = models.CharField(max_length=255, blank=True)
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.PENDING)
    message = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    developer_shares_email = models.BooleanField(default=False)
    facility_shares_email = models.BooleanField(default=False)

    class Meta:
        ordering = ["-score", "sent_at"]
        verbose_name_plural = "enquiries"
        constraints = [models.UniqueConstraint(fields=["need", "facility"], name="enquiry_once_per_facility")]

    def __str__(self) -> str:
        return f"{self.need} → {self.facility.name}"

    @property
    def emails_shared(self) -> bool:
        return self.developer_shares_email and self.facility_shares_email

    def reason_list(self) -> list[str]:
        return [r for r in self.reasons.split("; ") if r]
