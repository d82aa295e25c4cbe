"""The one escaper for every cell the portal writes into a CSV or XLSX file.

A spreadsheet runs a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(OWASP "CSV injection": ``=cmd|' /C calc'!A0`` starts a program); a leading tab or carriage
return hides such a start from a quick look and some programs strip it before parsing. Every
such text gets a leading apostrophe, which spreadsheets show as plain text. Numbers, dates and
booleans are written as they are (a negative number is data, not a formula); only text is escaped.

Readers of our own files undo it with :func:`restore_formula_text`, so an export imports back
unchanged.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# Characters that make a spreadsheet treat the rest of the cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_KEPT_TYPES = (bool, int, float, Decimal, dt.date, dt.datetime, dt.time)


def neutralise_formula(value) -> str:
    """``value`` as text that no spreadsheet runs: None becomes "", a formula-like start gets an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value):
    """A cell value for a writer that keeps types (openpyxl, csv): numbers, dates and booleans as they are,
    None as None, text through :func:`neutralise_formula`."""
    if value is None or isinstance(value, _KEPT_TYPES):
        return value
    return neutralise_formula(value)


def safe_row(values) -> list:
    """One row of cells through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]


def restore_formula_text(value):
    """Undo :func:`neutralise_formula` on a value read back from one of our exports."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
        return value[1:]
    return value
