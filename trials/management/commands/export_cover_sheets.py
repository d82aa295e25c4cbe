"""manage.py export_cover_sheets --out DIR [--type GTMP] [--all]"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trials.models import AtmpType, Product
from trials.sheets.writer import export_sheets_to_dir


def _atmp_type(text: str) -> str:
    """ "GTMP", "gtmp_ex_vivo", "sCTMP" -> the AtmpType value."""
    key = text.strip().lower().replace("-", "_").replace(" ", "_")
    for choice in AtmpType:
        if key in (choice.value, choice.name.lower()):
            return choice.value
    raise CommandError(f"Unknown ATMP type {text!r}; one of: {', '.join(c.name for c in AtmpType)}.")


class Command(BaseCommand):
    help = "Export products as cover sheets in the JOIN4ATMP template layout, one .xlsx per product."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="Folder to write into (created if missing).")
        parser.add_argument(
            "--type", dest="atmp_type", help="Only this ATMP type (GTMP, GTMP_EX_VIVO, SCTMP, TEP, CATMP)."
        )
        parser.add_argument("--all", action="store_true", help="Include unpublished records (default: published only).")
        parser.add_argument("--no-personal-data", action="store_true", help="Leave PI names and e-mail addresses out.")

    def handle(self, *args, **options):
        products = Product.objects.all() if options["all"] else Product.objects.public()
        if options["atmp_type"]:
            products = products.of_type(_atmp_type(options["atmp_type"]))
        written = export_sheets_to_dir(
            products.order_by("name"), Path(options["out"]), include_personal=not options["no_personal_data"]
        )
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} cover sheet(s) to {options['out']}."))
