"""Build cover-sheet workbooks in tests: fictional content in the real sheets' layout and quirks.

Never a copy of the shared real sheets: every value here is made up.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

# The older template as real sheets use it: "identifyer", trailing spaces, a "Trial Status" row in
# the cover-sheet section, "Status Information" instead of "Review Status Information".
OLD_TEMPLATE = [
    ("ATMP Cover Sheet", []),
    ("Title of ATMP / ATMP identifyer / Investigational medicinal product name", ["DEMO-CAR-19"]),
    ("Country of Origin", ["EU-Europe"]),
    ("Type of ATMP", ["GTMP - ex vivo modified"]),
    ("Cell source", ["autologous"]),
    ("Cell type", ["T cells"]),
    ("Route of administration", ["systemic i.v."]),
    ("Disease ", ["AML, MDS"]),
    ("Patient cohort ", ["adult, pediatric, adolescents"]),
    ("Patient classification", ["common cancers"]),
    ("Target of ATMP", ["CD19"]),
    ("Mode of gene transfer", ["viral vectors"]),
    ("Conducted trials", ["Phase 1/2a"]),
    ("Trial Status", []),
    (None, []),
    ("Regulatory Information", []),
    ("Study ID (EudraCT ID for EU; NCT for USA)", ["2016-002972-29", "NCT01234567"]),
    ("Study title", ["A fictional first study", "A fictional follow-up"]),
    ("Phase", ["Phase 1/2a", "Phase 1 - Phase 2"]),
    ("Trial Status", ["ongoing (23.09.2024)", "completed"]),
    ("PI", ["Dr. Fictional Person", ""]),
    ("Sponsor", ["Fictional University", "Fictional Biotech SA"]),
    ("Type of Sponsor", ["academic", "SME"]),
    ("Lead clinical (Name and institution)", []),
    ("Lead pre-clinical (name and institution)", []),
    ("Lead manufacturing (name and institution)", []),
    ("Lead study center", []),
    ("Center", ["multi centre", "single-center"]),
    ("Countries", ["EU-Europe, England, USA", "EL, UK"]),
    ("Funding", []),
    ("Patent holder", []),
    ("Mechanism of action already known?", ["Yes", "No"]),
    ("First in-human?", ["No", "Yes"]),
    ("E-Mail of PI", ["pi@fictional.example.org", ""]),
    ("E-Mail of Sponsor", []),
    (None, []),
    ("WP 1", []),
    ("Animal studies", ["Yes, rodents", "DOI: 10.0000/fictional"]),
    ("Mode of gene delivery new/previously used?", ["previosuly used"]),
    (None, []),
    ("Status Information", []),
    ("Status ", ["in Progress"]),
]


def build_sheet(
    rows=None, *, title: str = "Tabellenblatt1", extra: dict | None = None, links: dict | None = None
) -> bytes:
    """A workbook whose first sheet holds ``rows`` [(label, [B, C, ...])].

    ``extra`` {(row, col): value} is written as given (a string starting with "=" is a
    formula there); ``links`` {(row, col): target} makes those cells hyperlinks.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for number, (label, values) in enumerate(rows if rows is not None else OLD_TEMPLATE, start=1):
        if label is not None:
            sheet.cell(row=number, column=1, value=label)
        for column, value in enumerate(values, start=2):
            if value not in (None, ""):
                cell = sheet.cell(row=number, column=column, value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula, as a user typed it
    for (row, column), value in (extra or {}).items():
        sheet.cell(row=row, column=column, value=value)
    for (row, column), target in (links or {}).items():
        sheet.cell(row=row, column=column).hyperlink = target
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def replace(rows, label: str, values: list) -> list:
    """A copy of ``rows`` with the first row labelled ``label`` holding ``values`` instead."""
    out, done = [], False
    for row_label, row_values in rows:
        if not done and row_label == label:
            out.append((row_label, values))
            done = True
        else:
            out.append((row_label, row_values))
    assert done, label
    return out


def insert_after(rows, label: str, new_rows: list) -> list:
    index = next(i for i, (row_label, _) in enumerate(rows) if row_label == label)
    return rows[: index + 1] + new_rows + rows[index + 1 :]
