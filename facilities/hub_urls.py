from django.urls import path

from . import hub_views

urlpatterns = [
    path("contacts/", hub_views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", hub_views.contact_decide, name="contact_decide"),
    path("<slug:key>/claim/", hub_views.contact_claim, name="contact_claim"),
]
