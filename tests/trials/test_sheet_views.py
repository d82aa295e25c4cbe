"""Upload -> preview -> confirm, the per-product sheet download and the bulk downloads, per role."""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.matrix import LOGIN, check_row, row
from tests.trials.sheet_builder import OLD_TEMPLATE, build_sheet, replace
from trials.models import CurationStatus, Product, Trial

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_upload_dir(settings, tmp_path):
    settings.TRIALS_SHEET_UPLOAD_DIR = tmp_path / "uploads"


def upload(client, data: bytes | None = None, *, name="DEMO.xlsx", update=False, content_type=XLSX):
    file = SimpleUploadedFile(name, build_sheet() if data is None else data, content_type=content_type)
    return client.post(reverse("trials:sheet_upload"), {"file": file, "update": "on" if update else ""})


def test_upload_page_permissions(client_for):
    url = reverse("trials:sheet_upload")
    check_row(client_for, row(url, LOGIN, 403, 200, 200, 200, 200))


def test_expert_upload_previews_then_confirm_submits_for_review(client_for, expert):
    client = client_for("expert")
    response = upload(client)
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = client.get(preview_url)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "DEMO-CAR-19" in body and "Confirm and submit for review" in body
    assert not Product.objects.exists(), "the preview must not write anything"

    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    confirmed = client.post(reverse("trials:sheet_import_confirm", args=[token]))
    product = Product.objects.get(name="DEMO-CAR-19")
    assert confirmed.status_code == 302 and confirmed["Location"] == product.get_absolute_url()
    assert product.curation_status == CurationStatus.SUBMITTED
    assert product.trials.count() == 2
    owner = product.owner
    assert owner is not None and is_same_user(owner, client)
    # The token is used up: confirming twice does not import twice.
    assert client.post(reverse("trials:sheet_import_confirm", args=[token])).status_code == 404


def is_same_user(user, client) -> bool:
    return str(user.pk) == str(client.session["_auth_user_id"])


def test_curator_upload_publishes_at_once(client_for):
    client = client_for("curator")
    preview_url = upload(client)["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    assert "Confirm and publish" in client.get(preview_url).content.decode()
    client.post(reverse("trials:sheet_import_confirm", args=[token]))
    assert Product.objects.get(name="DEMO-CAR-19").curation_status == CurationStatus.PUBLISHED


def test_invalid_registry_id_is_named_with_label_and_column_and_nothing_is_written(client_for):
    client = client_for("curator")
    rows = replace(OLD_TEMPLATE, "Study ID (EudraCT ID for EU; NCT for USA)", ["2016-002972-29", "NCT123"])
    preview_url = upload(client, build_sheet(rows))["Location"]
    body = client.get(preview_url).content.decode()
    assert "NCT123" in body and "column C" in body and "Study ID" in body
    assert "Confirm and publish" not in body
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("trials:sheet_import_confirm", args=[token]))
    assert response.status_code == 409
    assert not Product.objects.exists() and not Trial.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "content_type", "message"),
    [
        ("notes.txt", b"hello", "text/plain", "not an .xlsx workbook"),
        ("fake.xlsx", b"this is not a zip", XLSX, "not a zip package"),
        ("macro.xlsx", b"PK\x03\x04garbage", "text/html", "not as an Excel workbook"),
    ],
)
def test_wrong_file_types_are_refused_with_a_clear_message(client_for, name, data, content_type, message):
    response = upload(client_for("expert"), data, name=name, content_type=content_type)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_corrupt_workbook_is_reported_not_a_500(client_for):
    client = client_for("expert")
    response = upload(client, b"PK\x03\x04" + b"\x00" * 200, name="broken.xlsx")
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "broken.xlsx" in preview.content.decode() and "not imported" in preview.content.decode()


