"""Demo content for this app; `manage.py load_demo` calls load(). Idempotent: keyed by product name.

Every record here is fictional (names start with "DEMO", ``is_demo=True``) and
is built from sheet-like text through trials.services, the write path the
cover-sheet importer uses, so the demo shows what an import produces.
Registry numbers use sequences no register has issued yet (NCT0999…, EudraCT …-9999…), so a link-out finds nothing real.
"""

from __future__ import annotations

from django.db import transaction

from .models import Product
from .services import TrialChange, product_contribute

DEMO_EXPERT_EMAIL = "expert@demo.atmp-platform.invalid"

# (product text as a sheet would have it, [trial text, ...], submitted by the demo expert?)
DEMO_PRODUCTS: list[tuple[dict, list[dict], bool]] = [
    (
        {
            "name": "DEMO-CAR19 (fictional anti-CD19 CAR-T)",
            "country_of_origin_text": "EU-Europe",
            "atmp_type_text": "GTMP - ex vivo modified",
            "cell_source_text": "autologous",
            "cell_type": "T cells",
            "route_of_administration": "systemic i.v.",
            "disease_text": "B-ALL, DLBCL",
            "patient_cohort_text": "adult, pediatric, adolescents",
            "patient_classification_text": "Cancer",
            "target_text": "CD19",
            "gene_transfer_mode_text": "viral vectors",
            "conducted_trials_text": "Phase 1 - Phase 2",
            "animal_studies": "Yes, rodents (fictional demo answer)",
            "gene_delivery_novelty": "previously used",
            "sheet_review_status_text": "in Progress",
        },
        [
            {
                "registry_id_text": "2019-999901-11",
                "title": "DEMO: first-in-human study of a fictional CD19 CAR-T in relapsed B-ALL",
                "phase_text": "Phase 1",
                "status_text": "completed",
                "principal_investigator": "Dr. Demo Investigator (fictional)",
                "sponsor": "Demo University Hospital (fictional)",
                "sponsor_type_text": "academic",
                "centre_type_text": "single-center",
                "countries_text": "Spain",
                "mechanism_known_text": "Yes",
                "first_in_human_text": "Yes",
                "pi_email": "pi@demo.atmp-platform.invalid",
            },
            {
                "registry_id_text": "2023-999902-22 / NCT09999001",
                "title": "DEMO: phase 2 point-of-care CAR-T versus standard of care (fictional)",
                "phase_text": "Phase 2",
                "status_text": "ongoing (01.10.2024)",
                "sponsor": "Demo University Hospital (fictional)",
                "sponsor_type_text": "academic",
                "centre_type_text": "multi centre",
                "countries_text": "EU-Europe, England, USA",
                "mechanism_known_text": "Yes",
                "first_in_human_text": "No",
            },
        ],
        False,
    ),
    (
        {
            "name": "DEMO-AAV-RPE (fictional retinal gene therapy)",
            "country_of_origin_text": "France",
            "atmp_type_text": "GTMP",
            "cell_source_text": "not applicable",
            "route_of_administration": "subretinal",
            "disease_text": "Retinitis pigmentosa (demo)",
            "patient_cohort_text": "adults",
            "patient_classification_text": "rare non-cancer disease",
            "target_text": "retinal pigment epithelium",
            "gene_transfer_mode_text": "AAV vector",
            "conducted_trials_text": "Phase 1/2a",
        },
        [
            {
                "registry_id_text": "NCT09999002",
                "title": "DEMO: dose-escalation study of a fictional AAV gene therapy",
                "phase_text": "Phase 1/2a",
                "status_text": "Recruiting",
                "sponsor": "Demo Gene Therapeutics SAS (fictional)",
                "sponsor_type_text": "SME",
                "centre_type_text": "multi-center",
                "countries_text": "France, Germany, USA",
                "first_in_human_text": "Yes",
            },
        ],
        False,
    ),
    (
        {
            "name": "DEMO-MSC-KNEE (fictional stromal cell therapy)",
            "country_of_origin_text": "Germany",
            "atmp_type_text": "sCTMP",
            "cell_source_text": "allogeneic",
            "cell_type": "mesenchymal stromal cells",
            "route_of_administration": "intra-articular",
            "disease_text": "Knee osteoarthritis",
            "patient_cohort_text": "adult",
            "patient_classification_text": "common non-cancer diseases",
            "gene_transfer_mode_text": "none",
            "conducted_trials_text": "Phase 2",
        },
        [
            {
                "registry_id_text": "2021-999903-33",
                "title": "DEMO: randomised phase 2 trial of fictional allogeneic MSC in knee osteoarthritis",
                "phase_text": "Phase II",
                "status_text": "terminated",
                "sponsor": "Demo Regenerative GmbH (fictional)",
                "sponsor_type_text": "commercial",
                "centre_type_text": "multi-center",
                "countries_text": "DE, AT, CH",
                "first_in_human_text": "No",
            },
        ],
        False,
    ),
    (
        {
            "name": "DEMO-SKIN-GRAFT (fictional tissue engineered skin)",
            "country_of_origin_text": "Italy",
            "atmp_type_text": "TEP",
            "cell_source_text": "autologous",
            "cell_type": "keratinocytes",
            "route_of_administration": "topical graft",
            "disease_text": "Epidermolysis bullosa (demo)",
            "patient_cohort_text": "pediatric",
            "patient_classification_text": "rare non-cancer disease",
            "conducted_trials_text": "Phase 3",
        },
        [
            {
                "registry_id_text": "2024-599904-44-00",
                "title": "DEMO: pivotal phase 3 study of a fictional engineered skin graft",
                "phase_text": "Phase 3",
                "status_text": "Active, not recruiting",
                "sponsor": "Demo Hospital Foundation (fictional)",
                "sponsor_type_text": "hospital",
                "centre_type_text": "multi-center",
                "countries_text": "IT, EL, UK",
            },
        ],
        False,
    ),
    (
        {
            "name": "DEMO-ISLET-DEVICE (fictional combined ATMP)",
            "country_of_origin_text": "Netherlands",
            "atmp_type_text": "cATMP",
            "cell_source_text": "allogeneic",
            "cell_type": "islet cells in an encapsulation device",
            "route_of_administration": "subcutaneous implant",
            "disease_text": "Type 1 diabetes",
            "patient_cohort_text": "adult",
            "patient_classification_text": "common non-cancer diseases",
            "conducted_trials_text": "Phase 1/2",
        },
        [
            {
                "registry_id_text": "NCT09999005",
                "title": "DEMO: safety of a fictional encapsulated islet implant",
                "phase_text": "Phase 1/2",
                "status_text": "planned",
                "sponsor": "Demo Devices BV (fictional)",
                "sponsor_type_text": "SME",
                "centre_type_text": "single-center",
                "countries_text": "Netherlands",
                "first_in_human_text": "Yes",
            },
        ],
        True,
    ),
    (
        {
            "name": "DEMO-NK-AML (fictional NK cell therapy)",
            "country_of_origin_text": "EU-Europe",
            "atmp_type_text": "GTMP - ex vivo modified",
            "cell_source_text": "allogeneic",
            "cell_type": "NK cells",
            "route_of_administration": "systemic i.v.",
            "disease_text": "AML, MDS",
            "patient_cohort_text": "adult",
            "patient_classification_text": "common cancers",
            "target_text": "NKG2D ligands",
            "gene_transfer_mode_text": "mRNA electroporation",
            "conducted_trials_text": "Phase 1",
        },
        [
            {
                "registry_id_text": "2025-999906-66",
                "title": "DEMO: first-in-human study of fictional NK cells in relapsed AML",
                "phase_text": "Phase 1",
                "status_text": "not yet recruiting",
                "sponsor": "Demo Cell Therapies (fictional)",
                "sponsor_type_text": "SME",
                "centre_type_text": "multi-center",
                "countries_text": "Belgium, Poland",
                "first_in_human_text": "Yes",
            },
        ],
        True,
    ),
]


def _create_product(values: dict, trials: list[dict], *, submitted_by) -> Product:
    """Through the one write path, as an import would: the expert's waits for review, the rest is published."""
    return product_contribute(
        product=None,
        data={**values, "is_demo": True},
        trials=[TrialChange(None, trial) for trial in trials],
        user=submitted_by,
        reason="Demo content (fictional)",
        source="demo",
        publish=submitted_by is None,
    ).product


@transaction.atomic
def load(*, stdout=None) -> None:
    from django.contrib.auth import get_user_model

    expert = get_user_model().objects.filter(email=DEMO_EXPERT_EMAIL).first()
    created = 0
    for values, trials, by_expert in DEMO_PRODUCTS:
        if Product.objects.filter(name=values["name"]).exists():
            continue
        _create_product(values, trials, submitted_by=expert if by_expert else None)
        created += 1
    if stdout and created:
        stdout.write(f"trials: {created} fictional demo products\n")
