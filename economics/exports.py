"""CSV and XLSX exports of an evaluation, and importing one back from its export.

Inputs are written as (path, value) rows, e.g. "phases.0.cost_eur", so a file
round-trips through a spreadsheet; the yearly table follows for reading only.
"""

from __future__ import annotations

import csv
import io
import json

from platform_site.spreadsheets import restore_formula_text, safe_row
from platform_site.uploads import XLSX, UploadRejected, check_nesting, check_upload, open_workbook, read_csv_rows

from .engine import InputError

INPUT_HEADER = ("input", "value")
TABLE_COLUMNS = (
    "year",
    "stage",
    "development_cost_eur",
    "manufacturing_setup_eur",
    "revenue_eur",
    "cogs_eur",
    "operating_cost_eur",
    "tax_eur",
    "net_cash_flow_eur",
    "risk_adjusted_cash_flow_eur",
    "discount_factor",
    "present_value_eur",
    "risk_adjusted_present_value_eur",
)
SUMMARY = (
    "npv_eur",
    "rnpv_eur",
    "probability_of_launch",
    "peak_sales_eur",
    "expected_peak_sales_eur",
    "payback_year",
    "break_even_price_eur",
)
# An export has ~100 input rows, 7 results and one row per year; these bound what an import reads.
IMPORT_MAX_ROWS = 5000
IMPORT_MAX_COLUMNS = len(TABLE_COLUMNS) + 5


def flatten(value, prefix="") -> list[tuple[str, object]]:
    if isinstance(value, dict):
        return [row for k, v in value.items() for row in flatten(v, f"{prefix}{k}.")]
    if isinstance(value, list):
        return [row for i, v in enumerate(value) for row in flatten(v, f"{prefix}{i}.")]
    return [(prefix[:-1], value)]


def unflatten(rows) -> dict:
    """The nested inputs from (dotted path, value) rows; InputError on a path too deep or that clashes."""
    root: dict = {}
    for path, raw in rows:
        try:
            parts = check_nesting(path)
        except UploadRejected as rejected:
            raise InputError({"file": [rejected.message]}) from None
        node = root
        for part, following in zip(parts, parts[1:] + [None], strict=True):
            key = int(part) if part.isdigit() else part
            if not isinstance(node, dict):
                raise InputError({"file": [f"“{path}” clashes with another input row (a value cannot have parts)."]})
            if following is None:
                node[key] = _cell(raw)
            else:
                node = node.setdefault(key, {})
    return _lists(root)


def _cell(raw):
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    return raw


def _lists(node):
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            return [_lists(node[k]) for k in sorted(node)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def input_rows(evaluation) -> list[tuple[str, object]]:
    rows = [("name", evaluation.name)] + flatten(evaluation.inputs, "inputs.")
    if evaluation.uncertainty:
        rows.append(("uncertainty", json.dumps(evaluation.uncertainty)))
    return rows


def to_csv(evaluation) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    # Every cell goes through safe_row: an evaluation named "=cmd|..." must stay text in a spreadsheet.
    writer.writerow(INPUT_HEADER)
    writer.writerows(safe_row(row) for row in input_rows(evaluation))
    writer.writerow([])
    writer.writerow(["result", "value"])
    writer.writerows(safe_row((k, evaluation.result.get(k))) for k in SUMMARY)
    writer.writerow(safe_row(["conventions", json.dumps(evaluation.result.get("conventions", {}))]))
    writer.writerow([])
    writer.writerow(TABLE_COLUMNS)
    for row in evaluation.result.get("rows", []):
        writer.writerow(safe_row(row.get(c) for c in TABLE_COLUMNS))
    return out.getvalue()


def to_xlsx(evaluation) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Inputs"
    sheet.append(INPUT_HEADER)
    for path, value in input_rows(evaluation):
        sheet.append(safe_row([path, value]))
    results = book.create_sheet("Results")
    results.append(["result", "value"])
    for key in SUMMARY:
        results.append(safe_row([key, evaluation.result.get(key)]))
    results.append(safe_row(["conventions", json.dumps(evaluation.result.get("conventions", {}))]))
    table = book.create_sheet("Yearly cash flows")
    table.append(TABLE_COLUMNS)
    for row in evaluation.result.get("rows", []):
        table.append(safe_row(row.get(c) for c in TABLE_COLUMNS))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_export(name: str, content: bytes) -> tuple[str, dict, dict]:
    """(name, inputs, uncertainty) from a CSV or XLSX export; InputError on anything else.

    The upload guard (platform_site/uploads.py) checks size, kind, zip bombs and row/column limits
    first; the kind must match the file's name, so a renamed file gets a clear message."""
    try:
        check_upload(content, allowed=(XLSX,) if name.lower().endswith(".xlsx") else ("csv",))
        if name.lower().endswith(".xlsx"):
            rows = _xlsx_input_rows(content)
        else:
            rows = _csv_input_rows(content)
    except UploadRejected as rejected:
        raise InputError({"file": [f"Could not read the file: {rejected.message}"]}) from None
    rows = [(path, restore_formula_text(value)) for path, value in rows]
    values = dict(rows)
    if not any(k.startswith("inputs.") for k in values):
        raise InputError({"file": ["No inputs found: upload a file exported from this tool."]})
    tree = unflatten([(k.removeprefix("inputs."), v) for k, v in rows if k.startswith("inputs.")])
    uncertainty = {}
    if values.get("uncertainty"):
        try:
            uncertainty = json.loads(values["uncertainty"])
        except ValueError:
            raise InputError({"file": ["The uncertainty row is not valid JSON."]}) from None
    return str(values.get("name") or "Imported evaluation"), tree, uncertainty


def _csv_input_rows(content: bytes) -> list[tuple[str, object]]:
    rows = []
    lines = iter(read_csv_rows(content, max_rows=IMPORT_MAX_ROWS, max_columns=IMPORT_MAX_COLUMNS))
    header = next(lines, None)
    if header is None or tuple(header[:2]) != INPUT_HEADER:
        raise InputError({"file": ["The first row must be 'input,value' as in an export."]})
    for row in lines:
        if not row or not row[0]:
            break
        rows.append((row[0], row[1] if len(row) > 1 else ""))
    return rows


def _xlsx_input_rows(content: bytes) -> list[tuple[str, object]]:
    with open_workbook(content, max_rows=IMPORT_MAX_ROWS, max_columns=IMPORT_MAX_COLUMNS) as book:
        if "Inputs" not in book.sheetnames:
            raise InputError({"file": ["No 'Inputs' sheet: upload a workbook exported from this tool."]})
        rows = list(book.rows("Inputs"))
    if not rows or tuple(rows[0][:2]) != INPUT_HEADER:
        raise InputError({"file": ["The Inputs sheet must start with 'input | value'."]})
    return [(str(r[0]), r[1] if len(r) > 1 else None) for r in rows[1:] if r and r[0]]
