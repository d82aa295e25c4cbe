"""Refresh jobs: many trials, in batches, one failure never stopping the rest.

A job row lists its trials and counts progress. A batch claims the job with a
conditional update (queued -> running; a running job whose heartbeat is older
than STALE_AFTER is taken over, so a worker lost mid-batch does not strand it),
refreshes up to REGISTRY_REFRESH_BATCH_SIZE trials, saves its counters after
each trial and hands the job back as queued for the next batch. The same
function runs under Celery (tasks.py) and in `manage.py refresh_trials`.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from trials.models import Trial

from . import services
from .clients import RefreshDisabled, RegisterClient
from .models import RefreshJob, RegisterCheck
from .parsers.common import EU_CT, EUDRACT, NCT, REGISTER_OF_KIND

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=15)


def refreshable_trials(registry: str = ""):
    """Trials with a number one of the registers (or the given one) can be asked about."""
    kinds = [kind for kind in (EU_CT, NCT, EUDRACT) if registry in ("", REGISTER_OF_KIND[kind])]
    return Trial.objects.filter(identifiers__registry__in=kinds).distinct().order_by("pk")


def due_trial_ids(registry: str = "") -> list[int]:
    """Refreshable trials not checked for REGISTRY_REFRESH_MAX_AGE_DAYS, never-checked and oldest first."""
    since = timezone.now() - dt.timedelta(days=settings.REGISTRY_REFRESH_MAX_AGE_DAYS)
    trials = refreshable_trials(registry).annotate(last_check=Max("register_checks__checked_at"))
    trials = trials.filter(Q(last_check__isnull=True) | Q(last_check__lt=since))
    return list(trials.order_by("last_check", "pk").values_list("pk", flat=True))


def job_create(*, trigger: str, trial_ids: list[int], registry: str = "", dry_run=False, user=None) -> RefreshJob:
    state = RefreshJob.State.QUEUED if trial_ids else RefreshJob.State.DONE
    return RefreshJob.objects.create(
        trigger=trigger,
        trial_ids=list(trial_ids),
        registry=registry,
        dry_run=dry_run,
        requested_by=user,
        state=state,
        finished_at=None if trial_ids else timezone.now(),
    )


def _claim(job_id: int) -> bool:
    now = timezone.now()
    claimable = Q(state=RefreshJob.State.QUEUED) | Q(state=RefreshJob.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
    claimed = RefreshJob.objects.filter(claimable, pk=job_id).update(state=RefreshJob.State.RUNNING, heartbeat_at=now)
    if claimed:
        RefreshJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return bool(claimed)


def job_run_batch(job_id: int) -> RefreshJob | None:
    """Refresh the job's next batch; None when another worker holds the job or it is finished."""
    if not _claim(job_id):
        return None
    job = RefreshJob.objects.get(pk=job_id)
    batch = job.trial_ids[job.position : job.position + settings.REGISTRY_REFRESH_BATCH_SIZE]
    try:
        client = RegisterClient()
    except RefreshDisabled as exc:
        return _finish(job, RefreshJob.State.FAILED, error=str(exc))
    with client:
        for trial_id in batch:
            trial = Trial.objects.filter(pk=trial_id).first()
            if trial is not None:
                _count(job, _refresh_one(job, trial, client))
            job.position += 1
            job.heartbeat_at = timezone.now()
            job.save(update_fields=["position", "unchanged", "changed", "failed", "heartbeat_at"])
    if job.position >= job.total:
        return _finish(job, RefreshJob.State.DONE)
    job.state = RefreshJob.State.QUEUED
    job.save(update_fields=["state"])
    return job


def _refresh_one(job: RefreshJob, trial: Trial, client: RegisterClient) -> RegisterCheck:
    try:
        return services.trial_refresh(trial=trial, client=client, registry=job.registry, job=job, dry_run=job.dry_run)
    except Exception as exc:  # noqa: BLE001 - one trial's surprise must not stop the batch; it is logged and shown
        log.exception("register refresh of trial %s failed unexpectedly", trial.pk)
        return RegisterCheck.objects.create(
            job=job,
            trial=trial,
            registry=job.registry,
            register_id="",
            outcome=RegisterCheck.Outcome.FAILED,
            error=f"Unexpected error ({exc.__class__.__name__}); see the server log.",
        )


def _count(job: RefreshJob, check: RegisterCheck) -> None:
    if check.outcome == RegisterCheck.Outcome.FAILED:
        job.failed += 1
    elif check.outcome == RegisterCheck.Outcome.UNCHANGED:
        job.unchanged += 1
    else:
        job.changed += 1


def _finish(job: RefreshJob, state: str, error: str = "") -> RefreshJob:
    job.state, job.error, job.finished_at = state, error, timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job


def job_dispatch(job: RefreshJob) -> None:
    """Queue the job's first batch once the job row is committed."""
    from .tasks import refresh_job_batch

    if job.state == RefreshJob.State.QUEUED:
        transaction.on_commit(lambda: refresh_job_batch.delay(job.pk))
