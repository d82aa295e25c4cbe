from __future__ import annotations

from django.apps import apps
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import health_report

# The home page's headline figures: (label, model, URL name). A queryset's
# `public()` is used where the model has one, so drafts never count.
HEADLINES = [
    ("ATMP products", "trials.Product", "trials:product_list"),
    ("Clinical trials", "trials.Trial", "trials:trial_list"),
    ("GMP facilities", "facilities.Facility", "facilities:map"),
    ("Experts", "experts.ExpertProfile", "experts:index"),
]


def headline_counts() -> list[dict]:
    figures = []
    for label, model_label, url_name in HEADLINES:
        try:
            model = apps.get_model(model_label)
        except LookupError:  # the app has not built that model yet
            continue
        queryset = model.objects.all()
        queryset = queryset.public() if hasattr(queryset, "public") else queryset
        if model_label == "experts.ExpertProfile":
            queryset = model.objects.approved()
        figures.append({"label": label, "count": queryset.count(), "url_name": url_name})
    return figures


def home(request):
    return render(request, "home.html", {"headlines": headline_counts()})


@never_cache
@require_GET
def healthz(request):
    report, serving = health_report()
    return JsonResponse(report, status=200 if serving else 503)


def error_403(request, exception=None):
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # Rendered without a request context: the failure may lie in a context processor.
    from django.http import HttpResponseServerError
    from django.template.loader import get_template

    return HttpResponseServerError(get_template("errors/500.html").render({}))
