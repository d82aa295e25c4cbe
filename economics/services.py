"""Flows across models: saving evaluations, starting and re-running jobs, product prefill."""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .engine import InputError, evaluate, serialization
from .engine.defaults import AtmpKind, IndicationClass, default_inputs
from .engine.labels import input_label
from .engine.montecarlo import validate_uncertainty
from .engine.validation import range_errors
from .models import Evaluation, JobKind, JobStatus, SimulationJob

logger = logging.getLogger(__name__)

WAITING_MESSAGE = (
    "Waiting for a worker: the job queue could not be reached, so the job has not started yet. "
    "It is recorded and starts by itself when the queue is back; you can leave this page."
)
# Sending gives up quickly while the broker is down: the job is recorded and sent again later.
SEND_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5, "interval_max": 0.5}


def evaluation_result(inputs_data: dict) -> dict:
    """Validate inputs and return the deterministic result as a dict (raises InputError)."""
    return evaluate(serialization.inputs_from_dict(inputs_data)).as_dict()


def evaluation_save(
    *,
    owner,
    name: str,
    inputs: dict,
    uncertainty: dict | None = None,
    evaluation=None,
    atmp_kind: str = "",
    indication: str = "",
    source_product=None,
) -> Evaluation:
    """Create (or update) an evaluation after validating inputs and distributions together."""
    engine_inputs = serialization.inputs_from_dict(inputs)
    uncertainty = uncertainty or {}
    validate_uncertainty(engine_inputs, serialization.uncertainty_from_dict(uncertainty))
    evaluation = evaluation or Evaluation(owner=owner, source_product=source_product)
    evaluation.name = (name or "").strip()[:200] or "Untitled evaluation"
    evaluation.inputs = serialization.inputs_to_dict(engine_inputs)
    evaluation.uncertainty = uncertainty
    evaluation.result = evaluate(engine_inputs).as_dict()
    evaluation.atmp_kind, evaluation.indication = atmp_kind, indication
    evaluation.save()
    return evaluation


def evaluation_duplicate(*, evaluation: Evaluation, owner, name: str = "") -> Evaluation:
    """A scenario: a copy the user may change, linked to the evaluation it came from."""
    return Evaluation.objects.create(
        owner=owner,
        name=(name or f"{evaluation.name} (scenario)")[:200],
        inputs=evaluation.inputs,
        uncertainty=evaluation.uncertainty,
        result=evaluation.result,
        atmp_kind=evaluation.atmp_kind,
        indication=evaluation.indication,
        scenario_of=evaluation,
        source_product=evaluation.source_product,
    )


def evaluation_share(*, evaluation: Evaluation, visibility: str, new_link: bool = False) -> Evaluation:
    evaluation.visibility = visibility
    if new_link:  # revoke the old link
        evaluation.share_token = secrets.token_urlsafe(18)
    evaluation.save(update_fields=["visibility", "share_token", "updated_at"])
    return evaluation


def job_start(
    *,
    evaluation: Evaluation,
    user,
    kind: str,
    n: int | None = None,
    seed: int | None = None,
    parameters: dict | None = None,
) -> SimulationJob:
    """Validate, create the job row and queue it once the row is committed."""
    errors: dict[str, list[str]] = {}
    if kind not in JobKind.values:
        errors["kind"] = [f"Choose one of: {', '.join(JobKind.values)}."]
    n = settings.ECONOMICS_DEFAULT_SIMULATIONS if n is None else n
    if kind == JobKind.MONTE_CARLO and not 1 <= n <= settings.ECONOMICS_MAX_SIMULATIONS:
        errors["n"] = [f"Choose between 1 and {settings.ECONOMICS_MAX_SIMULATIONS:,} simulations."]
    if seed is not None and not 0 <= seed < 2**63:
        errors["seed"] = ["Use a whole number from 0 to 2^63 - 1."]
    if errors:
        raise InputError(errors)
    engine_inputs = evaluation.engine_inputs()
    uncertainty = evaluation.engine_uncertainty()
    validate_uncertainty(engine_inputs, uncertainty)
    parameters = _sensitivity_parameters(kind, engine_inputs, uncertainty, parameters or {})
    if kind == JobKind.MONTE_CARLO:
        # Stored with the job: a re-run or another worker splits the run the same way.
        parameters = {"chunk_size": settings.ECONOMICS_CHUNK_SIZE}
    job = SimulationJob.objects.create(
        evaluation=evaluation,
        requested_by=user,
        kind=kind,
        n=n if kind == JobKind.MONTE_CARLO else 0,
        seed=secrets.randbelow(2**31) if seed is None else seed,
        parameters=parameters,
        inputs=evaluation.inputs,
        uncertainty=evaluation.uncertainty,
    )
    _dispatch(job)
    return job


