"""`manage.py refresh_trials [--registry ctgov|ctis|euctr] [--dry-run] [ID ...]`."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from trials.identifiers import normalise
from trials.models import Trial
from trials.registers import diff, jobs
from trials.registers.models import RefreshJob, RegisterCheck
from trials.registers.parsers.common import CTGOV, CTIS, EUCTR


class Command(BaseCommand):
    help = (
        "Refresh trials from their public registers: proposes changes for curators (nothing is overwritten). "
        "IDs are registry numbers (NCT…, EudraCT, EU CT) or trial ids; none: every trial with a register number."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", metavar="ID")
        parser.add_argument("--registry", choices=[CTGOV, CTIS, EUCTR], default="", help="Ask only this register.")
        parser.add_argument("--dry-run", action="store_true", help="Report the differences, propose nothing.")

    def handle(self, *args, ids, registry, dry_run, **options):
        if not settings.REGISTRY_REFRESH_ENABLED:
            raise CommandError("Register refresh is off: set REGISTRY_REFRESH_ENABLED=1 to reach the registers.")
        trial_ids = self._trial_ids(ids, registry)
        job = jobs.job_create(
            trigger=RefreshJob.Trigger.COMMAND, trial_ids=trial_ids, registry=registry, dry_run=dry_run
        )
        while job is not None and job.state == RefreshJob.State.QUEUED:
            job = jobs.job_run_batch(job.pk)
        job = RefreshJob.objects.get(pk=job.pk) if job is None else job
        for check in job.checks.select_related("trial").order_by("pk"):
            self._report(check)
        summary = f"{job.total} trial(s): {job.changed} with changes, {job.unchanged} unchanged, {job.failed} failed"
        if job.error:
            raise CommandError(f"{summary}. {job.error}")
        self.stdout.write(self.style.SUCCESS(f"{summary}{' (dry run: nothing proposed)' if dry_run else ''}."))

    def _trial_ids(self, ids: list[str], registry: str) -> list[int]:
        if not ids:
            return list(jobs.refreshable_trials(registry).values_list("pk", flat=True))
        found: list[int] = []
        for raw in ids:
            trials = Trial.objects.filter(pk=int(raw)) if raw.isdigit() else None
            if trials is None:
                trials = Trial.objects.filter(identifiers__value=normalise(raw)).distinct()
            pks = list(trials.values_list("pk", flat=True))
            if not pks:
                raise CommandError(f"No trial has the ID {raw}.")
            found += [pk for pk in pks if pk not in found]
        return found

    def _report(self, check: RegisterCheck) -> None:
        where = f"{check.trial} ({check.register_id or 'no register number'})"
        if check.outcome == RegisterCheck.Outcome.FAILED:
            self.stdout.write(self.style.ERROR(f"{where}: failed: {check.error}"))
            return
        if check.outcome == RegisterCheck.Outcome.REPORTED:
            for difference in diff.differences(check.trial, check.register_record):
                current, register = (
                    diff.display(difference.field, difference.current),
                    diff.display(difference.field, difference.register),
                )
                self.stdout.write(f"{where}: {diff.LABELS[difference.field]}: {current} -> {register}")
            return
        count = check.changes.count()
        self.stdout.write(f"{where}: {check.get_outcome_display().lower()}" + (f" ({count})" if count else ""))
