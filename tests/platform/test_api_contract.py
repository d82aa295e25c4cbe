"""The API keeps its contract: schemathesis fuzzes every operation of /api/schema/ in-process.

For an anonymous visitor and for a logged-in expert (with a CSRF token, so writes are exercised):
no response >= 500, every status code documented, every body valid against the schema and of
the documented content type. The schema is read at run time, so endpoints added later are covered.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import make_user

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
CSRF_TOKEN = "a" * 32


@pytest.fixture
def wsgi_app():
    """Django's WSGI application, kept on the test's database connection (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, db):
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)


@pytest.fixture
def fuzz_data(db, broker):
    """A record to look up; jobs go to an in-memory broker instead of running eagerly."""
    from tests.facilities.helpers import make_facility

    broker("memory://")
    make_facility("Fuzz GMP Unit", slug="fuzz-gmp-unit")


@pytest.fixture
def expert_session(client, fuzz_data):
    client.force_login(make_user("fuzz-expert@example.org", role="expert"))
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF_TOKEN},
        "headers": {"X-CSRFToken": CSRF_TOKEN, "Referer": "https://testserver/"},
    }


BOUNDED = settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def fuzz(api_schema, *, cookies=None, headers=None) -> list[str]:
    """Every operation of the schema, a bounded number of generated requests each; the failures found."""
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @BOUNDED
        @given(case=operation.as_strategy())
        def check(case):
            response = case.call(cookies=cookies, headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            check()
        except BaseException as exc:  # schemathesis raises exception groups; collect them all, then report
            if isinstance(exc, KeyboardInterrupt):
                raise
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    return failures


@pytest.mark.django_db
def test_api_contract_for_anonymous_visitors(api_schema, fuzz_data):
    failures = fuzz(api_schema)
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_api_contract_for_experts(api_schema, expert_session):
    failures = fuzz(api_schema, cookies=expert_session["cookies"], headers=expert_session["headers"])
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_empty_filter_values_mean_no_filter(client, fuzz_data):
    """`?country=&origin=` is what a form with untouched selects sends: every list answers 200 to it."""
    document = client.get("/api/schema/?format=json").json()
    checked = 0
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if "{" in path or not get:
            continue
        names = [p["name"] for p in get.get("parameters", []) if p["in"] == "query" and p["name"] != "format"]
        query = "&".join(f"{name}=" for name in names)
        response = client.get(f"{path}?{query}", HTTP_ACCEPT="application/json")
        assert response.status_code in (200, 403), (path, response.status_code, response.content[:300])
        checked += response.status_code == 200
    assert checked >= 3


@pytest.mark.django_db
def test_csv_errors_are_a_plain_sentence_and_json_errors_never_a_repr(client, fuzz_data):
    response = client.get("/api/facilities/?format=csv&country=XX")
    assert response.status_code == 400
    text = response.content.decode()
    assert "ErrorDetail" not in text and "[" not in text
    assert text.startswith("country: Select a valid choice.")
    response = client.get("/api/facilities/?country=XX")
    assert response.status_code == 400 and response.json()["country"][0].startswith("Select a valid choice.")
    # A URL under /api/ that matches no route answers like DRF's own 404s, in JSON.
    missing = client.get("/api/products/%3A.b/")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})


@pytest.mark.django_db
def test_api_docs_work_under_the_csp_and_redoc_is_gone(client):
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "script-src 'self'" in docs["Content-Security-Policy"]
    # ReDoc needed a blob: worker the policy refuses; it is no longer offered.
    assert client.get("/api/redoc/").status_code == 404


@pytest.mark.django_db
def test_products_whose_names_slugify_alike_get_distinct_slugs(client_for):
    """Found by the fuzzer: the second product answered 500 (unique slug)."""
    client = client_for("expert")
    slugs = []
    for name in ("¬\x03", "\u00a0?", "CAR-T 1", "CAR T 1"):
        response = client.post("/api/products/", {"name": name}, content_type="application/json")
        assert response.status_code == 201, response.content
        slugs.append(response.json()["slug"])
    assert len(set(slugs)) == 4
