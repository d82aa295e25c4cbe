from django.urls import path
from django.views.generic import TemplateView

app_name = "economics"

urlpatterns = [
    path("", TemplateView.as_view(template_name="economics/index.html"), name="index"),
]
