"""Write a product as a cover-sheet workbook in the JOIN4ATMP template layout.

Rows follow the template; a trial is written in the column it was read from
(``Trial.column_index`` 0 = column B); notes go back beside their value, and
values under labels the template does not know go at the end of their section.
Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .catalogue import CATALOGUE, COVER, REGULATORY, REVIEW, SECTION_TITLES, WP1
from .reader import FORMULA_STARTS

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


def neutralise(value) -> str:
    """Formula-injection guard (OWASP): a leading = + - @ tab or CR becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _sheet_title(product) -> str:
    title = _INVALID_TITLE.sub("", product.sheet_name or "").strip()[:31]
    return title or "Sheet1"


def product_workbook(product, *, include_personal: bool) -> Workbook:
    """The workbook for one product; personal rows (PI, e-mails) stay empty unless allowed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(product)
    cells = list(product.sheet_cells.all())
    notes: dict[tuple[str, str], dict[int, str]] = {}
    unknown: dict[str, dict[str, dict[int, str]]] = {}
    for cell in sorted(cells, key=lambda c: c.pk or 0):
        template_row = CATALOGUE.match(cell.section, cell.label)
        if cell.kind == cell.Kind.NOTE and template_row is not None:
            notes.setdefault((cell.section, template_row.field), {})[cell.column] = cell.value
        else:
            unknown.setdefault(cell.section, {}).setdefault(cell.label, {})[cell.column] = cell.value
    trials = list(product.trials.all())
    number = 0

    def put(label: str, values: dict[int, str], *, header: bool = False) -> None:
        nonlocal number
        number += 1
        sheet.cell(row=number, column=1, value=neutralise(label))
        for column, value in sorted(values.items()):
            if value not in (None, ""):
                sheet.cell(row=number, column=column, value=neutralise(value)).alignment = Alignment(wrap_text=True)
        if header:
            sheet.cell(row=number, column=1).font = Font(bold=True)
            sheet.cell(row=number, column=1).fill = _HEADER_FILL

    for section in (COVER, REGULATORY, WP1, REVIEW):
        put(SECTION_TITLES[section], {}, header=True)
        for template_row in CATALOGUE.section_rows(section):
            values = dict(notes.get((section, template_row.field), {}))
            if template_row.personal and not include_personal:
                values = {}
            elif section == REGULATORY:
                for trial in trials:
                    values[trial.column_index + 2] = getattr(trial, template_row.field)
            else:
                values[2] = getattr(product, template_row.field)
            if not template_row.template and not any(values.values()):
                continue  # rows of the old template only come back when they held something
            put(template_row.label, values)
        for label, values in unknown.get(section, {}).items():
            put(label, values)
    sheet.column_dimensions["A"].width = 60
    for column in range(2, max(2, sheet.max_column) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_sheets_to_dir(products, out_dir: Path, *, include_personal: bool = True) -> list[Path]:
    """Write one .xlsx per product into ``out_dir`` (the export_cover_sheets command)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for product in products.prefetch_related("trials", "sheet_cells"):
        path = out_dir / f"{product.slug or 'product'}.xlsx"
        path.write_bytes(workbook_bytes(product_workbook(product, include_personal=include_personal)))
        written.append(path)
    return written
