"""The flat trial table (CSV/XLSX) and the zip of sheets: columns, personal data, formulas, query counts."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from trials import demo, exports
from trials.models import Product, Trial

pytestmark = pytest.mark.django_db


def _csv(trials, **kwargs) -> list[list[str]]:
    text = b"".join(exports.iter_trials_csv(trials, **kwargs)).decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so spreadsheet programs read accents right"
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_flat_table_has_one_row_per_trial_and_personal_columns_only_when_allowed(expert):
    demo.load()
    public = _csv(Trial.objects.all(), user=None)
    assert len(public) == 1 + Trial.objects.count()
    assert "PI" not in public[0] and "E-mail of PI" not in public[0]
    assert "pi@demo.atmp-platform.invalid" not in str(public)
    allowed = _csv(Trial.objects.all(), user=expert)
    assert "E-mail of PI" in allowed[0] and "pi@demo.atmp-platform.invalid" in str(allowed)
    header = public[0]
    row = next(r for r in public if "2023-999902-22" in r)
    assert set(row[header.index("Countries")].split()) == {"eu-eea", "GB", "US"}
    assert row[header.index("Status as of")] == "2024-10-01"
    assert "NCT09999001" in row[header.index("All registry IDs")]


def test_flat_csv_and_xlsx_agree_and_neutralise_formulas():
    demo.load()
    Trial.objects.filter(primary_identifier="NCT09999002").update(sponsor="=1+1", funding="-2", patent_holder="@x")
    rows = _csv(Trial.objects.all())
    flat = [cell for row in rows for cell in row]
    assert "'=1+1" in flat and "'-2" in flat and "'@x" in flat
    sheet = openpyxl.load_workbook(io.BytesIO(exports.trials_xlsx_bytes(Trial.objects.all()))).worksheets[0]
    xlsx_rows = [[("" if v is None else str(v)) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert xlsx_rows == rows
    assert not [c for r in sheet.iter_rows() for c in r if c.data_type == "f"]


def test_flat_table_query_count_does_not_grow_with_the_number_of_trials(django_assert_max_num_queries):
    demo.load()
    with django_assert_max_num_queries(6):
        _csv(Trial.objects.all())
    for product in Product.objects.all():
        for index in range(5, 15):
            Trial.objects.create(product=product, column_index=index, title=f"extra {index}")
    with django_assert_max_num_queries(6):
        _csv(Trial.objects.all())


def test_zip_holds_one_sheet_per_product_named_by_slug():
    demo.load()
    archive = zipfile.ZipFile(io.BytesIO(exports.sheets_zip_bytes(Product.objects.all())))
    assert sorted(archive.namelist()) == sorted(f"{p.slug}.xlsx" for p in Product.objects.all())
    first = Product.objects.get(name__startswith="DEMO-CAR19")
    sheet = openpyxl.load_workbook(io.BytesIO(archive.read(f"{first.slug}.xlsx"))).worksheets[0]
    values = [v for r in sheet.iter_rows(values_only=True) for v in r if v]
    assert first.name in values and "2019-999901-11" in values
    assert "pi@demo.atmp-platform.invalid" not in values
