"""The economics import (/economics/evaluations/import/) goes through the upload guard."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from economics import exports, services
from economics.engine.defaults import default_inputs
from economics.models import Evaluation


@pytest.fixture
def exported(owner):
    inputs, _ = default_inputs("car_t", "oncology", "phase_1")
    evaluation = services.evaluation_save(owner=owner, name="=cmd|' /C calc'!A0", inputs=inputs)
    return evaluation


def post(client, name: str, content: bytes):
    return client.post(reverse("economics:evaluation_import"), {"file": SimpleUploadedFile(name, content)})


def with_padding(xlsx: bytes, unpacked_bytes: int) -> bytes:
    """The same workbook plus one member of zeros: a zip bomb that still opens as a workbook."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        bomb.writestr("xl/media/padding.bin", b"\0" * unpacked_bytes)
    return buffer.getvalue()


@pytest.mark.django_db
def test_an_xlsx_zip_bomb_is_refused_and_nothing_is_stored(client_for, exported, settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    bomb = with_padding(exports.to_xlsx(exported), 8 * 1024 * 1024)
    assert len(bomb) < 100_000
    response = post(client_for("expert"), "bomb.xlsx", bomb)
    assert response.status_code == 200
    assert b"unpacks to" in response.content
    assert Evaluation.objects.count() == 1


@pytest.mark.django_db
def test_a_key_of_500_dotted_segments_is_a_clear_error_not_a_recursion_error(client_for):
    deep = "inputs." + ".".join(["a"] * 500)
    response = post(client_for("expert"), "deep.csv", f"input,value\nname,x\n{deep},1\n".encode())
    assert response.status_code == 200
    assert b"levels deep" in response.content
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_clashing_paths_are_a_clear_error(client_for):
    content = b"input,value\ninputs.discount_rate,0.1\ninputs.discount_rate.x,1\n"
    response = post(client_for("expert"), "clash.csv", content)
    assert response.status_code == 200
    assert b"clashes with another input row" in response.content
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("x.xlsx", b"input,value\n", b"not an Excel workbook"),
        ("x.csv", b"PK\x03\x04 not really a zip", b"not a CSV file"),
        ("x.csv", b"input,value\n" + b"a," * 50 + b"\n", b"columns"),
    ],
)
def test_content_not_name_decides(client_for, name, content, message):
    response = post(client_for("expert"), name, content)
    assert response.status_code == 200
    assert message in response.content
    assert not Evaluation.objects.exists()


@pytest.mark.django_db
def test_a_formula_looking_name_round_trips_through_both_formats(client_for, exported):
    client = client_for("owner")
    for fmt in ("csv", "xlsx"):
        content = client.get(reverse("economics:evaluation_export", args=[exported.pk, fmt])).content
        assert post(client, f"export.{fmt}", content).status_code == 302
        assert Evaluation.objects.order_by("-pk").first().name == "=cmd|' /C calc'!A0"
