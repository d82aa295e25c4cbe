import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from facilities.models import Facility

pytestmark = pytest.mark.django_db

CSV = (
    "slug,name,institution,institution_type,city,country,latitude,longitude\n"
    ",Admin Unit,Admin Hospital,university_hospital,Vienna,AT,48.2,16.37\n"
)
URL = "/admin/facilities/facility/import/"


def _upload(client, content: bytes, name: str = "facilities.csv"):
    return client.post(URL, {"format": "0", "import_file": SimpleUploadedFile(name, content)})


def test_curator_previews_then_confirms_an_import_in_the_admin(client_for):
    curator = client_for("curator")
    preview = _upload(curator, CSV.encode())
    assert preview.status_code == 200
    assert not Facility.objects.exists()  # the preview is a dry run
    html = preview.content.decode()
    fields = dict(re.findall(r'name="(import_file_name|original_file_name|format|resource)" value="([^"]*)"', html))
    assert "import_file_name" in fields, html[:2000]
    confirmed = curator.post("/admin/facilities/facility/process_import/", fields)
    assert confirmed.status_code == 302
    assert Facility.objects.get().institution == "Admin Hospital"


def test_admin_import_refuses_large_and_wrong_type_files(client_for, settings):
    settings.UPLOAD_MAX_BYTES = 50
    curator = client_for("curator")
    too_big = _upload(curator, CSV.encode())
    assert too_big.status_code == 200 and "larger than" in too_big.content.decode()
    settings.UPLOAD_MAX_BYTES = 10_000
    wrong = _upload(curator, b"x", name="facilities.exe")
    assert "Upload a .csv or .xlsx file" in wrong.content.decode()
    assert not Facility.objects.exists()


def test_experts_cannot_reach_the_admin_import(client_for):
    assert client_for("expert").get(URL).status_code == 302
