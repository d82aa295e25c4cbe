"""The cover-sheet importer on fixture workbooks built in the tests (fictional content)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_user
from tests.trials.sheet_builder import OLD_TEMPLATE, build_sheet, insert_after, replace
from trials.imports import cover_sheet_import, product_edited_since_import
from trials.models import (
    AtmpType,
    CentreType,
    CurationStatus,
    Disease,
    Location,
    PatientClassification,
    Phase,
    Product,
    RegistryKind,
    SheetCell,
    SheetReviewStatus,
    SponsorType,
    Trial,
    TrialStatus,
)

pytestmark = pytest.mark.django_db


def _import(data=None, *, user=None, name="DEMO-CAR-19.xlsx", **kwargs):
    data = build_sheet() if data is None else data
    return cover_sheet_import(file=io.BytesIO(data), imported_by=user, name=name, **kwargs)


def test_a_sheet_becomes_a_product_with_its_trials():
    report = _import()
    assert report.ok, report.as_text()
    assert report.files[0].action == "create"
    product = Product.objects.get(name="DEMO-CAR-19")
    assert product.curation_status == CurationStatus.PUBLISHED  # imported by the system: published at once
    assert product.atmp_type == AtmpType.GTMP_EX_VIVO and product.atmp_type_text == "GTMP - ex vivo modified"
    assert product.patient_classification == PatientClassification.COMMON_CANCER
    assert sorted(d.name for d in product.diseases.all()) == ["AML", "MDS"]
    assert sorted(c.name for c in product.patient_cohorts.all()) == ["adolescent", "adult", "pediatric"]
    assert [loc.code for loc in product.origin_locations.all()] == ["eu-eea"]
    assert [t.name for t in product.targets.all()] == ["CD19"]
    assert product.gene_delivery_novelty == "previosuly used"  # original text kept, typo and all
    assert product.sheet_review_status == SheetReviewStatus.IN_PROGRESS
    assert product.sheet_name == "Tabellenblatt1" and product.source_file == "DEMO-CAR-19.xlsx"
    assert product.highest_phase == Phase.PHASE_1_2

    first, second = product.trials.order_by("column_index")
    assert (first.column_index, second.column_index) == (0, 1)
    assert first.primary_identifier == "2016-002972-29" and first.start_year == 2016
    assert [(i.registry, i.value) for i in first.identifiers.all()] == [(RegistryKind.EUDRACT, "2016-002972-29")]
    assert second.identifiers.get().registry == RegistryKind.NCT
    assert (first.phase, first.phase_text) == (Phase.PHASE_1_2, "Phase 1/2a")
    assert second.phase == Phase.PHASE_1_2  # "Phase 1 - Phase 2"
    assert (first.status, first.status_as_of) == (TrialStatus.ONGOING, dt.date(2024, 9, 23))
    assert second.status == TrialStatus.COMPLETED
    assert (first.centre_type, second.centre_type) == (CentreType.MULTI, CentreType.SINGLE)
    assert first.sponsor_type == SponsorType.ACADEMIC and second.sponsor_type == SponsorType.SME
    assert sorted(c.code for c in first.countries.all()) == ["GB", "US", "eu-eea"]
    assert sorted(c.code for c in second.countries.all()) == ["GB", "GR"]  # EL and UK
    assert (first.mechanism_known, first.first_in_human) == (True, False)
    assert first.principal_investigator == "Dr. Fictional Person" and first.pi_email == "pi@fictional.example.org"

    note = SheetCell.objects.get(product=product)
    assert (note.kind, note.section, note.column, note.value) == ("note", "wp1", 3, "DOI: 10.0000/fictional")
    assert product.history.first().history_change_reason == "Imported from DEMO-CAR-19.xlsx"


def test_labels_are_matched_tolerantly():
    rows = [(label, values) for label, values in OLD_TEMPLATE]
    rows = replace(rows, "Trial Status", ["clinical"])  # the old row in the cover-sheet section
    rows = replace(rows, "Status Information", [])
    rows[1] = ("  title of ATMP / ATMP identifier / investigational medicinal product name  ", ["DEMO-TOLERANT"])
    rows = insert_after(rows, "Status ", [("Review Status Information", []), ("Reviewer ", ["Fictional Curator"])])
    report = _import(build_sheet(rows, title="Sheet1"))
    assert report.ok, report.as_text()
    product = Product.objects.get(name="DEMO-TOLERANT")
    assert product.cover_trial_status_text == "clinical"
    assert product.trials.get(column_index=0).status_text == "ongoing (23.09.2024)"
    assert product.sheet_reviewer == "Fictional Curator"
    assert not report.files[0].warnings


def test_unknown_labels_are_reported_and_kept():
    rows = insert_after(OLD_TEMPLATE, "Cell type", [("Manufacturing site", ["Fictional GMP unit", "see annex"])])
    rows = insert_after(rows, "Funding", [("Trial budget", ["", "EUR 1"])])
    report = _import(build_sheet(rows))
    assert report.ok
    warnings = [str(m) for m in report.files[0].warnings]
    assert any("“Manufacturing site”" in w and "row 7" in w and "Unknown label" in w for w in warnings)
    assert any("“Trial budget”" in w for w in warnings)
    cells = {(c.section, c.label, c.column): c.value for c in SheetCell.objects.filter(kind="unknown")}
    assert cells == {
        ("cover", "Manufacturing site", 2): "Fictional GMP unit",
        ("cover", "Manufacturing site", 3): "see annex",
        ("regulatory", "Trial budget", 3): "EUR 1",
    }


def test_a_sheet_without_identifier_is_refused_with_a_clear_message():
    rows = replace(OLD_TEMPLATE, "Title of ATMP / ATMP identifyer / Investigational medicinal product name", [])
    report = _import(build_sheet(rows))
    assert not report.ok and report.files[0].action == "refused"
    assert "no product identifier" in str(report.files[0].errors[0]) and "column B" in str(report.files[0].errors[0])
    assert not Product.objects.exists()


def test_an_invalid_registry_id_names_row_label_and_column_and_writes_nothing():
    rows = replace(OLD_TEMPLATE, "Study ID (EudraCT ID for EU; NCT for USA)", ["2016-002972-29", "2001-123456-12"])
    report = _import(build_sheet(rows))
    assert not report.ok
    error = str(report.files[0].errors[0])
    assert "row 17" in error and "Study ID" in error and "column C" in error and "2004" in error
    assert not Product.objects.exists() and not Trial.objects.exists()
    assert not Location.objects.exists() and not Disease.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"name,phase\nX,1\n", "not an Excel workbook"),
        (b"PK\x03\x04 broken", "not an Excel workbook"),
        (b"", "not an Excel workbook"),
    ],
)
def test_files_that_are_not_workbooks_are_refused(data, message):
    report = _import(data, name="upload.xlsx")
    assert not report.ok and message in str(report.files[0].errors[0])


def test_a_zip_without_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    report = _import(buffer.getvalue(), name="fake.xlsx")
    assert "no xl/workbook.xml" in str(report.files[0].errors[0])


def test_size_limits(settings):
    data = build_sheet()
    settings.TRIALS_SHEET_MAX_BYTES = len(data) - 1
    assert "larger than" in str(_import(data).files[0].errors[0])
    settings.TRIALS_SHEET_MAX_BYTES = 10 * 1024 * 1024
    settings.TRIALS_SHEET_MAX_UNPACKED_BYTES = 1000  # a tiny "zip bomb" limit
    assert "unpacks to more than" in str(_import(data).files[0].errors[0])
    assert not Product.objects.exists()


def test_a_dry_run_reports_and_writes_nothing():
    report = _import(dry_run=True)
    assert report.ok and report.files[0].action == "create" and report.files[0].trials == 2
    assert "Dry run" in report.as_text() and "will be created" in report.as_text()
    assert not Product.objects.exists() and not Location.objects.exists()


def test_an_existing_product_needs_update_and_an_unchanged_sheet_changes_nothing():
    _import()
    again = _import()
    assert not again.ok and "already exists" in str(again.files[0].errors[0])
    history_rows = Product.history.count()
    unchanged = _import(update=True)
    assert unchanged.ok and unchanged.files[0].action == "unchanged"
    assert Product.history.count() == history_rows


def test_update_lists_changes_and_replaces_trials():
    _import()
    rows = replace(OLD_TEMPLATE, "Cell type", ["NK cells"])
    rows = replace(rows, "Study ID (EudraCT ID for EU; NCT for USA)", ["2016-002972-29"])
    # Keep only the first trial: cut every regulatory row to column B.
    first_only = {"Study title", "Phase", "Trial Status", "Type of Sponsor", "Sponsor", "Center", "Countries"}
    first_only |= {"Mechanism of action already known?", "First in-human?"}
    rows = [(lab, vals[:1] if lab in first_only else vals) for lab, vals in rows]
    preview = _import(build_sheet(rows), update=True, dry_run=True)
    changes = {(c.label, c.column): (c.old, c.new) for c in preview.files[0].changes}
    assert changes[("Cell type", 2)] == ("T cells", "NK cells")
    assert changes[("Study ID (EudraCT ID for EU; NCT for USA)", 3)] == ("NCT01234567", "")
    assert Product.objects.get().cell_type == "T cells"  # the preview wrote nothing
    report = _import(build_sheet(rows), update=True)
    assert report.ok and report.files[0].action == "update"
    product = Product.objects.get()
    assert product.cell_type == "NK cells" and product.trials.count() == 1


def test_update_refuses_to_overwrite_a_platform_edit_unless_forced():
    _import()
    product = Product.objects.get()
    assert not product_edited_since_import(product)
    product.route_of_administration = "intrathecal"
    product._change_reason = "Corrected route from the protocol"
    product.save()
    assert product_edited_since_import(product)
    rows = replace(OLD_TEMPLATE, "Cell type", ["NK cells"])
    refused = _import(build_sheet(rows), update=True)
    assert not refused.ok and "edited on the platform" in str(refused.files[0].errors[0])
    assert Product.objects.get().route_of_administration == "intrathecal"
    forced = _import(build_sheet(rows), update=True, force=True)
    assert forced.ok
    assert Product.objects.get().route_of_administration == "systemic i.v."


def test_workflow_saves_do_not_count_as_edits(curator):
    expert = make_user("contributor@example.org", role="expert")
    _import(user=expert)
    product = Product.objects.get()
    from trials.services import product_approve

    product_approve(product=product, reviewer=curator, comment="fine")
    assert not product_edited_since_import(Product.objects.get())


def test_expert_uploads_wait_for_review_and_curator_imports_publish(expert, curator):
    _import(user=expert)
    product = Product.objects.get()
    assert product.curation_status == CurationStatus.SUBMITTED and product.owner == expert
    assert product.submitted_at is not None
    rows = replace(OLD_TEMPLATE, "Title of ATMP / ATMP identifyer / Investigational medicinal product name", ["X-2"])
    _import(build_sheet(rows), user=curator)
    assert Product.objects.get(name="X-2").curation_status == CurationStatus.PUBLISHED


def test_experts_cannot_overwrite_others_records_and_pending_users_cannot_import(expert, pending_user):
    _import()  # published by the system
    report = _import(user=expert, update=True)
    assert not report.ok and "not your unpublished submission" in str(report.files[0].errors[0])
    rows = replace(OLD_TEMPLATE, "Title of ATMP / ATMP identifyer / Investigational medicinal product name", ["X-3"])
    report = _import(build_sheet(rows), user=pending_user)
    assert not report.ok and "Only approved experts" in str(report.files[0].errors[0])
    assert not Product.objects.filter(name="X-3").exists()


def test_an_expert_may_update_their_own_submission(expert):
    _import(user=expert)
    rows = replace(OLD_TEMPLATE, "Cell type", ["NK cells"])
    report = _import(build_sheet(rows), user=expert, update=True)
    assert report.ok, report.as_text()
    assert Product.objects.get().cell_type == "NK cells"


def test_unrecognised_vocabulary_is_a_warning_and_the_text_is_kept():
    rows = replace(OLD_TEMPLATE, "Phase", ["Phase X", "Phase 2"])
    rows = replace(rows, "Countries", ["Atlantis", "USA"])
    report = _import(build_sheet(rows))
    assert report.ok
    warnings = " ".join(str(m) for m in report.files[0].warnings)
    assert "“Phase X” is not a known value" in warnings and "column B" in warnings
    assert "“Atlantis”" in warnings
    trial = Trial.objects.get(column_index=0)
    assert (trial.phase, trial.phase_text) == ("", "Phase X")


def test_import_command_reads_folders_and_reports_each_file(tmp_path):
    (tmp_path / "good.xlsx").write_bytes(build_sheet())
    bad_rows = replace(OLD_TEMPLATE, "Title of ATMP / ATMP identifyer / Investigational medicinal product name", ["B"])
    bad_rows = replace(bad_rows, "Study ID (EudraCT ID for EU; NCT for USA)", ["NCT123"])
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.xlsx").write_bytes(build_sheet(bad_rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Some files were not imported"):
        call_command("import_cover_sheets", str(tmp_path), stdout=out)
    text = out.getvalue()
    assert "good.xlsx [Tabellenblatt1]: DEMO-CAR-19 created" in text
    assert "bad.xlsx" in text and "NOT imported" in text and "column B" in text
    assert list(Product.objects.values_list("name", flat=True)) == ["DEMO-CAR-19"]


def test_import_command_dry_run_and_missing_path(tmp_path):
    (tmp_path / "good.xlsx").write_bytes(build_sheet())
    out = io.StringIO()
    call_command("import_cover_sheets", str(tmp_path / "good.xlsx"), "--dry-run", stdout=out)
    assert "will be created" in out.getvalue() and not Product.objects.exists()
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_cover_sheets", str(tmp_path / "missing.xlsx"))


def test_export_command_writes_one_sheet_per_product(tmp_path):
    _import()
    rows = replace(OLD_TEMPLATE, "Title of ATMP / ATMP identifyer / Investigational medicinal product name", ["TEP-1"])
    _import(build_sheet(replace(rows, "Type of ATMP", ["TEP"])))
    out = io.StringIO()
    call_command("export_cover_sheets", "--out", str(tmp_path / "out"), "--type", "gtmp_ex_vivo", stdout=out)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["demo-car-19.xlsx"]
    with pytest.raises(CommandError, match="Unknown ATMP type"):
        call_command("export_cover_sheets", "--out", str(tmp_path), "--type", "vaccine")


def test_the_preview_of_a_new_product_lists_its_values_by_label_and_column():
    report = _import(dry_run=True)
    values = {(c.where, c.new) for c in report.files[0].changes}
    assert ("Cell type [B]", "T cells") in values
    assert ("Study ID (EudraCT ID for EU; NCT for USA) [C]", "NCT01234567") in values
    assert ("Animal studies (note) [C]", "DOI: 10.0000/fictional") in values


TITLE = "Title of ATMP / ATMP identifyer / Investigational medicinal product name"


@pytest.mark.parametrize(
    ("rows", "extra", "message"),
    [
        (replace(OLD_TEMPLATE, "Cell type", ["x" * 300]), None, "Text too long: 300 characters, at most 255"),
        (insert_after(OLD_TEMPLATE, "Cell type", [("Cell type ", ["again"])]), None, "appears twice"),
        (OLD_TEMPLATE, {(15, 2): "orphan value"}, "without a label"),
        (OLD_TEMPLATE, {(16, 2): "value in a header"}, "section header row holds a value"),
    ],
    ids=["too-long", "duplicate-label", "no-label", "header-value"],
)
def test_structural_errors_name_the_place_and_write_nothing(rows, extra, message):
    report = _import(build_sheet(rows, extra=extra))
    assert not report.ok
    assert any(message in str(m) and "row " in str(m) for m in report.files[0].errors), report.as_text()
    assert not Product.objects.exists()


def test_products_whose_names_slugify_alike_get_distinct_slugs():
    _import()
    _import(build_sheet(replace(OLD_TEMPLATE, TITLE, ["DEMO CAR 19"])))
    assert sorted(Product.objects.values_list("slug", flat=True)) == ["demo-car-19", "demo-car-19-2"]


def test_other_worksheets_are_reported_not_silently_ignored():
    workbook = openpyxl.load_workbook(io.BytesIO(build_sheet()))
    workbook.create_sheet("Notes")["A1"] = "fictional extra notes"
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = _import(buffer.getvalue())
    assert report.ok
    assert any("“Notes” was not read" in str(m) for m in report.files[0].warnings)


def test_import_command_update_force_and_user(tmp_path, curator):
    path = tmp_path / "sheet.xlsx"
    path.write_bytes(build_sheet())
    call_command("import_cover_sheets", str(path), "--user", curator.email, stdout=io.StringIO())
    product = Product.objects.get()
    assert product.history.earliest().history_user == curator
    product.cell_type = "edited on the platform"
    product.save()
    path.write_bytes(build_sheet(replace(OLD_TEMPLATE, "Cell type", ["NK cells"])))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_cover_sheets", str(path), "--update", stdout=out)
    assert "edited on the platform" in out.getvalue()
    call_command("import_cover_sheets", str(path), "--update", "--force", stdout=io.StringIO())
    assert Product.objects.get().cell_type == "NK cells"
    with pytest.raises(CommandError, match="No account"):
        call_command("import_cover_sheets", str(path), "--user", "nobody@example.org")
