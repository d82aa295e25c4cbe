"""manage.py import_facilities PATH [--dry-run] [--table facilities|authorisations]

Reads a CSV (UTF-8) or XLSX file in the column layout of docs/facilities.md.
All rows or none: one bad row and nothing is saved; every bad row is reported.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from facilities import services


class Command(BaseCommand):
    help = "Import facilities (or their authorisations) from a CSV or XLSX file; atomic, with a per-row report."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; save nothing.")
        parser.add_argument("--table", choices=["facilities", "authorisations"], default="facilities")

    def handle(self, *args, path: str, dry_run: bool, table: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        limit = getattr(settings, "UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
        if file.stat().st_size > limit:
            raise CommandError(f"{path} is larger than the {limit:,}-byte limit (UPLOAD_MAX_BYTES).")
        try:
            dataset = services.load_dataset(file.read_bytes(), file.name)
            report = services.facilities_import(dataset=dataset, dry_run=dry_run, table=table)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        totals = ", ".join(f"{count} {kind}" for kind, count in report.totals.items() if count)
        if report.errors:
            for number, message in report.errors:
                self.stderr.write(f"row {number}: {message}")
            raise CommandError(f"{len(report.errors)} error(s); nothing was saved.")
        verb = "would import" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{table}: {verb} {len(dataset)} row(s) ({totals or 'no changes'})."))
