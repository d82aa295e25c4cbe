"""Absurd and non-finite inputs, the sensitivity job's validation, failed jobs and tornado labels."""

import math
from dataclasses import replace

import pytest
from django.urls import reverse

from economics import services
from economics.engine import InputError, evaluate
from economics.engine.defaults import default_inputs
from economics.engine.sensitivity import one_way
from economics.engine.serialization import inputs_from_dict
from economics.models import Evaluation, JobKind, JobStatus, SimulationJob

from .test_views_and_api import tool_post


def _inputs():
    return inputs_from_dict(default_inputs("car_t", "oncology", "phase_1")[0])


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("market.price_per_treatment_eur", 1e308, "too large"),
        ("market.price_per_treatment_eur", math.inf, "Enter a finite number."),
        ("market.price_per_treatment_eur", math.nan, "Enter a finite number."),
        ("market.eligible_patients_per_year", 1e200, "too large"),
        ("phases.0.cost_eur", 1e200, "too large"),
        ("phases.0.success_probability", math.nan, "Enter a finite number."),
        ("discount_rate", math.inf, "Enter a finite number."),
    ],
)
def test_the_engine_refuses_non_finite_and_absurd_values(path, value, message):
    with pytest.raises(InputError) as caught:
        evaluate(_inputs().with_value(path, value))
    assert any(message in m for m in caught.value.errors[path])


def test_patients_times_price_beyond_any_market_is_refused_before_it_overflows():
    inputs = (
        _inputs().with_value("market.eligible_patients_per_year", 1e8).with_value("market.price_per_treatment_eur", 1e9)
    )
    inputs = replace(inputs, market=replace(inputs.market, peak_treated_share=1.0))
    with pytest.raises(InputError) as caught:
        evaluate(inputs)
    assert "beyond any real market" in " ".join(caught.value.errors["market.price_per_treatment_eur"])


@pytest.mark.django_db
@pytest.mark.parametrize("price", ["1e308", "1e200", "1e14"])
def test_the_form_refuses_absurd_prices_with_a_message_and_saves_nothing(client, owner, price):
    client.force_login(owner)
    response = client.post(reverse("economics:index"), tool_post(price_per_treatment_eur=price, action="save"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "too large" in body or "beyond any real market" in body
    assert "nan" not in body.lower().replace("nance", "").replace("nant", "")
    assert "e+" not in body
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_the_api_answers_absurd_values_with_400(client):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    inputs["market"]["price_per_treatment_eur"] = 1e308
    response = client.post(
        reverse("economics-evaluation-calculate"), {"inputs": inputs}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "too large" in response.content.decode()


@pytest.fixture
def evaluation(owner):
    return services.evaluation_save(owner=owner, name="CAR-T", inputs=default_inputs("car_t", "oncology", "phase_1")[0])


@pytest.mark.django_db
def test_a_two_way_range_the_form_would_refuse_is_refused_at_job_start(evaluation, owner):
    with pytest.raises(InputError) as caught:
        services.job_start(
            evaluation=evaluation,
            user=owner,
            kind=JobKind.SENSITIVITY_TWO_WAY,
            parameters={
                "input_a": "discount_rate",
                "low_a": -5,
                "high_a": -1,
                "input_b": "market.price_per_treatment_eur",
                "steps": 3,
            },
        )
    assert (
        "Discount rate: At its low value (-5): Use a yearly rate between -0.5 and 1" in caught.value.errors["low_a"][0]
    )
    assert not SimulationJob.objects.exists()


@pytest.mark.django_db
def test_the_job_form_says_in_words_why_a_range_is_refused(client, owner, evaluation):
    client.force_login(owner)
    data = {"kind": JobKind.SENSITIVITY_TWO_WAY, "input_a": "discount_rate", "low_a": -5, "high_a": -1}
    data |= {"input_b": "market.price_per_treatment_eur", "steps": 3}
    response = client.post(reverse("economics:job_start", args=[evaluation.pk]), data, follow=True)
    body = response.content.decode()
    assert "First input&#x27;s range: Discount rate: At its low value (-5)" in body
    assert not SimulationJob.objects.exists()


@pytest.mark.django_db
def test_a_distribution_outside_the_valid_range_is_refused_when_saving(owner):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    with pytest.raises(InputError) as caught:
        services.evaluation_save(
            owner=owner,
            name="bad",
            inputs=inputs,
            uncertainty={"discount_rate": {"kind": "uniform", "low": -5, "high": -1}},
        )
    assert "Use a yearly rate between -0.5 and 1" in " ".join(caught.value.errors["uncertainty.discount_rate"])


@pytest.mark.django_db
def test_a_job_failing_unexpectedly_shows_a_sentence_not_a_traceback(evaluation, owner, client):
    # A two-way job row that lost its parameters (a hand edit or an old version's row).
    job = SimulationJob.objects.create(
        evaluation=evaluation,
        requested_by=owner,
        kind=JobKind.SENSITIVITY_TWO_WAY,
        inputs=evaluation.inputs,
        parameters={},
    )
    from economics.tasks import run_job

    run_job.delay(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("The calculation stopped on an unexpected error and nothing was stored.")
    assert "KeyError" not in job.error and "input_a" not in job.error
    client.force_login(owner)
    assert "Re-run the job" in client.get(job.get_absolute_url()).content.decode()


def test_every_tornado_bar_is_labelled_in_words():
    result = one_way(_inputs())
    labels = [bar["label"] for bar in result["bars"]]
    assert "Phase 1 success probability" in labels
    assert "Price per treatment (€)" in labels
    assert all("." not in label and "_" not in label for label in labels)


@pytest.mark.django_db
def test_the_tornado_page_shows_every_label_in_words(evaluation, owner, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.job_start(evaluation=evaluation, user=owner, kind=JobKind.SENSITIVITY_ONE_WAY)
    job.refresh_from_db()
    client.force_login(owner)
    body = client.get(job.get_absolute_url()).content.decode()
    assert '<th scope="row" class="fw-normal">Phase 1 success probability</th>' in body
    assert "phases.0.success_probability</" not in body
    assert len(job.result["bars"]) == body.count('<th scope="row" class="fw-normal">')
