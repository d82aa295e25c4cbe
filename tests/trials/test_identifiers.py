"""Registry identifiers: the formats of the domain guide, section 2."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from trials import identifiers
from trials.identifiers import InvalidIdentifier
from trials.models import RegistryKind


@pytest.mark.parametrize(
    ("text", "registry", "value"),
    [
        ("2016-002972-29", RegistryKind.EUDRACT, "2016-002972-29"),
        (" 2016\u2013002972\u201129 ", RegistryKind.EUDRACT, "2016-002972-29"),
        ("2024-510663-34-00", RegistryKind.EU_CT, "2024-510663-34-00"),
        ("nct03144583", RegistryKind.NCT, "NCT03144583"),
        ("NCT 0314 4583", RegistryKind.NCT, "NCT03144583"),
        ("ISRCTN12345678", RegistryKind.ISRCTN, "ISRCTN12345678"),
        ("drks00012345", RegistryKind.DRKS, "DRKS00012345"),
    ],
)
def test_parse_normalises_and_recognises_the_register(text, registry, value):
    ident = identifiers.parse(text)
    assert (ident.registry, ident.value) == (registry, value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("2003-000001-11", "from 2004"),  # before EudraCT existed
        ("2021-400123-11-00", "5 as the first digit"),  # EU CT sequences start with 5
        ("2019-510663-34-00", "from 2022"),  # CTIS opened in 2022
        ("NCT1234567", "not a registry ID"),  # 7 digits
        ("12345", "not a registry ID"),
        ("9999-000001-11", "not 9999"),
    ],
)
def test_parse_rejects_with_a_reason(text, message):
    with pytest.raises(InvalidIdentifier, match=message):
        identifiers.parse(text)


def test_find_all_reads_several_ids_in_one_cell_and_reports_bad_ones():
    found, errors = identifiers.find_all("2016-002972-29 / NCT03144583; nct03144583 and 2001-000001-11")
    assert [i.value for i in found] == ["2016-002972-29", "NCT03144583"]
    assert len(errors) == 1 and "2001" in errors[0]


def test_find_all_reports_text_without_any_candidate():
    found, errors = identifiers.find_all("not registered yet")
    assert found == [] and len(errors) == 1


def test_primary_prefers_eu_ct_then_eudract_then_nct():
    found, _ = identifiers.find_all("NCT03144583 2016-002972-29 2024-510663-34-00")
    assert identifiers.primary(found).registry == RegistryKind.EU_CT
    assert identifiers.primary(found[:2]).registry == RegistryKind.EUDRACT
    assert identifiers.primary([]) is None


def test_start_year_is_the_earliest_eu_number():
    found, _ = identifiers.find_all("2024-510663-34-00 2016-002972-29 NCT03144583")
    assert identifiers.start_year(found) == 2016
    assert identifiers.start_year(identifiers.find_all("NCT03144583")[0]) is None


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("2016-002972-29", "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2016-002972-29"),
        ("2024-510663-34-00", "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT=2024-510663-34-00"),
        ("NCT03144583", "https://clinicaltrials.gov/study/NCT03144583"),
        ("ISRCTN12345678", "https://www.isrctn.com/ISRCTN12345678"),
        ("DRKS00012345", "https://drks.de/search/en/trial/DRKS00012345"),
    ],
)
def test_register_url_links_to_the_issuing_register(text, url):
    assert identifiers.parse(text).register_url == url


def test_validator_for_forms():
    identifiers.validate_registry_ids("")
    identifiers.validate_registry_ids("2016-002972-29, NCT03144583")
    with pytest.raises(ValidationError):
        identifiers.validate_registry_ids("2016-002972")
