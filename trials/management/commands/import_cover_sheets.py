"""manage.py import_cover_sheets PATH... [--dry-run] [--update] [--force] [--user EMAIL]"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from trials.imports import cover_sheets_import


class Command(BaseCommand):
    help = (
        "Import JOIN4ATMP cover sheets (.xlsx files or folders of them). Each file is imported in its own "
        "transaction; a file with any error writes nothing. Imports by the command are published at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Workbooks or folders (searched for *.xlsx, recursively).")
        parser.add_argument("--dry-run", action="store_true", help="Report what would change; write nothing.")
        parser.add_argument("--update", action="store_true", help="Replace existing products with the sheet.")
        parser.add_argument(
            "--force", action="store_true", help="With --update: overwrite records edited on the platform too."
        )
        parser.add_argument("--user", help="E-mail of the account to record as importer (default: none).")

    def handle(self, *args, **options):
        files = self._files(options["paths"])
        if not files:
            raise CommandError("No .xlsx files found in the given paths.")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(email__iexact=options["user"]).first()
            if user is None:
                raise CommandError(f"No account with e-mail {options['user']}.")
        report = cover_sheets_import(
            files=files,
            imported_by=user,
            update=options["update"],
            dry_run=options["dry_run"],
            force=options["force"],
        )
        for file_report in report.files:
            style = self.style.SUCCESS if file_report.ok else self.style.ERROR
            lines = file_report.lines(report.dry_run)
            self.stdout.write(style(lines[0]))
            for line in lines[1:]:
                self.stdout.write(line)
        self.stdout.write(report.summary())
        if not report.ok:
            raise CommandError("Some files were not imported; see the messages above.")

    def _files(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files += sorted(p for p in path.rglob("*.xlsx") if not p.name.startswith("~$"))
            elif path.exists():
                files.append(path)
            else:
                raise CommandError(f"{raw}: no such file or folder.")
        return files