def job_rerun(*, job: SimulationJob) -> SimulationJob:
    """Queue a failed (or finished) job again with the same inputs, seed and size."""
    SimulationJob.objects.filter(pk=job.pk).update(
        status=JobStatus.QUEUED,
        attempt=job.attempt + 1,
        progress=0.0,
        chunks_done=0,
        chunks_total=0,
        error="",
        result=None,
        started_at=None,
        finished_at=None,
        updated_at=timezone.now(),
    )
    job.refresh_from_db()
    _dispatch(job)
    return job


def _dispatch(job: SimulationJob) -> None:
    """Send the job once its row is committed (a worker must find it), never inside the transaction."""
    job_id, attempt = job.pk, job.attempt
    transaction.on_commit(lambda: job_send(job_id=job_id, attempt=attempt))


def job_send(*, job_id: int, attempt: int) -> bool:
    """Hand a queued job to the broker; when it is unreachable, mark the job waiting for a worker."""
    from .tasks import run_job

    try:
        run_job.apply_async((job_id, attempt), retry=True, retry_policy=SEND_RETRY_POLICY)
    except Exception as exc:  # noqa: BLE001 - kombu, socket and DNS errors all mean "broker unreachable"
        logger.warning("economics job %s waits for a worker: %s", job_id, exc)
        SimulationJob.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.QUEUED).update(
            status=JobStatus.WAITING, error=WAITING_MESSAGE, updated_at=timezone.now()
        )
        return False
    return True


def job_dispatch_waiting() -> int:
    """Send again every job waiting for a worker (celery beat calls this); returns how many went out."""
    sent = 0
    for job_id, attempt in SimulationJob.objects.filter(status=JobStatus.WAITING).values_list("pk", "attempt"):
        # Claim it back to queued first, so two beats never send one job twice.
        claimed = SimulationJob.objects.filter(pk=job_id, attempt=attempt, status=JobStatus.WAITING).update(
            status=JobStatus.QUEUED, error="", updated_at=timezone.now()
        )
        if not claimed:
            continue
        if not job_send(job_id=job_id, attempt=attempt):
            break  # still unreachable: the others wait for the next beat
        sent += 1
    return sent


def _sensitivity_parameters(kind, engine_inputs, uncertainty, parameters: dict) -> dict:
    from .engine.model import scalar_paths

    paths = scalar_paths(engine_inputs)
    if kind == JobKind.SENSITIVITY_ONE_WAY:
        # Inputs with a distribution swing over its range; the others over ±20%.
        return {"ranges": {p: list(d.bounds) for p, d in uncertainty.items()}}
    if kind != JobKind.SENSITIVITY_TWO_WAY:
        return {}
    errors = {}
    a, b = parameters.get("input_a"), parameters.get("input_b")
    for key, path in (("input_a", a), ("input_b", b)):
        if path not in paths:
            errors[key] = ["Choose one of the evaluation's inputs."]
    if not errors and a == b:
        errors["input_b"] = ["Choose two different inputs."]
    try:
        steps = int(parameters.get("steps", 7))
    except (TypeError, ValueError):
        steps = 0
    if not 2 <= steps <= settings.ECONOMICS_TWO_WAY_MAX_STEPS:
        errors["steps"] = [f"Choose 2 to {settings.ECONOMICS_TWO_WAY_MAX_STEPS} steps."]
    if errors:
        raise InputError(errors)
    from .engine.sensitivity import default_range

    names = [p.name for p in engine_inputs.phases]
    result = {"input_a": a, "input_b": b, "steps": steps}
    for key, path in (("a", a), ("b", b)):
        low, high = parameters.get(f"low_{key}"), parameters.get(f"high_{key}")
        if low in (None, "") or high in (None, ""):
            low, high = uncertainty[path].bounds if path in uncertainty else default_range(engine_inputs, path)
        try:
            low, high = float(low), float(high)
        except (TypeError, ValueError):
            raise InputError({f"low_{key}": ["Enter numbers for the range."]}) from None
        if low > high:
            raise InputError({f"high_{key}": ["High must not be below low."]})
        problems = range_errors(engine_inputs, path, low, high)
        if problems:  # the same check as the evaluation form's: no range it would refuse
            raise InputError({f"low_{key}": [f"{input_label(path, names)}: {m}" for m in problems]})
        result[f"low_{key}"], result[f"high_{key}"] = low, high
    return result


