"""The one upload guard: every file a user or curator uploads goes through here before it is parsed.

What it refuses, with a sentence a user can act on (:class:`UploadRejected`):

- a file larger than ``settings.UPLOAD_MAX_BYTES``;
- a file whose *content* is not an allowed kind. The kind is sniffed from the bytes, never from
  the name: an .xlsx is a zip holding ``xl/workbook.xml``; a CSV is UTF-8 text without NUL bytes;
- a zip (or .xlsx) with more than ``UPLOAD_MAX_ZIP_MEMBERS`` members or that unpacks to more than
  ``UPLOAD_MAX_UNPACKED_BYTES`` (a zip bomb: 622 KB can unpack to 629 MB);
- a sheet or CSV with more rows or columns than the caller allows, a CSV field longer than
  ``UPLOAD_MAX_FIELD_CHARS``, or a key nested deeper than ``UPLOAD_MAX_NESTING``.

API::

    kind = check_upload(upload, allowed=("xlsx", "csv"))        # "xlsx" | "csv" | "zip"
    with open_workbook(upload, max_rows=..., max_columns=...) as book:
        for values in book.rows("Inputs"):                     # tuples, limits enforced while reading
            ...
    rows = read_csv_rows(upload, max_rows=..., max_columns=...) # list of lists of str
    check_nesting("inputs.phases.0.cost", max_depth=...)

``upload`` may be a Django ``UploadedFile``, any binary file object, or ``bytes``; file objects are
rewound before and after reading.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from django.conf import settings

XLSX = "xlsx"
CSV = "csv"
ZIP = "zip"
KIND_NAMES = {XLSX: "an Excel workbook (.xlsx)", CSV: "a CSV file (UTF-8 text)", ZIP: "a zip file"}


class UploadRejected(ValueError):
    """An upload the portal will not parse; ``message`` is shown to the user as it is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_bytes(file, *, max_bytes: int | None = None) -> bytes:
    """The upload's bytes, at most ``max_bytes`` (default ``UPLOAD_MAX_BYTES``)."""
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if isinstance(file, (bytes, bytearray)):
        data = bytes(file)
    else:
        if hasattr(file, "seek"):
            file.seek(0)
        data = file.read(limit + 1)
        if hasattr(file, "seek"):
            file.seek(0)
    if len(data) > limit:
        raise UploadRejected(f"The file is larger than the {_megabytes(limit)} limit.")
    if not data:
        raise UploadRejected("The file is empty.")
    return data


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes are, whatever its name says: "xlsx", "zip", "csv" or None."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return XLSX if "xl/workbook.xml" in names else ZIP
    if b"\x00" in data:
        return None
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return CSV


def check_archive(data: bytes, *, max_members: int | None = None, max_unpacked_bytes: int | None = None) -> None:
    """Refuse a zip with too many members or too much unpacked content, before anything unpacks it.

    The sizes are those the archive declares; Python's zipfile never reads a member past its declared
    size (a lying header ends in a CRC error), so the declared total bounds the work done."""
    members_limit = settings.UPLOAD_MAX_ZIP_MEMBERS if max_members is None else max_members
    unpacked_limit = settings.UPLOAD_MAX_UNPACKED_BYTES if max_unpacked_bytes is None else max_unpacked_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRejected(f"The file is a damaged zip archive ({exc}).") from None
    if len(infos) > members_limit:
        raise UploadRejected(f"The archive holds {len(infos):,} files; at most {members_limit:,} are accepted.")
    unpacked = sum(info.file_size for info in infos)
    if unpacked > unpacked_limit:
        raise UploadRejected(
            f"The file unpacks to {_megabytes(unpacked)}, more than the {_megabytes(unpacked_limit)} limit."
        )


def check_upload(
    file,
    *,
    allowed: tuple[str, ...] = (XLSX, CSV),
    max_bytes: int | None = None,
    max_members: int | None = None,
    max_unpacked_bytes: int | None = None,
) -> str:
    """Size, kind (sniffed) and, for zips and workbooks, member count and unpacked size; returns the kind."""
    data = read_bytes(file, max_bytes=max_bytes)
    kind = sniff(data)
    if kind not in allowed:
        expected = " or ".join(KIND_NAMES[k] for k in allowed)
        raise UploadRejected(f"This file is not {expected}. Check the file and upload it again.")
    if kind in (XLSX, ZIP):
        check_archive(data, max_members=max_members, max_unpacked_bytes=max_unpacked_bytes)
    return kind


