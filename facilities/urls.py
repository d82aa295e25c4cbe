from django.urls import include, path

from . import country_views, views

app_name = "facilities"

urlpatterns = [
    path("", views.facility_map, name="map"),
    path("countries/", country_views.country_view, name="countries"),
    path("gaps/", country_views.gaps_view, name="gaps"),
    path("export/", views.export, name="export"),
    # Corrections and trial-site links (curation_urls.py) come before the catch-all facility slug.
    path("", include("facilities.curation_urls")),
    path("", include("facilities.hub_urls")),
    path("<slug:key>/", views.facility_detail, name="detail"),
]
