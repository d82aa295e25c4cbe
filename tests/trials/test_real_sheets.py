"""The real JOIN4ATMP sheets in ../shared: each imports without error and round-trips losslessly.

The sheets are read where they are, never copied into the repository. Without
them (a checkout elsewhere) the tests skip and say why.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from trials.imports import cover_sheet_import
from trials.models import CurationStatus, Product
from trials.sheets.reader import read_workbook
from trials.sheets.writer import product_workbook, workbook_bytes


def _sheets_dir() -> Path:
    """../shared beside the checkout; a worktree under /work/wt/<branch> finds it one level further up."""
    base = Path(settings.BASE_DIR)
    candidates = [base.parent / "shared", base.parent.parent / "shared"]
    found = next((c for c in candidates if (c / "data" / "join4atmp-cover-sheets").is_dir()), candidates[0])
    return found / "data" / "join4atmp-cover-sheets"


SHEETS_DIR = _sheets_dir()
ALL = sorted(SHEETS_DIR.glob("*.xlsx")) if SHEETS_DIR.is_dir() else []
PRODUCT_SHEETS = [p for p in ALL if "template" not in p.name.lower()]
TEMPLATES = [p for p in ALL if "template" in p.name.lower()]

needs_sheets = pytest.mark.skipif(
    not PRODUCT_SHEETS, reason=f"the real JOIN4ATMP cover sheets are not present in {SHEETS_DIR}"
)
pytestmark = [pytest.mark.django_db, needs_sheets]


@pytest.mark.parametrize("path", PRODUCT_SHEETS, ids=lambda p: p.name)
def test_real_sheet_imports_and_round_trips_losslessly(path):
    report = cover_sheet_import(file=path, imported_by=None)
    assert report.ok, report.as_text()
    file_report = report.files[0]
    assert file_report.action == "create", report.as_text()
    # Variant spellings and kept notes are reported as warnings, each naming what was done.
    assert all("read as" in m.text or "kept" in m.text for m in file_report.warnings), report.as_text()
    product = Product.objects.get(slug=file_report.product_slug)
    assert product.curation_status == CurationStatus.PUBLISHED
    assert product.trials.count() == file_report.trials >= 1
    assert all(t.identifiers.exists() for t in product.trials.all())

    exported = workbook_bytes(product_workbook(product, include_personal=True))
    before = read_workbook(path).non_empty_cells()
    after = read_workbook(exported, name="export.xlsx").non_empty_cells()
    lost = {key: value for key, value in before.items() if after.get(key) != value}
    assert lost == {}, f"{path.name}: cells lost or changed (section, row, offset, column): {lost}"
    assert set(after) == set(before), f"{path.name}: cells added: {set(after) - set(before)}"
    links_before = read_workbook(path).hyperlinks()
    assert read_workbook(exported, name="export.xlsx").hyperlinks() == links_before, f"{path.name}: hyperlinks"

    # Importing the same sheet again as an update finds nothing to change.
    again = cover_sheet_import(file=path, imported_by=None, update=True)
    assert again.ok and again.files[0].action == "unchanged", again.as_text()


def test_all_real_sheets_import_together_and_mention_known_quirks():
    for path in PRODUCT_SHEETS:
        assert cover_sheet_import(file=path, imported_by=None).ok, path.name
    assert Product.objects.count() == len(PRODUCT_SHEETS)
    ari = Product.objects.filter(name="ARI-0001").first()
    if ari is not None:  # four trials, the "ongoing (dd.mm.yyyy)" statuses, "EU-Europe"
        assert ari.trials.count() == 4
        assert {t.status for t in ari.trials.all()} == {"ongoing"}
        assert ari.origin_locations.get().code == "eu-eea"


@pytest.mark.skipif(not TEMPLATES, reason="the blank template is not present")
def test_the_blank_template_is_refused_because_it_names_no_product():
    report = cover_sheet_import(file=TEMPLATES[0], imported_by=None)
    assert not report.ok
    assert "no product identifier" in str(report.files[0].errors[0])
    assert not Product.objects.exists()
