"""Read one cover-sheet workbook into rows with their section and matched template row.

Nothing here touches the database: ``read_workbook`` returns a ``ParsedSheet``
whose messages name the row, label and column of every problem, so the importer
can refuse the whole file before writing anything.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from django.conf import settings
from openpyxl.utils import get_column_letter

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


# Row kinds: a labelled row, a section header holding values, values in a row without a label.
LABELLED = "labelled"
HEADER = "header"
UNLABELLED = "unlabelled"


@dataclass
class SheetRow:
    number: int  # 1-based row in the sheet
    section: str
    label: str  # column A as written ("" in an unlabelled row)
    template_row: Row | None  # None: a label the catalogue does not know
    cells: dict[int, str]  # 1-based column (>= 2) -> text, non-empty only
    kind: str = LABELLED
    # Where the row belongs: an unlabelled row is the n-th (offset) after the labelled row or
    # header ``anchor``; a repeated label is its n-th repetition. 0 for an ordinary row.
    anchor: str = ""
    offset: int = 0
    links: dict[int, str] = field(default_factory=dict)  # column -> hyperlink target

    @property
    def position(self) -> tuple[str, str, int]:
        if self.kind == UNLABELLED:
            return unlabelled_position(self.section, self.anchor, self.offset)
        return position_key(self.section, self.label, self.offset)


def position_key(section: str, label: str, offset: int = 0) -> tuple[str, str, int]:
    """Where a row sits, independent of how its label is spelt: (section, row identity, offset).

    The identity is the template field for a template row, "§header" for a section
    header, otherwise the label's key; ``offset`` counts repetitions of the label.
    Reader and writer both use it, so a note goes back to the row it came from.
    """
    from .catalogue import label_key

    if CATALOGUE.section_of(label) is not None:
        return (section, "§header", offset)
    row = CATALOGUE.match(section, label)
    return (section, f"={row.field}" if row else label_key(label), offset)


def unlabelled_position(section: str, anchor: str, offset: int) -> tuple[str, str, int]:
    """The ``offset``-th row without a label after the row labelled ``anchor``."""
    anchor_section, identity, _ = position_key(section, anchor) if anchor else (section, "", 0)
    return (anchor_section, f"after {identity}", offset)


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
            (
                r
                for r in self.rows
                if r.template_row and not r.offset and r.section == section and r.template_row.field == field_name
            ),
            None,
        )

    def trial_columns(self) -> list[int]:
        """Columns of the regulatory section that hold a trial.

        A column is a trial when its study ID, title, phase or status is filled, or
        when it is column B. Other cells there (a source URL in column D beside one
        trial's value) are notes, as in the other sections.
        """
        trial_rows = [r for r in self.rows if r.section == REGULATORY and r.template_row and not r.offset]
        columns = {2} if any(r.cells.get(2) for r in trial_rows) else set()
        for r in trial_rows:
            if r.template_row.field in TRIAL_KEY_FIELDS:
                columns.update(r.cells)
        return sorted(columns)

    def non_empty_cells(self) -> dict[tuple, str]:
        """(section, row identity, offset, column) -> value: what the round trip must reproduce."""
        return {(*r.position, column): value for r in self.rows for column, value in r.cells.items()}

    def hyperlinks(self) -> dict[tuple, str]:
        """(section, row identity, offset, column) -> link target: kept in place by the round trip too."""
        return {(*r.position, column): target for r in self.rows for column, target in r.links.items()}


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
    limit = settings.TRIALS_SHEET_MAX_BYTES
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
    limit = settings.TRIALS_SHEET_MAX_UNPACKED_BYTES
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
        # defusedxml is installed, so openpyxl parses the XML with it (no entity expansion). Not read-only:
        # only a fully loaded sheet has its hyperlinks; formulas come with their text, the cached values below.
        workbook = openpyxl.load_workbook(io.BytesIO(data))
    except ValueError as exc:
        parsed.add(ERROR, str(exc))
        return parsed
    except Exception as exc:  # openpyxl raises many kinds on a damaged file; all mean the same to a user
        parsed.add(ERROR, f"The workbook could not be read ({type(exc).__name__}: {str(exc)[:200]}).")
        return parsed
    try:
        _read_first_sheet(workbook, parsed, lambda: _cached_values(data))
    except Exception as exc:
        parsed.add(ERROR, f"The workbook could not be read ({type(exc).__name__}: {str(exc)[:200]}).")
    finally:
        workbook.close()
    return parsed


def _cached_values(data: bytes) -> dict[tuple[int, int], object]:
    """The values a spreadsheet program stored for the formula cells, when it did: {(row, column): value}."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return {
            (r, c): value
            for r, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            for c, value in enumerate(row, start=1)
            if value is not None
        }
    finally:
        workbook.close()


_HYPERLINK_FORMULA = re.compile(r'^=\s*HYPERLINK\(\s*"([^"]*)"\s*(?:[,;]\s*"([^"]*)"\s*)?\)\s*$', re.I)


