"""The register refresh's writes: check a trial, propose changes, decide on them.

`trial_refresh` asks a trial's register and records a check with one proposed
change per differing field; it never touches the trial. `change_accept` saves
one field through the trials write service (`trials.services.trial_save`) with
"<register> record of <date>" as the reason and source; `change_reject` records
the decision, and the same register value is not proposed again.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from platform_site.curation import tag_history
from trials.models import Trial

from . import diff
from .clients import TRIAL_ERRORS, RegisterClient
from .models import ProposedChange, RegisterCheck, TrialRegisterFacts
from .parsers.common import CTGOV, CTIS, EU_CT, EUCTR, EUDRACT, NCT, REGISTER_NAMES, RegisterRecord
from .writes import save_trial_field

log = logging.getLogger(__name__)

# Which number a trial is refreshed by, best first: CTIS is where EU trials live now, ClinicalTrials.gov
# is updated more often than the EU CTR, which takes no new trials since 2023.
SOURCES = [(EU_CT, CTIS), (NCT, CTGOV), (EUDRACT, EUCTR)]


class DecisionError(ValueError):
    """A decision that is not allowed; the message says why, for the curator."""


def refresh_source(trial: Trial, registry: str = "") -> tuple[str, str] | None:
    """(register, number) to refresh the trial from; `registry` restricts to one register."""
    numbers = dict(trial.identifiers.values_list("registry", "value"))
    for kind, register in SOURCES:
        if kind in numbers and registry in ("", register):
            return register, numbers[kind]
    return None


def fetch_record(client: RegisterClient, registry: str, register_id: str) -> RegisterRecord:
    """The register's record; a EudraCT trial that moved to CTIS is read from CTIS."""
    record = client.fetch(registry, register_id)
    if record.registry == EUCTR and record.transitioned:
        eu_ct = client.find_ctis_number(register_id)
        if eu_ct:
            record = client.fetch(CTIS, eu_ct)
    return record


def trial_refresh(
    *, trial: Trial, client: RegisterClient, registry: str = "", job=None, dry_run: bool = False
) -> RegisterCheck:
    """Check one trial against its register; record proposals (or, in a dry run, only the check)."""
    source = refresh_source(trial, registry)
    if source is None:
        wanted = REGISTER_NAMES[registry] if registry else "any register we read"
        return RegisterCheck.objects.create(
            job=job,
            trial=trial,
            registry=registry,
            register_id="",
            outcome=RegisterCheck.Outcome.FAILED,
            error=f"The trial has no number for {wanted} (NCT, EU CT or EudraCT).",
        )
    register, number = source
    try:
        record = fetch_record(client, register, number)
    except TRIAL_ERRORS as exc:
        log.info("register refresh of trial %s failed: %s", trial.pk, exc)
        return RegisterCheck.objects.create(
            job=job,
            trial=trial,
            registry=register,
            register_id=number,
            outcome=RegisterCheck.Outcome.FAILED,
            error=str(exc),
        )
    return record_check(trial=trial, record=record, job=job, dry_run=dry_run)


@transaction.atomic
def record_check(*, trial: Trial, record: RegisterRecord, job=None, dry_run=False) -> RegisterCheck:
    trial = Trial.objects.select_for_update().get(pk=trial.pk)  # compare with what is stored now
    differences = diff.differences(trial, record)
    if dry_run:
        outcome = RegisterCheck.Outcome.REPORTED if differences else RegisterCheck.Outcome.UNCHANGED
    else:
        outcome = RegisterCheck.Outcome.CHANGES if differences else RegisterCheck.Outcome.UNCHANGED
    check = RegisterCheck.objects.create(
        job=job,
        trial=trial,
        registry=record.registry,
        register_id=record.register_id,
        outcome=outcome,
        record_date=record.record_date,
        record=record.to_json(),
    )
    if dry_run:
        check.differences = differences
        return check
    proposed = _propose(check, trial, record, differences)
    if not proposed and outcome == RegisterCheck.Outcome.CHANGES:
        check.outcome = RegisterCheck.Outcome.UNCHANGED  # every difference was rejected before
        check.save(update_fields=["outcome"])
    return check


def _propose(check: RegisterCheck, trial: Trial, record: RegisterRecord, differences) -> int:
    pending = ProposedChange.objects.filter(trial=trial, state=ProposedChange.State.PENDING)
    # The newest record speaks for the trial: older proposals give way, agreed fields included.
    pending.update(state=ProposedChange.State.SUPERSEDED)
    created = 0
    for difference in differences:
        decided = (
            ProposedChange.objects.filter(trial=trial, field=difference.field)
            .exclude(state__in=[ProposedChange.State.PENDING, ProposedChange.State.SUPERSEDED])
            .order_by("-decided_at", "-id")
            .first()
        )
        if decided and decided.state == ProposedChange.State.REJECTED and decided.register_value == difference.register:
            continue  # a curator already said no to exactly this value
        last_accepted = decided.register_value if decided and decided.state == ProposedChange.State.ACCEPTED else None
        ProposedChange.objects.create(
            check_row=check,
            trial=trial,
            field=difference.field,
            current_value=difference.current,
            register_value=difference.register,
            registry=record.registry,
            register_id=record.register_id,
            register_date=record.record_date,
            # Register facts only ever come from register records; trial fields may have been set by a person.
            curated_on_platform=difference.field in diff.TRIAL_FIELDS
            and difference.current not in (None, "", [])
            and difference.current != last_accepted,
        )
        created += 1
    return created


def _decide(change: ProposedChange, user, state: str) -> ProposedChange:
    change.state = state
    change.decided_by = user
    change.decided_at = timezone.now()
    change.save(update_fields=["state", "decided_by", "decided_at"])
    return change


def _pending(change: ProposedChange) -> ProposedChange:
    change = ProposedChange.objects.select_for_update().select_related("trial__product").get(pk=change.pk)
    if change.state != ProposedChange.State.PENDING:
        raise DecisionError(f"This change is already {change.get_state_display().lower()}.")
    return change


@transaction.atomic
def change_accept(*, change: ProposedChange, user, replace_curated: bool = False) -> ProposedChange:
    """Save the register's value; a value curated on the platform is replaced only when asked to."""
    change = _pending(change)
    if change.curated_on_platform and not replace_curated:
        raise DecisionError(
            f"{diff.LABELS[change.field]} was curated on the platform; confirm that the register's value replaces it."
        )
    save = facts_save if change.field in diff.FACT_FIELDS else save_trial_field
    save(trial=change.trial, field=change.field, value=change.register_value, user=user, reason=change.source)
    return _decide(change, user, ProposedChange.State.ACCEPTED)


@transaction.atomic
def change_reject(*, change: ProposedChange, user) -> ProposedChange:
    return _decide(_pending(change), user, ProposedChange.State.REJECTED)


def facts_save(*, trial: Trial, field: str, value, user, reason: str) -> TrialRegisterFacts:
    """Store one register fact the trial model has no field for, with the reason in its history."""
    facts, _created = TrialRegisterFacts.objects.get_or_create(trial=trial)
    if field in ("start_date", "completion_date"):
        value = dt.date.fromisoformat(value) if value else None
    elif field in ("conditions", "intervention_type"):
        value = value or ""
    setattr(facts, field, value)
    tag_history(facts, user=user, reason=reason, source="register")
    facts.save()
    return facts