class GuardedWorkbook:
    """A read-only openpyxl workbook whose rows are read within row and column limits."""

    def __init__(self, book, *, max_rows: int, max_columns: int):
        self.book = book
        self.max_rows = max_rows
        self.max_columns = max_columns

    @property
    def sheetnames(self) -> list[str]:
        return self.book.sheetnames

    def rows(self, sheet_name: str | None = None) -> Iterator[tuple]:
        """Value tuples of one worksheet (the first by default), trailing empty cells dropped.

        Empty rows are skipped without counting (real sheets carry formatting far below their data;
        the unpacked-size check bounds them); a value beyond ``max_columns`` or more than ``max_rows``
        rows with values raise :class:`UploadRejected`."""
        sheet = self.book[sheet_name] if sheet_name else self.book.worksheets[0]
        counted = 0
        # max_col bounds the work even when the sheet declares a huge dimension (A1:XFD1048576).
        for values in sheet.iter_rows(values_only=True, max_col=self.max_columns + 1):
            values = tuple(values)
            while values and values[-1] in (None, ""):
                values = values[:-1]
            if not values:
                continue
            if len(values) > self.max_columns:
                raise UploadRejected(f"Worksheet “{sheet.title}” has more than {self.max_columns:,} columns.")
            counted += 1
            if counted > self.max_rows:
                raise UploadRejected(f"Worksheet “{sheet.title}” has more than {self.max_rows:,} rows.")
            yield values

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> GuardedWorkbook:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def open_workbook(
    file,
    *,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_bytes: int | None = None,
    data_only: bool = True,
) -> GuardedWorkbook:
    """A checked .xlsx opened read-only (defusedxml parses its XML); use as a context manager."""
    import openpyxl

    check_upload(file, allowed=(XLSX,), max_bytes=max_bytes)
    data = read_bytes(file, max_bytes=max_bytes)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file; all mean the same
        raise UploadRejected(f"The workbook could not be read ({type(exc).__name__}).") from None
    return GuardedWorkbook(
        book,
        max_rows=settings.UPLOAD_MAX_ROWS if max_rows is None else max_rows,
        max_columns=settings.UPLOAD_MAX_COLUMNS if max_columns is None else max_columns,
    )


def read_csv_rows(
    file,
    *,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_field_chars: int | None = None,
    max_bytes: int | None = None,
) -> list[list[str]]:
    """The rows of a checked UTF-8 CSV (a BOM is allowed), within row, column and field-length limits."""
    row_limit = settings.UPLOAD_MAX_ROWS if max_rows is None else max_rows
    column_limit = settings.UPLOAD_MAX_COLUMNS if max_columns is None else max_columns
    field_limit = settings.UPLOAD_MAX_FIELD_CHARS if max_field_chars is None else max_field_chars
    check_upload(file, allowed=(CSV,), max_bytes=max_bytes)
    text = read_bytes(file, max_bytes=max_bytes).decode("utf-8-sig")
    rows: list[list[str]] = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            if number > row_limit:
                raise UploadRejected(f"The CSV file has more than {row_limit:,} rows.")
            if len(row) > column_limit:
                raise UploadRejected(f"Row {number} has {len(row):,} columns; at most {column_limit:,} are accepted.")
            if any(len(field) > field_limit for field in row):
                raise UploadRejected(f"Row {number} has a value longer than {field_limit:,} characters.")
            rows.append(row)
    except csv.Error as exc:
        # Python's own limit (131,072 characters per field) or a malformed quote.
        raise UploadRejected(f"The CSV file could not be read ({exc}).") from None
    return rows


def check_nesting(key: str, *, separator: str = ".", max_depth: int | None = None) -> list[str]:
    """A dotted key split into its parts, refused when nested deeper than ``max_depth``."""
    limit = settings.UPLOAD_MAX_NESTING if max_depth is None else max_depth
    parts = str(key).split(separator)
    if len(parts) > limit:
        shown = str(key)[:60]
        raise UploadRejected(f"The key “{shown}…” is nested {len(parts)} levels deep; at most {limit} are accepted.")
    return parts
