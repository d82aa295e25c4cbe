"""Pages for the cover-sheet import (upload -> preview -> confirm) and the sheet downloads.

The upload is checked (type, size), then imported as a dry run: the preview
shows exactly what the real import will create or change, because it *is* the
real import, rolled back. The file waits in a private folder, outside the
media root, under a random token kept in the uploader's session, until they
confirm or upload again.
"""

from __future__ import annotations

import secrets
import shutil
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from platform_site.permissions import expert_required, is_curator

from . import exports, imports
from .filters import ProductFilter, TrialFilter
from .models import Product, Trial
from .sheets.reader import ERROR
from .sheets.writer import blank_template, workbook_bytes

SESSION_KEY = "trials_sheet_uploads"
XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
    "application/zip",
    "",
}


# --- Upload -> preview -> confirm ---------------------------------------------------
MAX_FILES_PER_UPLOAD = 50
UPLOAD_MAX_AGE_SECONDS = 24 * 3600


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several workbooks in one upload (a curator importing a folder of sheets)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _check_workbook_upload(upload) -> None:
    limit = settings.TRIALS_SHEET_MAX_BYTES
    if not upload.name.lower().endswith(".xlsx"):
        raise forms.ValidationError(f"“{upload.name}” is not an .xlsx workbook (Excel 2007 or later).")
    if upload.content_type not in XLSX_TYPES:
        raise forms.ValidationError(f"“{upload.name}” was sent as {upload.content_type}, not as an Excel workbook.")
    if upload.size > limit:
        raise forms.ValidationError(
            f"“{upload.name}” is {upload.size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.1f} MB."
        )
    head = upload.read(4)
    upload.seek(0)
    if head != b"PK\x03\x04":
        raise forms.ValidationError(f"“{upload.name}” is not an .xlsx workbook (the file is not a zip package).")


class SheetUploadForm(forms.Form):
    file = MultipleFileField(
        label="Cover sheets (.xlsx)",
        help_text="One product per workbook, in the JOIN4ATMP cover-sheet template. You may select several files.",
    )
    update = forms.BooleanField(
        label="Update the product if it already exists",
        required=False,
        help_text="Without this, a sheet for a product that is already in the database is refused.",
    )

    def clean_file(self):
        uploads = self.cleaned_data["file"]
        if len(uploads) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"At most {MAX_FILES_PER_UPLOAD} files per upload; you sent {len(uploads)}.")
        errors = []
        for upload in uploads:
            try:
                _check_workbook_upload(upload)
            except forms.ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise forms.ValidationError(errors)
        return uploads


