"""Jobs through Celery: eager in the default suite, a real worker under `make test-services`."""

import time

import pytest
from django.conf import settings

from economics import services
from economics.engine import InputError
from economics.engine.defaults import default_inputs
from economics.engine.montecarlo import run_monte_carlo
from economics.engine.serialization import inputs_from_dict, uncertainty_from_dict
from economics.models import JobKind, JobStatus, SimulationJob

UNCERTAINTY = {"market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, "high": 450000}}


@pytest.fixture
def evaluation(expert):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    return services.evaluation_save(owner=expert, name="CAR-T", inputs=inputs, uncertainty=UNCERTAINTY)


def _start(evaluation, user, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(evaluation=evaluation, user=user, **kwargs)
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_monte_carlo_job_runs_in_chunks_and_matches_the_engine(
    evaluation, expert, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(settings, "ECONOMICS_CHUNK_SIZE", 2_000)
    job = _start(evaluation, expert, django_capture_on_commit_callbacks, kind=JobKind.MONTE_CARLO, n=5_000, seed=42)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert (job.chunks_total, job.chunks_done, job.progress) == (3, 3, 1.0)
    assert job.result["n"] == 5_000
    assert sum(job.result["histogram"]["counts"]) == 5_000
    # The Celery path gives exactly what the engine gives in one process with the same seed and chunks.
    direct = run_monte_carlo(inputs_from_dict(evaluation.inputs), uncertainty_from_dict(UNCERTAINTY), 5_000, 42, 2_000)
    assert job.result == direct
    assert job.started_at and job.finished_at


@pytest.mark.django_db
def test_one_way_and_two_way_sensitivity_jobs(evaluation, expert, django_capture_on_commit_callbacks):
    one = _start(evaluation, expert, django_capture_on_commit_callbacks, kind=JobKind.SENSITIVITY_ONE_WAY)
    assert one.status == JobStatus.SUCCEEDED, one.error
    price = next(bar for bar in one.result["bars"] if bar["input"] == "market.price_per_treatment_eur")
    assert (price["low_value"], price["high_value"]) == (250000, 450000)  # the PERT range, not ±20%
    assert price["rnpv_at_high_eur"] > price["rnpv_at_low_eur"]
    two = _start(
        evaluation,
        expert,
        django_capture_on_commit_callbacks,
        kind=JobKind.SENSITIVITY_TWO_WAY,
        parameters={
            "input_a": "market.price_per_treatment_eur",
            "input_b": "phases.0.success_probability",
            "steps": 3,
            "low_b": 0.2,
            "high_b": 0.8,
        },
    )
    assert two.status == JobStatus.SUCCEEDED, two.error
    assert two.result["values_b"] == [0.2, 0.5, 0.8]
    assert len(two.result["rnpv_eur"]) == 3 and len(two.result["rnpv_eur"][0]) == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": JobKind.MONTE_CARLO, "n": settings.ECONOMICS_MAX_SIMULATIONS + 1}, "n"),
        ({"kind": JobKind.MONTE_CARLO, "n": 0}, "n"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": JobKind.SENSITIVITY_TWO_WAY, "parameters": {"input_a": "x", "input_b": "discount_rate"}}, "input_a"),
        (
            {"kind": JobKind.SENSITIVITY_TWO_WAY, "parameters": {"input_a": "tax_rate", "input_b": "tax_rate"}},
            "input_b",
        ),
    ],
)
def test_bad_job_requests_are_refused_with_field_errors(evaluation, expert, kwargs, field):
    with pytest.raises(InputError) as caught:
        services.job_start(evaluation=evaluation, user=expert, **kwargs)
    assert field in caught.value.errors
    assert not SimulationJob.objects.exists()


@pytest.mark.django_db
def test_a_failing_job_is_marked_failed_with_its_error_and_can_be_rerun(
    evaluation, expert, django_capture_on_commit_callbacks
):
    job = _start(evaluation, expert, django_capture_on_commit_callbacks, kind=JobKind.MONTE_CARLO, n=100)
    # Corrupt the job's snapshot the way a bad deploy or a hand edit could.
    SimulationJob.objects.filter(pk=job.pk).update(inputs={"phases": "broken"}, status=JobStatus.QUEUED)
    from economics.tasks import run_job

    run_job.delay(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("These inputs cannot be calculated. Phases: Expected a list.")
    assert "Error" not in job.error  # no exception class names
    SimulationJob.objects.filter(pk=job.pk).update(inputs=evaluation.inputs)
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.job_rerun(job=job)
    job.refresh_from_db()
    assert (job.status, job.attempt, job.error) == (JobStatus.SUCCEEDED, 2, "")


@pytest.mark.django_db
def test_a_job_whose_worker_vanished_shows_as_failed(evaluation, expert, time_machine):
    job = SimulationJob.objects.create(
        evaluation=evaluation,
        requested_by=expert,
        kind=JobKind.MONTE_CARLO,
        n=10,
        inputs=evaluation.inputs,
        status=JobStatus.RUNNING,
    )
    time_machine.move_to(job.updated_at.timestamp() + settings.ECONOMICS_STALE_JOB_SECONDS + 5)
    assert SimulationJob.objects.fail_stale() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Re-run" in job.error


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_monte_carlo_job_through_a_real_worker(celery_worker_process, expert, monkeypatch):
    monkeypatch.setattr(settings, "ECONOMICS_CHUNK_SIZE", 20_000)  # the dispatching side splits; the worker runs chunks
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    evaluation = services.evaluation_save(owner=expert, name="worker", inputs=inputs, uncertainty=UNCERTAINTY)
    job = services.job_start(evaluation=evaluation, user=expert, kind=JobKind.MONTE_CARLO, n=50_000, seed=5)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.status == JobStatus.SUCCEEDED, job.error or f"still {job.status}; see {celery_worker_process['log']}"
    assert job.chunks_done == job.chunks_total == 3
    direct = run_monte_carlo(inputs_from_dict(evaluation.inputs), uncertainty_from_dict(UNCERTAINTY), 50_000, 5, 20_000)
    assert job.result["mean_npv_eur"] == pytest.approx(direct["mean_npv_eur"], rel=1e-12)
