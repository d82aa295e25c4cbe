"""The template writer and the lossless round trip, on fixture workbooks built in the tests."""

from __future__ import annotations

import io

import openpyxl
import pytest

from tests.trials.sheet_builder import OLD_TEMPLATE, build_sheet, insert_after, replace
from trials.imports import cover_sheet_import
from trials.models import Product
from trials.sheets.catalogue import TEMPLATE_ROW_COUNT
from trials.sheets.reader import read_workbook
from trials.sheets.writer import neutralise, product_workbook, workbook_bytes

pytestmark = pytest.mark.django_db


def _import(data: bytes) -> Product:
    report = cover_sheet_import(file=io.BytesIO(data), imported_by=None, name="fixture.xlsx")
    assert report.ok, report.as_text()
    return Product.objects.get(slug=report.files[0].product_slug)


def _export(product: Product, *, include_personal: bool = True) -> bytes:
    return workbook_bytes(product_workbook(product, include_personal=include_personal))


def _assert_round_trip(original: bytes, exported: bytes) -> None:
    before = read_workbook(original, name="in.xlsx").non_empty_cells()
    after = read_workbook(exported, name="out.xlsx").non_empty_cells()
    assert before, "the fixture has no cells"
    lost = {key: value for key, value in before.items() if after.get(key) != value}
    assert lost == {}, f"cells lost or changed in the round trip: {lost}"
    added = set(after) - set(before)
    assert added == set(), f"cells the original did not have: {added}"


def test_round_trip_of_the_old_template_with_notes_and_several_trials():
    original = build_sheet(extra={(2, 4): "https://example.org/fictional-source", (25, 4): "https://example.org/x"})
    _assert_round_trip(original, _export(_import(original)))


def test_round_trip_keeps_unknown_labels_and_the_old_cover_trial_status_row():
    rows = insert_after(OLD_TEMPLATE, "Cell type", [("Manufacturing site", ["Fictional GMP unit", "annex"])])
    rows = insert_after(rows, "Funding", [("Trial budget", ["", "EUR 1"])])
    rows = insert_after(rows, "Animal studies", [("Organoids used?", ["yes"])])
    rows = replace(rows, "Trial Status", ["in clinic"])
    original = build_sheet(rows)
    _assert_round_trip(original, _export(_import(original)))


def test_round_trip_keeps_the_trial_columns_where_they_were():
    # A trial in column D with column C empty: it is written back to column D.
    rows = [
        (label, ["", *values] if label in ("Study ID (EudraCT ID for EU; NCT for USA)",) else values)
        for label, values in OLD_TEMPLATE
    ]
    original = build_sheet(rows)
    product = _import(original)
    assert sorted(product.trials.values_list("column_index", flat=True)) == [0, 1, 2]
    _assert_round_trip(original, _export(product))


def test_formula_like_text_is_neutralised_on_export_and_restored_on_import():
    rows = replace(OLD_TEMPLATE, "Cell type", ['=HYPERLINK("http://evil.example","x")'])
    rows = replace(rows, "Funding", ["+49 30 1234", "@SUM(A1)"])
    original = build_sheet(rows)
    product = _import(original)
    assert product.cell_type.startswith("=HYPERLINK")
    exported = _export(product)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value]
    assert '\'=HYPERLINK("http://evil.example","x")' in values
    assert "'+49 30 1234" in values and "'@SUM(A1)" in values
    assert not any(str(v).startswith(("=", "+", "@")) for v in values)
    _assert_round_trip(original, exported)  # the reader takes the apostrophe off again


def test_personal_rows_are_left_empty_without_permission():
    product = _import(build_sheet())
    cells = read_workbook(_export(product, include_personal=False), name="x.xlsx").non_empty_cells()
    values = set(cells.values())
    assert "Dr. Fictional Person" not in values and "pi@fictional.example.org" not in values
    assert "Fictional University" in values  # the sponsor is not personal data


def test_an_empty_product_gets_the_whole_template_layout():
    product = Product.objects.create(name="EMPTY-1")
    sheet = openpyxl.load_workbook(io.BytesIO(_export(product))).worksheets[0]
    labels = [row[0].value for row in sheet.iter_rows() if row[0].value]
    assert labels[0] == "ATMP Cover Sheet" and "Review Status Information" in labels
    assert len(labels) == TEMPLATE_ROW_COUNT + 4  # the rows plus four section headers
    assert sheet.title == "Sheet1"


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("-5") == "'-5"
    assert neutralise("plain") == "plain"
    assert neutralise(None) == ""


def test_the_catalogue_marks_every_personal_field_of_the_model():
    from trials.models import TRIAL_PERSONAL_FIELDS
    from trials.sheets.catalogue import ROWS

    personal = {r.field for r in ROWS if r.personal}
    assert set(TRIAL_PERSONAL_FIELDS) <= personal
    assert "sheet_reviewer" in personal


def test_the_blank_template_comes_from_the_catalogue_and_reads_back_as_a_sheet_without_a_product(client):
    from trials.imports import cover_sheet_import
    from trials.sheets.catalogue import CATALOGUE, SECTION_TITLES

    response = client.get("/trials/sheets/template.xlsx")
    assert response.status_code == 200 and "ATMP_Cover_Sheet_Template.xlsx" in response["Content-Disposition"]
    data = b"".join(response) if response.streaming else response.content
    labels = [row[0].value for row in openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows()]
    expected = [label for section in SECTION_TITLES for label in (
        SECTION_TITLES[section], *(r.label for r in CATALOGUE.section_rows(section) if r.template)
    )]  # fmt: skip
    assert labels == expected
    parsed = read_workbook(data, name="template.xlsx")
    assert not parsed.messages and all(r.template_row is not None for r in parsed.rows)
    report = cover_sheet_import(file=data, imported_by=None, name="template.xlsx")
    assert "no product identifier" in str(report.files[0].errors[0])
