"""manage.py import_facilities PATH [--dry-run] [--skip-invalid] [--table facilities|authorisations]

Reads a CSV (UTF-8) or XLSX file in the column layout of docs/facilities.md (the template is at
/facilities/import-template/), through the platform's upload guard. All rows or none: one bad row
and nothing is saved; every bad row is reported. With --skip-invalid the valid rows are saved and
the skipped ones reported.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from facilities import importing
from platform_site.uploads import UploadRejected


class Command(BaseCommand):
    help = "Import facilities (with their service offers) or authorisations from CSV/XLSX; atomic, per-row report."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .csv (UTF-8) or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="Check every row and report; save nothing.")
        parser.add_argument("--skip-invalid", action="store_true", help="Save the valid rows; report the others.")
        parser.add_argument("--table", choices=["facilities", "authorisations"], default="facilities")

    def handle(self, *args, path: str, dry_run: bool, skip_invalid: bool, table: str, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            dataset = importing.read_upload(file.read_bytes(), file.name)
        except UploadRejected as error:
            raise CommandError(f"{path}: {error.message}") from error
        report = importing.facilities_import(dataset=dataset, dry_run=dry_run, table=table, skip_invalid=skip_invalid)
        for number, message in report.errors:
            self.stderr.write(f"{'header' if number == 0 else f'row {number}'}: {message}")
        if report.errors and not report.skipped_rows:
            raise CommandError(f"{len(report.errors)} error(s); nothing was saved.")
        totals = ", ".join(f"{count} {kind}" for kind, count in report.totals.items() if count)
        verb = "would import" if dry_run else "imported"
        done = len(dataset) - len(report.skipped_rows)
        skipped = f"; skipped {len(report.skipped_rows)} invalid row(s)" if report.skipped_rows else ""
        self.stdout.write(self.style.SUCCESS(f"{table}: {verb} {done} row(s) ({totals or 'no changes'}){skipped}."))
