import json
import re

import pytest

pytestmark = pytest.mark.django_db


def _charts(html: str) -> dict:
    blocks = re.findall(r'<script id="chart-(\w+)-data" type="application/json">(.*?)</script>', html, re.S)
    return {name: json.loads(data) for name, data in blocks}


def test_dashboard_counts_public_trials_and_links_each_bar(client_for, catalogue):
    response = client_for("anonymous").get("/trials/dashboard/")
    assert response.status_code == 200
    charts = _charts(response.content.decode())
    assert set(charts) == {
        "atmp_type",
        "phase",
        "status",
        "country",
        "sponsor_type",
        "patient_classification",
        "start_year",
    }
    phases = {p["label"]: p["count"] for p in charts["phase"]}
    assert phases == {"Phase 1": 1, "Phase 1/2": 1, "Phase 2": 1, "Phase 3": 1}  # the submitted trial is not counted
    assert [p["label"] for p in charts["phase"]] == ["Phase 1", "Phase 1/2", "Phase 2", "Phase 3"]
    point = next(p for p in charts["country"] if p["label"] == "France")
    assert point["url"] == "/trials/?country=FR"
    # Following the link gives exactly that many trials.
    listed = client_for("anonymous").get(point["url"]).content.decode()
    assert f"<strong>{point['count']}</strong> results" in listed


def test_dashboard_loads_chart_js_from_our_own_static_files(client_for, catalogue):
    html = client_for("anonymous").get("/trials/dashboard/").content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in html
    assert "<script>" not in html
