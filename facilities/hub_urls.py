from django.urls import path

from . import hub_views, import_views, need_views

urlpatterns = [
    path("contacts/", hub_views.contact_list, name="contacts"),
    path("contacts/<int:pk>/", hub_views.contact_decide, name="contact_decide"),
    path("hub/", need_views.hub_overview, name="hub"),
    path("hub/activity/", need_views.hub_activity, name="hub_activity"),
    path("needs/", need_views.need_list, name="needs"),
    path("needs/new/", need_views.need_create, name="need_create"),
    path("needs/<int:pk>/", need_views.need_detail, name="need_detail"),
    path("needs/<int:pk>/edit/", need_views.need_edit, name="need_edit"),
    path("needs/<int:pk>/contact/", need_views.need_contact, name="need_contact"),
    path("needs/<int:pk>/close/", need_views.need_close, name="need_close"),
    path("needs/<int:pk>/moderate/", need_views.need_moderate, name="need_moderate"),
    path("enquiries/<int:pk>/", need_views.enquiry_answer, name="enquiry_answer"),
    path("enquiries/<int:pk>/share/", need_views.enquiry_share, name="enquiry_share"),
    path("import/", import_views.import_start, name="import"),
    path("import/jobs/<int:pk>/", import_views.import_job, name="import_job"),
    path("import-template/", import_views.import_template, name="import_template"),
    path("<slug:key>/claim/", hub_views.contact_claim, name="contact_claim"),
    path("<slug:key>/offer/", need_views.offer_edit, name="offer_edit"),
]
