"""Celery tasks of the register refresh: the scheduled one (celery beat) and one batch of a job."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from . import jobs
from .models import RefreshJob


@shared_task(name="registers.refresh_due_trials")
def refresh_due_trials() -> dict:
    """Scheduled in CELERY_BEAT_SCHEDULE: a job over every trial not checked lately. Off unless enabled."""
    if not settings.REGISTRY_REFRESH_ENABLED:
        return {"enabled": False}
    job = jobs.job_create(trigger=RefreshJob.Trigger.SCHEDULE, trial_ids=jobs.due_trial_ids())
    jobs.job_dispatch(job)
    return {"enabled": True, "job": job.pk, "trials": job.total}


@shared_task(name="registers.refresh_job_batch", acks_late=True)
def refresh_job_batch(job_id: int) -> dict:
    """One batch of a job; queues the next batch until every trial has been handled."""
    job = jobs.job_run_batch(job_id)
    if job is None:
        return {"job": job_id, "claimed": False}
    if job.state == RefreshJob.State.QUEUED:
        refresh_job_batch.delay(job.pk)
    return {"job": job.pk, "state": job.state, "position": job.position}
