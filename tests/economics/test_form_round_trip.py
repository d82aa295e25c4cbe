"""Nothing a user entered may be lost by another path: inputs → page → POST → inputs is the identity."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from economics import services
from economics.engine.defaults import default_inputs
from economics.engine.serialization import inputs_from_dict, inputs_to_dict
from economics.evaluation_forms import EvaluationForms

from .html_forms import form_data

MILESTONES = [
    {"after_phase": "Phase 1", "amount_eur": 5_000_000.0},
    {"after_phase": "Phase 2", "amount_eur": 20_000_000.0},
]


def _licensed_inputs() -> dict:
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    deal = {"upfront_eur": 2_000_000.0, "upfront_year": None, "royalty_rate": 0.08, "milestones": MILESTONES}
    deal |= {"sales_milestones": [{"threshold_eur": 1e8, "amount_eur": 1e7}]}
    deal |= {"royalty_tiers": [{"above_sales_eur": 2e8, "rate": 0.12}]}
    return inputs | {"licensing": deal}


@pytest.mark.django_db
def test_editing_an_api_saved_evaluation_in_the_form_keeps_its_milestones(client, owner):
    # Saved through the API's path (the service), then edited and saved from the page unchanged.
    evaluation = services.evaluation_save(owner=owner, name="Deal", inputs=_licensed_inputs())
    client.force_login(owner)
    page = client.get(reverse("economics:evaluation_edit", args=[evaluation.pk]))
    data = form_data(page.content.decode(), "evaluation-form") | {"action": "save"}
    response = client.post(reverse("economics:evaluation_edit", args=[evaluation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation.refresh_from_db()
    assert evaluation.inputs["licensing"]["milestones"] == MILESTONES
    assert evaluation.inputs == inputs_to_dict(inputs_from_dict(_licensed_inputs()))


@pytest.mark.django_db
def test_a_milestone_added_on_the_page_is_saved(client, owner):
    evaluation = services.evaluation_save(
        owner=owner, name="No deal yet", inputs=default_inputs("car_t", "oncology", "phase_1")[0]
    )
    client.force_login(owner)
    page = client.get(reverse("economics:evaluation_edit", args=[evaluation.pk]))
    data = form_data(page.content.decode(), "evaluation-form")
    assert data["milestones-TOTAL_FORMS"] == "1"  # the blank row for a new milestone
    data |= {"milestones-0-after_phase": "Phase 2", "milestones-0-amount_eur": "1000000", "action": "save"}
    client.post(reverse("economics:evaluation_edit", args=[evaluation.pk]), data)
    evaluation.refresh_from_db()
    assert evaluation.inputs["licensing"] == {
        "upfront_eur": 0.0,
        "royalty_rate": 0.0,
        "milestones": [{"after_phase": "Phase 2", "amount_eur": 1_000_000.0}],
        "upfront_year": None,
        "sales_milestones": [],
        "royalty_tiers": [],
    }


def _post_data(forms: EvaluationForms) -> dict:
    """What the rendered page posts back: each field's shown value as text."""
    data = {}
    parts = [forms.form]
    for formset in forms.formsets:
        parts += [formset.management_form, *formset.forms]
    for form in parts:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            data[bound.html_name] = "on" if value is True else str(value)
    return data


money = st.floats(0, 1e9, allow_nan=False)
share = st.floats(0, 1, allow_nan=False)


@st.composite
def evaluation_inputs(draw) -> dict:
    kind = draw(st.sampled_from(["car_t", "gene_therapy", "cell_therapy", "tissue_engineered"]))
    indication = draw(st.sampled_from(["oncology", "rare_disease", "other"]))
    inputs, _ = default_inputs(kind, indication, draw(st.sampled_from(["preclinical", "phase_1", "phase_3"])))
    phases = [
        p | {"cost_eur": draw(money), "success_probability": draw(share), "cost_is_per_year": draw(st.booleans())}
        for p in inputs["phases"]
    ]
    market = inputs["market"] | {
        "price_per_treatment_eur": draw(st.floats(0, 2e6)),
        "peak_treated_share": draw(share),
        "exclusivity_years": draw(st.none() | st.floats(0, 20)),
        "price_erosion_per_year": draw(share),
        "launch_delay_years": draw(st.floats(0, 2)),
        "launch_cost_eur": draw(money),
        "uptake_curve": draw(st.sampled_from(["linear", "s_curve"])),
        "uptake_steepness": draw(st.floats(0.01, 20)),
        "erosion_steps_after_exclusivity": draw(st.lists(share, max_size=5)),
        "erosion_applies_to": draw(st.sampled_from(["price", "volume"])),
    }
    licensing = draw(
        st.none()
        | st.fixed_dictionaries(
            {
                "upfront_eur": money,
                "upfront_year": st.none() | st.floats(0, 25),
                "royalty_rate": share,
                "sales_milestones": st.lists(
                    st.fixed_dictionaries({"threshold_eur": st.floats(1, 1e10), "amount_eur": money}), max_size=3
                ),
                "royalty_tiers": st.lists(st.fixed_dictionaries({"above_sales_eur": money, "rate": share}), max_size=3),
                "milestones": st.lists(
                    st.fixed_dictionaries(
                        {"after_phase": st.sampled_from([p["name"] for p in phases]), "amount_eur": money}
                    ),
                    max_size=4,
                ),
            }
        )
    )
    return inputs | {
        "phases": phases,
        "market": market,
        "licensing": licensing,
        "discount_rate": draw(st.floats(-0.4, 1)),
        "tax_rate": draw(st.floats(0, 0.9)),
        "horizon_years": 60,
        "conventions": {
            "discount_timing": draw(st.sampled_from(["end_of_year", "mid_year", "start_of_year"])),
            "tax_loss_carry_forward": draw(st.booleans()),
        },
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evaluation_inputs())
def test_every_input_survives_form_round_trip(inputs):
    stored = inputs_to_dict(inputs_from_dict(inputs))
    shown = EvaluationForms.from_inputs(stored, atmp_kind="car_t", indication="oncology", start="phase_1")
    posted = EvaluationForms(_post_data(shown))
    assert posted.is_valid(), (posted.form.errors, posted.phases.errors, posted.milestones.errors)
    assert inputs_to_dict(inputs_from_dict(posted.inputs())) == stored


