"""The permission matrix for every economics URL x role."""

import pytest

from economics import services
from economics.engine.defaults import default_inputs
from economics.models import JobKind, SimulationJob, Visibility
from tests.matrix import LOGIN, check_row, public, row


def _evaluation(owner, visibility=Visibility.PRIVATE, name="E"):
    inputs, _ = default_inputs("car_t", "oncology", "phase_2")
    evaluation = services.evaluation_save(owner=owner, name=name, inputs=inputs)
    return services.evaluation_share(evaluation=evaluation, visibility=visibility)


def _rows(cast):
    owner = cast["owner"]
    private = _evaluation(owner)
    shared = _evaluation(owner, Visibility.EXPERTS)
    linked = _evaluation(owner, Visibility.LINK)
    doomed = _evaluation(owner, name="to delete")
    job = SimulationJob.objects.create(
        evaluation=private,
        requested_by=owner,
        kind=JobKind.MONTE_CARLO,
        n=10,
        inputs=private.inputs,
        status="failed",
        error="boom",
    )
    calc = {
        "atmp_kind": "car_t",
        "indication": "oncology",
        "start": "phase_3",
        "eligible_patients_per_year": 100,
        "peak_treated_share": 0.5,
        "years_to_peak": 2,
        "price_per_treatment_eur": 1,
        "cogs_per_treatment_eur": 0,
        "price_erosion_per_year": 0,
        "revenue_drop_after_exclusivity": 0,
        "manufacturing_setup_eur": 0,
        "commercial_cost_eur_per_year": 0,
        "pharmacovigilance_cost_eur_per_year": 0,
        "launch_delay_years": 0,
        "discount_rate": 0.1,
        "tax_rate": 0,
        "horizon_years": 10,
        "discount_timing": "end_of_year",
        "phases-TOTAL_FORMS": 0,
        "phases-INITIAL_FORMS": 0,
    }
    p, s, d = private.pk, shared.pk, doomed.pk
    return [
        public("/economics/"),
        public("/economics/?product=999999"),
        Row_post("/economics/calculate/", calc),
        public(linked.get_share_url()),
        public("/economics/shared/not-a-token/", 404),
        public(
            "/economics/distribution-preview/?uncertain-0-kind=pert&uncertain-0-low=1&uncertain-0-mode=2&uncertain-0-high=4"
        ),
        row(f"/economics/evaluations/{p}/report/", 404, 404, 404, 200, 404, 404),
        row(f"/economics/evaluations/{s}/report/", 404, 404, 200, 200, 200, 200),
        public(f"/economics/evaluations/{linked.pk}/report/?token={linked.share_token}"),
        row(f"/economics/evaluations/{p}/model.xlsx", 404, 404, 404, 200, 404, 404),
        row(f"/economics/evaluations/{s}/model.xlsx", 404, 404, 200, 200, 200, 200),
        row("/economics/evaluations/", LOGIN, 200, 200, 200, 200, 200),
        row("/economics/evaluations/import/", LOGIN, 200, 200, 200, 200, 200),
        row(f"/economics/evaluations/compare/?ids={p}&ids={s}", LOGIN, 200, 200, 200, 200, 200),
        row(f"/economics/evaluations/{p}/", 404, 404, 404, 200, 404, 404),
        row(f"/economics/evaluations/{s}/", 404, 404, 200, 200, 200, 200),
        row(f"/economics/evaluations/{p}/edit/", 403, 403, 403, 200, 403, 403),
        row(f"/economics/evaluations/{p}/export.csv", 404, 404, 404, 200, 404, 404),
        row(f"/economics/evaluations/{s}/export.xlsx", 404, 404, 200, 200, 200, 200),
        row(f"/economics/jobs/{job.pk}/", LOGIN, 404, 404, 200, 404, 404),
        row(f"/economics/jobs/{job.pk}/status/", LOGIN, 404, 404, 200, 404, 404),
        row(
            f"/economics/evaluations/{p}/jobs/",
            LOGIN,
            403,
            403,
            302,
            403,
            403,
            method="post",
            data={"kind": "sensitivity_one_way"},
        ),
        row(f"/economics/evaluations/{s}/duplicate/", LOGIN, 404, 302, 302, 302, 302, method="post"),
        row(
            f"/economics/evaluations/{p}/share/",
            LOGIN,
            403,
            403,
            302,
            403,
            403,
            method="post",
            data={"visibility": "private"},
        ),
        row(f"/economics/jobs/{job.pk}/rerun/", LOGIN, 404, 404, 302, 404, 404, method="post"),
        # The owner deletes it, so the roles after the owner find nothing.
        row(f"/economics/evaluations/{d}/delete/", LOGIN, 403, 403, 302, 404, 404, method="post"),
        row("/api/economics/evaluations/", 403, 200, 200, 200, 200, 200),
        row(f"/api/economics/evaluations/{p}/", 403, 404, 404, 200, 404, 404),
        row(f"/api/economics/evaluations/{s}/", 403, 404, 200, 200, 200, 200),
        row("/api/economics/jobs/", 403, 200, 200, 200, 200, 200),
        row(f"/api/economics/jobs/{job.pk}/", 403, 404, 404, 200, 404, 404),
    ]


def Row_post(url, data):  # noqa: N802 - reads like the matrix helpers
    return row(url, 200, 200, 200, 200, 200, 200, method="post", data=data)


@pytest.mark.django_db
def test_economics_permission_matrix(client_for, cast):
    failures = []
    for matrix_row in _rows(cast):
        try:
            check_row(client_for, matrix_row)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "\n".join(failures)