# --- Product prefill ----------------------------------------------------------------
_KIND_BY_ATMP_TYPE = {
    "gtmp": AtmpKind.GENE_THERAPY,
    "gtmp_ex_vivo": AtmpKind.CAR_T,
    "sctmp": AtmpKind.CELL_THERAPY,
    "tep": AtmpKind.TISSUE_ENGINEERED,
    "catmp": AtmpKind.TISSUE_ENGINEERED,
}
_INDICATION_BY_CLASSIFICATION = {
    "cancer": IndicationClass.ONCOLOGY,
    "common_cancer": IndicationClass.ONCOLOGY,
    "rare_non_cancer": IndicationClass.RARE_DISEASE,
}
_START_BY_PHASE = {
    "preclinical": "preclinical",
    "early_phase_1": "phase_1",
    "phase_1": "phase_1",
    "phase_1_2": "phase_1_2",
    "phase_2": "phase_2",
    "phase_2_3": "phase_2_3",
    "phase_3": "phase_3",
    "phase_4": "registration",
}


def evaluation_defaults_for_product(product) -> dict:
    """Defaults for a trials Product: its type, indication class and current phase.

    The current phase is still ahead (a product in phase 2 has phase 2 to finish);
    a product in phase 4 is treated as awaiting registration in the EU.
    """
    kind = _KIND_BY_ATMP_TYPE.get(getattr(product, "atmp_type", ""), AtmpKind.CELL_THERAPY)
    indication = _INDICATION_BY_CLASSIFICATION.get(
        getattr(product, "patient_classification", ""), IndicationClass.OTHER
    )
    start = _START_BY_PHASE.get(getattr(product, "highest_phase", ""), "preclinical")
    inputs, citations = default_inputs(kind, indication, start)
    # Say what came from the product and what did not, so nobody mistakes a default for data.
    known = lambda value, text: text if value else "not recorded: default used"  # noqa: E731
    prefilled = [
        ("Type of ATMP", known(product.atmp_type, f"{kind.label} (from “{product.get_atmp_type_display()}”)")),
        (
            "Indication class",
            known(
                product.patient_classification,
                f"{indication.label} (from “{product.get_patient_classification_display()}”)",
            ),
        ),
        (
            "Phases still ahead",
            known(product.highest_phase, f"from its highest phase, “{product.get_highest_phase_display()}”"),
        ),
    ]
    countries = sorted(
        {name for name in product.trials.values_list("countries__name", flat=True) if name}
        if getattr(product, "pk", None)
        else set()
    )
    prefilled.append(
        (
            "Trial countries",
            ", ".join(countries) + " (shown for market sizing; the model has no per-country input)"
            if countries
            else "none recorded",
        )
    )
    prefilled.append(("Enrolment", "not recorded in the trials database: not prefilled"))
    return {
        "atmp_kind": str(kind),
        "indication": str(indication),
        "start": start,
        "inputs": inputs,
        "citations": citations,
        "name": f"{product.name}: rNPV",
        "prefilled": prefilled,
    }
