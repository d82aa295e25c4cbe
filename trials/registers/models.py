"""What a register refresh records: jobs, checks, proposed changes and their decisions, drafts.

A refresh never writes a trial. It records a `RegisterCheck` (what the register
said, or why it could not be asked) and one `ProposedChange` per field where the
register differs from the platform. A curator accepts or rejects each change;
accepted ones are saved through the trials write service with the register and
the record's date as the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from platform_site.curation import HistorySource
from trials.models import Trial

from .parsers.common import CTGOV, CTIS, EUCTR, REGISTER_NAMES, RegisterRecord


class Register(models.TextChoices):
    CTGOV = CTGOV, REGISTER_NAMES[CTGOV]
    CTIS = CTIS, REGISTER_NAMES[CTIS]
    EUCTR = EUCTR, REGISTER_NAMES[EUCTR]


class RefreshJob(models.Model):
    """One run over many trials, in batches; its counters are what curators see."""

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Schedule (celery beat)"
        COMMAND = "command", "Command line"
        CURATOR = "curator", "A curator"

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED, db_index=True)
    registry = models.CharField(
        max_length=10, choices=Register.choices, blank=True, help_text="Empty: each trial's own register."
    )
    dry_run = models.BooleanField(default=False, help_text="Check and report, propose nothing.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    trial_ids = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0, help_text="Trials handled so far.")
    unchanged = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the job itself stopped (trial errors are on their checks).")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Refresh {self.pk} ({self.get_state_display()})"

    @property
    def total(self) -> int:
        return len(self.trial_ids)

    @property
    def percent(self) -> int:
        return round(100 * self.position / self.total) if self.total else 100


class RegisterCheckQuerySet(models.QuerySet):
    def latest_per_trial(self):
        """Each trial's most recent check (PostgreSQL and SQLite alike: a subquery on the max id)."""
        newest = self.values("trial_id").annotate(last=models.Max("id")).values("last")
        return self.filter(id__in=newest)


class RegisterCheck(models.Model):
    """One trial asked of one register: the record it answered, or the reason it could not be used."""

    class Outcome(models.TextChoices):
        UNCHANGED = "unchanged", "Matches the platform"
        CHANGES = "changes", "Changes proposed"
        FAILED = "failed", "Failed"
        REPORTED = "reported", "Differences reported (dry run)"

    job = models.ForeignKey(RefreshJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="checks")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="register_checks")
    registry = models.CharField(
        max_length=10, choices=Register.choices, blank=True, help_text="Empty: none could be asked."
    )
    register_id = models.CharField(max_length=32, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, db_index=True)
    error = models.TextField(blank=True)
    record_date = models.DateField(null=True, blank=True, help_text="The register's own last-update date.")
    record = models.JSONField(null=True, blank=True, help_text="The parsed record (RegisterRecord.to_json()).")
    checked_at = models.DateTimeField(auto_now_add=True)

    objects = RegisterCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.register_id} ({self.get_outcome_display()})"

    @property
    def register_record(self) -> RegisterRecord | None:
        return RegisterRecord.from_json(self.record) if self.record else None


class ProposedChange(models.Model):
    """One field where the register differs from the platform, and the curator's decision on it."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for a curator"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Superseded by a newer record"

    check_row = models.ForeignKey(RegisterCheck, on_delete=models.CASCADE, related_name="changes")
    trial = models.ForeignKey(Trial, on_delete=models.CASCADE, related_name="proposed_changes")
    field = models.CharField(max_length=32)
    current_value = models.JSONField(null=True, blank=True, help_text="The platform's value when proposed.")
    register_value = models.JSONField(null=True, blank=True)
    registry = models.CharField(max_length=10, choices=Register.choices)
    register_id = models.CharField(max_length=32)
    register_date = models.DateField(null=True, blank=True, help_text="Date of the register record.")
    curated_on_platform = models.BooleanField(
        default=False, help_text="The platform's value was set by a person, not by an earlier register refresh."
    )
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["trial_id", "id"]
        indexes = [models.Index(fields=["trial", "field", "state"])]

    def __str__(self) -> str:
        return f"{self.trial}: {self.field}"

    @property
    def source(self) -> str:
        """What the history says a change came from: "ClinicalTrials.gov record of 2026-11-30"."""
        when = self.register_date.isoformat() if self.register_date else "unknown date"
        return f"{REGISTER_NAMES[self.registry]} record of {when}"

    def get_absolute_url(self) -> str:
        return reverse("registers:trial_changes", args=[self.trial_id])


class TrialRegisterFacts(models.Model):
    """Register facts the trial model has no field for, kept per trial once a curator accepts them."""

    trial = models.OneToOneField(Trial, on_delete=models.CASCADE, related_name="register_facts")
    conditions = models.TextField(blank=True, help_text="Conditions as the register names them, one per line.")
    intervention_type = models.CharField(max_length=255, blank=True)
    start_date = models.DateField(null=True, blank=True)
    completion_date = models.DateField(null=True, blank=True)
    enrolment = models.PositiveIntegerField(null=True, blank=True, help_text="Participants, planned or actual.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(bases=[HistorySource])

    class Meta:
        verbose_name_plural = "trial register facts"

    def __str__(self) -> str:
        return f"Register facts of {self.trial}"


class RegisterDraft(models.Model):
    """ "Add from register": a parsed record waiting to be attached to a product and submitted."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for review"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="register_drafts")
    registry = models.CharField(max_length=10, choices=Register.choices)
    register_id = models.CharField(max_length=32)
    record = models.JSONField()
    record_date = models.DateField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    trial = models.ForeignKey(Trial, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.register_id} from {self.get_registry_display()}"

    @property
    def register_record(self) -> RegisterRecord:
        return RegisterRecord.from_json(self.record)

    def get_absolute_url(self) -> str:
        return reverse("registers:draft", args=[self.pk])
