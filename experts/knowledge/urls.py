from django.urls import path

from .views import cases

app_name = "knowledge"

urlpatterns = [
    path("cases/", cases.case_list, name="case_list"),
    path("cases/new/", cases.case_create, name="case_create"),
    path("cases/compare/", cases.case_compare, name="case_compare"),
    path("cases/<slug:slug>/", cases.case_detail, name="case_detail"),
    path("cases/<slug:slug>/swot/", cases.case_swot, name="case_swot"),
    path("cases/<slug:slug>/edit/", cases.case_edit, name="case_edit"),
    path("cases/<slug:slug>/submit/", cases.case_submit, name="case_submit"),
    path("cases/<slug:slug>/review/", cases.case_review, name="case_review"),
    path("cases/<slug:slug>/confirm/", cases.case_confirm, name="case_confirm"),
]
