"""The import's tolerance rules (docs/trials-sheets.md), each with a sheet the test builds.

A sheet from the field is never refused for a stray value and nothing in it is lost:
every test imports, checks what was stored and reported, exports, and compares
every non-empty cell and hyperlink with the sheet it started from.
"""

from __future__ import annotations

import pytest

from trials.imports import cover_sheet_import
from trials.models import PatientCohort, Product, SheetCell
from trials.sheets.reader import read_workbook
from trials.sheets.writer import product_workbook, workbook_bytes

from .sheet_builder import OLD_TEMPLATE, build_sheet, insert_after, replace

pytestmark = pytest.mark.django_db

# Rows of OLD_TEMPLATE (1-based): the four section headers and a few others.
COVER_HEADER, REGULATORY_HEADER, WP1_HEADER, REVIEW_HEADER = 1, 16, 37, 41
EMPTY_ROW_IN_COVER, PI_EMAIL_ROW, ANIMAL_STUDIES_ROW = 15, 34, 38


def _import(data: bytes):
    report = cover_sheet_import(file=data, imported_by=None, name="tolerant.xlsx")
    assert report.ok, report.as_text()
    return report.files[0], Product.objects.get(slug=report.files[0].product_slug)


def _messages(file_report) -> str:
    return "\n".join(str(m) for m in file_report.messages)


def _assert_round_trip(original: bytes, product: Product) -> None:
    exported = workbook_bytes(product_workbook(product, include_personal=True))
    before, after = read_workbook(original, name="in.xlsx"), read_workbook(exported, name="out.xlsx")
    assert after.non_empty_cells() == before.non_empty_cells()
    assert after.hyperlinks() == before.hyperlinks()


def test_a_value_beside_every_section_header_is_kept_reported_and_written_back():
    extra = {(row, 2): f"note at header {row}" for row in (COVER_HEADER, REGULATORY_HEADER, WP1_HEADER, REVIEW_HEADER)}
    extra[(WP1_HEADER, 4)] = "a second note, column D"
    data = build_sheet(extra=extra)
    file_report, product = _import(data)
    headers = {(c.section, c.column): c.value for c in product.sheet_cells.filter(kind=SheetCell.Kind.HEADER)}
    assert headers == {
        ("cover", 2): "note at header 1",
        ("regulatory", 2): "note at header 16",
        ("wp1", 2): "note at header 37",
        ("wp1", 4): "a second note, column D",
        ("review", 2): "note at header 41",
    }
    assert _messages(file_report).count("beside the section header") == 4
    _assert_round_trip(data, product)


def test_values_in_an_unlabelled_row_and_a_repeated_label_are_kept_in_place():
    rows = insert_after(OLD_TEMPLATE, "Cell type", [("Cell type ", ["again", "", "beside"])])
    data = build_sheet(rows, extra={(EMPTY_ROW_IN_COVER + 1, 2): "orphan value", (EMPTY_ROW_IN_COVER + 1, 5): "E"})
    file_report, product = _import(data)
    assert product.cell_type == "T cells"
    text = _messages(file_report)
    assert "appears twice" in text and "without a label" in text and "row 16" in text
    unlabelled = product.sheet_cells.filter(kind=SheetCell.Kind.UNLABELLED)
    assert {(c.label, c.offset, c.column, c.value) for c in unlabelled} == {
        ("Trial Status", 1, 2, "orphan value"),
        ("Trial Status", 1, 5, "E"),
    }
    _assert_round_trip(data, product)


def test_values_beyond_the_expected_columns_are_notes_of_their_row():
    data = build_sheet(extra={(6, 6): "column F beside the cell type", (38, 9): "column I in WP 1"})
    _file_report, product = _import(data)
    notes = {(c.label, c.column) for c in product.sheet_cells.filter(kind=SheetCell.Kind.NOTE)}
    assert ("Cell type", 6) in notes and ("Animal studies", 9) in notes
    _assert_round_trip(data, product)


def test_hyperlinks_are_kept_and_exported_as_hyperlinks():
    links = {
        (ANIMAL_STUDIES_ROW, 3): "https://doi.org/10.0000/fictional",
        (PI_EMAIL_ROW, 2): "mailto:pi@fictional.example.org?subject=NCT09999123",
        (EMPTY_ROW_IN_COVER, 2): "https://example.org/orphan",
    }
    data = build_sheet(extra={(EMPTY_ROW_IN_COVER, 2): "orphan with a link"}, links=links)
    file_report, product = _import(data)
    kept = {(c.kind, c.label, c.column): c.value for c in product.sheet_cells.filter(kind__startswith="link")}
    assert kept[("link", "Animal studies", 3)] == "https://doi.org/10.0000/fictional"
    assert kept[("link_after", "Trial Status", 2)] == "https://example.org/orphan"
    assert "NCT09999123 appears only in a link or note" in _messages(file_report)
    _assert_round_trip(data, product)


