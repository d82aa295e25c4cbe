"""Facility imports (CSV/XLSX): read through the upload guard, check columns and duplicates, validate every
row, then write all rows or none (or, with skip_invalid, only the valid ones, reported).

Used by the import job (facilities.tasks.run_import, started from /facilities/import/) and by
`manage.py import_facilities`; never inside a request. Row 1 is the first data row; row 0 is the header.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import tablib
from django.conf import settings

from platform_site.spreadsheets import restore_formula_text, safe_row
from platform_site.uploads import CSV, XLSX, UploadRejected, check_upload, open_workbook, read_csv_rows

REQUIRED = {
    "facilities": ("name", "institution", "institution_type", "city", "country", "latitude", "longitude"),
    "authorisations": ("facility", "kind", "issuing_authority"),
}


@dataclass
class ImportReport:
    """What an import did or would do; `errors` are (row number, message), row 0 = the header."""

    dry_run: bool
    totals: dict[str, int] = field(default_factory=dict)
    errors: list[tuple[int, str]] = field(default_factory=list)
    skipped_rows: list[int] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "totals": self.totals,
            "errors": [list(e) for e in self.errors],
            "skipped_rows": self.skipped_rows,
            "written": self.written,
        }


def resource_for(table: str):
    from .resources import AuthorisationResource, FacilityResource

    return {"facilities": FacilityResource, "authorisations": AuthorisationResource}[table]()


def import_columns(table: str) -> list[str]:
    """The columns an import reads, in the documented order (export-only columns left out)."""
    resource = resource_for(table)
    return [f.column_name for f in resource.get_import_fields()]


def read_upload(content: bytes, filename: str = "") -> tablib.Dataset:
    """The rows of a CSV (UTF-8) or XLSX upload, checked by the platform's upload guard (size, sniffed
    type, zip limits, rows, columns); raises UploadRejected with a sentence for the user."""
    max_rows = settings.FACILITIES_IMPORT_MAX_ROWS + 1  # and the header
    kind = check_upload(content, allowed=(XLSX, CSV))
    if kind == CSV:
        rows = read_csv_rows(content, max_rows=max_rows)
    else:
        with open_workbook(content, max_rows=max_rows) as book:
            rows = [list(values) for values in book.rows()]
    rows = [row for row in rows if any(str(v).strip() for v in row if v is not None)]
    if not rows:
        raise UploadRejected("The file is empty: the first row must name the columns.")
    header = [str(name or "").strip() for name in rows[0]]
    dataset = tablib.Dataset(headers=header)
    width = len(header)
    for row in rows[1:]:
        if len(row) > width and any(v not in (None, "") for v in row[width:]):
            raise UploadRejected(f"Row {len(dataset) + 1} has values beyond the {width} named columns.")
        # Our own exports neutralise formula-like text with an apostrophe; read it back as written.
        dataset.append([("" if v is None else restore_formula_text(v)) for v in (list(row) + [None] * width)[:width]])
    return dataset


def column_errors(dataset: tablib.Dataset, table: str) -> list[tuple[int, str]]:
    known = set(import_columns(table)) | {"authorisations"}  # the export's summary column is ignored on import
    header = list(dataset.headers or [])
    errors = []
    unknown = [name for name in header if name not in known]
    if unknown:
        errors.append((0, f"unknown column(s): {', '.join(unknown)}; the template lists the columns"))
    missing = [name for name in REQUIRED[table] if name not in header]
    if missing:
        errors.append((0, f"missing column(s): {', '.join(missing)}"))
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        errors.append((0, f"column(s) named twice: {', '.join(repeated)}"))
    return errors


def duplicate_errors(dataset: tablib.Dataset, table: str) -> list[tuple[int, str]]:
    """Rows describing the same record twice: the later one is an error naming the first."""
    seen: dict[tuple, int] = {}
    errors = []
    for number, row in enumerate(dataset.dict, start=1):
        keys = _identity(row, table)
        for key in keys:
            if key in seen:
                errors.append((number, f"duplicate of row {seen[key]} ({key[0]})"))
                break
        for key in keys:
            seen.setdefault(key, number)
    return errors


def _identity(row: dict, table: str) -> list[tuple]:
    def text(name):
        return str(row.get(name) or "").strip().lower()

    if table == "authorisations":
        return [("same facility, kind and number", text("facility"), text("kind"), text("reference_number"))]
    keys = [("same name, city and country", text("name"), text("city"), text("country"))]
    if text("slug"):
        keys.insert(0, ("same slug", text("slug")))
    return keys


def _subset(dataset: tablib.Dataset, numbers) -> tablib.Dataset:
    subset = tablib.Dataset(headers=dataset.headers)
    for number in numbers:
        subset.append(dataset[number - 1])
    return subset


def _row_errors(result, offset: int) -> list[tuple[int, str]]:
    errors = []
    for number, row_errors in result.row_errors():
        errors += [(offset + number, str(error.error)) for error in row_errors]
    for invalid in result.invalid_rows:
        for field_name, messages in invalid.error_dict.items():
            errors += [(offset + invalid.number, f"{field_name}: {message}") for message in messages]
    return errors


def _import(resource, dataset, *, dry_run: bool, user):
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )


def facilities_import(
    *,
    dataset: tablib.Dataset,
    dry_run: bool,
    table: str = "facilities",
    skip_invalid: bool = False,
    user=None,
    progress: Callable[[float], None] | None = None,
) -> ImportReport:
    """Check every row, then write every row or none (skip_invalid: only the valid rows)."""
    report = ImportReport(dry_run=dry_run)
    report.errors = column_errors(dataset, table)
    if report.errors:
        return report
    report.errors = duplicate_errors(dataset, table)
    resource = resource_for(table)
    chunk = settings.FACILITIES_IMPORT_CHUNK_ROWS
    # Pass 1: validate in chunks (each a rolled-back dry run), reporting progress between them.
    for start in range(0, len(dataset), chunk):
        numbers = range(start + 1, min(start + chunk, len(dataset)) + 1)
        report.errors += _row_errors(
            _import(resource_for(table), _subset(dataset, numbers), dry_run=True, user=user), start
        )
        if progress:
            progress(0.8 * numbers[-1] / len(dataset))
    report.errors.sort()
    bad = sorted({number for number, _ in report.errors if number})
    if bad and not skip_invalid:
        return report
    report.skipped_rows = bad
    valid = [n for n in range(1, len(dataset) + 1) if n not in set(bad)]
    # Pass 2: write the rows in one transaction; anything failing now rolls everything back.
    result = _import(resource, _subset(dataset, valid), dry_run=dry_run, user=user)
    late = _row_errors(result, 0)
    if late:
        report.errors += sorted((valid[n - 1], message) for n, message in late)
        report.skipped_rows = []
        return report
    report.totals = dict(result.totals)
    report.written = not dry_run
    if progress:
        progress(1.0)
    return report


# --- The downloadable template -------------------------------------------------------------
EXAMPLE_ROW = {
    "name": "Example Cell Therapy Unit",
    "institution": "Example University Hospital",
    "institution_type": "university_hospital",
    "city": "Vienna",
    "country": "AT",
    "latitude": "48.2082",
    "longitude": "16.3738",
    "atmp_types": "car_t; sctmp",
    "activities": "cell_processing; qc_testing",
    "services_to_third_parties": "yes",
    "status": "draft",
    "offer_services": "gmp_manufacturing; qc_release_testing",
    "offer_atmp_categories": "car_t",
    "offer_process_types": "car_t_expansion; closed_automated",
    "offer_scales": "phase_1; phase_2",
    "offer_batches_per_year": "12",
    "offer_lead_time_months": "6",
    "offer_takes_academic": "yes",
    "offer_languages": "German, English",
}


def template_dataset() -> tablib.Dataset:
    """The facilities layout: every import column, and one example row (a draft, so it shows nowhere)."""
    columns = import_columns("facilities")
    dataset = tablib.Dataset(headers=columns, title="facilities")
    dataset.append(safe_row(EXAMPLE_ROW.get(name, "") for name in columns))
    return dataset


def columns_dataset() -> tablib.Dataset:
    """The second sheet of the XLSX template: each column, whether it is required, and its format."""
    from .resources import COLUMN_HELP

    dataset = tablib.Dataset(headers=["column", "required", "format"], title="columns")
    for name in import_columns("facilities"):
        required = "yes" if name in REQUIRED["facilities"] else "no"
        dataset.append(safe_row([name, required, COLUMN_HELP.get(name, "text")]))
    return dataset
