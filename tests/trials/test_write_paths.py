"""One product with one trial through each entry point (web form, API, cover-sheet import, admin): same rows.

Each entry point is given the same content the way its users give it: the form and
the API pick controlled values, the sheet writes their labels, the admin has both.
Then the stored rows (content fields, lookups, identifiers, countries, highest phase)
must be identical; only the workflow (owner, status, timestamps) may differ.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from trials.imports import cover_sheet_import
from trials.models import Product, Trial
from trials.services.records import PRODUCT_CONTENT_FIELDS, TRIAL_CONTENT_FIELDS

from .sheet_builder import build_sheet

pytestmark = pytest.mark.django_db

NAME = "EQ-CAR-01 (fictional)"
PRODUCT_CHOICES = {
    "atmp_type": "gtmp_ex_vivo",
    "cell_source": "autologous",
    "patient_classification": "cancer",
    "gene_transfer_mode": "viral_vector",
}
PRODUCT_TEXT = {
    "name": NAME,
    "category": "CAR-T",
    "country_of_origin_text": "Germany, France",
    "cell_type": "T cells",
    "route_of_administration": "intravenous",
    "disease_text": "AML, MDS",
    "patient_cohort_text": "adult, pediatric",
    "target_text": "CD33",
    "conducted_trials_text": "Phase 1",
    "animal_studies": "Yes, mice (fictional)",
}
TRIAL_CHOICES = {
    "phase": "phase_1",
    "status": "ongoing",
    "status_as_of": "2024-09-23",
    "sponsor_type": "academic",
    "centre_type": "multi",
}
TRIAL_TEXT = {
    "registry_id_text": "2019-001234-56 / NCT01234567",
    "title": "A fictional equivalence study",
    "sponsor": "Fictional University",
    "countries_text": "Germany, France",
    "funding": "A fictional grant",
    "pi_email": "pi@fictional.example.org",
}
# The sheet writes the labels of the controlled values.
SHEET_ROWS = [
    ("ATMP Cover Sheet", []),
    ("Title of ATMP / ATMP identifier / Investigational medicinal product name", [NAME]),
    ("Country of Origin", ["Germany, France"]),
    ("Type of ATMP", ["GTMP – ex vivo modified cells"]),
    ("Cell source", ["Autologous"]),
    ("Cell type", ["T cells"]),
    ("Route of administration", ["intravenous"]),
    ("Disease", ["AML, MDS"]),
    ("Patient cohort", ["adult, pediatric"]),
    ("Patient classification", ["Cancer"]),
    ("Target of ATMP", ["CD33"]),
    ("Mode of gene transfer", ["Viral vector"]),
    ("Conducted trials", ["Phase 1"]),
    ("ATMP_Category", ["CAR-T"]),
    ("Regulatory Information", []),
    ("Study ID (EudraCT ID for EU; NCT for USA)", [TRIAL_TEXT["registry_id_text"]]),
    ("Study title", [TRIAL_TEXT["title"]]),
    ("Phase", ["Phase 1"]),
    ("Trial Status", ["Ongoing (23.09.2024)"]),
    ("Sponsor", [TRIAL_TEXT["sponsor"]]),
    ("Type of Sponsor", ["Academic"]),
    ("Center", ["Multi-centre"]),
    ("Countries", [TRIAL_TEXT["countries_text"]]),
    ("Funding", [TRIAL_TEXT["funding"]]),
    ("Mechanism of action already known?", ["Yes"]),
    ("First in-human?", ["No"]),
    ("E-Mail of PI", [TRIAL_TEXT["pi_email"]]),
    ("WP 1", []),
    ("Animal studies", [PRODUCT_TEXT["animal_studies"]]),
]


def _names(manager) -> list[str]:
    return sorted(str(row) for row in manager.all())


def snapshot() -> dict:
    """The stored content of the one product and its trials, without workflow fields."""
    product = Product.objects.get(name=NAME)
    trials = []
    for trial in Trial.objects.filter(product=product).order_by("column_index"):
        trials.append(
            {
                **{name: getattr(trial, name) for name in TRIAL_CONTENT_FIELDS},
                "column_index": trial.column_index,
                "primary_identifier": trial.primary_identifier,
                "identifiers": sorted((i.registry, i.value) for i in trial.identifiers.all()),
                "countries": sorted(trial.countries.values_list("code", flat=True)),
            }
        )
    return {
        **{name: getattr(product, name) for name in PRODUCT_CONTENT_FIELDS},
        "slug": product.slug,
        "highest_phase": product.highest_phase,
        "origin_locations": sorted(product.origin_locations.values_list("code", flat=True)),
        "diseases": _names(product.diseases),
        "targets": _names(product.targets),
        "patient_cohorts": _names(product.patient_cohorts),
        "trials": trials,
    }


def through_web(client_for):
    data = {
        **PRODUCT_TEXT,
        **PRODUCT_CHOICES,
        **{f"trials-0-{k}": v for k, v in {**TRIAL_TEXT, **TRIAL_CHOICES}.items()},
        "trials-0-mechanism_known_choice": "yes",
        "trials-0-first_in_human_choice": "no",
        "trials-TOTAL_FORMS": "1",
        "trials-INITIAL_FORMS": "0",
        "trials-MIN_NUM_FORMS": "0",
        "trials-MAX_NUM_FORMS": "50",
    }
    response = client_for("expert").post(reverse("trials:product_create"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response


def through_api(client_for):
    client = client_for("expert")
    response = client.post("/api/products/", {**PRODUCT_TEXT, **PRODUCT_CHOICES}, content_type="application/json")
    assert response.status_code == 201, response.json()
    trial = {**TRIAL_TEXT, **TRIAL_CHOICES, "mechanism_known": True, "first_in_human": False}
    response = client.post(
        "/api/trials/", {**trial, "product": response.json()["slug"]}, content_type="application/json"
    )
    assert response.status_code == 201, response.json()


def through_sheet(client_for):
    from django.contrib.auth import get_user_model

    expert = get_user_model().objects.get(email="expert@example.org")
    report = cover_sheet_import(file=build_sheet(SHEET_ROWS), imported_by=expert, name="eq.xlsx")
    assert report.ok, report.as_text()


def through_admin(client_for):
    client = client_for("curator")
    trial = {**TRIAL_TEXT, **TRIAL_CHOICES, "mechanism_known": "true", "first_in_human": "false"}
    data = {
        **PRODUCT_TEXT,
        **PRODUCT_CHOICES,
        "slug": "eq-car-01-fictional",
        "curation_status": "draft",
        **{f"trials-0-{k}": v for k, v in trial.items()},
        "trials-0-column_index": "0",
        "trials-TOTAL_FORMS": "1",
        "trials-INITIAL_FORMS": "0",
        "trials-MIN_NUM_FORMS": "0",
        "trials-MAX_NUM_FORMS": "1000",
        "sheet_cells-TOTAL_FORMS": "0",
        "sheet_cells-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:trials_product_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


ENTRY_POINTS = [through_web, through_api, through_sheet, through_admin]


def test_the_four_entry_points_store_identical_rows(client_for, expert, curator):
    stored = {}
    for entry_point in ENTRY_POINTS:
        entry_point(client_for)
        stored[entry_point.__name__] = snapshot()
        Product.objects.filter(name=NAME).delete()
    reference = stored["through_web"]
    assert reference["atmp_type"] == "gtmp_ex_vivo" and reference["diseases"] == ["AML", "MDS"]
    assert reference["trials"][0]["identifiers"] == [("eudract", "2019-001234-56"), ("nct", "NCT01234567")]
    for name, rows in stored.items():
        differences = {
            key: (reference[key], rows[key]) for key in reference if reference[key] != rows[key] and key != "trials"
        }
        assert differences == {}, f"{name} differs from the web form"
        for reference_trial, trial in zip(reference["trials"], rows["trials"], strict=True):
            differences = {k: (v, trial[k]) for k, v in reference_trial.items() if trial[k] != v}
            assert differences == {}, f"{name}'s trial differs from the web form's"
