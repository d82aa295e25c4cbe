"""The map of disparities: a choropleth of facilities per million inhabitants, and capability gaps."""

from __future__ import annotations

import math

from django.db.models import Count, Q
from django.shortcuts import render
from django_countries import countries

from . import hub_queries, population
from .models import Facility

METRICS = [
    ("all", "All facilities"),
    ("services", "Facilities offering services to third parties"),
    ("capability", "Facilities with a given capability"),
]
# Countries drawn in grey around the EU/EEA so the map reads as Europe.
CONTEXT_COUNTRIES = ["GB", "CH", "UA", "BY", "RU", "TR", "RS", "BA", "ME", "MK", "AL", "MD", "AD", "MC", "SM", "MA",
                     "DZ", "TN", "GE", "AM", "AZ", "XK"]  # fmt: skip


def _metric(request) -> tuple[str, str, str]:
    metric = request.GET.get("metric") or "all"
    capability = request.GET.get("capability") or ""
    labels = dict(hub_queries.CAPABILITIES)
    if metric not in dict(METRICS):
        metric = "all"
    if metric == "capability" and capability not in labels:
        capability = hub_queries.CAPABILITIES[0][0]
    if metric == "all":
        label = "facilities"
    elif metric == "services":
        label = "facilities offering services to third parties"
    else:
        label = f"facilities with {labels[capability]}"
    return metric, capability, label


def counted(metric: str, capability: str) -> dict[str, int]:
    queryset = Facility.objects.public()
    if metric == "services":
        queryset = queryset.filter(Q(services_to_third_parties=True) | Q(offer__isnull=False))
    elif metric == "capability":
        queryset = hub_queries.capability_filter(queryset, capability)
    rows = queryset.order_by().values_list("country").annotate(n=Count("pk", distinct=True))
    return dict(rows.values_list("country", "n"))


def legend_classes(values: list[float]) -> list[dict]:
    """Class 0 is "none"; four equal intervals of a round width (1, 2, 2.5 or 5 times a power of ten,
    at least 0.05) covering the highest value. Colours: .choropleth-c0 to -c4 in facilities.css."""
    step = _round_step(max(values, default=0.0) / 4)
    classes = [{"index": 0, "low": 0.0, "high": 0.0, "label": "None"}]
    for i in range(1, 5):
        low, high = round(step * (i - 1), 6), round(step * i, 6)
        classes.append({"index": i, "low": low, "high": high, "label": f"over {low:g} to {high:g}"})
    return classes


def _round_step(raw: float) -> float:
    if raw <= 0.05:
        return 0.05
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def class_of(value: float | None, classes: list[dict]) -> int | None:
    if value is None:
        return None
    if value == 0:
        return 0
    return next((c["index"] for c in classes[1:] if value <= c["high"]), 4)


def country_view(request):
    """Facilities per country and per million inhabitants: where capacity is, and where it is missing."""
    metric, capability, metric_label = _metric(request)
    counts = counted(metric, capability)
    rows = []
    for code in set(population.EU_EEA) | set(counts):
        n = counts.get(code, 0)
        rows.append({
            "code": code,
            "numeric": f"{countries.numeric(code):03d}" if countries.numeric(code) else "",
            "name": str(countries.name(code) or code),
            "eu_eea": population.is_eu_eea(code),
            "count": n,
            "population": population.population_of(code),
            "per_million": population.per_million(n, code),
        })  # fmt: skip
    sort = request.GET.get("sort", "-per_million")
    key = sort.lstrip("-")
    if key not in ("name", "count", "per_million", "population"):
        sort, key = "-per_million", "per_million"
    known = sorted((r for r in rows if r[key] is not None), key=lambda r: r[key], reverse=sort.startswith("-"))
    rows = known + [r for r in rows if r[key] is None]  # no population figure: last whatever the direction
    classes = legend_classes([r["per_million"] for r in rows if r["per_million"] is not None])
    for r in rows:
        r["class"] = class_of(r["per_million"], classes)
    context = {
        "rows": rows,
        "sort": sort,
        "metric": metric,
        "metrics": METRICS,
        "capability": capability,
        "capabilities": hub_queries.CAPABILITIES,
        "metric_label": metric_label,
        "classes": classes,
        "map_data": {
            "countries": {
                r["numeric"]: {
                    "name": r["name"],
                    "class": r["class"],
                    "per_million": r["per_million"],
                    "count": r["count"],
                }
                for r in rows
                if r["numeric"]
            },
            "context": [f"{countries.numeric(c):03d}" for c in CONTEXT_COUNTRIES if countries.numeric(c)],
        },  # fmt: skip
        "without_any": [r for r in rows if r["eu_eea"] and r["count"] == 0],
        "total": sum(counts.values()),
        "population_source": population.SOURCE,
        "population_source_url": population.SOURCE_URL,
        "population_reference_date": population.REFERENCE_DATE,
        "population_table": population.TABLE,
    }
    template = "facilities/_countries_results.html" if request.htmx else "facilities/countries.html"
    return render(request, template, context)


def gaps_view(request):
    """Per EU/EEA country: capabilities no facility there has, and the nearest facility abroad that has each."""
    gaps = hub_queries.capability_gaps()
    return render(request, "facilities/gaps.html", {"gaps": gaps, "capabilities": hub_queries.CAPABILITIES})
