import pytest

from trials.models import CurationStatus, Product, Trial
from trials.serializers import TRIAL_PERSONAL_FIELDS

pytestmark = pytest.mark.django_db


def test_public_api_lists_published_trials_without_personal_data(client_for, catalogue):
    data = client_for("anonymous").get("/api/trials/").json()
    assert data["count"] == 4
    for trial in data["results"]:
        assert not set(TRIAL_PERSONAL_FIELDS) & set(trial)
    assert "Mustermann" not in str(data)


def test_experts_see_personal_data_in_the_api(client_for, catalogue):
    data = client_for("expert").get("/api/trials/", {"phase": "phase_3"}).json()
    assert data["count"] == 1
    assert data["results"][0]["principal_investigator"] == "Dr. Erika Mustermann"


def test_api_uses_the_same_filters_and_search(client_for, catalogue):
    client = client_for("anonymous")
    assert client.get("/api/trials/", {"q": "leukaemia"}).json()["count"] == 1
    assert client.get("/api/trials/", {"country": "FR"}).json()["count"] == 2
    names = [p["name"] for p in client.get("/api/products/", {"sponsor_type": "commercial"}).json()["results"]]
    assert names == ["Alpha CAR-T", "Beta AAV"]
    assert client.get("/api/trials/", {"phase": "phase_99"}).status_code == 400


def test_anonymous_and_pending_users_cannot_write(client_for, catalogue):
    for role in ("anonymous", "pending"):
        response = client_for(role).post("/api/products/", {"name": "X", "atmp_type": "gtmp"})
        assert response.status_code in (401, 403)
    assert not Product.objects.filter(name="X").exists()


def test_an_expert_contributes_through_the_api_and_it_waits_for_review(client_for, expert, catalogue):
    client = client_for("expert")
    response = client.post(
        "/api/products/", {"name": "Epsilon NK", "atmp_type": "sctmp"}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()
    product = Product.objects.get(name="Epsilon NK")
    assert product.owner == expert
    assert product.curation_status == CurationStatus.SUBMITTED
    response = client.post(
        "/api/trials/",
        {"product": product.slug, "registry_id_text": "NCT07654321", "phase": "phase_1", "countries_text": "Germany"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    trial = Trial.objects.get(product=product)
    assert trial.primary_identifier == "NCT07654321"
    assert list(trial.countries.values_list("code", flat=True)) == ["DE"]
    assert client_for("anonymous").get(f"/api/products/{product.slug}/").status_code == 404


def test_api_rejects_an_invalid_registry_id_with_400(client_for, owner, catalogue):
    response = client_for("owner").post(
        "/api/trials/", {"product": catalogue["hidden"].slug, "registry_id_text": "2001-12-3"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "registry_id_text" in response.json()


def test_experts_cannot_change_others_records(client_for, catalogue):
    url = f"/api/products/{catalogue['car'].slug}/"
    response = client_for("expert").patch(
        url, {"category": "x", "change_reason": "fix"}, content_type="application/json"
    )
    assert response.status_code == 403
    response = client_for("expert").post(
        "/api/trials/", {"product": catalogue["car"].slug, "title": "x", "change_reason": "add"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403


def test_curators_change_published_records_with_a_reason(client_for, curator, catalogue):
    url = f"/api/products/{catalogue['car'].slug}/"
    client = client_for("curator")
    assert client.patch(url, {"category": "CAR-T"}, content_type="application/json").status_code == 400
    response = client.patch(
        url, {"category": "CAR-T", "change_reason": "Category from EPAR"}, content_type="application/json"
    )
    assert response.status_code == 200
    product = Product.objects.get(pk=catalogue["car"].pk)
    assert product.category == "CAR-T"
    assert product.curation_status == CurationStatus.PUBLISHED
    assert product.history.first().history_change_reason == "Category from EPAR"
    assert product.history.first().history_user == curator


def test_malformed_api_bodies_are_400_not_500(client_for, catalogue):
    client = client_for("expert")
    response = client.post("/api/products/", "{not json", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/trials/", {"product": "no-such-product"}, content_type="application/json")
    assert response.status_code == 400
