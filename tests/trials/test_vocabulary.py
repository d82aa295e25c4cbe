"""Tolerant normalisers: the real sheets' spellings map to the controlled vocabularies."""

from __future__ import annotations

import datetime as dt

import pytest

from trials import vocabulary as v
from trials.models import (
    AtmpType,
    CellSource,
    CentreType,
    Disease,
    GeneTransferMode,
    Location,
    PatientClassification,
    Phase,
    SheetReviewStatus,
    SponsorType,
    TrialStatus,
)


@pytest.mark.parametrize(
    ("text", "phase"),
    [
        ("Phase 1/2a", Phase.PHASE_1_2),
        ("Phase 1 - Phase 2", Phase.PHASE_1_2),
        ("Phase 1/2 Follow up", Phase.PHASE_1_2),
        ("Phase I/II", Phase.PHASE_1_2),
        ("Phase 1", Phase.PHASE_1),
        ("phase II", Phase.PHASE_2),
        ("Phase 2/3", Phase.PHASE_2_3),
        ("Phase III", Phase.PHASE_3),
        ("Phase 4", Phase.PHASE_4),
        ("Early phase 1", Phase.EARLY_PHASE_1),
        ("preclinical", Phase.PRECLINICAL),
        ("N/A", Phase.NOT_APPLICABLE),
        ("", ""),
        ("something else", ""),
    ],
)
def test_phase(text, phase):
    assert v.normalise_phase(text) == phase


@pytest.mark.parametrize(
    ("text", "status", "date"),
    [
        ("ongoing (23.09.2024)", TrialStatus.ONGOING, dt.date(2024, 9, 23)),
        ("completed", TrialStatus.COMPLETED, None),
        ("Completed", TrialStatus.COMPLETED, None),
        ("Prematurely Ended", TrialStatus.TERMINATED, None),
        ("Recruiting 2024-01-31", TrialStatus.RECRUITING, dt.date(2024, 1, 31)),
        ("Active, not recruiting", TrialStatus.ACTIVE_NOT_RECRUITING, None),
        ("ongoing (31.02.2024)", TrialStatus.ONGOING, None),  # impossible date: status kept, no date
        ("who knows", "", None),
    ],
)
def test_status_with_date(text, status, date):
    assert v.parse_status(text) == (status, date)


@pytest.mark.parametrize(
    ("text", "centre"),
    [
        ("multi centre", CentreType.MULTI),
        ("multi-center", CentreType.MULTI),
        ("Multicentric", CentreType.MULTI),
        ("single-center", CentreType.SINGLE),
        ("", ""),
    ],
)
def test_centre_type(text, centre):
    assert v.normalise_centre_type(text) == centre


@pytest.mark.parametrize(
    ("text", "value"),
    [("Yes", True), ("Yes, rodents", True), ("no", False), ("Nein", False), ("", None), ("maybe", None)],
)
def test_yes_no(text, value):
    assert v.parse_yes_no(text) is value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("GTMP - ex vivo modified", AtmpType.GTMP_EX_VIVO),
        ("GTMP", AtmpType.GTMP),
        ("sCTMP", AtmpType.SCTMP),
        ("TEP", AtmpType.TEP),
        ("cATMP", AtmpType.CATMP),
        ("vaccine", ""),
    ],
)
def test_atmp_type(text, value):
    assert v.normalise_atmp_type(text) == value


def test_other_vocabularies_from_the_real_sheets():
    assert v.normalise_cell_source("autologous") == CellSource.AUTOLOGOUS
    assert v.normalise_cell_source("allogeneic") == CellSource.ALLOGENEIC
    assert v.normalise_cell_source("Other") == CellSource.OTHER
    assert v.normalise_gene_transfer("viral vectors") == GeneTransferMode.VIRAL_VECTOR
    assert v.normalise_gene_transfer("CRISPR/Cas9") == GeneTransferMode.GENE_EDITING
    assert v.normalise_gene_transfer("electroporation of mRNA") == GeneTransferMode.NON_VIRAL
    assert v.normalise_patient_classification("Cancer") == PatientClassification.CANCER
    assert v.normalise_patient_classification("common cancers") == PatientClassification.COMMON_CANCER
    assert v.normalise_patient_classification("rare non-cancer disease") == PatientClassification.RARE_NON_CANCER
    assert v.normalise_patient_classification("common non-cancer diseases") == PatientClassification.COMMON_NON_CANCER
    assert v.normalise_sponsor_type("SME") == SponsorType.SME
    assert v.normalise_sponsor_type("academic") == SponsorType.ACADEMIC
    assert v.normalise_sponsor_type("commercial") == SponsorType.COMMERCIAL
    assert v.normalise_sheet_review_status("in Progress") == SheetReviewStatus.IN_PROGRESS


def test_split_values_keeps_order_and_parentheses():
    assert v.split_values("AML, MDS") == ["AML", "MDS"]
    assert v.split_values("severe combined immunodeficiency (SCID, RAG1), adults") == [
        "severe combined immunodeficiency (SCID, RAG1)",
        "adults",
    ]
    assert v.split_values("a; b\nA") == ["a", "b"]


def test_cohorts_are_normalised():
    assert v.cohort_names("adult, pediatric, adolescents") == ["adult", "pediatric", "adolescent"]
    assert v.cohort_names("adults") == ["adult"]


def test_locations_keep_regions_and_use_iso_codes():
    refs, unknown = v.parse_locations("EU-Europe, England, USA")
    assert [r.code for r in refs] == ["eu-eea", "GB", "US"]
    assert unknown == []
    refs, unknown = v.parse_locations("EL, UK, Germany, Atlantis")
    assert [r.code for r in refs] == ["GR", "GB", "DE"]
    assert unknown == ["Atlantis"]


@pytest.mark.django_db
def test_lookup_rows_are_created_once_and_matched_case_insensitively():
    rows, _ = v.locations_for("EU-Europe, Australia")
    again, _ = v.locations_for("eu-europe, australia")
    assert rows == again and Location.objects.count() == 2
    assert [d.name for d in v.diseases_for("AML, MDS")] == ["AML", "MDS"]
    assert [d.name for d in v.diseases_for("aml")] == ["AML"]
    assert Disease.objects.count() == 2
    assert [c.name for c in v.cohorts_for("pediatric, adolescent, adult")] == ["pediatric", "adolescent", "adult"]
