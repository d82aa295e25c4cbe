from __future__ import annotations

from django.apps import apps
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report
from .middleware import is_api_request

# The home page's headline figures: (label, model, queryset method, URL name).
# The method keeps drafts out of the counts; experts count as /experts/ lists them
# for a visitor (approved and listed for everyone).
HEADLINES = [
    ("ATMP products", "trials.Product", "public", "trials:product_list"),
    ("Clinical trials", "trials.Trial", "public", "trials:trial_list"),
    ("GMP facilities", "facilities.Facility", "public", "facilities:map"),
    ("Experts", "experts.ExpertProfile", "public", "experts:index"),
]


def headline_counts() -> list[dict]:
    figures = []
    for label, model_label, method, url_name in HEADLINES:
        queryset = getattr(apps.get_model(model_label).objects, method)()
        figures.append({"label": label, "count": queryset.count(), "url_name": url_name})
    return figures


def home(request):
    return render(request, "home.html", {"headlines": headline_counts()})


@never_cache
@require_GET
def healthz(request):
    report, serving = health_report()
    return JsonResponse(report, status=200 if serving else 503)


# Errors raised outside DRF (an API URL that matches no route, a server error) answer in JSON on
# the API, as DRF's own errors do, and as pages elsewhere.
def error_403(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "You do not have permission to perform this action."}, status=403)
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    if is_api_request(request):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "errors/404.html", status=404)


def error_500(request):
    if is_api_request(request):
        return JsonResponse({"detail": "Server error: the failure is logged; try again later."}, status=500)
    # Rendered without a request context: the failure may lie in a context processor.
    from django.http import HttpResponseServerError
    from django.template.loader import get_template

    return HttpResponseServerError(get_template("errors/500.html").render({}))
