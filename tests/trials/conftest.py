import pytest

from trials.models import AtmpType, CurationStatus, Phase, SponsorType, TrialStatus

from .factories import LocationFactory, ProductFactory, TrialFactory


@pytest.fixture
def catalogue(db, owner):
    """Three published products, one submitted draft of the owner; trials in several phases/countries."""
    de = LocationFactory(code="DE", name="Germany")
    fr = LocationFactory(code="FR", name="France")
    us = LocationFactory(code="US", name="United States")
    car = ProductFactory(name="Alpha CAR-T", disease_text="B-ALL", target_text="CD19", origin_locations=[de])
    gene = ProductFactory(
        name="Beta AAV", atmp_type=AtmpType.GTMP, disease_text="Haemophilia B", target_text="Factor IX",
        patient_classification="rare_non_cancer", origin_locations=[us],
    )  # fmt: skip
    tep = ProductFactory(
        name="Gamma cartilage", atmp_type=AtmpType.TEP, disease_text="Knee cartilage defect", target_text="Chondrocytes"
    )
    hidden = ProductFactory(
        name="Delta secret", curation_status=CurationStatus.SUBMITTED, owner=owner, disease_text="B-ALL"
    )
    trials = {
        "car1": TrialFactory(product=car, phase=Phase.PHASE_1, countries=[de, fr], title="CD19 CAR-T in leukaemia",
                             primary_identifier="NCT01234567", first_in_human=True),
        "car2": TrialFactory(product=car, phase=Phase.PHASE_2, status=TrialStatus.RECRUITING, countries=[de],
                             sponsor_type=SponsorType.COMMERCIAL, start_year=2023),
        "gene1": TrialFactory(product=gene, phase=Phase.PHASE_3, countries=[us], title="AAV gene therapy for bleeding",
                              sponsor="Fictional Gene Corp", sponsor_type=SponsorType.COMMERCIAL),
        "tep1": TrialFactory(product=tep, phase=Phase.PHASE_1_2, countries=[fr], first_in_human=False),
        "hidden1": TrialFactory(product=hidden, phase=Phase.PHASE_1, title="Secret leukaemia study"),
    }  # fmt: skip
    for product in (car, gene, tep, hidden):
        product.refresh_highest_phase()
    return {"car": car, "gene": gene, "tep": tep, "hidden": hidden, **trials}
