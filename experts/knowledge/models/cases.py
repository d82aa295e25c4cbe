"""Case studies: one ATMP's development story across countries, written by experts, curated."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from platform_site.curation import CuratedQuerySet, HistorySource
from trials.models import AtmpType, Phase

from .common import Reviewed

MARKDOWN_HELP = "Markdown. Links and basic formatting are kept; scripts and raw HTML are not."


class HurdleCategory(models.TextChoices):
    REGULATORY = "regulatory", "Regulatory"
    CLINICAL = "clinical", "Clinical"
    MANUFACTURING = "manufacturing", "Manufacturing"
    ECONOMIC = "economic", "Economic"
    SOCIETAL = "societal", "Societal"


class Outcome(models.TextChoices):
    """Whether a regulatory step was used, and how it ended."""

    NOT_USED = "", "Not used / not known"
    USED = "used", "Used"
    GRANTED = "granted", "Granted"
    REFUSED = "refused", "Refused"
    PENDING = "pending", "Pending"


class CaseStudyQuerySet(CuratedQuerySet):
    def filtered(self, *, atmp_type="", country="", hurdle="", stage=""):
        """The list filters; unknown values are ignored (they come from the URL)."""
        cases = self
        if atmp_type in AtmpType.values:
            cases = cases.filter(atmp_type=atmp_type)
        if stage in Phase.values:
            cases = cases.filter(stage=stage)
        if hurdle in HurdleCategory.values:
            cases = cases.filter(hurdles__category=hurdle)
        if country and len(country) == 2:
            cases = cases.filter(models.Q(routes__country=country.upper()) | models.Q(swots__country=country.upper()))
        return cases.distinct()


class CaseStudy(Reviewed):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(max_length=300, blank=True)
    atmp_type = models.CharField("ATMP type", max_length=20, choices=AtmpType.choices, blank=True)
    indication = models.CharField(max_length=200, blank=True)
    stage = models.CharField("development stage reached", max_length=20, choices=Phase.choices, blank=True)
    product = models.ForeignKey(
        "trials.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="case_studies",
        help_text="The product in the trials database, when there is one.",
    )  # fmt: skip
    lessons = models.TextField("lessons learned", blank=True, help_text=MARKDOWN_HELP)
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(bases=[HistorySource])
    objects = CaseStudyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-updated_at"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:case_detail", args=[self.slug])

    def countries(self) -> list:
        """Countries the case covers, in the order of its SWOTs then its routes."""
        seen = {}
        for item in [*self.swots.all(), *self.routes.all()]:
            seen.setdefault(item.country.code, item.country)
        return list(seen.values())


class CaseStudyExpert(models.Model):
    """An expert named on a case; shown publicly only once they confirm."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="expert_links")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_links")
    role = models.CharField(max_length=120, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("case", "expert")]
        ordering = ["pk"]


class Milestone(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="milestones")
    date = models.DateField()
    stage = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    event = models.CharField(max_length=300)

    class Meta:
        ordering = ["date", "pk"]


class RegulatoryRoute(models.Model):
    """The regulatory path the case took in one country."""

    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="routes")
    country = CountryField()
    authority = models.CharField(max_length=200, blank=True)
    scientific_advice = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    hospital_exemption = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    prime = models.CharField("PRIME", max_length=10, choices=Outcome.choices, blank=True)
    orphan_designation = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["country"]
        unique_together = [("case", "country")]


class CountrySwot(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="swots")
    country = CountryField()
    strengths = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    weaknesses = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    opportunities = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    threats = models.TextField(blank=True, help_text=MARKDOWN_HELP)

    QUADRANTS = ("strengths", "weaknesses", "opportunities", "threats")

    class Meta:
        ordering = ["country"]
        unique_together = [("case", "country")]
        verbose_name = "country SWOT"


class Hurdle(models.Model):
    case = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="hurdles")
    category = models.CharField(max_length=20, choices=HurdleCategory.choices)
    description = models.TextField(help_text=MARKDOWN_HELP)

    class Meta:
        ordering = ["category", "pk"]
