"""The curators' admin: list, import button, history with diff and revert, approve/reject actions."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from trials import demo
from trials.models import CurationStatus, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(owner):
    product = Product.objects.create(
        name="DEMO submitted", owner=owner, curation_status=CurationStatus.SUBMITTED, atmp_type="tep"
    )
    return product


def _action(client, action: str, products, **extra):
    data = {"action": action, "_selected_action": [p.pk for p in products], **extra}
    return client.post(reverse("admin:trials_product_changelist"), data)


def test_changelist_with_filters_search_and_import_button(client_for):
    demo.load()
    client = client_for("curator")
    response = client.get(
        reverse("admin:trials_product_changelist"), {"q": "CAR19", "atmp_type__exact": "gtmp_ex_vivo"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "DEMO-CAR19" in body and "DEMO-AAV-RPE" not in body
    assert reverse("trials:sheet_upload") in body and "Import cover sheets" in body
    assert client_for("expert").get(reverse("admin:trials_product_changelist")).status_code == 302
    for name in ("trial", "sheetcell", "trialidentifier", "location", "disease", "target", "patientcohort"):
        assert client.get(reverse(f"admin:trials_{name}_changelist")).status_code == 200, name


def test_change_form_and_trial_form_render(client_for):
    demo.load()
    client = client_for("curator")
    product = Product.objects.get(name__startswith="DEMO-CAR19")
    assert client.get(reverse("admin:trials_product_change", args=[product.pk])).status_code == 200
    trial = product.trials.first()
    assert client.get(reverse("admin:trials_trial_change", args=[trial.pk])).status_code == 200


def test_approve_action_publishes_and_mails_the_contributor(
    client_for, submitted, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _action(client_for("curator"), "approve_selected", [submitted])
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.curation_status == CurationStatus.PUBLISHED
    assert any(owner.email in m.to for m in mail.outbox)


def test_four_eyes_nobody_approves_their_own_submission(client_for, curator):
    own = Product.objects.create(name="DEMO own", owner=curator, curation_status=CurationStatus.SUBMITTED)
    response = _action(client_for("curator"), "approve_selected", [own])
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.curation_status == CurationStatus.SUBMITTED


def test_reject_action_asks_for_a_comment_first(client_for, submitted):
    client = client_for("curator")
    page = _action(client, "reject_selected", [submitted])
    assert page.status_code == 200 and "Reject with this comment" in page.content.decode()
    submitted.refresh_from_db()
    assert submitted.curation_status == CurationStatus.SUBMITTED
    empty = _action(client, "reject_selected", [submitted], apply="1", comment="  ")
    assert empty.status_code == 200
    done = _action(client, "reject_selected", [submitted], apply="1", comment="Please add the registry IDs.")
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert submitted.curation_status == CurationStatus.REJECTED
    assert submitted.review_comment == "Please add the registry IDs."


def test_history_shows_the_change_reason_and_a_diff_and_revert_works(client_for):
    demo.load()
    client = client_for("curator")
    product = Product.objects.get(name__startswith="DEMO-AAV-RPE")
    url = reverse("admin:trials_product_change", args=[product.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "route_of_administration": "intravitreal",
            "trials-TOTAL_FORMS": "0",
            "trials-INITIAL_FORMS": "0",
            "sheet_cells-TOTAL_FORMS": "0",
            "sheet_cells-INITIAL_FORMS": "0",
        }
    )
    for m2m in ("diseases", "targets", "patient_cohorts", "origin_locations"):
        data[m2m] = [obj.pk for obj in getattr(product, m2m).all()]
    data.pop("change_reason", None)
    refused = client.post(url, data)
    assert refused.status_code == 200, "a published record needs a reason"
    assert "Give a short reason" in refused.content.decode()
    data["trials-TOTAL_FORMS"] = data["trials-INITIAL_FORMS"] = "0"
    data["change_reason"] = "Route corrected from the protocol"
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    product.refresh_from_db()
    assert product.route_of_administration == "intravitreal"

    history = client.get(reverse("admin:trials_product_history", args=[product.pk]))
    body = history.content.decode()
    assert history.status_code == 200
    assert "Route corrected from the protocol" in body and "subretinal" in body and "intravitreal" in body

    first = product.history.earliest()
    revert_url = reverse("admin:trials_product_simple_history", args=[product.pk, first.history_id])
    assert client.get(revert_url).status_code == 200


def test_trial_of_a_published_product_changes_only_with_a_reason(client_for):
    demo.load()
    client = client_for("curator")
    trial = Product.objects.public().get(name__startswith="DEMO-MSC").trials.get()
    url = reverse("admin:trials_trial_change", args=[trial.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "title": "DEMO: corrected title",
            "countries": [c.pk for c in trial.countries.all()],
            "identifiers-TOTAL_FORMS": "0",
            "identifiers-INITIAL_FORMS": "0",
        }
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["first_in_human"] = "unknown" if trial.first_in_human is None else str(trial.first_in_human).lower()
    data["mechanism_known"] = "unknown" if trial.mechanism_known is None else str(trial.mechanism_known).lower()
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert list(refused.context["adminform"].form.errors) == ["change_reason"]
    data["change_reason"] = "Title as registered"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    trial.refresh_from_db()
    assert trial.title == "DEMO: corrected title"
    assert trial.history.latest().history_change_reason == "Title as registered"
