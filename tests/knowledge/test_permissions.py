"""The permission matrix for every knowledge URL."""

import pytest

from tests.matrix import LOGIN, check_row, public, row

from .conftest import make_case

PUBLISHED = "/knowledge/cases/published-case/"
SUBMITTED = "/knowledge/cases/submitted-case/"

ROWS = [
    # Case studies
    public("/knowledge/cases/"),
    public("/knowledge/cases/?atmp_type=gtmp&country=DE&hurdle=regulatory&stage=phase_1&page=x"),
    public(PUBLISHED),
    public(f"{PUBLISHED}swot/"),
    public("/knowledge/cases/compare/?case=published-case&case=submitted-case"),
    public("/knowledge/cases/no-such-case/", 404),
    row(SUBMITTED, 404, 404, 404, 200, 200, 200),
    row(f"{SUBMITTED}swot/", 404, 404, 404, 200, 200, 200),
    row("/knowledge/cases/new/", LOGIN, 403, 200, 200, 200, 200),
    row(f"{SUBMITTED}edit/", LOGIN, 403, 404, 200, 200, 200),
    row(f"{PUBLISHED}edit/", LOGIN, 403, 404, 200, 200, 200),
    row(f"{SUBMITTED}submit/", LOGIN, 403, 403, 302, 302, 302, method="post"),
    row(f"{SUBMITTED}review/", LOGIN, 403, 403, 403, 302, 302, method="post", data={"decision": "bogus"}),
    row(f"{PUBLISHED}confirm/", LOGIN, 403, 404, 404, 404, 404, method="post"),
]


@pytest.fixture(autouse=True)
def matrix_records(db, owner):
    make_case(owner, title="Published case", slug="published-case")
    make_case(owner, title="Submitted case", slug="submitted-case", status="submitted")


@pytest.mark.django_db
@pytest.mark.parametrize("matrix_row", ROWS, ids=lambda r: f"{r.method} {r.url}")
def test_permission_matrix(client_for, matrix_row):
    check_row(client_for, matrix_row)
