from django.urls import path

from . import curation_views

urlpatterns = [
    path("corrections/", curation_views.correction_list, name="corrections"),
    path("corrections/<int:pk>/", curation_views.correction_review, name="correction_review"),
    path("links/", curation_views.sitelink_suggestions, name="sitelinks"),
    path("links/confirm/", curation_views.sitelink_confirm, name="sitelink_confirm"),
    path("<slug:key>/correct/", curation_views.correction_create, name="correction_create"),
]
