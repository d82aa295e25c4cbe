"""The permission matrix for every trials URL (pages, API, and the sheet import/export)."""

import pytest

from tests.matrix import LOGIN, check_row, public, row
from trials.models import CurationStatus, ProductRevision

from .factories import ProductFactory, TrialFactory, TrialIdentifierFactory

PUBLISHED = "/trials/products/matrix-published/"
DRAFT = "/trials/products/matrix-draft/"

ROWS = [
    public("/trials/"),
    public("/trials/?q=matrix&phase=phase_1&country=DE&sort=-phase&page=2"),
    public("/trials/products/"),
    public("/trials/products/?q=matrix&status=ongoing&sort=phase"),
    public("/trials/dashboard/"),
    public(PUBLISHED),
    public("/trials/products/no-such-product/", 404),
    # A submission is visible to its owner and to curators only.
    row(DRAFT, 404, 404, 404, 200, 200, 200),
    row("/trials/contribute/", LOGIN, 403, 200, 200, 200, 200),
    row("/trials/mine/", LOGIN, 403, 200, 200, 200, 200),
    row("/trials/review/", LOGIN, 403, 403, 403, 200, 200),
    row(f"{DRAFT}edit/", LOGIN, 403, 404, 200, 200, 200),
    # A pending change to a published record: curators review it.
    row("/trials/review/changes/4242/", LOGIN, 403, 403, 403, 200, 200),
    row("/trials/review/changes/4243/", LOGIN, 403, 403, 403, 404, 404),
    row("/trials/review/changes/4242/", LOGIN, 403, 403, 403, 200, 200, method="post", data={"decision": "x"}),
    row(f"{PUBLISHED}edit/", LOGIN, 403, 404, 404, 200, 200),
    # An incomplete review (reject without a comment) changes nothing: curators are redirected back.
    row(f"{DRAFT}review/", LOGIN, 403, 403, 403, 302, 302, method="post", data={"decision": "reject"}),
    row(f"{DRAFT}review/", LOGIN, 403, 403, 403, 405, 405),
    # The API: public reads without personal data, writes for experts.
    public("/api/products/"),
    public("/api/trials/"),
    public("/api/trials/?phase=phase_1&q=matrix"),
    public("/api/products/matrix-published/"),
    row("/api/products/matrix-draft/", 404, 404, 404, 200, 200, 200),
    row("/api/products/", 403, 403, 400, 400, 400, 400, method="post", data={}),
    row("/api/trials/", 403, 403, 400, 400, 400, 400, method="post", data={}),
    # Cover-sheet import/export (trials/sheet_urls.py).
    public(f"{PUBLISHED}sheet.xlsx"),
    row(f"{DRAFT}sheet.xlsx", 404, 404, 404, 200, 200, 200),
    public("/trials/export/cover-sheets.zip"),
    public("/trials/export/trials.csv"),
    public("/trials/export/trials.xlsx"),
    row("/trials/sheets/import/", LOGIN, 403, 200, 200, 200, 200),
    public("/trials/sheets/template.xlsx"),
    public("/trials/products/values/?field=cell_type&atmp_type=gtmp"),
    public("/trials/products/values/?field=nope", 404),
    # A trial by its registry number.
    public("/trials/NCT09990001/"),
    public("/trials/NCT00000000/", 404),
    row("/trials/NCT09990002/", 404, 404, 404, 200, 200, 200),
]


@pytest.fixture(autouse=True)
def matrix_records(db, owner):
    published = ProductFactory(name="Matrix published", slug="matrix-published")
    TrialIdentifierFactory(trial=TrialFactory(product=published), value="NCT09990001")
    draft = ProductFactory(
        name="Matrix draft", slug="matrix-draft", owner=owner, curation_status=CurationStatus.SUBMITTED
    )
    TrialIdentifierFactory(trial=TrialFactory(product=draft), value="NCT09990002")
    ProductRevision.objects.create(
        pk=4242, product=published, author=owner, source="web", curation_status=CurationStatus.SUBMITTED,
        changes={"product": {"category": {"old": "", "new": "x"}}, "trials": [], "cells": None},
    )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("matrix_row", ROWS, ids=lambda r: f"{r.method} {r.url}")
def test_permission_matrix(client_for, matrix_row):
    check_row(client_for, matrix_row)
