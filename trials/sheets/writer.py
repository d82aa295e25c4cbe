"""Write a product as a cover-sheet workbook in the JOIN4ATMP template layout.

Rows follow the template; a trial is written in the column it was read from
(``Trial.column_index`` 0 = column B); notes go back beside their value, and
values under labels the template does not know go at the end of their section.
Text that a spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .catalogue import CATALOGUE, COVER, REGULATORY, REVIEW, SECTION_TITLES, WP1
from .reader import FORMULA_STARTS, position_key, unlabelled_position

_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_INVALID_TITLE = re.compile(r"[\[\]:*?/\\]")


def neutralise(value) -> str:
    """Formula-injection guard (OWASP): a leading = + - @ tab or CR becomes text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _sheet_title(product) -> str:
    title = _INVALID_TITLE.sub("", product.sheet_name or "").strip()[:31]
    return title or "Sheet1"


@dataclass
class _KeptCells:
    """A product's SheetCells sorted by where they go back."""

    notes: dict[tuple[str, str], dict[int, str]] = field(default_factory=dict)  # (section, field) -> cells
    headers: dict[str, dict[int, str]] = field(default_factory=dict)  # section -> cells
    extra_rows: dict[str, dict[tuple[str, int], dict[int, str]]] = field(default_factory=dict)
    unlabelled: dict[tuple, dict[int, str]] = field(default_factory=dict)  # position -> cells
    links: dict[tuple, str] = field(default_factory=dict)  # (*position, column) -> target

    @classmethod
    def of(cls, product) -> _KeptCells:
        kept = cls()
        kinds = product.sheet_cells.model.Kind
        for cell in sorted(product.sheet_cells.all(), key=lambda c: (c.offset, c.pk or 0)):
            template_row = CATALOGUE.match(cell.section, cell.label)
            if cell.kind == kinds.LINK:
                kept.links[(*position_key(cell.section, cell.label, cell.offset), cell.column)] = cell.value
            elif cell.kind == kinds.LINK_AFTER:
                kept.links[(*unlabelled_position(cell.section, cell.label, cell.offset), cell.column)] = cell.value
            elif cell.kind == kinds.HEADER:
                kept.headers.setdefault(cell.section, {})[cell.column] = cell.value
            elif cell.kind == kinds.UNLABELLED:
                where = unlabelled_position(cell.section, cell.label, cell.offset)
                kept.unlabelled.setdefault(where, {})[cell.column] = cell.value
            elif cell.kind == kinds.NOTE and template_row is not None and not cell.offset:
                kept.notes.setdefault((cell.section, template_row.field), {})[cell.column] = cell.value
            else:
                rows = kept.extra_rows.setdefault(cell.section, {})
                rows.setdefault((cell.label, cell.offset), {})[cell.column] = cell.value
        return kept


def product_workbook(product, *, include_personal: bool) -> Workbook:
    """The workbook for one product; personal rows (PI, e-mails) stay empty unless allowed."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(product)
    kept = _KeptCells.of(product)
    trials = list(product.trials.all())
    rows_at: dict[tuple, int] = {}
    number = 0

    def put(label: str, values: dict[int, str], position: tuple, *, header: bool = False) -> None:
        nonlocal number
        number += 1
        rows_at[position] = number
        if label:
            sheet.cell(row=number, column=1, value=neutralise(label))
        for column, value in sorted(values.items()):
            if value not in (None, ""):
                sheet.cell(row=number, column=column, value=neutralise(value)).alignment = Alignment(wrap_text=True)
        if header:
            sheet.cell(row=number, column=1).font = Font(bold=True)
            sheet.cell(row=number, column=1).fill = _HEADER_FILL
        if not position[1].startswith("after "):
            after = (position[0], f"after {position[1]}")
            for offset in sorted(o for (sec, ident, o) in kept.unlabelled if (sec, ident) == after):
                put("", kept.unlabelled[(*after, offset)], (*after, offset))

    for (section, identity, offset), values in sorted(kept.unlabelled.items()):
        if identity == "after ":  # rows above the first header
            put("", values, (section, identity, offset))
    for section in (COVER, REGULATORY, WP1, REVIEW):
        put(SECTION_TITLES[section], kept.headers.get(section, {}), (section, "§header", 0), header=True)
        for template_row in CATALOGUE.section_rows(section):
            position = (section, f"={template_row.field}", 0)
            values = dict(kept.notes.get((section, template_row.field), {}))
            if template_row.personal and not include_personal:
                values = {}
            elif section == REGULATORY:
                for trial in trials:
                    values[trial.column_index + 2] = getattr(trial, template_row.field)
            else:
                values[2] = getattr(product, template_row.field)
            anchored = any(key[:2] == (section, f"after ={template_row.field}") for key in kept.unlabelled)
            if not template_row.template and not any(values.values()) and not anchored:
                continue  # rows of the old template only come back when they held something
            put(template_row.label, values, position)
        for (label, offset), values in kept.extra_rows.get(section, {}).items():
            put(label, values, position_key(section, label, offset))
    for (*position, column), target in kept.links.items():
        if tuple(position) in rows_at:
            sheet.cell(row=rows_at[tuple(position)], column=column).hyperlink = target
    sheet.column_dimensions["A"].width = 60
    for column in range(2, max(2, sheet.max_column) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 40
    return workbook


def blank_template() -> Workbook:
    """The current template, empty: every section header and row label of the catalogue, in order."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "ATMP cover sheet"
    number = 0
    for section in (COVER, REGULATORY, WP1, REVIEW):
        number += 1
        header = sheet.cell(row=number, column=1, value=SECTION_TITLES[section])
        header.font, header.fill = Font(bold=True), _HEADER_FILL
        for template_row in CATALOGUE.section_rows(section):
            if template_row.template:
                number += 1
                sheet.cell(row=number, column=1, value=template_row.label).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 40
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
