from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api, search, views

handler403 = "platform_site.views.error_403"
handler404 = "platform_site.views.error_404"
handler500 = "platform_site.views.error_500"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", TemplateView.as_view(template_name="about.html"), name="about"),
    path("healthz", views.healthz, name="healthz"),
    path("search/", search.search_page, name="search"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("trials/registers/", include("trials.registers.urls")),
    path("trials/", include("trials.urls")),
    path("facilities/", include("facilities.urls")),
    path("economics/", include("economics.urls")),
    path("experts/", include("experts.urls")),
    path("knowledge/", include("experts.knowledge.urls")),
    # REST API: one router (platform_site/api.py) that each app registers into.
    path("api/", include(api.router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI only: ReDoc needs a blob: worker the Content-Security-Policy does not allow.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
