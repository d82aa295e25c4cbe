"""Every CSV and XLSX the portal writes is fed the formula-injection payloads; none comes out live.

A cell is live when its text starts with = + - @ (or a tab/CR before one); the escaper
(platform_site/spreadsheets.py) prefixes such text with an apostrophe.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from economics import services
from economics.engine.defaults import default_inputs
from platform_site.spreadsheets import FORMULA_STARTS
from tests.facilities.helpers import make_facility
from tests.platform.test_spreadsheets import PAYLOADS
from tests.trials.factories import ProductFactory, TrialFactory


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def live_cells(values) -> list[str]:
    """Text cells a spreadsheet would run; a CSV's "-2.5" is a number, not a formula."""
    return [v for v in values if isinstance(v, str) and v.startswith(FORMULA_STARTS) and not is_number(v)]


def csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def xlsx_cells(content: bytes) -> list:
    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    book.close()
    return cells


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def payload_records(owner):
    """An evaluation, a facility and a product with a trial for each payload, named with it."""
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    evaluations = [services.evaluation_save(owner=owner, name=p, inputs=inputs) for p in PAYLOADS]
    for number, payload in enumerate(PAYLOADS):
        make_facility(payload, slug=f"payload-{number}", institution=payload, website=payload)
        TrialFactory(product=ProductFactory(name=payload, slug=f"payload-{number}"), title=payload, sponsor=payload)
    return evaluations


@pytest.mark.django_db
def test_no_export_writes_a_live_formula(client_for, payload_records):
    owner = client_for("owner")
    curator = client_for("curator")
    exports = {}
    for evaluation in payload_records:
        for fmt in ("csv", "xlsx"):
            url = reverse("economics:evaluation_export", args=[evaluation.pk, fmt])
            exports[f"{url} ({evaluation.name!r})"] = (owner, url, fmt)
    for role, client in (("anonymous", client_for("anonymous")), ("curator", curator)):
        for url, fmt in (
            (reverse("facilities:export") + "?format=csv", "csv"),
            (reverse("facilities:export") + "?format=xlsx", "xlsx"),
            ("/api/facilities/?format=csv", "csv"),
            ("/api/facilities/payload-0/?format=csv", "csv"),
            (reverse("trials:export_trials_csv"), "csv"),
            (reverse("trials:export_trials_xlsx"), "xlsx"),
            (reverse("trials:product_sheet", args=["payload-0"]), "xlsx"),
        ):
            exports[f"{url} as {role}"] = (client, url, fmt)
    for label, (client, url, fmt) in exports.items():
        response = client.get(url)
        assert response.status_code == 200, label
        content = body(response)
        cells = csv_cells(content) if fmt == "csv" else xlsx_cells(content)
        assert live_cells(cells) == [], label
    # The payloads are there, as text.
    facilities_csv = body(client_for("anonymous").get(reverse("facilities:export") + "?format=csv")).decode()
    assert "'=cmd|' /C calc'!A0" in facilities_csv