def _cell(cell, cached, parsed: ParsedSheet, number: int) -> tuple[str, str]:
    """(text, link target) of one cell; a formula keeps its stored value or, without one, its text."""
    hyperlink = getattr(cell, "hyperlink", None)  # merged cells have none
    link = (hyperlink.target or "") if hyperlink is not None else ""
    if cell.data_type != "f":
        return cell_text(cell.value), link
    formula = str(cell.value)
    stored = cached().get((number, cell.column))
    match = _HYPERLINK_FORMULA.match(formula)
    if match:
        link = link or match.group(1)
        text = cell_text(stored) if stored is not None else (match.group(2) or match.group(1))
        parsed.add(WARNING, f"A HYPERLINK formula: kept as the text “{text}” linking to {link}.", row=number,
                   column=cell.column)  # fmt: skip
        return text, link
    if stored is not None:
        parsed.add(WARNING, f"A formula ({formula[:60]}): its stored value is kept.", row=number, column=cell.column)
        return cell_text(stored), link
    parsed.add(WARNING, "A formula without a stored value: its text is kept.", row=number, column=cell.column)
    return formula, link


def _read_first_sheet(workbook, parsed: ParsedSheet, cached) -> None:
    if not workbook.worksheets:
        parsed.add(ERROR, "The workbook has no worksheet.")
        return
    sheet = workbook.worksheets[0]
    parsed.sheet_title = sheet.title
    for other in workbook.worksheets[1:]:
        if any(v not in (None, "") for row in other.iter_rows(values_only=True) for v in row):
            parsed.add(WARNING, f"Worksheet “{other.title}” was not read: only the first worksheet is a cover sheet.")
    cached = functools.cache(cached)
    state = _RowState()
    filled = 0
    # Real sheets carry formatting far below their last value, so empty rows are read but not counted;
    # the unpacked-size check above bounds how many there can be.
    for number, row in enumerate(sheet.iter_rows(), start=1):
        texts, links = {}, {}
        for cell in row:
            text, link = _cell(cell, cached, parsed, number)
            if text:
                texts[cell.column] = text
            if link:
                links[cell.column] = link
        filled += bool(texts)
        if filled > settings.TRIALS_SHEET_MAX_ROWS:
            parsed.add(
                ERROR,
                f"The sheet has more than {settings.TRIALS_SHEET_MAX_ROWS} filled rows; that is not a cover sheet.",
            )
            return
        cells = {c: t for c, t in texts.items() if c >= 2}
        if cells and max(cells) > settings.TRIALS_SHEET_MAX_COLUMNS:
            parsed.add(ERROR, f"Values beyond column {settings.TRIALS_SHEET_MAX_COLUMNS}.", row=number)
            return
        links = {c: t for c, t in links.items() if c in texts}
        state.read(parsed, number, texts.get(1, ""), cells, links)


@dataclass
class _RowState:
    """The section a row is in and the last labelled row, which an unlabelled row is tied to."""

    section: str = COVER
    anchor: str = ""
    unlabelled: int = 0
    seen: dict[tuple[str, str], int] = field(default_factory=dict)

    def read(self, parsed: ParsedSheet, number: int, label: str, cells: dict, links: dict) -> None:
        where = {"row": number}
        if not label:
            if not cells:
                return
            self.unlabelled += 1
            parsed.add(WARNING, "Values in a row without a label: kept as a note tied to the row above.", **where)
            parsed.rows.append(
                SheetRow(number, self.section, "", None, cells, UNLABELLED, self.anchor, self.unlabelled, links)
            )
            return
        self.anchor, self.unlabelled = label, 0
        new_section = CATALOGUE.section_of(label)
        if new_section is not None:
            self.section = new_section
            if cells or links:
                parsed.add(WARNING, "A value beside the section header: kept as a note.", label=label, **where)
                parsed.rows.append(SheetRow(number, self.section, label, None, cells, HEADER, links=links))
            return
        template_row = CATALOGUE.match(self.section, label)
        key = (self.section, template_row.field if template_row else label.strip().lower())
        repeat = self.seen.get(key)
        self.seen.setdefault(key, number)
        if repeat is not None:
            offset = sum(1 for r in parsed.rows if r.section == self.section and r.label == label and r.offset) + 1
            parsed.add(
                WARNING,
                f"This label appears twice in section “{SECTION_TITLES[self.section]}” (also row {repeat}): "
                "the second row is kept as notes.",
                label=label,
                **where,
            )
            parsed.rows.append(SheetRow(number, self.section, label, None, cells, LABELLED, offset=offset, links=links))
            return
        if template_row is None:
            parsed.add(
                WARNING,
                f"Unknown label in section “{SECTION_TITLES[self.section]}”: its values are kept as they are "
                "and written back on export.",
                label=label,
                **where,
            )
        parsed.rows.append(SheetRow(number, self.section, label, template_row, cells, links=links))
