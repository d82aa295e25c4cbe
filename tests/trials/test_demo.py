"""The demo loader: fictional products covering each ATMP type, idempotent."""

import pytest

from trials import demo
from trials.models import AtmpType, CurationStatus, Phase, Product, Trial


@pytest.mark.django_db
def test_demo_covers_every_atmp_type_phases_statuses_and_countries():
    demo.load()
    products = Product.objects.all()
    assert products.count() == len(demo.DEMO_PRODUCTS)
    assert all(p.is_demo and p.name.startswith("DEMO") for p in products)
    assert set(products.values_list("atmp_type", flat=True)) == set(AtmpType.values)
    trials = Trial.objects.all()
    assert len(set(trials.values_list("phase", flat=True))) >= 4
    assert len(set(trials.values_list("status", flat=True))) >= 4
    assert trials.filter(countries__code="GB").exists() and trials.filter(countries__code="eu-eea").exists()
    assert Product.objects.get(name__startswith="DEMO-CAR19").highest_phase == Phase.PHASE_2


@pytest.mark.django_db
def test_demo_is_idempotent_and_gives_the_demo_expert_submitted_records():
    from tests.conftest import make_user

    expert = make_user(demo.DEMO_EXPERT_EMAIL, role="expert")
    demo.load()
    counts = (Product.objects.count(), Trial.objects.count(), Product.history.count())
    demo.load()
    assert (Product.objects.count(), Trial.objects.count(), Product.history.count()) == counts
    submitted = Product.objects.filter(curation_status=CurationStatus.SUBMITTED)
    assert submitted.count() == 2 and all(p.owner == expert for p in submitted)
    assert Product.objects.public().count() == len(demo.DEMO_PRODUCTS) - 2
