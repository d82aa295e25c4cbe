"""A worker killed with SIGKILL in the middle of a Monte Carlo job loses nothing (make test-services).

acks_late + a visibility timeout: the chunk the dead worker held goes back to the queue and a live
worker finishes the job, with exactly the numbers an uninterrupted run of the same seed gives."""

from __future__ import annotations

import json
import signal
import time

import pytest

from economics import services
from economics.engine.defaults import default_inputs
from economics.engine.montecarlo import run_monte_carlo
from economics.engine.serialization import inputs_from_dict, uncertainty_from_dict
from economics.models import JobKind, JobStatus

UNCERTAINTY = {"market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, "high": 450000}}
N, CHUNK, SEED = 1_000_000, 50_000, 20261202
# Short, so the test does not wait 12 minutes; production uses CELERY_TASK_TIME_LIMIT + 60.
WORKER_ENV = {"CELERY_BROKER_VISIBILITY_TIMEOUT": "3"}


def wait_for(job, condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if condition(job):
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job.pk} is {job.status} at {job.chunks_done}/{job.chunks_total} chunks: {job.error}")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_being_killed(worker_factory, expert, settings):
    settings.ECONOMICS_CHUNK_SIZE = CHUNK
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    evaluation = services.evaluation_save(owner=expert, name="kill -9", inputs=inputs, uncertainty=UNCERTAINTY)
    first = worker_factory(**WORKER_ENV)
    job = services.job_start(evaluation=evaluation, user=expert, kind=JobKind.MONTE_CARLO, n=N, seed=SEED)
    wait_for(job, lambda j: j.chunks_done >= 2, 120)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=20)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.chunks_done < job.chunks_total, "killed too late to prove anything"

    worker_factory(**WORKER_ENV)  # a live worker: the dead one's unacknowledged chunk is handed to it
    wait_for(job, lambda j: j.is_finished, 180)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.chunks_done == job.chunks_total == N // CHUNK
    uninterrupted = run_monte_carlo(inputs_from_dict(inputs), uncertainty_from_dict(UNCERTAINTY), N, SEED, CHUNK)
    assert job.result == json.loads(json.dumps(uninterrupted))
