"""Saved evaluations and the Monte Carlo / sensitivity jobs run on them."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .engine import serialization


def _share_token() -> str:
    return secrets.token_urlsafe(18)


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private: only me"
    LINK = "link", "Anyone with the link"
    EXPERTS = "experts", "The expert community"


class EvaluationQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner=user) if user.is_authenticated else self.none()

    def visible_to(self, user):
        """Own evaluations, plus those shared with the expert community for approved experts."""
        from platform_site.permissions import is_expert

        if not user.is_authenticated:
            return self.none()
        if is_expert(user):
            return self.filter(Q(owner=user) | Q(visibility=Visibility.EXPERTS))
        return self.filter(owner=user)


class Evaluation(models.Model):
    """One set of rNPV inputs, its deterministic result, and who may see it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="evaluations"
    )
    name = models.CharField(max_length=200)
    inputs = models.JSONField(help_text="Engine inputs (economics.engine.serialization format).")
    uncertainty = models.JSONField(default=dict, blank=True, help_text="Distributions by input path.")
    result = models.JSONField(default=dict, blank=True, help_text="Deterministic result when last saved.")
    atmp_kind = models.CharField(max_length=32, blank=True)
    indication = models.CharField(max_length=32, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE)
    share_token = models.CharField(max_length=40, unique=True, default=_share_token, editable=False)
    scenario_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="scenarios")
    source_product = models.ForeignKey(
        "trials.Product", null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                name="economics_evaluation_visibility_valid",
                condition=Q(visibility__in=[v.value for v in Visibility]),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("economics:evaluation_detail", args=[self.pk])

    def get_share_url(self) -> str:
        return reverse("economics:shared", args=[self.share_token])

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and self.owner_id == user.pk

    def can_view(self, user, token: str | None = None) -> bool:
        from platform_site.permissions import is_expert

        if self.is_owned_by(user):
            return True
        if self.visibility == Visibility.LINK and token and secrets.compare_digest(token, self.share_token):
            return True
        return self.visibility == Visibility.EXPERTS and is_expert(user)

    def engine_inputs(self):
        return serialization.inputs_from_dict(self.inputs)

    def engine_uncertainty(self):
        return serialization.uncertainty_from_dict(self.uncertainty)


class JobKind(models.TextChoices):
    MONTE_CARLO = "monte_carlo", "Monte Carlo simulation"
    SENSITIVITY_ONE_WAY = "sensitivity_one_way", "One-way sensitivity (tornado)"
    SENSITIVITY_TWO_WAY = "sensitivity_two_way", "Two-way sensitivity table"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    # Recorded, but the broker was unreachable when it was sent: a periodic task sends it again.
    WAITING = "waiting", "Waiting for a worker"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class SimulationJobQuerySet(models.QuerySet):
    def fail_stale(self) -> int:
        """Running or queued jobs nobody has touched for too long lost their worker: say so."""
        cutoff = timezone.now() - timedelta(seconds=settings.ECONOMICS_STALE_JOB_SECONDS)
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING], updated_at__lt=cutoff).update(
            status=JobStatus.FAILED,
            error="The worker stopped before finishing (killed, timed out or restarted). Re-run the job.",
            finished_at=timezone.now(),
            updated_at=timezone.now(),
        )

    def visible_to(self, user):
        return self.filter(evaluation__in=Evaluation.objects.visible_to(user))


class SimulationJob(models.Model):
    """A Monte Carlo or sensitivity run: the row pages and the API read (never the Celery backend)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="economics_jobs")
    kind = models.CharField(max_length=32, choices=JobKind.choices)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    # Bumped by each re-run, so stray chunk tasks of an earlier attempt change nothing.
    attempt = models.PositiveIntegerField(default=1)
    n = models.PositiveIntegerField(default=0, help_text="Simulations (Monte Carlo only).")
    seed = models.BigIntegerField(default=0)
    parameters = models.JSONField(default=dict, blank=True, help_text="Sensitivity choices.")
    inputs = models.JSONField(help_text="Snapshot of the evaluation's inputs when the job started.")
    uncertainty = models.JSONField(default=dict, blank=True)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    progress = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SimulationJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(name="economics_job_progress_0_1", condition=Q(progress__gte=0, progress__lte=1)),
            models.CheckConstraint(
                name="economics_job_status_valid", condition=Q(status__in=[s.value for s in JobStatus])
            ),
            models.CheckConstraint(
                name="economics_job_n_limit", condition=Q(n__lte=settings.ECONOMICS_MAX_SIMULATIONS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("economics:job_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    def is_owned_by(self, user) -> bool:
        return user.is_authenticated and self.requested_by_id == user.pk
