"""Jobs are never lost: recorded first, sent after commit, waiting for a worker while the broker is down,
sent again by the periodic task once it is back."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from economics import services
from economics.engine.defaults import default_inputs
from economics.models import JobKind, JobStatus, SimulationJob
from economics.tasks import dispatch_waiting_jobs, run_job
from platform_site.celery import app
from tests.platform.conftest import closed_port_url


@pytest.fixture
def evaluation(owner):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    return services.evaluation_save(owner=owner, name="Waiting", inputs=inputs)


def queued_messages() -> list:
    """The run_job messages on the in-memory broker's default queue."""
    found = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue(app.conf.task_default_queue)
        while True:
            try:
                message = queue.get(block=False)
            except queue.Empty:
                break
            found.append((message.headers["task"], message.payload[0]))
            message.ack()
        queue.close()
    return found


@pytest.mark.django_db
def test_broker_down_then_back(client_for, evaluation, broker, django_capture_on_commit_callbacks):
    broker(closed_port_url())
    client = client_for("owner")
    page = client.get(evaluation.get_absolute_url())
    assert b"The job queue cannot be reached right now" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("economics:job_start", args=[evaluation.pk]), {"kind": "monte_carlo", "n": 500, "seed": 3}
        )
    assert response.status_code == 302  # was a 500
    job = SimulationJob.objects.get()
    assert job.status == JobStatus.WAITING
    assert "Waiting for a worker" in job.error
    assert "Waiting for a worker" in client.get(job.get_absolute_url()).content.decode()
    # The periodic task finds the broker still down: the job keeps waiting.
    assert dispatch_waiting_jobs.apply().get() == 0
    job.refresh_from_db()
    assert job.status == JobStatus.WAITING

    broker("memory://")  # the broker is back
    assert dispatch_waiting_jobs.apply().get() == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.QUEUED, "")
    assert queued_messages() == [("economics.run_job", [job.pk, job.attempt])]
    app.conf.task_always_eager = True  # a worker takes the message and runs it with its chunks
    run_job.apply((job.pk, job.attempt))
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error


@pytest.mark.django_db
def test_a_waiting_job_is_sent_once_however_often_the_beat_runs(evaluation, owner, broker):
    job = SimulationJob.objects.create(
        evaluation=evaluation,
        requested_by=owner,
        kind=JobKind.SENSITIVITY_ONE_WAY,
        inputs=evaluation.inputs,
        status=JobStatus.WAITING,
        error=services.WAITING_MESSAGE,
    )
    broker("memory://")
    assert dispatch_waiting_jobs.apply().get() == 1
    assert dispatch_waiting_jobs.apply().get() == 0
    assert queued_messages() == [("economics.run_job", [job.pk, job.attempt])]


def test_jobs_are_acknowledged_late_and_redelivered_before_the_reaper_gives_up():
    from economics.tasks import combine_monte_carlo, run_monte_carlo_chunk

    for task in (run_job, run_monte_carlo_chunk, combine_monte_carlo):
        assert task.acks_late and task.reject_on_worker_lost
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    # Longer than any task may run (no double delivery of a running chunk) ...
    assert visibility > settings.CELERY_TASK_TIME_LIMIT
    # ... and shorter than the stale-job reaper's patience (Redis's default, one hour, was not).
    assert visibility < settings.ECONOMICS_STALE_JOB_SECONDS
    assert "economics.dispatch_waiting_jobs" in {entry["task"] for entry in app.conf.beat_schedule.values()}
