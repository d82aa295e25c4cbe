"""Pages for the cover-sheet import (upload -> preview -> confirm) and the sheet downloads.

The upload is checked (type, size), then imported as a dry run: the preview
shows exactly what the real import will create or change, because it *is* the
real import, rolled back. The file waits in a private folder, outside the
media root, under a random token kept in the uploader's session, until they
confirm or upload again.
"""

from __future__ import annotations

import secrets
import tempfile
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

from . import conf, exports, imports
from .models import Product, Trial

SESSION_KEY = "trials_sheet_uploads"
XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
    "application/zip",
    "",
}


# --- Upload -> preview -> confirm ---------------------------------------------------
class SheetUploadForm(forms.Form):
    file = forms.FileField(
        label="Cover sheet (.xlsx)",
        help_text="One product per workbook, in the JOIN4ATMP cover-sheet template.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
    update = forms.BooleanField(
        label="Update the product if it already exists",
        required=False,
        help_text="Without this, a sheet for a product that is already in the database is refused.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = conf.sheet_max_bytes()
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
        return upload


def _upload_dir() -> Path:
    # Private: outside MEDIA_ROOT, because uploaded sheets carry e-mail addresses.
    default = Path(tempfile.gettempdir()) / "atmp-trials-sheet-uploads"
    path = Path(getattr(settings, "TRIALS_SHEET_UPLOAD_DIR", default))
    path.mkdir(parents=True, exist_ok=True)
    return path


UPLOAD_MAX_AGE_SECONDS = 24 * 3600


def _drop_abandoned_uploads() -> None:
    """Uploads nobody confirmed within a day (closed tab, expired session) hold personal data: delete them."""
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for path in _upload_dir().glob("*.xlsx"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _store_upload(request, upload, *, update: bool) -> str:
    """Keep the file until the confirm step; drop this user's older pending uploads."""
    _discard_pending(request)
    _drop_abandoned_uploads()
    token = secrets.token_urlsafe(24)
    with open(_upload_dir() / f"{token}.xlsx", "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    request.session[SESSION_KEY] = {
        token: {"name": Path(upload.name).name, "update": update, "user": request.user.pk, "at": time.time()}
    }
    return token


def _discard_pending(request) -> None:
    for token in request.session.get(SESSION_KEY, {}):
        (_upload_dir() / f"{token}.xlsx").unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)


def _pending(request, token: str) -> tuple[Path, dict]:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / f"{token}.xlsx"
    if not entry or entry.get("user") != request.user.pk or not path.exists():
        raise Http404("This upload is no longer waiting for confirmation; upload the file again.")
    return path, entry


def _run_import(request, path: Path, entry: dict, *, dry_run: bool):
    with open(path, "rb") as handle:
        return imports.cover_sheet_import(
            file=handle, imported_by=request.user, update=entry["update"], dry_run=dry_run, name=entry["name"]
        )


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
        {"form": form, "max_mb": conf.sheet_max_bytes() / 1_048_576, "publishes": is_curator(request.user)},
        status=400 if form.errors else 200,
    )


@expert_required
@require_http_methods(["GET"])
def sheet_import_preview(request, token: str):
    path, entry = _pending(request, token)
    report = _run_import(request, path, entry, dry_run=True)
    context = {"report": report, "token": token, "entry": entry, "publishes": is_curator(request.user)}
    return render(request, "trials/sheets/preview.html", context)


@expert_required
@require_POST
def sheet_import_confirm(request, token: str):
    path, entry = _pending(request, token)
    report = _run_import(request, path, entry, dry_run=False)
    if not report.ok:
        # Something changed since the preview (another import, an edit): show why, keep the file.
        messages.error(request, "The import was refused; nothing was written. See the report below.")
        return render(
            request,
            "trials/sheets/preview.html",
            {"report": report, "token": token, "entry": entry, "publishes": is_curator(request.user)},
            status=409,
        )
    _discard_pending(request)
    file_report = report.files[0]
    if is_curator(request.user):
        messages.success(request, f"“{file_report.product_name}” was imported and published.")
    else:
        messages.success(request, f"“{file_report.product_name}” was imported and is waiting for a curator's review.")
    if file_report.product_slug:
        return redirect("trials:product_detail", slug=file_report.product_slug)
    return redirect("trials:sheet_upload")


# --- Downloads -----------------------------------------------------------------------
def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD"])
def product_sheet(request, slug: str):
    """One product's cover sheet; personal data only for users allowed to see it."""
    product = get_object_or_404(exports.products_for_export(Product.objects.visible_to(request.user)), slug=slug)
    return _xlsx_response(
        exports.product_sheet_bytes(product, user=request.user), exports.product_sheet_filename(product)
    )


def _filtered_products(request):
    queryset = Product.objects.visible_to(request.user)
    try:
        from .filters import ProductFilter
    except ImportError:  # the filters are engineer B's; until they exist, visibility is the only filter
        return queryset
    return ProductFilter(request.GET, queryset=queryset, request=request).qs


def _filtered_trials(request):
    queryset = Trial.objects.visible_to(request.user)
    try:
        from .filters import TrialFilter
    except ImportError:
        return queryset
    return TrialFilter(request.GET, queryset=queryset, request=request).qs


def _export_name(request, stem: str, ext: str) -> str:
    query = slugify(request.GET.get("q", ""))[:40]
    return f"{stem}{'-' + query if query else ''}.{ext}"


@require_http_methods(["GET", "HEAD"])
def export_sheets_zip(request):
    """A zip of the cover sheets of the current product search result."""
    products = _filtered_products(request)
    limit = conf.EXPORT_MAX_PRODUCTS
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
