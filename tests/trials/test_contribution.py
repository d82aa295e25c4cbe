import pytest
from django.core import mail

from trials.models import CurationStatus, Product
from trials.revisions import revision_approve

pytestmark = pytest.mark.django_db


def _form(**extra) -> dict:
    data = {
        "name": "Zeta T-cell product",
        "atmp_type": "sctmp",
        "country_of_origin_text": "Germany, EU-Europe",
        "disease_text": "AML, MDS",
        "patient_cohort_text": "adult, adolescents",
        "target_text": "CD33",
        "trials-TOTAL_FORMS": "2",
        "trials-INITIAL_FORMS": "0",
        "trials-MIN_NUM_FORMS": "0",
        "trials-MAX_NUM_FORMS": "50",
        "trials-0-registry_id_text": "2019-001234-56 / NCT01234567",
        "trials-0-title": "First study",
        "trials-0-phase": "phase_1",
        "trials-0-status": "ongoing",
        "trials-0-status_as_of": "2024-09-23",
        "trials-0-countries_text": "Germany, France",
        "trials-0-first_in_human_choice": "yes",
        "trials-1-title": "Second study",
        "trials-1-phase": "phase_2",
    }
    data.update(extra)
    return data


def test_an_expert_adds_a_product_with_two_trials_and_it_waits(client_for, expert):
    response = client_for("expert").post("/trials/contribute/", _form())
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(name="Zeta T-cell product")
    assert product.owner == expert
    assert product.curation_status == CurationStatus.SUBMITTED
    assert product.highest_phase == "phase_2"
    assert sorted(product.diseases.values_list("name", flat=True)) == ["AML", "MDS"]
    assert sorted(product.origin_locations.values_list("code", flat=True)) == ["DE", "eu-eea"]
    first = product.trials.get(column_index=0)
    assert first.primary_identifier == "2019-001234-56"
    assert first.start_year == 2019
    assert first.status_text == "Ongoing (23.09.2024)"
    assert first.first_in_human is True
    assert sorted(first.identifiers.values_list("registry", flat=True)) == ["eudract", "nct"]
    assert product.trials.get(column_index=1).title == "Second study"
    assert client_for("anonymous").get(product.get_absolute_url()).status_code == 404
    assert client_for("curator").get("/trials/review/").content.decode().count("Zeta T-cell product") >= 1


def test_invalid_registry_id_and_country_are_explained_and_nothing_is_saved(client_for):
    response = client_for("expert").post(
        "/trials/contribute/", _form(**{"trials-0-registry_id_text": "2001-12", "trials-0-countries_text": "Atlantis"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "is not a registry ID" in html
    assert "Unknown country or region: Atlantis" in html
    assert not Product.objects.filter(name="Zeta T-cell product").exists()


def test_review_queue_flow_with_email(client_for, expert, curator, django_capture_on_commit_callbacks):
    client_for("expert").post("/trials/contribute/", _form())
    product = Product.objects.get(name="Zeta T-cell product")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("curator").post(
            f"/trials/products/{product.slug}/review/", {"decision": "approve", "comment": "Thanks"}
        )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.curation_status == CurationStatus.PUBLISHED
    assert mail.outbox[-1].to == [expert.email]
    assert client_for("anonymous").get(product.get_absolute_url()).status_code == 200


def test_reject_without_comment_changes_nothing(client_for):
    client_for("expert").post("/trials/contribute/", _form())
    product = Product.objects.get(name="Zeta T-cell product")
    client_for("curator").post(f"/trials/products/{product.slug}/review/", {"decision": "reject", "comment": ""})
    product.refresh_from_db()
    assert product.curation_status == CurationStatus.SUBMITTED


def test_a_curator_cannot_approve_their_own_contribution(client_for, curator):
    client_for("curator").post("/trials/contribute/", _form())
    product = Product.objects.get(name="Zeta T-cell product")
    response = client_for("curator").post(
        f"/trials/products/{product.slug}/review/", {"decision": "approve"}, follow=True
    )
    assert "Four eyes" in response.content.decode()
    product.refresh_from_db()
    assert product.curation_status == CurationStatus.SUBMITTED


def test_owner_edits_a_published_record_with_a_reason_and_the_change_waits_beside_it(
    client_for, owner, curator, catalogue
):
    product = catalogue["car"]
    product.owner = owner
    product.save()
    url = f"/trials/products/{product.slug}/edit/"
    page = client_for("owner").get(url)
    assert page.status_code == 200
    form = {k: v for k, v in page.context["form"].initial.items() if v is not None and not isinstance(v, list)}
    formset = page.context["formset"]
    data = {**form, "category": "CAR-T", **{f"trials-{k}": v for k, v in formset.management_form.initial.items()}}
    for i, tform in enumerate(formset.forms[: len(formset.initial_forms)]):
        data[f"trials-{i}-id"] = tform.instance.pk
        data[f"trials-{i}-phase"] = tform.instance.phase
    response = client_for("owner").post(url, data)
    assert response.status_code == 200
    assert "Say briefly why" in response.content.decode()
    response = client_for("owner").post(url, {**data, "change_reason": "Category corrected"})
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.category, product.curation_status) == ("", CurationStatus.PUBLISHED)
    revision = product.revisions.pending().get()
    assert revision.changes["product"]["category"] == {"old": "", "new": "CAR-T"}
    revision_approve(revision=revision, reviewer=curator)
    product.refresh_from_db()
    assert (product.category, product.curation_status) == ("CAR-T", CurationStatus.PUBLISHED)
    assert "Category corrected (reviewed)" in [h.history_change_reason for h in product.history.all()]


def test_experts_cannot_edit_others_records(client_for, catalogue):
    assert client_for("expert").get(f"/trials/products/{catalogue['car'].slug}/edit/").status_code == 404
