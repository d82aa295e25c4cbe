"""/api/products/ and /api/trials/ as the public and each role see them: filters, search, no personal
data for the public, who may write, a fixed number of queries per list page."""

import json

import pytest

from trials.models import CurationStatus, Product, TrialStatus

from .factories import LocationFactory, ProductFactory, TrialFactory

pytestmark = pytest.mark.django_db

PERSONAL = ("principal_investigator", "pi_email", "sponsor_email", "lead_clinical")


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


@pytest.fixture
def catalogue(owner):
    de = LocationFactory(code="DE", name="Germany")
    fr = LocationFactory(code="FR", name="France")
    car_t = ProductFactory(name="Fictional CAR-T alpha", disease_text="acute lymphoblastic leukaemia")
    TrialFactory(product=car_t, title="Alpha in children", phase="phase_1", countries=[de])
    TrialFactory(product=car_t, title="Alpha in adults", phase="phase_2", countries=[fr])
    retina = ProductFactory(
        name="Fictional retina vector",
        atmp_type="gtmp",
        disease_text="retinitis pigmentosa",
        target_text="RPE65",
        patient_classification="rare_non_cancer",
    )
    TrialFactory(product=retina, title="Vector sight study", phase="phase_3", status=TrialStatus.COMPLETED)
    draft = ProductFactory(name="Owner's draft", curation_status=CurationStatus.SUBMITTED, owner=owner)
    TrialFactory(product=draft, title="Draft study")
    for product in (car_t, retina, draft):
        product.refresh_highest_phase()
    return {"car_t": car_t, "retina": retina, "draft": draft}


def names(response):
    assert response.status_code == 200, response.content
    return sorted(r.get("name") or r.get("title") for r in response.json()["results"])


def test_public_list_shows_published_products_only(client, catalogue):
    assert names(client.get("/api/products/")) == ["Fictional CAR-T alpha", "Fictional retina vector"]


def test_owner_sees_their_own_submission_in_the_api(client_for, catalogue):
    assert "Owner's draft" in names(client_for("owner").get("/api/products/"))
    assert "Owner's draft" not in names(client_for("expert").get("/api/products/"))
    assert client_for("expert").get(f"/api/products/{catalogue['draft'].slug}/").status_code == 404


def test_products_filter_like_the_list_page(client, catalogue):
    assert names(client.get("/api/products/?atmp_type=gtmp")) == ["Fictional retina vector"]
    assert names(client.get("/api/products/?phase=phase_3")) == ["Fictional retina vector"]
    assert names(client.get("/api/products/?country=FR")) == ["Fictional CAR-T alpha"]
    assert names(client.get("/api/products/?patient_classification=rare_non_cancer")) == ["Fictional retina vector"]
    assert names(client.get("/api/products/?q=leukaemia")) == ["Fictional CAR-T alpha"]


def test_trials_filter_and_search(client, catalogue):
    assert names(client.get("/api/trials/?phase=phase_2")) == ["Alpha in adults"]
    assert names(client.get("/api/trials/?status=completed")) == ["Vector sight study"]
    assert names(client.get("/api/trials/?q=retinitis")) == ["Vector sight study"]
    assert names(client.get("/api/trials/?country=DE")) == ["Alpha in children"]


def test_bad_filter_values_are_a_400_not_a_500(client, catalogue):
    assert client.get("/api/products/?atmp_type=nonsense").status_code == 400
    assert client.get("/api/trials/?phase=phase_99").status_code == 400
    assert client.get("/api/trials/?sort=password").status_code == 400
    assert client.get("/api/trials/?start_year=abcd&page=x").status_code in (200, 404)


def test_no_personal_data_in_the_public_api(client, client_for, catalogue):
    trial = client.get("/api/trials/").json()["results"][0]
    product = client.get(f"/api/products/{catalogue['car_t'].slug}/").json()
    for field in PERSONAL:
        assert field not in trial
        assert field not in product["trials"][0]
    assert "Mustermann" not in client.get("/api/trials/").content.decode()
    for role in ("pending",):
        assert "principal_investigator" not in client_for(role).get("/api/trials/").json()["results"][0]
    for role in ("expert", "curator"):
        body = client_for(role).get("/api/trials/").json()["results"][0]
        assert body["principal_investigator"] == "Dr. Erika Mustermann"


CONTRIBUTION = {
    "name": "Fictional API contribution",
    "atmp_type": "sctmp",
    "country_of_origin_text": "Germany, France",
    "disease_text": "AML, MDS",
    "patient_cohort_text": "adult, pediatric",
    "animal_studies": "Mouse xenograft",
    "trials": [
        {
            "registry_id_text": "2019-001234-56",
            "title": "Fictional first-in-human study",
            "phase": "phase_1",
            "status": "ongoing",
            "countries_text": "Germany",
            "first_in_human": True,
            "principal_investigator": "Dr. Fictional",
        },
        {"title": "Fictional follow-up", "phase": "phase_2", "countries_text": "EU-Europe"},
    ],
}


@pytest.mark.parametrize("body", ["not json", "[]", '{"trials": "x"}', '{"name": ["a"]}'])
def test_malformed_bodies_are_400(client_for, body):
    response = client_for("expert").post("/api/products/", data=body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("role,status", [("anonymous", 403), ("pending", 403), ("expert", 201), ("curator", 201)])
def test_who_may_contribute(client_for, role, status):
    data = {**CONTRIBUTION, "name": f"Fictional by {role}"}
    assert post_json(client_for(role), "/api/products/", data).status_code == status


def test_owner_edits_own_submission_others_may_not(client_for, catalogue):
    draft = catalogue["draft"]
    url = f"/api/products/{draft.slug}/"
    assert post_json(client_for("owner"), url, {"category": "CAR-T"}, "patch").status_code == 200
    draft.refresh_from_db()
    assert draft.category == "CAR-T"
    assert draft.trials.count() == 1  # trials untouched when not sent
    published = f"/api/products/{catalogue['car_t'].slug}/"
    assert post_json(client_for("expert"), published, {"category": "x"}, "patch").status_code == 403
    assert post_json(client_for("anonymous"), published, {"category": "x"}, "patch").status_code == 403


def test_curator_correction_of_published_record_needs_a_reason(client_for, catalogue):
    url = f"/api/products/{catalogue['car_t'].slug}/"
    response = post_json(client_for("curator"), url, {"category": "CAR-T"}, "patch")
    assert response.status_code == 400
    assert "change_reason" in response.json()
    response = post_json(client_for("curator"), url, {"category": "CAR-T", "change_reason": "Typo"}, "patch")
    assert response.status_code == 200
    product = Product.objects.get(pk=catalogue["car_t"].pk)
    assert product.curation_status == CurationStatus.PUBLISHED
    assert product.history.filter(history_change_reason="Typo").exists()


def test_list_queries_do_not_grow_with_the_page(client, catalogue, django_assert_max_num_queries):
    for n in range(30):
        product = ProductFactory(name=f"Fictional bulk {n:02d}")
        TrialFactory(product=product, countries=[LocationFactory(code="DE", name="Germany")])
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/products/?page_size=100").json()["results"]) == 32
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/trials/?page_size=100").json()["results"]) == 33
