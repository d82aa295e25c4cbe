from django.urls import path
from django.views.generic import TemplateView

from . import views

app_name = "experts"

urlpatterns = [
    path("", views.ExpertListView.as_view(), name="index"),
    path("me/", views.profile_edit, name="me"),
    path("knowledge/", TemplateView.as_view(template_name="experts/knowledge.html"), name="knowledge"),
    path("<int:pk>/", views.ExpertDetailView.as_view(), name="detail"),
]
