"""Starting an evaluation from a product of the trials database."""

import pytest
from django.urls import reverse

from economics.services import evaluation_defaults_for_product
from trials.models import AtmpType, CurationStatus, PatientClassification, Phase, Product


def _product(**fields):
    return Product.objects.create(
        name=fields.pop("name", "CAR-T X"), curation_status=CurationStatus.PUBLISHED, **fields
    )


@pytest.mark.django_db
def test_type_indication_and_current_phase_prefill_the_defaults():
    product = _product(
        atmp_type=AtmpType.GTMP_EX_VIVO,
        patient_classification=PatientClassification.CANCER,
        highest_phase=Phase.PHASE_1_2,
    )
    prefill = evaluation_defaults_for_product(product)
    assert (prefill["atmp_kind"], prefill["indication"]) == ("car_t", "oncology")
    assert [p["name"] for p in prefill["inputs"]["phases"]] == ["Phase 1/2", "Phase 3", "Registration (MAA)"]
    rare = evaluation_defaults_for_product(
        _product(
            name="TEP",
            atmp_type=AtmpType.TEP,
            highest_phase=Phase.PHASE_3,
            patient_classification=PatientClassification.RARE_NON_CANCER,
        )
    )
    assert (rare["atmp_kind"], rare["indication"]) == ("tissue_engineered", "rare_disease")
    assert [p["name"] for p in rare["inputs"]["phases"]] == ["Phase 3", "Registration (MAA)"]


@pytest.mark.django_db
def test_the_tool_prefills_from_a_public_product_and_ignores_others(client):
    product = _product(
        atmp_type=AtmpType.GTMP,
        patient_classification=PatientClassification.RARE_NON_CANCER,
        highest_phase=Phase.PHASE_2,
    )
    page = client.get(reverse("economics:index") + f"?product={product.pk}")
    assert b"Prefilled from" in page.content and b"AAV gene therapy LOA 13.6%" in page.content
    draft = _product(name="Draft", atmp_type=AtmpType.GTMP)
    Product.objects.filter(pk=draft.pk).update(curation_status=CurationStatus.SUBMITTED)
    assert b"Prefilled from" not in client.get(reverse("economics:index") + f"?product={draft.pk}").content
    assert client.get(reverse("economics:index") + "?product=abc").status_code == 200


@pytest.mark.django_db
def test_demo_content_loads_once_and_is_marked(client_for):
    from economics import demo
    from economics.models import Evaluation
    from tests.conftest import make_user

    owner = make_user("expert@demo.atmp-platform.invalid", role="expert")
    demo.load()
    demo.load()
    evaluation = Evaluation.objects.get(owner=owner)
    assert evaluation.visibility == "experts"
    assert b"Demo content" in client_for("expert").get(evaluation.get_absolute_url()).content


@pytest.mark.django_db
def test_the_page_says_what_was_prefilled_and_what_was_not(client):
    from trials.models import Location, Trial

    product = _product(name="Known", atmp_type=AtmpType.SCTMP, highest_phase=Phase.PHASE_1)
    trial = Trial.objects.create(product=product)
    trial.countries.add(
        Location.objects.create(code="ES", name="Spain"), Location.objects.create(code="DE", name="Germany")
    )
    page = client.get(reverse("economics:index") + f"?product={product.pk}").content.decode()
    assert "Type of ATMP: Somatic cell therapy (from “" in page
    assert "Indication class: not recorded: default used" in page
    assert "Trial countries: Germany, Spain (shown for market sizing" in page
    assert "Enrolment: not recorded in the trials database: not prefilled" in page
