from django.urls import path, re_path

from . import views

app_name = "economics"

urlpatterns = [
    path("", views.tool, name="index"),
    path("calculate/", views.calculate, name="calculate"),
    path("distribution-preview/", views.distribution_preview, name="distribution_preview"),
    path("evaluations/", views.evaluation_list, name="evaluation_list"),
    path("evaluations/import/", views.evaluation_import, name="evaluation_import"),
    path("evaluations/compare/", views.compare, name="compare"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluations/<int:pk>/edit/", views.tool, name="evaluation_edit"),
    path("evaluations/<int:pk>/report/", views.evaluation_report, name="evaluation_report"),
    path("evaluations/<int:pk>/model.xlsx", views.evaluation_workbook, name="evaluation_workbook"),
    path("evaluations/<int:pk>/duplicate/", views.evaluation_duplicate, name="evaluation_duplicate"),
    path("evaluations/<int:pk>/share/", views.evaluation_share, name="evaluation_share"),
    path("evaluations/<int:pk>/delete/", views.evaluation_delete, name="evaluation_delete"),
    re_path(r"^evaluations/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$", views.evaluation_export, name="evaluation_export"),
    path("evaluations/<int:pk>/jobs/", views.job_start, name="job_start"),
    path("shared/<str:token>/", views.shared, name="shared"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/rerun/", views.job_rerun, name="job_rerun"),
]
