"""The hospital-exemption preset: no marketing authorisation, cost-recovery price, capped volume, sources."""

import pytest
from django.urls import reverse

from economics.engine import evaluate
from economics.engine.defaults import default_inputs
from economics.engine.hospital_exemption import HE_OVERHEAD_SHARE, HE_PATIENTS_PER_YEAR_LIMIT
from economics.engine.serialization import inputs_from_dict


@pytest.mark.parametrize("kind", ["car_t", "gene_therapy", "cell_therapy", "tissue_engineered"])
@pytest.mark.parametrize("indication", ["oncology", "rare_disease", "other"])
def test_the_preset_has_no_marketing_authorisation_and_cites_every_value(kind, indication):
    inputs, citations = default_inputs(kind, indication, "hospital_exemption")
    names = [p["name"] for p in inputs["phases"]]
    assert not any("MAA" in name or "Registration" in name for name in names)
    m = inputs["market"]
    assert m["commercial_cost_eur_per_year"] == 0 and m["exclusivity_years"] is None and inputs["tax_rate"] == 0
    assert m["eligible_patients_per_year"] * m["peak_treated_share"] <= HE_PATIENTS_PER_YEAR_LIMIT + 1e-9
    assert m["price_per_treatment_eur"] == pytest.approx(m["cogs_per_treatment_eur"] * (1 + HE_OVERHEAD_SHARE))
    for path in [f"market.{name}" for name in m] + ["tax_rate", "discount_rate"]:
        assert path in citations, path
    for i in range(len(names)):
        for field in ("duration_years", "cost_eur", "success_probability"):
            citation = citations[f"phases.{i}.{field}"]
            # Sourced, or marked as the platform's assumption: nothing unlabelled.
            assert citation["verified"] or "Platform assumption" in citation["reference"] or citation["note"]
    assert "1394/2007" in citations["market.exclusivity_years"]["reference"]
    evaluate(inputs_from_dict(inputs))


@pytest.mark.django_db
def test_the_form_loads_the_preset(client):
    from .test_views_and_api import tool_post

    response = client.post(reverse("economics:index"), tool_post(start="hospital_exemption", action="defaults"))
    body = response.content.decode()
    assert "Academic phase 1/2 study" in body
    assert "1394/2007" in body