def test_a_hyperlink_formula_keeps_its_text_and_link_and_is_reported():
    data = build_sheet(extra={(ANIMAL_STUDIES_ROW, 4): '=HYPERLINK("https://doi.org/10.0000/f2","DOI 10.0000/f2")'})
    file_report, product = _import(data)
    note = product.sheet_cells.get(kind=SheetCell.Kind.NOTE, column=4)
    assert note.value == "DOI 10.0000/f2"
    assert product.sheet_cells.get(kind=SheetCell.Kind.LINK, column=4).value == "https://doi.org/10.0000/f2"
    assert "HYPERLINK formula" in _messages(file_report)


def test_variant_vocabulary_maps_with_a_warning_and_unknown_values_stay_text():
    rows = replace(OLD_TEMPLATE, "Patient cohort ", ["paediatric, toddlers"])
    rows = replace(rows, "Patient classification", ["rare cancers"])
    rows = replace(rows, "Type of ATMP", ["mystery therapy"])
    file_report, product = _import(build_sheet(rows))
    text = _messages(file_report)
    assert "“paediatric” read as “pediatric”" in text
    assert "“rare cancers” read as “Cancer”" in text
    assert "“EU-Europe” read as “EU/EEA”" in text
    assert "“toddlers” is not a patient cohort we know" in text
    assert "“mystery therapy” is not a known value" in text
    assert list(product.patient_cohorts.values_list("name", flat=True)) == ["pediatric"]
    assert not PatientCohort.objects.filter(name__icontains="toddler").exists()
    assert (product.patient_classification, product.atmp_type, product.atmp_type_text) == (
        "cancer",
        "",
        "mystery therapy",
    )


def test_the_old_templates_cover_status_sets_the_status_of_trials_without_their_own(client):
    rows = [
        (label, ["", "completed"] if label == "Trial Status" and values else values) for label, values in OLD_TEMPLATE
    ]
    rows = replace(rows, "Trial Status", ["recruiting (01.02.2025)"])  # the first one: the cover section's row
    data = build_sheet(rows)
    file_report, product = _import(data)
    first, second = product.trials.order_by("column_index")
    assert (first.status, first.status_text, str(first.status_as_of)) == ("recruiting", "", "2025-02-01")
    assert second.status == "completed"
    assert "applies to the trial(s) in column B" in _messages(file_report)
    listed = client.get("/trials/", {"status": "recruiting"}).content.decode()
    assert first.title in listed and second.title not in listed
    _assert_round_trip(data, product)


def test_both_template_generations_read_the_same():
    old_file, old = _import(build_sheet())
    old_values = {f: getattr(old, f) for f in ("cell_type", "disease_text", "sheet_review_status")}
    Product.objects.all().delete()
    new_rows = [row for row in OLD_TEMPLATE if row[0] != "Trial Status" or row[1]]
    new_rows = [
        ("Review Status Information", []) if label == "Status Information" else (label, v) for label, v in new_rows
    ]
    _new_file, new = _import(build_sheet(new_rows))
    assert {f: getattr(new, f) for f in old_values} == old_values
    assert [t.status for t in new.trials.order_by("column_index")] == ["ongoing", "completed"]


def test_indication_other_takes_the_disease_written_beside_it():
    data = build_sheet(replace(OLD_TEMPLATE, "Disease ", ["other", "Fictional glioma"]))
    file_report, product = _import(data)
    assert product.disease_text == "other"
    assert list(product.diseases.values_list("name", flat=True)) == ["Fictional glioma"]
    assert "the disease is the one written beside it" in _messages(file_report)
    _assert_round_trip(data, product)


def test_a_registry_id_only_in_a_note_is_offered_as_a_secondary_identifier():
    data = build_sheet(extra={(30, 5): "see https://euclinicaltrials.eu/?EUCT=2023-509999-12-00"})
    file_report, product = _import(data)
    assert "2023-509999-12-00 appears only in a link or note" in _messages(file_report)
    assert not product.trials.filter(identifiers__value="2023-509999-12-00").exists()


def test_the_web_preview_shows_the_notes_of_the_rules(client_for, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TRIALS_SHEET_UPLOAD_DIR = tmp_path / "uploads"
    data = build_sheet(extra={(30, 5): "see NCT09999777"})
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload = SimpleUploadedFile("notes.xlsx", data, content_type=xlsx)
    response = client_for("curator").post("/trials/sheets/import/", {"file": upload}, follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "NCT09999777 appears only in a link or note" in body