def _upload_dir() -> Path:
    # Private: outside MEDIA_ROOT, because uploaded sheets carry e-mail addresses.
    path = Path(settings.TRIALS_SHEET_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _drop_abandoned_uploads() -> None:
    """Uploads nobody confirmed within a day (closed tab, expired session) hold personal data: delete them."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for folder in _upload_dir().iterdir():
        if folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def _store_upload(request, uploads, *, update: bool) -> str:
    """Keep the files until the confirm step, in a folder named by a random token; drop older pending ones."""
    _discard_pending(request)
    _drop_abandoned_uploads()
    token = secrets.token_urlsafe(24)
    folder = _upload_dir() / token
    folder.mkdir()
    for index, upload in enumerate(uploads):
        with open(folder / f"{index}.xlsx", "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    names = [Path(upload.name).name for upload in uploads]
    request.session[SESSION_KEY] = {
        token: {"names": names, "update": update, "user": request.user.pk, "at": time.time()}
    }
    return token


def _discard_pending(request) -> None:
    for token in request.session.get(SESSION_KEY, {}):
        shutil.rmtree(_upload_dir() / token, ignore_errors=True)
    request.session.pop(SESSION_KEY, None)


def _pending(request, token: str) -> tuple[Path, dict]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    folder = _upload_dir() / token
    if not entry or entry.get("user") != request.user.pk or not folder.is_dir():
        raise Http404("This upload is no longer waiting for confirmation; upload the files again.")
    return folder, entry


def _run_import(request, folder: Path, entry: dict, *, dry_run: bool):
    files = [(folder / f"{index}.xlsx", name) for index, name in enumerate(entry["names"])]
    report = imports.cover_sheets_import(files=files, imported_by=request.user, update=entry["update"], dry_run=dry_run)
    _refuse_duplicates(report)
    return report


def _refuse_duplicates(report) -> None:
    """Two workbooks of one batch for the same product: each dry run alone looks fine, together they clash."""
    seen: dict[str, str] = {}
    for file_report in report.files:
        key = file_report.product_name.strip().lower()
        if not key or not file_report.ok:
            continue
        if key in seen:
            file_report.add(
                ERROR, f"“{file_report.product_name}” is also in {seen[key]}; upload one workbook per product."
            )
            file_report.action = "refused"
        else:
            seen[key] = file_report.file_name


def _preview_context(request, report, token, entry) -> dict:
    title = entry["names"][0] if len(entry["names"]) == 1 else f"{len(entry['names'])} workbooks"
    return {"report": report, "token": token, "entry": entry, "title": title, "publishes": is_curator(request.user)}


@expert_required
@require_http_methods(["GET", "POST"])
def sheet_upload(request):
    form = SheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _store_upload(request, form.cleaned_data["file"], update=form.cleaned_data["update"])
        return redirect("trials:sheet_import_preview", token=token)
    return render(
        request,
        "trials/sheets/upload.html",
        {
            "form": form,
            "max_mb": settings.TRIALS_SHEET_MAX_BYTES / 1_048_576,
            "max_files": MAX_FILES_PER_UPLOAD,
            "publishes": is_curator(request.user),
        },
        status=400 if form.errors else 200,
    )


@expert_required
@require_http_methods(["GET"])
def sheet_import_preview(request, token: str):
    folder, entry = _pending(request, token)
    report = _run_import(request, folder, entry, dry_run=True)
    return render(request, "trials/sheets/preview.html", _preview_context(request, report, token, entry))


@expert_required
@require_POST
def sheet_import_confirm(request, token: str):
    folder, entry = _pending(request, token)
    # Each file is its own transaction; confirm only runs when the preview had no error, but the
    # database may have changed since (another import, an edit), so check again.
    report = _run_import(request, folder, entry, dry_run=True)
    if not report.ok:
        messages.error(request, "The import was refused; nothing was written. See the report below.")
        context = _preview_context(request, report, token, entry)
        return render(request, "trials/sheets/preview.html", context, status=409)
    report = _run_import(request, folder, entry, dry_run=False)
    _discard_pending(request)
    done = [f for f in report.files if f.ok]
    verb = "imported and published" if is_curator(request.user) else "imported and is waiting for a curator's review"
    for file_report in done:
        messages.success(request, f"“{file_report.product_name}” was {verb}.")
    for file_report in report.files:
        if not file_report.ok:
            messages.error(request, f"{file_report.file_name} was not imported: {file_report.errors[0]}")
    if len(done) == 1 and done[0].product_slug:
        return redirect("trials:product_detail", slug=done[0].product_slug)
    return redirect("trials:product_list")


# --- Downloads -----------------------------------------------------------------------
def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def sheet_template(request):
    """The blank cover-sheet template, built from the one catalogue of labels the importer reads."""
    return _xlsx_response(workbook_bytes(blank_template()), "ATMP_Cover_Sheet_Template.xlsx")


@require_http_methods(["GET", "HEAD"])
def product_sheet(request, slug: str):
    """One product's cover sheet; personal data only for users allowed to see it."""
    product = get_object_or_404(exports.products_for_export(Product.objects.visible_to(request.user)), slug=slug)
    return _xlsx_response(
        exports.product_sheet_bytes(product, user=request.user), exports.product_sheet_filename(product)
    )


def _filtered_products(request):
    queryset = Product.objects.visible_to(request.user)
    return ProductFilter(request.GET, queryset=queryset, request=request).qs


def _filtered_trials(request):
    queryset = Trial.objects.visible_to(request.user)
    return TrialFilter(request.GET, queryset=queryset, request=request).qs


def _export_name(request, stem: str, ext: str) -> str:
    query = slugify(request.GET.get("q", ""))[:40]
    return f"{stem}{'-' + query if query else ''}.{ext}"


@require_http_methods(["GET", "HEAD"])
def export_sheets_zip(request):
    """A zip of the cover sheets of the current product search result."""
    products = _filtered_products(request)
    limit = settings.TRIALS_EXPORT_MAX_PRODUCTS
    if products.count() > limit:
        messages.error(request, f"At most {limit} products fit in one download; narrow the search first.")
        return redirect(f"{reverse('trials:product_list')}?{request.GET.urlencode()}")
    response = HttpResponse(exports.sheets_zip_bytes(products, user=request.user), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(request, "atmp-cover-sheets", "zip")}"'
    return response


@require_http_methods(["GET", "HEAD"])
def export_trials_csv(request):
    """All trials of the current search result as one flat table, for analysis."""
    rows = exports.iter_trials_csv(_filtered_trials(request), user=request.user)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(request, "atmp-trials", "csv")}"'
    return response


@require_http_methods(["GET", "HEAD"])
def export_trials_xlsx(request):
    data = exports.trials_xlsx_bytes(_filtered_trials(request), user=request.user)
    return _xlsx_response(data, _export_name(request, "atmp-trials", "xlsx"))
