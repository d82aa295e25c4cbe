"""Celery tasks for Monte Carlo and sensitivity jobs.

run_job claims the job row with a conditional update, then either computes a
sensitivity analysis directly or fans a Monte Carlo run out as a chord: one task
per chunk (each with its own SeedSequence child) and a combine task. Every
exception ends as status=failed with a readable error on the row.
"""

from __future__ import annotations

import json
import logging

import numpy as np
from celery import chord, shared_task
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from .engine import InputError, sensitivity
from .engine.labels import input_label
from .engine.montecarlo import ChunkSummary, chunk_sizes, combine, histogram_edges, run_chunk
from .engine.serialization import inputs_from_dict, uncertainty_from_dict
from .models import JobKind, JobStatus, SimulationJob
from .services import job_dispatch_waiting

logger = logging.getLogger(__name__)


def _fail(job_id: int, attempt: int, exc: BaseException) -> None:
    """Mark the job failed with a sentence its owner can act on; the technical detail goes to the log."""
    if isinstance(exc, InputError):
        inputs = SimulationJob.objects.filter(pk=job_id).values_list("inputs", flat=True).first() or {}
        names = [p.get("name", "") for p in inputs.get("phases", []) if isinstance(p, dict)]
        message = "These inputs cannot be calculated. " + " ".join(
            f"{input_label(path, names)}: {' '.join(problems)}" for path, problems in exc.errors.items()
        )
        logger.warning("economics job %s failed on its inputs: %s", job_id, exc)
    else:
        message = (
            "The calculation stopped on an unexpected error and nothing was stored. Re-run the job; "
            f"if it fails again, report job {job_id} to the platform team."
        )
        logger.error("economics job %s failed", job_id, exc_info=exc)
    SimulationJob.objects.filter(pk=job_id, attempt=attempt).exclude(status=JobStatus.SUCCEEDED).update(
        status=JobStatus.FAILED, error=message[:2000], finished_at=timezone.now(), updated_at=timezone.now()
    )


def _running(job_id: int, attempt: int):
    return SimulationJob.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.RUNNING)


def _streams(job: SimulationJob, count: int) -> list[np.random.SeedSequence]:
    """Pilot stream first, then one per chunk; the same for any number of workers."""
    return np.random.SeedSequence(job.seed).spawn(count + 1)


@shared_task(name="economics.run_job")
def run_job(job_id: int, attempt: int) -> None:
    claimed = SimulationJob.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:  # another worker has it, or it was re-run meanwhile
        return
    try:
        job = SimulationJob.objects.get(pk=job_id)
        inputs = inputs_from_dict(job.inputs)
        uncertainty = uncertainty_from_dict(job.uncertainty)
        if job.kind == JobKind.MONTE_CARLO:
            _start_monte_carlo(job, inputs, uncertainty)
        else:
            _finish(job_id, attempt, _sensitivity(job, inputs))
    except Exception as exc:  # noqa: BLE001 - every failure must show on the job row
        _fail(job_id, attempt, exc)


def _sensitivity(job: SimulationJob, inputs) -> dict:
    p = job.parameters
    if job.kind == JobKind.SENSITIVITY_ONE_WAY:
        ranges = {path: tuple(bounds) for path, bounds in (p.get("ranges") or {}).items()}
        result = sensitivity.one_way(inputs)
        if ranges:  # distributions' ranges replace the default ±20% for those inputs
            custom = sensitivity.one_way(inputs, ranges)
            by_input = {bar["input"]: bar for bar in result["bars"]} | {bar["input"]: bar for bar in custom["bars"]}
            result["bars"] = sorted(by_input.values(), key=lambda bar: bar["swing_eur"], reverse=True)
        return result
    return sensitivity.two_way(
        inputs,
        p["input_a"],
        sensitivity.grid(p["low_a"], p["high_a"], p["steps"]),
        p["input_b"],
        sensitivity.grid(p["low_b"], p["high_b"], p["steps"]),
    )


def _start_monte_carlo(job: SimulationJob, inputs, uncertainty) -> None:
    sizes = chunk_sizes(job.n, int(job.parameters.get("chunk_size") or settings.ECONOMICS_CHUNK_SIZE))
    pilot = _streams(job, len(sizes))[0]
    edges = histogram_edges(inputs, uncertainty, pilot)
    SimulationJob.objects.filter(pk=job.pk).update(chunks_total=len(sizes), updated_at=timezone.now())
    header = [run_monte_carlo_chunk.s(job.pk, job.attempt, i, size, len(sizes), edges) for i, size in enumerate(sizes)]
    chord(header)(combine_monte_carlo.s(job.pk, job.attempt, edges))


@shared_task(name="economics.run_monte_carlo_chunk")
def run_monte_carlo_chunk(job_id: int, attempt: int, index: int, size: int, total: int, edges: list) -> dict | None:
    try:
        job = _running(job_id, attempt).get()
        inputs, uncertainty = inputs_from_dict(job.inputs), uncertainty_from_dict(job.uncertainty)
        summary = run_chunk(inputs, uncertainty, size, _streams(job, total)[index + 1], edges)
        # F() so concurrent chunks on several workers never lose an increment; the bound, so a chunk
        # re-delivered after its worker died between this update and its acknowledgement counts once.
        _running(job_id, attempt).filter(chunks_done__lt=F("chunks_total")).update(
            chunks_done=F("chunks_done") + 1, updated_at=timezone.now()
        )
        _running(job_id, attempt).filter(chunks_total__gt=0).update(progress=F("chunks_done") * 1.0 / F("chunks_total"))
        return summary.as_dict()
    except SimulationJob.DoesNotExist:
        return None  # failed or re-run meanwhile: nothing to add
    except Exception as exc:  # noqa: BLE001
        _fail(job_id, attempt, exc)
        raise


@shared_task(name="economics.combine_monte_carlo")
def combine_monte_carlo(summaries: list, job_id: int, attempt: int, edges: list) -> None:
    try:
        if any(s is None for s in summaries):
            return
        job = _running(job_id, attempt).get()
        phase_names = [p["name"] for p in job.inputs["phases"]]
        _finish(job_id, attempt, combine([ChunkSummary.from_dict(s) for s in summaries], edges, phase_names))
    except SimulationJob.DoesNotExist:
        return
    except Exception as exc:  # noqa: BLE001
        _fail(job_id, attempt, exc)


def _finish(job_id: int, attempt: int, result: dict) -> None:
    try:  # NaN or infinity must never reach the JSON column (PostgreSQL refuses them)
        json.dumps(result, allow_nan=False)
    except ValueError:
        raise InputError({"result": ["These inputs give results too large to compute."]}) from None
    _running(job_id, attempt).update(
        status=JobStatus.SUCCEEDED, result=result, progress=1.0, finished_at=timezone.now(), updated_at=timezone.now()
    )


@shared_task(name="economics.dispatch_waiting_jobs")
def dispatch_waiting_jobs() -> int:
    """Periodic (celery beat, CELERY_BEAT_SCHEDULE): send jobs recorded while the broker was down."""
    return job_dispatch_waiting()
