"""URLs of the cover-sheet import/export; included by trials/urls.py (same `trials:` namespace)."""

from django.urls import path

from . import sheet_views

urlpatterns: list = [
    path("sheets/template.xlsx", sheet_views.sheet_template, name="sheet_template"),
    path("sheets/import/", sheet_views.sheet_upload, name="sheet_upload"),
    path("sheets/import/<str:token>/", sheet_views.sheet_import_preview, name="sheet_import_preview"),
    path("sheets/import/<str:token>/confirm/", sheet_views.sheet_import_confirm, name="sheet_import_confirm"),
    path("products/<slug:slug>/sheet.xlsx", sheet_views.product_sheet, name="product_sheet"),
    path("export/cover-sheets.zip", sheet_views.export_sheets_zip, name="export_sheets_zip"),
    path("export/trials.csv", sheet_views.export_trials_csv, name="export_trials_csv"),
    path("export/trials.xlsx", sheet_views.export_trials_xlsx, name="export_trials_xlsx"),
]
