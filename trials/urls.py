from django.urls import include, path, re_path

from . import review_views, views

app_name = "trials"

urlpatterns = [
    path("", views.trial_list, name="trial_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("products/", views.product_list, name="product_list"),
    path("products/values/", views.product_values, name="product_values"),
    path("contribute/", views.product_create, name="product_create"),
    path("mine/", views.my_submissions, name="my_submissions"),
    path("review/", review_views.review_queue, name="review_queue"),
    path("review/changes/<int:pk>/", review_views.revision_detail, name="revision_detail"),
    path("products/<slug:slug>/", views.product_detail, name="product_detail"),
    path("products/<slug:slug>/edit/", views.product_edit, name="product_edit"),
    path("products/<slug:slug>/review/", review_views.product_review, name="product_review"),
    # Cover-sheet import and export (trials/sheet_urls.py).
    path("", include("trials.sheet_urls")),
    # A trial by its registry number (EudraCT, EU CT, NCT, ISRCTN, DRKS); last, so it never shadows a page.
    re_path(
        r"^(?P<registry_id>(?:NCT|ISRCTN|DRKS)\d{8}|\d{4}-\d{6}-\d{2}(?:-\d{2})?)/$",
        views.trial_detail,
        name="trial_detail",
    ),
]
