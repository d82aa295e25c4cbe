"""Imports from the site: a curator uploads, a job imports in the background, the page follows it (htmx)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from facilities.import_jobs import ImportJob, ImportStatus
from facilities.models import Facility

pytestmark = pytest.mark.django_db

CSV = (
    "slug,name,institution,institution_type,city,country,latitude,longitude,offer_services,offer_lead_time_months\n"
    ",Admin Unit,Admin Hospital,university_hospital,Vienna,AT,48.2,16.37,gmp_manufacturing,5\n"
)


def _start(client, content: bytes, name: str = "facilities.csv", **options):
    data = {"file": SimpleUploadedFile(name, content), "table": "facilities", **options}
    return client.post("/facilities/import/", data)


def test_curator_starts_an_import_job_and_follows_it_to_the_end(client_for, django_capture_on_commit_callbacks):
    curator = client_for("curator")
    with django_capture_on_commit_callbacks(execute=True):
        response = _start(curator, CSV.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.status, job.progress, job.rows_total, job.report["written"]) == (ImportStatus.SUCCEEDED, 1.0, 1, True)
    assert job.content == b""  # the upload is not kept once imported
    facility = Facility.objects.get()
    assert facility.offer.service_codes == ["gmp_manufacturing"] and facility.offer.lead_time_months == 5
    page = curator.get(job.get_absolute_url()).content.decode()
    assert "Finished" in page and "Saved:" in page and 'hx-trigger="every 2s"' not in page
    partial = curator.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Finished" in partial


def test_a_queued_job_page_polls_until_it_finishes(client_for, cast):
    job = ImportJob.objects.create(created_by=cast["curator"], filename="big.xlsx", content=b"x")
    page = client_for("curator").get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Waiting for a worker" in page


def test_a_bad_row_fails_the_job_with_the_report_and_saves_nothing(client_for, django_capture_on_commit_callbacks):
    bad = CSV + ",Bad Unit,Bad Hospital,hospital,Nowhere,XX,95,16.37,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        _start(client_for("curator"), bad.encode())
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "nothing was saved" in job.error
    assert any(number == 2 and "latitude" in message for number, message in job.report["errors"])
    assert not Facility.objects.exists()


def test_skip_invalid_saves_the_valid_rows_and_reports_the_others(client_for, django_capture_on_commit_callbacks):
    bad = CSV + ",Bad Unit,Bad Hospital,hospital,Nowhere,XX,95,16.37,,\n"
    with django_capture_on_commit_callbacks(execute=True):
        _start(client_for("curator"), bad.encode(), skip_invalid="on")
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.SUCCEEDED and job.report["skipped_rows"] == [2]
    assert list(Facility.objects.values_list("name", flat=True)) == ["Admin Unit"]


def test_the_upload_guard_refuses_before_any_job_exists(client_for, settings):
    settings.UPLOAD_MAX_BYTES = 50
    curator = client_for("curator")
    assert "larger than" in _start(curator, CSV.encode()).content.decode()
    settings.UPLOAD_MAX_BYTES = 10_000_000
    assert "is not an Excel workbook" in _start(curator, b"\x00\x01", name="facilities.xlsx").content.decode()
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * 60_000_000)
    assert "unpacks to" in _start(curator, bomb.getvalue(), name="facilities.xlsx").content.decode()
    assert not ImportJob.objects.exists() and not Facility.objects.exists()


@pytest.fixture
def broker_on_a_closed_port():
    """Celery sending for real, to a port nothing listens on; put back afterwards.

    broker_write_url wins over broker_url (which settings also define under make test-services).
    """
    from platform_site.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_write_url": app.conf.broker_write_url}
    pools = (app._pool, app.amqp._producer_pool)
    app.conf.update(task_always_eager=False, broker_write_url="redis://127.0.0.1:1/0")
    # The connection and producer pools are built from the URL on first use.
    app._pool = app.amqp._producer_pool = None
    yield app
    app.conf.update(**saved)
    app._pool, app.amqp._producer_pool = pools


def test_an_import_recorded_while_the_broker_is_down_waits_and_runs_when_it_is_back(
    client_for, broker_on_a_closed_port, django_capture_on_commit_callbacks
):
    from facilities.tasks import dispatch_waiting_imports

    with django_capture_on_commit_callbacks(execute=True):
        response = _start(client_for("curator"), CSV.encode())
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.WAITING and "cannot be reached" in job.error
    assert not Facility.objects.exists()
    assert "Waiting for the task queue" in client_for("curator").get(job.get_absolute_url()).content.decode()

    # Still down: the beat leaves it waiting, nothing imported.
    assert dispatch_waiting_imports() == 0
    job.refresh_from_db()
    assert job.status == ImportStatus.WAITING and not Facility.objects.exists()

    # Back (eager here: the task runs in this process as a worker would run it).
    broker_on_a_closed_port.conf.task_always_eager = True
    assert dispatch_waiting_imports() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED and job.error == ""
    assert Facility.objects.exists()
    # Nothing is left waiting, so the next beat sends nothing twice.
    assert dispatch_waiting_imports() == 0


def test_the_beat_sends_only_waiting_jobs(client_for, django_capture_on_commit_callbacks):
    from facilities.tasks import dispatch_waiting_imports

    with django_capture_on_commit_callbacks(execute=True):
        _start(client_for("curator"), CSV.encode())
    finished = ImportJob.objects.get()
    assert finished.status == ImportStatus.SUCCEEDED
    queued = ImportJob.objects.create(filename="other.csv", content=CSV.encode())
    assert dispatch_waiting_imports() == 0
    queued.refresh_from_db()
    assert queued.status == ImportStatus.QUEUED


def test_the_template_is_downloadable_and_imports_as_it_is(client, tmp_path):
    from django.core.management import call_command

    csv_body = client.get("/facilities/import-template/").content.decode()
    header = csv_body.splitlines()[0].split(",")
    assert {"name", "latitude", "offer_services", "offer_lead_time_months", "offer_confirmed_on"} <= set(header)
    book = load_workbook(io.BytesIO(client.get("/facilities/import-template/?format=xlsx").content))
    assert book.sheetnames == ["facilities", "columns"]
    described = {row[0]: row[2] for row in book["columns"].iter_rows(min_row=2, values_only=True)}
    assert "gmp_manufacturing" in described["offer_services"] and set(described) == set(header)
    path = tmp_path / "template.csv"
    path.write_text(csv_body, encoding="utf-8")
    call_command("import_facilities", str(path), stdout=io.StringIO())
    example = Facility.objects.get()
    assert example.status == "draft" and example.offer.process_codes == ["car_t_expansion", "closed_automated"]


def test_the_admin_links_to_the_import_page_and_has_no_import_of_its_own(client_for):
    curator = client_for("curator")
    assert 'href="/facilities/import/"' in curator.get("/admin/facilities/facility/").content.decode()
    # The old in-request import is gone: the path is read as an object id the admin does not have.
    assert curator.post("/admin/facilities/facility/process_import/", {"x": "1"}).status_code != 200
    assert "/change/" in curator.get("/admin/facilities/facility/import/")["Location"]
