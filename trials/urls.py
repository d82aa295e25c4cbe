from django.urls import include, path
from django.views.generic import TemplateView

app_name = "trials"

# Placeholders until the trials UI lands (issue #4); the URL names are the contract.
urlpatterns = [
    path("", TemplateView.as_view(template_name="trials/index.html"), name="trial_list"),
    path("products/", TemplateView.as_view(template_name="trials/index.html"), name="product_list"),
    path("products/<slug:slug>/", TemplateView.as_view(template_name="trials/index.html"), name="product_detail"),
    # Cover-sheet import and export (trials/sheet_urls.py).
    path("", include("trials.sheet_urls")),
]
