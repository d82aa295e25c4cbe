"""Facility imports as background jobs: the upload is stored on the job row, a worker imports it.

A 50,000-row sheet takes minutes; a request must never wait for it. The job row carries
status, progress and the per-row report; its page polls it with htmx.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    # Recorded while the task queue could not be reached; facilities.dispatch_waiting_imports sends it again.
    WAITING = "waiting", "Waiting for the task queue"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


class ImportJob(models.Model):
    TABLES = [("facilities", "Facilities and their offers"), ("authorisations", "Authorisations")]

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="facility_import_jobs"
    )
    filename = models.CharField(max_length=255)
    content = models.BinaryField(help_text="The uploaded file, checked by the upload guard before it is stored.")
    table = models.CharField(max_length=20, choices=TABLES, default="facilities")
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    progress = models.FloatField(default=0.0)
    rows_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True, help_text="totals and errors [[row, message], ...]")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=1), name="facilities_importjob_progress_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"Import of {self.filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("facilities:import_job", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
