"""The write services: normalising, lookups, identifiers, highest phase and history, whoever calls them."""

import datetime as dt

import pytest

from trials.models import CurationStatus, Product, Trial
from trials.services import UnknownField, product_save, trial_delete, trial_save

pytestmark = pytest.mark.django_db


def _product(user=None, **data):
    data = {"name": "Service CAR-T", **data}
    return product_save(product=None, data=data, user=user, reason="", source="web")


def test_a_product_from_text_gets_its_vocabulary_and_lookups(owner):
    product = _product(
        owner,
        atmp_type_text="GTMP - ex vivo modified",
        country_of_origin_text="Germany, EU-Europe",
        disease_text="AML, MDS",
        target_text="CD33",
        patient_cohort_text="adults, paediatric",
        cell_source_text="autologous",
    )
    product.refresh_from_db()
    assert product.atmp_type == "gtmp_ex_vivo"
    assert product.cell_source == "autologous"
    assert product.slug == "service-car-t"
    assert product.owner == owner
    assert product.curation_status == CurationStatus.DRAFT
    assert sorted(product.origin_locations.values_list("code", flat=True)) == ["DE", "eu-eea"]
    assert sorted(product.diseases.values_list("name", flat=True)) == ["AML", "MDS"]
    assert list(product.targets.values_list("name", flat=True)) == ["CD33"]
    assert sorted(product.patient_cohorts.values_list("name", flat=True)) == ["adult", "pediatric"]
    row = product.history.first()
    assert (row.history_user, row.history_change_reason, row.history_source) == (owner, "Created", "web")


def test_a_controlled_value_alone_writes_its_label_as_text(owner):
    product = _product(owner, atmp_type="tep")
    assert product.atmp_type_text == "TEP (tissue engineered product)"


def test_a_partial_change_touches_only_the_named_fields(owner):
    product = _product(owner, disease_text="AML", cell_type="T cells")
    product_save(product=product, data={"cell_type": "NK cells"}, user=owner, reason="Cell type fixed", source="api")
    product.refresh_from_db()
    assert (product.cell_type, product.disease_text) == ("NK cells", "AML")
    assert list(product.diseases.values_list("name", flat=True)) == ["AML"]
    assert product.history.first().history_change_reason == "Cell type fixed"


def test_unknown_keys_are_refused():
    with pytest.raises(UnknownField):
        _product(colour="blue")


def test_a_trial_from_text_gets_identifiers_status_countries_and_start_year(owner):
    product = _product(owner)
    trial = trial_save(
        trial=None,
        product=product,
        data={
            "registry_id_text": "2019-001234-56 / NCT01234567",
            "phase_text": "Phase 1/2a",
            "status_text": "ongoing (23.09.2024)",
            "countries_text": "Germany, France",
            "first_in_human_text": "yes",
            "centre_type_text": "multi centre",
        },
        user=owner,
        reason="",
        source="sheet",
    )
    trial.refresh_from_db()
    assert (trial.phase, trial.status, trial.status_as_of) == ("phase_1_2", "ongoing", dt.date(2024, 9, 23))
    assert (trial.primary_identifier, trial.start_year, trial.column_index) == ("2019-001234-56", 2019, 0)
    assert trial.first_in_human is True and trial.centre_type == "multi"
    assert sorted(trial.identifiers.values_list("value", flat=True)) == ["2019-001234-56", "NCT01234567"]
    assert sorted(trial.countries.values_list("code", flat=True)) == ["DE", "FR"]
    product.refresh_from_db()
    assert product.highest_phase == "phase_1_2"


def test_a_register_refresh_changes_only_what_it_gives(owner):
    """A partial dict of trial fields, as the public-register refresh sends, with the system as user."""
    product = _product(owner)
    trial = trial_save(
        trial=None,
        product=product,
        data={"registry_id_text": "NCT01234567", "title": "First title", "phase_text": "Phase 1"},
        user=owner,
        reason="",
        source="web",
    )
    trial_save(
        trial=trial,
        product=trial.product,
        data={"status": "recruiting", "status_as_of": dt.date(2026, 11, 30), "phase": "phase_2"},
        user=None,
        reason="ClinicalTrials.gov record of 2026-11-30",
        source="register",
    )
    trial.refresh_from_db()
    assert trial.title == "First title"
    assert (trial.status, trial.status_text) == ("recruiting", "Recruiting (30.11.2026)")
    assert (trial.phase, trial.phase_text) == ("phase_2", "Phase 2")
    assert list(trial.identifiers.values_list("value", flat=True)) == ["NCT01234567"]
    row = trial.history.first()
    assert (row.history_user, row.history_change_reason, row.history_source) == (
        None,
        "ClinicalTrials.gov record of 2026-11-30",
        "register",
    )
    assert Product.objects.get(pk=product.pk).highest_phase == "phase_2"


def test_deleting_a_trial_lowers_the_highest_phase(owner):
    product = _product(owner)
    trial_save(trial=None, product=product, data={"phase": "phase_1"}, user=owner, reason="", source="web")
    second = trial_save(trial=None, product=product, data={"phase": "phase_3"}, user=owner, reason="", source="web")
    assert second.column_index == 1
    second_id = second.pk
    trial_delete(trial=second, user=owner, reason="Duplicate", source="web")
    product.refresh_from_db()
    assert product.highest_phase == "phase_1"
    assert Trial.history.filter(id=second_id).first().history_change_reason == "Duplicate"
