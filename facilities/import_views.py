"""Facility imports as jobs (curators), and the downloadable template (everyone)."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from platform_site.permissions import curator_required
from platform_site.uploads import UploadRejected

from . import hub_services, importing
from .import_jobs import ImportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(forms.Form):
    file = forms.FileField(help_text="CSV (UTF-8) or XLSX in the template's layout.")
    table = forms.ChoiceField(choices=ImportJob.TABLES, initial="facilities")
    dry_run = forms.BooleanField(required=False, label="Check only (save nothing)")
    skip_invalid = forms.BooleanField(required=False, label="Save the valid rows and report the others")


@curator_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = hub_services.import_job_start(
                upload=form.cleaned_data["file"],
                table=form.cleaned_data["table"],
                dry_run=form.cleaned_data["dry_run"],
                skip_invalid=form.cleaned_data["skip_invalid"],
                user=request.user,
            )
        except UploadRejected as error:
            form.add_error("file", error.message)
        else:
            return redirect(job)
    jobs = ImportJob.objects.defer("content").select_related("created_by")[:20]
    return render(request, "facilities/import.html", {"form": form, "jobs": jobs})


@curator_required
def import_job(request, pk: int):
    job = get_object_or_404(ImportJob.objects.defer("content"), pk=pk)
    template = "facilities/_import_job_status.html" if request.htmx else "facilities/import_job.html"
    return render(request, template, {"job": job})


def import_template(request):
    """The facilities layout with one example row: CSV, or XLSX with a second sheet describing each column."""
    if request.GET.get("format") == "xlsx":
        book = tablib_book()
        response = HttpResponse(book.export("xlsx"), content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="facilities-template.xlsx"'
        return response
    response = HttpResponse(importing.template_dataset().export("csv"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="facilities-template.csv"'
    return response


def tablib_book():
    import tablib

    return tablib.Databook([importing.template_dataset(), importing.columns_dataset()])
