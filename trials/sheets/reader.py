"""Read one cover-sheet workbook into rows with their section and matched template row.

Nothing here touches the database: ``read_workbook`` returns a ``ParsedSheet``
whose messages name the row, label and column of every problem, so the importer
can refuse the whole file before writing anything.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from trials import conf

from .catalogue import CATALOGUE, COVER, REGULATORY, SECTION_TITLES, Row

ERROR = "error"
WARNING = "warning"
INFO = "info"

# Export prefixes these with an apostrophe so a spreadsheet never runs them as a formula;
# the reader takes the apostrophe off again, so the round trip is lossless.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Rows whose value makes a regulatory column a trial of its own.
TRIAL_KEY_FIELDS = {"registry_id_text", "title", "phase_text", "status_text"}


@dataclass
class SheetMessage:
    level: str
    text: str
    row: int | None = None
    label: str = ""
    column: int | None = None

    @property
    def where(self) -> str:
        parts = []
        if self.row:
            parts.append(f"row {self.row}")
        if self.label:
            parts.append(f"“{self.label.strip()[:80]}”")
        if self.column:
            parts.append(f"column {get_column_letter(self.column)}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where}: {self.text}" if self.where else self.text


@dataclass
class SheetRow:
    number: int  # 1-based row in the sheet
    section: str
    label: str  # column A as written
    template_row: Row | None  # None: a label the catalogue does not know
    cells: dict[int, str]  # 1-based column (>= 2) -> text, non-empty only


@dataclass
class ParsedSheet:
    file_name: str
    sheet_title: str = ""
    rows: list[SheetRow] = field(default_factory=list)
    messages: list[SheetMessage] = field(default_factory=list)

    @property
    def errors(self) -> list[SheetMessage]:
        return [m for m in self.messages if m.level == ERROR]

    def add(self, level: str, text: str, **where) -> None:
        self.messages.append(SheetMessage(level, text, **where))

    def row_for(self, section: str, field_name: str) -> SheetRow | None:
        return next(
            (r for r in self.rows if r.template_row and r.section == section and r.template_row.field == field_name),
            None,
        )

    def value(self, section: str, field_name: str) -> str:
        row = self.row_for(section, field_name)
        return row.cells.get(2, "") if row else ""

    def trial_columns(self) -> list[int]:
        """Columns of the regulatory section that hold a trial.

        A column is a trial when its study ID, title, phase or status is filled, or
        when it is column B. Other cells there (a source URL in column D beside one
        trial's value) are notes, as in the other sections.
        """
        columns = {2} if any(r.cells.get(2) for r in self.rows if r.section == REGULATORY) else set()
        for r in self.rows:
            if r.section == REGULATORY and r.template_row and r.template_row.field in TRIAL_KEY_FIELDS:
                columns.update(r.cells)
        return sorted(columns)

    def non_empty_cells(self) -> dict[tuple[str, str, int], str]:
        """(section, label key, column) -> value: what the round trip must reproduce."""
        from .catalogue import label_key

        cells = {}
        for r in self.rows:
            for column, value in r.cells.items():
                cells[(r.section, label_key(r.label), column)] = value
        return cells


def cell_text(value) -> str:
    """A cell as the text the sheet shows; numbers without a spurious ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _read_bytes(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    limit = conf.sheet_max_bytes()
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"The file is larger than {limit // (1024 * 1024)} MB.")
    return data


def _check_container(data: bytes) -> None:
    """An .xlsx is a zip with a workbook part; refuse anything else before openpyxl sees it."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError("This is not an Excel workbook (.xlsx). Save the sheet as .xlsx and upload it again.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ValueError(f"The workbook is damaged ({exc}).") from exc
    if "xl/workbook.xml" not in names:
        raise ValueError("This zip file is not an Excel workbook (.xlsx): it has no xl/workbook.xml.")
    limit = conf.sheet_max_unpacked_bytes()
    if unpacked > limit:
        raise ValueError(f"The workbook unpacks to more than {limit // (1024 * 1024)} MB; that is not a cover sheet.")


def read_workbook(file, *, name: str = "") -> ParsedSheet:
    """Parse the first worksheet of a cover-sheet workbook (a path-like, bytes or a file object)."""
    if isinstance(file, (str, Path)):
        with open(file, "rb") as handle:
            return read_workbook(handle, name=name or str(file))
    name = name or getattr(file, "name", "") or "workbook"
    parsed = ParsedSheet(file_name=str(name))
    try:
        data = file if isinstance(file, bytes) else _read_bytes(file)
        _check_container(data)
        # defusedxml is installed, so openpyxl parses the XML with it (no entity expansion).
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValueError as exc:
        parsed.add(ERROR, str(exc))
        return parsed
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        parsed.add(ERROR, f"The workbook could not be read ({type(exc).__name__}: {str(exc)[:200]}).")
        return parsed
    try:
        _read_first_sheet(workbook, parsed)
    except Exception as exc:
        parsed.add(ERROR, f"The workbook could not be read ({type(exc).__name__}: {str(exc)[:200]}).")
    finally:
        workbook.close()
    return parsed


def _read_first_sheet(workbook, parsed: ParsedSheet) -> None:
    if not workbook.worksheets:
        parsed.add(ERROR, "The workbook has no worksheet.")
        return
    sheet = workbook.worksheets[0]
    parsed.sheet_title = sheet.title
    for other in workbook.worksheets[1:]:
        if any(v not in (None, "") for row in other.iter_rows(values_only=True) for v in row):
            parsed.add(WARNING, f"Worksheet “{other.title}” was not read: only the first worksheet is a cover sheet.")
    section = COVER
    seen: dict[tuple[str, str], int] = {}
    filled = 0
    # Real sheets carry formatting far below their last value, so empty rows are read but not counted;
    # the unpacked-size check above bounds how many there can be.
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = [cell_text(v) for v in values]
        filled += any(texts)
        if filled > conf.SHEET_MAX_ROWS:
            parsed.add(ERROR, f"The sheet has more than {conf.SHEET_MAX_ROWS} filled rows; that is not a cover sheet.")
            return
        label = texts[0] if texts else ""
        cells = {i: t for i, t in enumerate(texts[1:], start=2) if t}
        if cells and max(cells) > conf.SHEET_MAX_COLUMNS:
            parsed.add(ERROR, f"Values beyond column {conf.SHEET_MAX_COLUMNS}.", row=number)
            return
        if not label:
            if cells:
                parsed.add(ERROR, "Values in a row without a label in column A: add the label.", row=number)
            continue
        new_section = CATALOGUE.section_of(label)
        if new_section is not None:
            section = new_section
            for column in cells:
                parsed.add(ERROR, "A section header row holds a value.", row=number, label=label, column=column)
            continue
        template_row = CATALOGUE.match(section, label)
        key = (section, template_row.field if template_row else label.strip().lower())
        if key in seen:
            parsed.add(
                ERROR,
                f"This label appears twice in section “{SECTION_TITLES[section]}” (also row {seen[key]}).",
                row=number,
                label=label,
            )
            continue
        seen[key] = number
        if template_row is None:
            parsed.add(
                WARNING,
                f"Unknown label in section “{SECTION_TITLES[section]}”: its values are kept as they are "
                "and written back on export.",
                row=number,
                label=label,
            )
        parsed.rows.append(SheetRow(number, section, label, template_row, cells))