def test_upload_size_limit(client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    settings.TRIALS_SHEET_MAX_BYTES = 1000
    response = upload(client_for("expert"))
    assert response.status_code == 400
    assert "the limit is" in response.content.decode()


def test_someone_elses_token_is_not_found(client_for):
    preview_url = upload(client_for("expert"))["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    other = client_for("curator")
    assert other.get(preview_url).status_code == 404
    assert other.post(reverse("trials:sheet_import_confirm", args=[token])).status_code == 404
    assert client_for("anonymous").get(preview_url).status_code == 302


def test_confirm_is_post_only(client_for):
    preview_url = upload(client_for("expert"))["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    assert client_for("expert").get(reverse("trials:sheet_import_confirm", args=[token])).status_code == 405


# --- Downloads ----------------------------------------------------------------------
def _import(data: bytes | None = None, *, by=None) -> Product:
    from trials.imports import cover_sheet_import

    report = cover_sheet_import(file=io.BytesIO(build_sheet() if data is None else data), imported_by=by, name="x.xlsx")
    assert report.ok, report.as_text()
    return Product.objects.get(slug=report.files[0].product_slug)


def _cells(data: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [value for r in sheet.iter_rows(values_only=True) for value in r if value is not None]


def test_product_sheet_download_hides_personal_data_from_the_public(client_for):
    product = _import()
    url = reverse("trials:product_sheet", args=[product.slug])
    public = client_for("anonymous").get(url)
    assert public.status_code == 200 and public["Content-Type"] == XLSX
    assert f'filename="{product.slug}.xlsx"' in public["Content-Disposition"]
    cells = _cells(public.content)
    assert "DEMO-CAR-19" in cells and "2016-002972-29" in cells
    assert "pi@fictional.example.org" not in cells and "Dr. Fictional Person" not in cells
    expert_cells = _cells(client_for("expert").get(url).content)
    assert "pi@fictional.example.org" in expert_cells and "Dr. Fictional Person" in expert_cells


def test_product_sheet_of_an_unpublished_product_is_only_for_its_owner_and_curators(client_for, owner):
    product = _import(by=owner)
    assert product.curation_status == CurationStatus.SUBMITTED
    url = reverse("trials:product_sheet", args=[product.slug])
    check_row(client_for, row(url, 404, 404, 404, 200, 200, 200))
    assert client_for("anonymous").get(reverse("trials:product_sheet", args=["no-such"])).status_code == 404


def test_bulk_downloads_follow_the_search_and_visibility(client_for, owner):
    published = _import()
    hidden = _import(build_sheet(replace(OLD_TEMPLATE, OLD_TEMPLATE[1][0], ["DEMO-HIDDEN"])), by=owner)
    assert hidden.curation_status == CurationStatus.SUBMITTED
    client = client_for("anonymous")

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("trials:export_sheets_zip")).content))
    assert archive.namelist() == [f"{published.slug}.xlsx"]

    csv_response = client.get(reverse("trials:export_trials_csv"))
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(csv_response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1 + published.trials.count()
    flat = " ".join(" ".join(r) for r in rows)
    assert "DEMO-HIDDEN" not in flat and "pi@fictional.example.org" not in flat

    xlsx = client_for("curator").get(reverse("trials:export_trials_xlsx"))
    cells = _cells(xlsx.content)
    assert "DEMO-HIDDEN" in cells and "pi@fictional.example.org" in cells


def test_bulk_download_with_a_query_and_garbage_parameters_never_500s(client_for):
    _import()
    client = client_for("anonymous")
    for name in ("trials:export_sheets_zip", "trials:export_trials_csv", "trials:export_trials_xlsx"):
        response = client.get(reverse(name), {"q": "CAR", "phase": "nonsense", "page": "x", "sort": "%00"})
        assert response.status_code in (200, 302), name


def test_download_permission_matrix(client_for):
    product = _import()
    for url in (
        reverse("trials:product_sheet", args=[product.slug]),
        reverse("trials:export_sheets_zip"),
        reverse("trials:export_trials_csv"),
        reverse("trials:export_trials_xlsx"),
    ):
        check_row(client_for, row(url, 200, 200, 200, 200, 200, 200))


def test_formulas_are_neutralised_in_downloads_and_the_download_imports_back_unchanged(client_for):
    rows = replace(OLD_TEMPLATE, "Sponsor", ['=HYPERLINK("http://evil.example","x")', "@SUM(A1:A2)"])
    product = _import(build_sheet(rows))
    client = client_for("curator")
    data = client.get(reverse("trials:product_sheet", args=[product.slug])).content
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c for r in sheet.iter_rows() for c in r if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "no cell may be a formula"
    assert any(str(c.value).startswith("'=HYPERLINK") for c in cells)

    flat = b"".join(client.get(reverse("trials:export_trials_csv")).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in flat and "'@SUM" in flat
    assert not any(line.startswith(("=", "+", "-", "@")) for cell in csv.reader(io.StringIO(flat)) for line in cell)

    # The neutralised sheet goes back in losslessly: an update with it changes nothing.
    preview_url = upload(client, data, name="again.xlsx", update=True)["Location"]
    body = client.get(preview_url).content.decode()
    assert "0 new, 0 updated, 1 unchanged" in body, body


def test_abandoned_uploads_are_deleted_after_a_day(client_for, settings):
    import os
    import time
    from pathlib import Path

    upload_dir = Path(settings.TRIALS_SHEET_UPLOAD_DIR)
    upload(client_for("expert"))
    (old,) = list(upload_dir.iterdir())
    day_and_more = time.time() - 25 * 3600
    os.utime(old, (day_and_more, day_and_more))
    upload(client_for("curator"))
    remaining = list(upload_dir.iterdir())
    assert old not in remaining and len(remaining) == 1


def test_several_workbooks_in_one_upload_preview_and_import_together(client_for):
    client = client_for("curator")
    second = build_sheet(replace(OLD_TEMPLATE, OLD_TEMPLATE[1][0], ["DEMO-SECOND"]))
    files = [
        SimpleUploadedFile("one.xlsx", build_sheet(), content_type=XLSX),
        SimpleUploadedFile("two.xlsx", second, content_type=XLSX),
    ]
    preview_url = client.post(reverse("trials:sheet_upload"), {"file": files})["Location"]
    body = client.get(preview_url).content.decode()
    assert "one.xlsx" in body and "two.xlsx" in body and "2 file(s): 2 new" in body
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    response = client.post(reverse("trials:sheet_import_confirm", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("trials:product_list")
    assert set(Product.objects.values_list("name", flat=True)) == {"DEMO-CAR-19", "DEMO-SECOND"}


def test_one_bad_workbook_blocks_the_confirm_of_the_batch(client_for):
    client = client_for("curator")
    bad = build_sheet(replace(OLD_TEMPLATE, "Study ID (EudraCT ID for EU; NCT for USA)", ["1999-000001-11"]))
    files = [
        SimpleUploadedFile("good.xlsx", build_sheet(), content_type=XLSX),
        SimpleUploadedFile("bad.xlsx", bad, content_type=XLSX),
        SimpleUploadedFile("notes.txt", b"x", content_type="text/plain"),
    ]
    response = client.post(reverse("trials:sheet_upload"), {"file": files})
    assert response.status_code == 400 and "notes.txt" in response.content.decode()
    files = [
        SimpleUploadedFile("good.xlsx", build_sheet(), content_type=XLSX),
        SimpleUploadedFile("bad.xlsx", bad, content_type=XLSX),
    ]
    preview_url = client.post(reverse("trials:sheet_upload"), {"file": files})["Location"]
    body = client.get(preview_url).content.decode()
    assert "1999" in body and "Confirm and publish" not in body
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    assert client.post(reverse("trials:sheet_import_confirm", args=[token])).status_code == 409
    assert not Product.objects.exists()


def test_two_workbooks_for_one_product_in_a_batch_are_refused(client_for):
    client = client_for("curator")
    files = [
        SimpleUploadedFile("a.xlsx", build_sheet(), content_type=XLSX),
        SimpleUploadedFile("b.xlsx", build_sheet(), content_type=XLSX),
    ]
    preview_url = client.post(reverse("trials:sheet_upload"), {"file": files})["Location"]
    body = client.get(preview_url).content.decode()
    assert "is also in a.xlsx" in body and "Confirm and publish" not in body
