from django.urls import path

from . import views

app_name = "registers"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("trials/<int:trial_id>/", views.trial_changes, name="trial_changes"),
    path("trials/<int:trial_id>/refresh/", views.trial_refresh_now, name="trial_refresh"),
    path("changes/<int:pk>/decide/", views.change_decide, name="change_decide"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("add/", views.add, name="add"),
    path("add/<int:pk>/", views.draft, name="draft"),
]