def test_the_model_has_no_input_the_form_cannot_carry():
    # A new engine input must be added to the form too (else editing drops it silently).
    stored = inputs_to_dict(inputs_from_dict(_licensed_inputs()))
    posted = EvaluationForms(
        _post_data(EvaluationForms.from_inputs(stored, atmp_kind="car_t", indication="oncology", start="phase_1"))
    )
    assert posted.is_valid()
    assert set(inputs_to_dict(inputs_from_dict(posted.inputs()))) == set(stored)
    assert set(stored["market"]) == set(posted.inputs()["market"])


UNCERTAINTY = {
    "market.price_per_treatment_eur": {"kind": "pert", "low": 250_000.0, "mode": 350_000.0, "high": 450_000.0},
    "market.peak_treated_share": {"kind": "lognormal", "mode": 0.2, "sd": 0.05},
    "phases.0.success_probability": {"kind": "truncated_normal", "mode": 0.5, "sd": 0.1, "low": 0.3, "high": 0.7},
    "discount_rate": {"kind": "normal", "mode": 0.105, "sd": 0.01},
    "tax_rate": {"kind": "uniform", "low": 0.2, "high": 0.3},
    "phases.1.duration_years": {"kind": "triangular", "low": 2.0, "mode": 3.0, "high": 5.0},
    "market.years_to_peak": {"kind": "fixed", "mode": 4.0},
    "correlations": [
        {"a": "market.price_per_treatment_eur", "b": "market.peak_treated_share", "rank_correlation": -0.4}
    ],
}


def test_every_distribution_and_correlation_survives_the_page_without_json():
    stored = inputs_to_dict(inputs_from_dict(_licensed_inputs()))
    shown = EvaluationForms.from_inputs(stored, UNCERTAINTY, atmp_kind="car_t", indication="oncology")
    posted = EvaluationForms(_post_data(shown))
    assert posted.is_valid(), posted.error_messages()
    assert posted.cleaned_uncertainty == UNCERTAINTY


@pytest.mark.django_db
def test_the_edit_page_shows_each_distribution_with_its_shape(client, owner):
    evaluation = services.evaluation_save(owner=owner, name="MC", inputs=_licensed_inputs(), uncertainty=UNCERTAINTY)
    client.force_login(owner)
    body = client.get(reverse("economics:evaluation_edit", args=[evaluation.pk])).content.decode()
    assert body.count("<polyline") == 7  # one shape per distribution; none for the blank row
    assert "Uncertain inputs (JSON)" not in body
    assert '<option value="market.price_per_treatment_eur" selected>Price per treatment (€)</option>' in body


def test_the_preview_endpoint_draws_a_shape_or_says_what_is_missing(client):
    url = reverse("economics:distribution_preview")
    shape = client.get(
        url, {"uncertain-3-kind": "triangular", "uncertain-3-low": 1, "uncertain-3-mode": 2, "uncertain-3-high": 5}
    )
    assert "<polyline" in shape.content.decode()
    assert "1.00 to 5" in shape.content.decode() or "1 to 5" in shape.content.decode()
    missing = client.get(url, {"uncertain-0-kind": "pert", "uncertain-0-low": 1})
    assert "Choose a distribution and its values" in missing.content.decode()
    assert client.get(url, {"uncertain-0-kind": "nonsense", "uncertain-0-low": "x"}).status_code == 200


@pytest.mark.django_db
def test_the_report_prints_inputs_conventions_and_results(client, owner):
    evaluation = services.evaluation_save(
        owner=owner, name="Report", inputs=_licensed_inputs(), uncertainty=UNCERTAINTY
    )
    client.force_login(owner)
    body = client.get(reverse("economics:evaluation_report", args=[evaluation.pk])).content.decode()
    assert "Report: Report" in body and 'data-testid="report-rnpv"' in body
    assert "Conventions: discounting mid year" in body
    assert "Licensing: licensor rNPV / licensee rNPV" in body
    assert "Rank correlation -0.4 between Price per treatment (€) and Share treated at peak." in body
    assert "economics/report.css" in body
