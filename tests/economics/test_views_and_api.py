"""The tool's pages and the REST API: results, saving, sharing, jobs, exports, import, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from economics import exports, services
from economics.engine.defaults import default_inputs
from economics.engine.serialization import inputs_from_dict, inputs_to_dict
from economics.models import Evaluation, JobStatus, SimulationJob, Visibility


def tool_post(**changes):
    """A full POST of the tool form with the cell-therapy defaults."""
    inputs, _ = default_inputs("cell_therapy", "rare_disease", "phase_1")
    data = {
        "atmp_kind": "cell_therapy",
        "indication": "rare_disease",
        "start": "phase_1",
        "name": "My CTMP",
        "discount_rate": 0.105,
        "tax_rate": 0.25,
        "horizon_years": 25,
        "discount_timing": "mid_year",
        **{k: v for k, v in inputs["market"].items() if k != "erosion_steps_after_exclusivity"},
    }
    data |= {"phases-TOTAL_FORMS": len(inputs["phases"]), "phases-INITIAL_FORMS": 0}
    for prefix in ("milestones", "sales_milestones", "royalty_tiers", "uncertain", "correlations"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    for i, phase in enumerate(inputs["phases"]):
        data |= {f"phases-{i}-{k}": v for k, v in phase.items() if k != "cost_is_per_year"}
    return data | changes


@pytest.fixture
def evaluation(owner):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    return services.evaluation_save(owner=owner, name="Owned", inputs=inputs)


@pytest.mark.django_db
def test_anyone_gets_instant_results_from_the_htmx_endpoint(client):
    response = client.post(reverse("economics:calculate"), tool_post(), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b'data-testid="rnpv"' in response.content
    assert b"cashflow-data" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phases-0-duration_years": -1}, b"A phase lasts more than 0 years."),
        ({"phases-1-success_probability": 1.5}, b"A probability lies between 0 and 1."),
        ({"horizon_years": 3}, b"The horizon must cover development"),
        ({"price_per_treatment_eur": "lots"}, b"Enter a number."),
        (
            {
                "uncertain-TOTAL_FORMS": 1,
                "uncertain-0-path": "market.price_per_treatment_eur",
                "uncertain-0-kind": "uniform",
                "uncertain-0-low": 9,
                "uncertain-0-high": 1,
            },
            b"High must not be below low.",
        ),
        (
            {"uncertain-TOTAL_FORMS": 1, "uncertain-0-path": "market.price_per_treatment_eur"},
            b"This field is required.",
        ),
        ({"phases-TOTAL_FORMS": "x"}, b"ManagementForm"),
    ],
)
def test_bad_input_gets_a_clear_message_never_a_500(client, change, message):
    response = client.post(reverse("economics:calculate"), tool_post(**change))
    assert response.status_code == 200
    assert message in response.content


@pytest.mark.django_db
def test_the_tool_page_shows_defaults_with_citations(client):
    response = client.get(reverse("economics:index"))
    assert response.status_code == 200
    assert b"Elsallab" in response.content and b"unverified" in response.content
    defaults = client.post(reverse("economics:index"), {**tool_post(), "atmp_kind": "car_t", "action": "defaults"})
    assert b"CAR-T LOA 13.6%" in defaults.content


@pytest.mark.django_db
def test_anonymous_cannot_save_but_keeps_inputs(client):
    response = client.post(reverse("economics:index"), tool_post(action="save"))
    assert response.status_code == 200
    assert not Evaluation.objects.exists()
    assert b"Sign in to save" in response.content


@pytest.mark.django_db
def test_a_pending_user_saves_edits_duplicates_and_compares(client_for, pending_user):
    client = client_for("pending")
    response = client.post(reverse("economics:index"), tool_post(action="save"))
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302 and response["Location"] == evaluation.get_absolute_url()
    assert evaluation.owner == pending_user and evaluation.result["rnpv_eur"]
    client.post(
        reverse("economics:evaluation_edit", args=[evaluation.pk]),
        tool_post(action="save", name="Renamed", price_per_treatment_eur=1),
    )
    evaluation.refresh_from_db()
    assert evaluation.name == "Renamed" and evaluation.inputs["market"]["price_per_treatment_eur"] == 1
    client.post(reverse("economics:evaluation_duplicate", args=[evaluation.pk]))
    scenario = Evaluation.objects.exclude(pk=evaluation.pk).get()
    assert scenario.scenario_of == evaluation
    page = client.get(reverse("economics:compare") + f"?ids={evaluation.pk}&ids={scenario.pk}")
    assert page.status_code == 200 and b"Renamed" in page.content and b"(scenario)" in page.content


@pytest.mark.django_db
def test_private_evaluations_stay_private_until_shared(client_for, evaluation):
    url = evaluation.get_absolute_url()
    assert client_for("expert").get(url).status_code == 404
    assert client_for("anonymous").get(evaluation.get_share_url()).status_code == 404
    client_for("owner").post(reverse("economics:evaluation_share", args=[evaluation.pk]), {"visibility": "link"})
    evaluation.refresh_from_db()
    assert client_for("anonymous").get(evaluation.get_share_url()).status_code == 200
    assert client_for("expert").get(url).status_code == 404
    services.evaluation_share(evaluation=evaluation, visibility=Visibility.EXPERTS)
    assert client_for("expert").get(url).status_code == 200
    assert client_for("pending").get(url).status_code == 404


@pytest.mark.django_db
def test_starting_a_job_from_the_page_shows_its_histogram(client_for, evaluation):
    client = client_for("owner")
    with_commit = client.post(
        reverse("economics:job_start", args=[evaluation.pk]), {"kind": "monte_carlo", "n": 2000, "seed": 1}
    )
    job = SimulationJob.objects.get()
    assert with_commit.status_code == 302
    # on_commit callbacks do not run inside the test transaction: run the task as the worker would.
    from economics.tasks import run_job

    run_job.delay(job.pk, job.attempt)
    page = client.get(job.get_absolute_url())
    assert b"histogram-data" in page.content
    assert client.get(reverse("economics:job_status", args=[job.pk])).status_code == 200


@pytest.mark.django_db
def test_export_and_import_round_trip_in_both_formats(client_for, evaluation):
    client = client_for("owner")
    evaluation.uncertainty = {"discount_rate": {"kind": "uniform", "low": 0.08, "high": 0.12}}
    evaluation.save()
    for fmt in ("csv", "xlsx"):
        exported = client.get(reverse("economics:evaluation_export", args=[evaluation.pk, fmt]))
        assert exported.status_code == 200
        upload = SimpleUploadedFile(f"export.{fmt}", exported.content)
        response = client.post(reverse("economics:evaluation_import"), {"file": upload})
        imported = Evaluation.objects.order_by("-pk").first()
        assert response.status_code == 302, response.content[:500]
        assert imported.inputs == evaluation.inputs
        assert imported.uncertainty == evaluation.uncertainty
        assert imported.result["rnpv_eur"] == pytest.approx(evaluation.result["rnpv_eur"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.csv", b"hello,world\n", b"first row must be"),
        ("x.xlsx", b"not a zip", b"Could not read the file"),
        ("x.txt", b"input,value\n", b"Upload a .csv or .xlsx"),
        ("x.csv", b"input,value\ninputs.discount_rate,abc\n", b"discount_rate"),
    ],
)
def test_bad_imports_are_refused_atomically_with_a_reason(client_for, name, content, message):
    response = client_for("expert").post(
        reverse("economics:evaluation_import"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert message in response.content
    assert not Evaluation.objects.exists()


def normalised(inputs: dict) -> dict:
    return inputs_to_dict(inputs_from_dict(inputs))


def test_flatten_and_unflatten_are_inverse():
    inputs, _ = default_inputs("gene_therapy", "other", "preclinical")
    rows = [(k, str(v) if isinstance(v, bool) else v) for k, v in exports.flatten(inputs)]
    # Empty lists leave no row; the engine reads them back as empty (its default).
    assert normalised(exports.unflatten(rows)) == normalised(inputs)


# --- API -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_api_calculate_is_open_and_returns_field_errors(client):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    url = reverse("economics-evaluation-calculate")
    ok = client.post(url, {"inputs": inputs}, content_type="application/json")
    assert ok.status_code == 200 and "rnpv_eur" in ok.json()["result"]
    inputs["phases"][0]["success_probability"] = 2
    bad = client.post(url, {"inputs": inputs}, content_type="application/json")
    assert bad.status_code == 400
    assert "phases.0.success_probability" in bad.json()
    for body in ("{", "[]", '{"inputs": 5}', '{"inputs": {"phases": [null]}}'):
        assert client.post(url, body, content_type="application/json").status_code == 400


@pytest.mark.django_db
def test_api_create_evaluation_start_job_and_poll(client_for, django_capture_on_commit_callbacks):
    client = client_for("pending")
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    created = client.post(
        reverse("economics-evaluation-list"),
        {
            "name": "API",
            "inputs": inputs,
            "uncertainty": {"tax_rate": {"kind": "triangular", "low": 0.2, "mode": 0.25, "high": 0.3}},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["result"]["rnpv_eur"]
    evaluation_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("economics-job-list"),
            {"evaluation": evaluation_id, "kind": "monte_carlo", "n": 3000, "seed": 9},
            content_type="application/json",
        )
    assert started.status_code == 202
    polled = client.get(reverse("economics-job-detail", args=[started.json()["id"]]))
    assert polled.json()["status"] == JobStatus.SUCCEEDED
    assert polled.json()["result"]["n"] == 3000
    too_many = client.post(
        reverse("economics-job-list"),
        {"evaluation": evaluation_id, "kind": "monte_carlo", "n": 10_000_001},
        content_type="application/json",
    )
    assert too_many.status_code == 400 and "n" in too_many.json()
    other = client_for("expert").get(reverse("economics-job-detail", args=[started.json()["id"]]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_api_bad_distribution_is_a_400_with_the_field(client_for):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    response = client_for("expert").post(
        reverse("economics-evaluation-list"),
        {"name": "x", "inputs": inputs, "uncertainty": {"tax_rate": {"kind": "uniform", "low": 0.5, "high": 0.1}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "uncertainty.tax_rate.high" in response.json()


@pytest.mark.django_db
def test_each_default_phase_value_shows_its_source_beside_it(client):
    body = client.get(reverse("economics:index")).content.decode()
    first_phase = body[
        body.index('<legend class="h6">Phase 1</legend>') : body.index('<legend class="h6">Phase 2</legend>')
    ]
    assert "Probability: Elsallab" in first_phase
    assert "Cost: platform assumption or unverified" in first_phase
    assert "Duration: BIO" in first_phase
