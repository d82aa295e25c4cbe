"""The regulatory resource library: authorities (NCAs and EMA), advice mechanisms, guidelines, templates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from platform_site.curation import CuratedQuerySet, HistorySource

from .cases import MARKDOWN_HELP
from .common import Reviewed


class ResourceKind(models.TextChoices):
    AUTHORITY = "authority", "Competent authority"
    ADVICE = "advice", "Advice mechanism"
    GUIDELINE = "guideline", "Guideline"
    TEMPLATE = "template", "Template"


class YesNo(models.TextChoices):
    """Facts about an authority are unknown until a curator records them from a source."""

    UNKNOWN = "", "Not recorded"
    YES = "yes", "Yes"
    NO = "no", "No"


class ResourceQuerySet(CuratedQuerySet):
    def stale(self):
        """Never verified, or verified longer ago than KNOWLEDGE_RESOURCE_STALE_DAYS."""
        cutoff = timezone.localdate() - datetime.timedelta(days=settings.KNOWLEDGE_RESOURCE_STALE_DAYS)
        return self.filter(models.Q(last_verified_on__isnull=True) | models.Q(last_verified_on__lt=cutoff))


class Resource(Reviewed):
    title = models.CharField(max_length=250)
    kind = models.CharField(max_length=12, choices=ResourceKind.choices)
    country = CountryField(blank=True, help_text="Empty for EU-wide resources (EMA).")
    authority = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resources",
        limit_choices_to={"kind": ResourceKind.AUTHORITY}, help_text="The authority that offers or issued it.",
    )  # fmt: skip
    description = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    topics = models.ManyToManyField("experts.ExpertiseArea", blank=True, related_name="resources")
    source_url = models.URLField("source URL", max_length=500, blank=True)
    # Advice mechanisms of an authority (domain: scientific advice, innovation office, academic fees, languages).
    scientific_advice = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    innovation_office = models.CharField(max_length=3, choices=YesNo.choices, blank=True)
    academic_fee_reduction = models.CharField(
        "fee reductions for academic developers", max_length=3, choices=YesNo.choices, blank=True
    )
    languages = models.CharField("languages accepted", max_length=200, blank=True)
    last_verified_on = models.DateField("last verified by a curator", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The link check (a Celery beat task) records the source URL's last answer.
    link_checked_at = models.DateTimeField(null=True, blank=True)
    link_status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="HTTP status; empty: no answer.")
    link_error = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords(bases=[HistorySource])
    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "country", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:resource_detail", args=[self.pk])

    @property
    def is_stale(self) -> bool:
        cutoff = timezone.localdate() - datetime.timedelta(days=settings.KNOWLEDGE_RESOURCE_STALE_DAYS)
        return self.last_verified_on is None or self.last_verified_on < cutoff

    @property
    def link_ok(self) -> bool | None:
        if self.link_checked_at is None:
            return None
        return self.link_status is not None and 200 <= self.link_status < 400
