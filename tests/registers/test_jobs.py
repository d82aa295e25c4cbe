"""Refresh jobs in batches, the beat task (eager and through a real worker) and `refresh_trials`."""

from __future__ import annotations

import io
import time

import pytest
from django.core.management import CommandError, call_command

from trials.registers import jobs, tasks
from trials.registers.models import ProposedChange, RefreshJob, RegisterCheck

from .test_refresh import make_trial


@pytest.mark.django_db
def test_beat_task_is_off_unless_enabled(settings):
    settings.REGISTRY_REFRESH_ENABLED = False
    make_trial("NCT09990001")
    assert tasks.refresh_due_trials.delay().get() == {"enabled": False}
    assert not RefreshJob.objects.exists()


def test_beat_schedule_names_the_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["registers-refresh-trials"]
    assert entry["task"] == tasks.refresh_due_trials.name


@pytest.mark.django_db
def test_beat_task_refreshes_in_batches_and_one_failure_never_stops_it(
    registers_on, settings, django_capture_on_commit_callbacks
):
    settings.REGISTRY_REFRESH_BATCH_SIZE = 2
    ok = make_trial("NCT09990001")
    missing = make_trial("NCT09990009")  # 404
    eudract = make_trial("2018-999002-22")
    make_trial("ISRCTN12345678")  # no number a register here can answer: not due
    registers_on.script("/ctgov/studies/NCT09990009", (404, "Not found", {}, 0))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.refresh_due_trials.delay().get()
    job = RefreshJob.objects.get(pk=result["job"])
    assert (job.state, job.trigger, job.total, job.position) == ("done", "schedule", 3, 3)
    assert (job.changed, job.unchanged, job.failed) == (2, 0, 1)
    failed = job.checks.get(outcome=RegisterCheck.Outcome.FAILED)
    assert failed.trial_id == missing.pk and "has no trial NCT09990009 (404)" in failed.error
    assert set(ProposedChange.objects.values_list("trial_id", flat=True)) == {ok.pk, eudract.pk}
    # Checked just now: nothing is due until REGISTRY_REFRESH_MAX_AGE_DAYS have passed.
    assert jobs.due_trial_ids() == []


@pytest.mark.django_db
def test_a_running_job_is_not_claimed_twice(registers_on):
    job = jobs.job_create(trigger="command", trial_ids=[make_trial("NCT09990001").pk])
    assert jobs._claim(job.pk)
    assert jobs.job_run_batch(job.pk) is None  # held by the first claim; its heartbeat is fresh


@pytest.mark.django_db
def test_job_without_refresh_enabled_fails_with_the_reason(settings):
    settings.REGISTRY_REFRESH_ENABLED = False
    job = jobs.job_create(trigger="curator", trial_ids=[make_trial("NCT09990001").pk])
    job = jobs.job_run_batch(job.pk)
    assert job.state == "failed" and "REGISTRY_REFRESH_ENABLED" in job.error


@pytest.mark.django_db
def test_command_refreshes_named_trials(registers_on):
    make_trial("NCT09990001")
    make_trial("2018-999002-22")
    out = io.StringIO()
    call_command("refresh_trials", "nct09990001", stdout=out)
    assert "changes proposed" in out.getvalue()
    assert RefreshJob.objects.get().trigger == "command"
    assert set(RegisterCheck.objects.values_list("register_id", flat=True)) == {"NCT09990001"}


@pytest.mark.django_db
def test_command_dry_run_prints_differences_and_proposes_nothing(registers_on):
    make_trial("2018-999002-22 / NCT09990001")
    out = io.StringIO()
    call_command("refresh_trials", "--registry", "euctr", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Countries: Germany -> Germany, France, United Kingdom" in text  # DE, FR, GB
    assert "dry run" in text
    assert not ProposedChange.objects.exists()


@pytest.mark.django_db
def test_command_refuses_when_off_or_unknown(settings, registers_on):
    with pytest.raises(CommandError, match="No trial has the ID NCT00000000"):
        call_command("refresh_trials", "NCT00000000", stdout=io.StringIO())
    settings.REGISTRY_REFRESH_ENABLED = False
    with pytest.raises(CommandError, match="REGISTRY_REFRESH_ENABLED"):
        call_command("refresh_trials", stdout=io.StringIO())


# --- Through a real Celery worker (make test-services) ---------------------------------------
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_beat_task_through_a_real_worker(registers_worker, settings):
    ok = make_trial("NCT09990001")
    make_trial("NCT09990009")
    registers_worker["registers"].script("/ctgov/studies/NCT09990009", (429, "slow down", {}, 0))
    task_name = settings.CELERY_BEAT_SCHEDULE["registers-refresh-trials"]["task"]
    from platform_site.celery import app

    result = app.send_task(task_name).get(timeout=60)
    assert result["enabled"] and result["trials"] == 2
    deadline = time.monotonic() + 60
    while RefreshJob.objects.get(pk=result["job"]).state != "done":
        assert time.monotonic() < deadline, "the refresh job did not finish"
        time.sleep(0.2)
    job = RefreshJob.objects.get(pk=result["job"])
    assert (job.changed, job.failed) == (1, 1)
    assert "429" in job.checks.get(outcome="failed").error
    assert ProposedChange.objects.filter(trial=ok, field="status").exists()
    # The worker retried the rate-limited study: the first try and REGISTRY_RETRIES=2 retries.
    assert registers_worker["registers"].hits("/ctgov/studies/NCT09990009") == 3
