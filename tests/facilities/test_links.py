import pytest

from facilities.models import Facility, ManufacturingSiteLink
from facilities.services import sitelink_suggestions
from tests.facilities.helpers import make_facility
from tests.trials.factories import ProductFactory, TrialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_in_munich():
    facility = make_facility("Cell Therapy GMP Unit", city="Munich", institution="Klinikum Munich Research Hospital")
    other = make_facility("Vector Core", city="Paris", institution="Institut Vecteurs Paris")
    product = ProductFactory(name="TEST-CAR", atmp_type="gtmp_ex_vivo")
    TrialFactory(product=product, lead_manufacturing="Dr. A. Example, GMP unit, Klinikum Munich Research Hospital")
    return facility, other, product


def test_lead_manufacturing_text_suggests_the_right_facility_only(made_in_munich):
    facility, other, product = made_in_munich
    suggestions = sitelink_suggestions()
    assert [(s.product_id, s.facility) for s in suggestions] == [(product.pk, facility)]


def test_curator_confirms_then_page_lists_the_product_and_the_map_filter_finds_it(client_for, made_in_munich):
    facility, other, product = made_in_munich
    curator = client_for("curator")
    assert "TEST-CAR" in curator.get("/facilities/links/").content.decode()
    response = curator.post(
        "/facilities/links/confirm/", {"product": product.pk, "facility": facility.pk, "source_text": "Klinikum"}
    )
    assert response.status_code == 302
    link = ManufacturingSiteLink.objects.get()
    assert (link.facility, link.product, link.confirmed_by.email) == (facility, product, "curator@example.org")
    assert curator.get("/facilities/links/").context["suggestions"] == []  # no longer a suggestion
    page = client_for("anonymous").get(facility.get_absolute_url()).content.decode()
    assert "TEST-CAR" in page
    assert set(Facility.objects.making_trial_products_of_type("gtmp_ex_vivo")) == {facility}
    api = client_for("anonymous").get("/api/facilities/?trial_atmp_type=gtmp_ex_vivo").json()
    assert [f["id"] for f in api["features"]] == [facility.pk]
    assert client_for("anonymous").get("/api/facilities/?trial_atmp_type=tep").json()["features"] == []


def test_unpublished_products_are_never_listed_or_filtered(client_for, made_in_munich):
    facility, other, product = made_in_munich
    product.curation_status = "draft"
    product.save()
    ManufacturingSiteLink.objects.create(product=product, facility=facility)
    assert "TEST-CAR" not in client_for("anonymous").get(facility.get_absolute_url()).content.decode()
    assert not Facility.objects.making_trial_products_of_type("gtmp_ex_vivo").exists()


def test_confirming_garbage_is_a_404_not_a_500(client_for):
    response = client_for("curator").post("/facilities/links/confirm/", {"product": "x", "facility": "1"})
    assert response.status_code == 404
