"""Export products and trials: cover-sheet workbooks, a zip of them, and one flat trial table.

Personal data (PI names, e-mail addresses) is written only for users that
``can_see_personal_data`` allows; every cell is guarded against formula injection.
"""

from __future__ import annotations

import csv
import io
import zipfile

from django.db.models import Prefetch
from openpyxl import Workbook

from platform_site.permissions import can_see_personal_data
from platform_site.spreadsheets import neutralise_formula

from .models import Product, Trial
from .sheets.writer import product_workbook, workbook_bytes

EXPORT_CHUNK_SIZE = 2000


def products_for_export(queryset):
    """Everything a sheet needs, in a fixed number of queries."""
    return queryset.prefetch_related(
        Prefetch("trials", queryset=Trial.objects.order_by("column_index")),
        "sheet_cells",
    )


def product_sheet_filename(product: Product) -> str:
    return f"{product.slug or 'product'}.xlsx"


def product_sheet_bytes(product: Product, *, user=None, include_personal: bool | None = None) -> bytes:
    """One product as an .xlsx in the template layout."""
    if include_personal is None:
        include_personal = user is not None and can_see_personal_data(user)
    return workbook_bytes(product_workbook(product, include_personal=include_personal))


def sheets_zip_bytes(products, *, user=None, include_personal: bool | None = None) -> bytes:
    """A zip with one cover sheet per product."""
    if include_personal is None:
        include_personal = user is not None and can_see_personal_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for product in products_for_export(products):
            data = workbook_bytes(product_workbook(product, include_personal=include_personal))
            archive.writestr(product_sheet_filename(product), data)
    return buffer.getvalue()


# --- One flat table of trials ----------------------------------------------------------
PUBLIC_COLUMNS: list[tuple[str, object]] = [
    ("Product", lambda t: t.product.name),
    ("Type of ATMP", lambda t: t.product.get_atmp_type_display() if t.product.atmp_type else ""),
    ("Type of ATMP (sheet text)", lambda t: t.product.atmp_type_text),
    ("Country of origin", lambda t: t.product.country_of_origin_text),
    ("Cell source", lambda t: t.product.cell_source_text),
    ("Cell type", lambda t: t.product.cell_type),
    ("Route of administration", lambda t: t.product.route_of_administration),
    ("Disease / indication", lambda t: t.product.disease_text),
    ("Patient cohort", lambda t: t.product.patient_cohort_text),
    (
        "Patient classification",
        lambda t: t.product.get_patient_classification_display() if t.product.patient_classification else "",
    ),
    ("Target", lambda t: t.product.target_text),
    ("Mode of gene transfer", lambda t: t.product.gene_transfer_mode_text),
    ("Study ID", lambda t: t.primary_identifier),
    ("All registry IDs", lambda t: " ".join(i.value for i in t.identifiers.all())),
    ("Study ID (sheet text)", lambda t: t.registry_id_text),
    ("Study title", lambda t: t.title),
    ("Phase", lambda t: t.get_phase_display() if t.phase else ""),
    ("Phase (sheet text)", lambda t: t.phase_text),
    ("Trial status", lambda t: t.get_status_display() if t.status else ""),
    ("Status as of", lambda t: t.status_as_of.isoformat() if t.status_as_of else ""),
    ("Sponsor", lambda t: t.sponsor),
    ("Type of sponsor", lambda t: t.get_sponsor_type_display() if t.sponsor_type else ""),
    ("Lead study centre", lambda t: t.lead_study_centre),
    ("Centre", lambda t: t.get_centre_type_display() if t.centre_type else ""),
    ("Countries", lambda t: " ".join(c.code for c in t.countries.all())),
    ("Countries (sheet text)", lambda t: t.countries_text),
    ("Funding", lambda t: t.funding),
    ("Patent holder", lambda t: t.patent_holder),
    ("Mechanism known", lambda t: _yes_no(t.mechanism_known)),
    ("First in human", lambda t: _yes_no(t.first_in_human)),
    ("Start year", lambda t: t.start_year or ""),
    ("Curation status", lambda t: t.product.get_curation_status_display()),
]
PERSONAL_COLUMNS: list[tuple[str, object]] = [
    ("PI", lambda t: t.principal_investigator),
    ("Lead clinical", lambda t: t.lead_clinical),
    ("Lead pre-clinical", lambda t: t.lead_preclinical),
    ("Lead manufacturing", lambda t: t.lead_manufacturing),
    ("E-mail of PI", lambda t: t.pi_email),
    ("E-mail of sponsor", lambda t: t.sponsor_email),
]


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


def trials_for_export(queryset):
    """Rows in a fixed number of queries per chunk, however many trials there are."""
    return (
        queryset.select_related("product")
        .prefetch_related("identifiers", "countries")
        .iterator(chunk_size=EXPORT_CHUNK_SIZE)
    )


def trial_table(trials, *, user=None, include_personal: bool | None = None):
    """(header, rows) for the flat table; rows are lists of neutralised strings."""
    if include_personal is None:
        include_personal = user is not None and can_see_personal_data(user)
    columns = PUBLIC_COLUMNS + (PERSONAL_COLUMNS if include_personal else [])
    header = [name for name, _ in columns]
    rows = ([neutralise_formula(get(t)) for _, get in columns] for t in trials_for_export(trials))
    return header, rows


def trials_csv_bytes(trials, **kwargs) -> bytes:
    header, rows = trial_table(trials, **kwargs)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    # UTF-8 with BOM so spreadsheet programs read accents right.
    return buffer.getvalue().encode("utf-8-sig")


class _Echo:
    """A file-like object whose write() returns the text, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def iter_trials_csv(trials, **kwargs):
    """The flat table as CSV chunks (bytes), for a streaming response: 100,000 trials never sit in memory."""
    header, rows = trial_table(trials, **kwargs)
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(header).encode()
    for row in rows:
        yield writer.writerow(row).encode()


def trials_xlsx_bytes(trials, **kwargs) -> bytes:
    header, rows = trial_table(trials, **kwargs)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Trials")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
