import io

import pytest
import tablib
from django.core.management import CommandError, call_command

from facilities.models import Authorisation, Facility
from facilities.resources import FacilityResource
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db

HEADER = (
    "slug,name,institution,institution_type,city,country,latitude,longitude,"
    "atmp_types,activities,services_to_third_parties\n"
)
GOOD = ",Test GMP Unit,Test Hospital,university_hospital,Vienna,AT,48.2,16.37,gtmp; CAR-T / TCR-T cells,qc_testing,1\n"
GREEK = ",Athens Unit,Test Institute,Academic institute,Athens,EL,37.98,23.72,,,no\n"
BAD = ",Bad Unit,Bad Hospital,hospital,Nowhere,XX,95,16.37,unicorns,qc_testing,maybe\n"


def _write(tmp_path, text: str, name: str = "facilities.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_creates_facilities_with_codes_labels_and_eu_country_codes(tmp_path):
    out = io.StringIO()
    call_command("import_facilities", _write(tmp_path, HEADER + GOOD + GREEK), stdout=out)
    assert "imported 2 row(s)" in out.getvalue()
    vienna = Facility.objects.get(city="Vienna")
    assert vienna.atmp_categories == "|gtmp|car_t|" and vienna.services_to_third_parties
    assert vienna.slug == "test-gmp-unit-vienna"
    assert Facility.objects.get(city="Athens").country.code == "GR"


def test_one_bad_row_saves_nothing_and_every_error_is_reported(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_facilities", _write(tmp_path, HEADER + GOOD + BAD), stderr=err)
    assert not Facility.objects.exists()
    report = err.getvalue()
    for expected in ("row 2: latitude", "row 2: country", "unicorns", "'maybe' is not yes/no", "'hospital'"):
        assert expected in report
    assert "row 1" not in report


def test_dry_run_checks_without_saving(tmp_path):
    out = io.StringIO()
    call_command("import_facilities", _write(tmp_path, HEADER + GOOD), "--dry-run", stdout=out)
    assert "would import 1 row(s)" in out.getvalue()
    assert not Facility.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("facilities.txt", b"anything", "Upload a .csv or .xlsx file"),
        ("facilities.csv", "slug,name\n,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("facilities.xlsx", b"not a zip file at all", "could not be read"),
    ],
)
def test_unreadable_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_facilities", str(path))


def test_export_then_import_round_trips_without_changes(tmp_path):
    make_facility("Unit A", city="Berlin", atmp_categories="|gtmp|car_t|", cleanroom_grades="ABCD", cleanroom_count=3)
    make_facility("Unit B", city="Paris", services_to_third_parties=True)
    exported = FacilityResource().export(Facility.objects.all())
    path = tmp_path / "export.xlsx"
    path.write_bytes(exported.xlsx)
    before = list(Facility.objects.order_by("pk").values())
    history = Facility.history.count()
    call_command("import_facilities", str(path), stdout=io.StringIO())
    assert list(Facility.objects.order_by("pk").values()) == before
    assert Facility.history.count() == history  # skip_unchanged: no empty history rows


def test_authorisations_import_names_the_facility_by_slug(tmp_path):
    facility = make_facility("Unit A", city="Berlin")
    text = (
        "facility,kind,reference_number,issuing_authority,issued_on,last_inspection_on,"
        "source_url,source_note,verified_on\n"
        f"{facility.slug},GMP certificate,DE-123,Paul-Ehrlich-Institut,2022-01-10,2024-05-02,,,2026-01-01\n"
        "no-such-facility,mia_imp,X,Authority,,,,,\n"
    )
    with pytest.raises(CommandError):
        call_command("import_facilities", _write(tmp_path, text), "--table", "authorisations", stderr=io.StringIO())
    assert not Authorisation.objects.exists()
    call_command(
        "import_facilities", _write(tmp_path, text.rsplit("no-such", 1)[0]), "--table", "authorisations",
        stdout=io.StringIO(),
    )  # fmt: skip
    authorisation = Authorisation.objects.get()
    assert (authorisation.kind, str(authorisation.last_inspection_on)) == ("gmp_certificate", "2024-05-02")


def test_dataset_columns_are_the_documented_layout():
    headers = FacilityResource().export(Facility.objects.none()).headers
    assert headers[:4] == ["slug", "name", "institution", "institution_type"]
    assert {"latitude", "longitude", "atmp_types", "activities", "services_to_third_parties"} <= set(headers)
    assert isinstance(tablib.Dataset(headers=headers), tablib.Dataset)
