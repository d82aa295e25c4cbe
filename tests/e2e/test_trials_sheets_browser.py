"""Browser test of the cover-sheet import: upload, read the preview, confirm, download the sheet back."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import log_in
from tests.trials.sheet_builder import build_sheet
from trials.models import CurationStatus, Product

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_curator_uploads_previews_confirms_and_downloads_the_sheet(live_server, page, tmp_path, settings):
    settings.TRIALS_SHEET_UPLOAD_DIR = tmp_path / "uploads"
    make_user("browser.curator@example.org", role="curator", password="a-long-browser-password")
    sheet = tmp_path / "DEMO-CAR-19.xlsx"
    sheet.write_bytes(build_sheet())
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    log_in(page, live_server.url, "browser.curator@example.org", "a-long-browser-password")
    page.goto(f"{live_server.url}/trials/sheets/import/")
    page.get_by_label("Cover sheets (.xlsx)").set_input_files(str(sheet))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Preview: DEMO-CAR-19.xlsx")).to_be_visible()
    expect(page.get_by_text("new product")).to_be_visible()
    assert not Product.objects.exists(), "the preview writes nothing"
    page.get_by_role("button", name="Confirm and publish").click()

    expect(page.get_by_text("was imported and published")).to_be_visible()
    product = Product.objects.get(name="DEMO-CAR-19")
    assert product.curation_status == CurationStatus.PUBLISHED and product.trials.count() == 2

    with page.expect_download() as download_info:
        page.evaluate(f"window.location.href = '{live_server.url}/trials/products/{product.slug}/sheet.xlsx'")
    path = download_info.value.path()
    values = [
        v
        for r in openpyxl.load_workbook(io.BytesIO(open(path, "rb").read())).active.iter_rows(values_only=True)
        for v in r
    ]
    assert "DEMO-CAR-19" in values and "2016-002972-29" in values and "NCT01234567" in values
    assert not [e for e in errors if "Content Security Policy" in e], errors
