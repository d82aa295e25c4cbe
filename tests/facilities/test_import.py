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


def _zip_without_workbook() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    return buffer.getvalue()


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
        ("facilities.csv", b"\x00\x01\x02binary", "is not an Excel workbook"),
        ("facilities.csv", "slug,name\n,Caf\xe9\n".encode("latin-1"), "is not an Excel workbook"),
        ("facilities.xlsx", _zip_without_workbook(), "is not an Excel workbook"),
        ("facilities.csv", b"", "empty"),
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


def _fails(tmp_path, text: str, *args) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_facilities", _write(tmp_path, text), *args, stderr=err, stdout=io.StringIO())
    assert not Facility.objects.exists()
    return err.getvalue()


def test_wrong_columns_are_refused_before_any_row(tmp_path):
    report = _fails(tmp_path, "name,institution,town,country,latitude,longitude,colour\nA,B,Berlin,DE,52,13,red\n")
    assert "header: unknown column(s): town, colour" in report
    assert "header: missing column(s): institution_type, city" in report


def test_bad_coordinates_are_row_errors(tmp_path):
    rows = ",A,B,cdmo,Berlin,DE,91,13,,,\n,C,D,cdmo,Paris,FR,48.8,-181,,,\n,E,F,cdmo,Rome,IT,north,12,,,\n"
    report = _fails(tmp_path, HEADER + rows)
    assert "row 1: latitude" in report and "row 2: longitude" in report and "row 3: latitude" in report


def test_unknown_codes_are_row_errors(tmp_path):
    offer_header = HEADER.strip() + ",offer_services,offer_process_types\n"
    rows = (
        ",A,B,cdmo,Berlin,DE,52.5,13.4,unicorns,,yes,gmp_manufacturing,\n"
        ",C,D,cdmo,Paris,FR,48.8,2.35,,,yes,teleportation,\n"
        ",E,F,cdmo,Rome,ZZ,41.9,12.5,,,yes,gmp_manufacturing,warp_drive\n"
    )
    report = _fails(tmp_path, offer_header + rows)
    assert "row 1" in report and "unicorns" in report
    assert "row 2" in report and "teleportation" in report
    assert "row 3" in report and "warp_drive" in report and "unknown country 'ZZ'" in report


def test_duplicates_in_the_file_are_row_errors(tmp_path):
    rows = GOOD + GOOD.replace("Test Hospital", "Other Hospital") + "same-slug,X,Y,cdmo,Berlin,DE,52,13,,,\n" * 2
    report = _fails(tmp_path, HEADER + rows)
    assert "row 2: duplicate of row 1 (same name, city and country)" in report
    assert "row 4: duplicate of row 3 (same slug)" in report


def test_skip_invalid_saves_only_the_valid_rows_and_reports_the_rest(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    path = _write(tmp_path, HEADER + GOOD + BAD + GREEK)
    call_command("import_facilities", path, "--skip-invalid", stdout=out, stderr=err)
    assert sorted(Facility.objects.values_list("city", flat=True)) == ["Athens", "Vienna"]
    assert "skipped 1 invalid row(s)" in out.getvalue() and "row 2: latitude" in err.getvalue()


def test_offer_columns_create_update_and_export_the_offer(tmp_path):
    header = HEADER.strip() + ",offer_services,offer_lead_time_months,offer_takes_academic,offer_confirmed_on\n"
    call_command(
        "import_facilities",
        _write(tmp_path, header + GOOD.strip() + ",viral_vector_production; QP certification,7,yes,2025-01-31\n"),
        stdout=io.StringIO(),
    )
    offer = Facility.objects.get().offer
    assert offer.service_codes == ["viral_vector_production", "qp_certification"]
    assert (offer.lead_time_months, offer.takes_academic, str(offer.confirmed_on)) == (7, True, "2025-01-31")
    assert offer.is_stale is False or str(offer.confirmed_on) == "2025-01-31"
    exported = FacilityResource().export(Facility.objects.all()).dict[0]
    assert exported["offer_services"] == "viral_vector_production; qp_certification"
    assert exported["offer_lead_time_months"] == "7"
    bad_offer = header.replace("offer_confirmed_on", "offer_languages") + GOOD.strip() + ",gmp_manufacturing,500,no,\n"
    report = _fails_without_clearing(tmp_path, bad_offer)
    assert "offer_lead_time_months" in report
    assert Facility.objects.get().offer.lead_time_months == 7


def _fails_without_clearing(tmp_path, text: str) -> str:
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_facilities", _write(tmp_path, text, "again.csv"), stderr=err, stdout=io.StringIO())
    return err.getvalue()
