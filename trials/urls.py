from django.urls import path
from django.views.generic import TemplateView

app_name = "trials"

urlpatterns = [
    path("", TemplateView.as_view(template_name="trials/index.html"), name="trial_list"),
    path("products/", TemplateView.as_view(template_name="trials/index.html"), name="product_list"),
]
