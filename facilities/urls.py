from django.urls import path
from django.views.generic import TemplateView

app_name = "facilities"

urlpatterns = [
    path("", TemplateView.as_view(template_name="facilities/index.html"), name="map"),
]
