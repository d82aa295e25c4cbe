"""The one upload guard (platform_site/uploads.py): size, sniffed type, zip bombs, row/column/field limits."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from platform_site.uploads import (
    UploadRejected,
    check_nesting,
    check_upload,
    open_workbook,
    read_csv_rows,
    sniff,
)


def workbook_bytes(rows, *, title="Sheet") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A valid-looking .xlsx whose one extra member is a run of zeros that compresses ~1000:1."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * unpacked_bytes)
    return buffer.getvalue()


def test_sniffs_by_content_not_by_name():
    xlsx = workbook_bytes([["a", 1]])
    assert sniff(xlsx) == "xlsx"
    assert check_upload(SimpleUploadedFile("named.csv", xlsx)) == "xlsx"
    assert check_upload(SimpleUploadedFile("named.xlsx", b"input,value\nname,x\n")) == "csv"
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("a.txt", "hello")
    assert sniff(plain_zip.getvalue()) == "zip"
    with pytest.raises(UploadRejected, match="not an Excel workbook"):
        check_upload(SimpleUploadedFile("x.xlsx", plain_zip.getvalue()))
    with pytest.raises(UploadRejected, match="not an Excel workbook"):
        check_upload(SimpleUploadedFile("x.xlsx", b"\x89PNG\r\n\x1a\n\0\0\0rest"))
    with pytest.raises(UploadRejected, match="not a CSV file"):
        check_upload(b"\xff\xfe\x00bad", allowed=("csv",))


def test_size_limit_comes_from_settings(settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRejected, match="larger than"):
        check_upload(SimpleUploadedFile("a.csv", b"x," * 100))
    assert check_upload(SimpleUploadedFile("a.csv", b"x,y\n")) == "csv"
    with pytest.raises(UploadRejected, match="empty"):
        check_upload(b"")


def test_file_objects_are_rewound():
    upload = SimpleUploadedFile("a.csv", b"a,b\n")
    upload.read()
    assert check_upload(upload) == "csv"
    assert upload.read() == b"a,b\n"


def test_zip_bomb_is_refused_before_unpacking(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 5 * 1024 * 1024
    bomb = zip_bomb(20 * 1024 * 1024)
    assert len(bomb) < settings.UPLOAD_MAX_BYTES
    with pytest.raises(UploadRejected, match="unpacks to"):
        check_upload(bomb)
    with pytest.raises(UploadRejected, match="unpacks to"):
        open_workbook(bomb)


def test_too_many_zip_members(settings):
    settings.UPLOAD_MAX_ZIP_MEMBERS = 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(20):
            archive.writestr(f"xl/media/{i}.bin", "x")
    with pytest.raises(UploadRejected, match="holds 21 files"):
        check_upload(buffer.getvalue())


def test_damaged_workbook_is_a_clear_error():
    data = workbook_bytes([["a"]])
    broken = data[:200] + b"\0" * 50 + data[250:]
    with pytest.raises(UploadRejected):
        with open_workbook(broken) as book:
            list(book.rows())


def test_workbook_rows_within_limits():
    data = workbook_bytes([["input", "value"], [], ["name", "=1+1"], ["x", 2, None, None]], title="Inputs")
    with open_workbook(data, max_rows=5, max_columns=3) as book:
        assert book.sheetnames == ["Inputs"]
        assert list(book.rows("Inputs")) == [("input", "value"), ("name",), ("x", 2)]  # no cached formula value
    with open_workbook(data, data_only=False) as book:
        assert ("name", "=1+1") in list(book.rows())  # the formula's text, for callers that want to keep it


def test_workbook_row_and_column_limits():
    with pytest.raises(UploadRejected, match="more than 3 rows"):
        with open_workbook(workbook_bytes([[i] for i in range(10)]), max_rows=3) as book:
            list(book.rows())
    with pytest.raises(UploadRejected, match="more than 4 columns"):
        with open_workbook(workbook_bytes([list(range(10))]), max_columns=4) as book:
            list(book.rows())


def test_csv_rows_and_limits():
    assert read_csv_rows(b'\xef\xbb\xbfinput,value\nname,"a, b"\n') == [["input", "value"], ["name", "a, b"]]
    with pytest.raises(UploadRejected, match="more than 2 rows"):
        read_csv_rows(b"a\nb\nc\n", max_rows=2)
    with pytest.raises(UploadRejected, match="3 columns"):
        read_csv_rows(b"a,b,c\n", max_columns=2)
    with pytest.raises(UploadRejected, match="longer than 10"):
        read_csv_rows(b"a," + b"x" * 11 + b"\n", max_field_chars=10)
    # An unterminated quote swallowing the rest of the file hits Python's csv field limit.
    with pytest.raises(UploadRejected):
        read_csv_rows(b'a,"' + b"x" * 200_000, max_field_chars=10**9)


def test_nesting_depth(settings):
    settings.UPLOAD_MAX_NESTING = 5
    assert check_nesting("inputs.phases.0.cost_eur") == ["inputs", "phases", "0", "cost_eur"]
    with pytest.raises(UploadRejected, match="nested 500 levels"):
        check_nesting(".".join(["a"] * 500))
