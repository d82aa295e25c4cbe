"""Pages: the public map with its list, a facility, the country view; corrections and site links."""

from __future__ import annotations

import tablib
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_countries import countries

from platform_site.permissions import is_curator, is_expert
from platform_site.spreadsheets import safe_row

from . import population
from .contacts import can_keep_offer
from .filters import FILTER_PARAMS, FacilityFilterSet
from .hub_models import ServiceOffer
from .models import Facility, InstitutionType

SORTS = {
    "name": ("name",),
    "country": ("country", "city", "name"),
    "city": ("city", "name"),
    "-updated": ("-updated_at",),
}

# Marker colours per institution type: the same palette in the legend, the markers and the list.
INSTITUTION_COLOURS = {
    InstitutionType.UNIVERSITY_HOSPITAL: "#0d6efd",
    InstitutionType.ACADEMIC_INSTITUTE: "#6f42c1",
    InstitutionType.BLOOD_TISSUE_ESTABLISHMENT: "#dc3545",
    InstitutionType.PUBLIC_RESEARCH_ORGANISATION: "#198754",
    InstitutionType.CDMO: "#fd7e14",
    InstitutionType.COMPANY: "#495057",
}


def _filtered(request):
    filterset = FacilityFilterSet(request.GET or None, queryset=Facility.objects.visible_to(request.user))
    return filterset, filterset.qs


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def facility_map(request):
    """The map page. Without JavaScript it is a filter form and a paginated list."""
    filterset, queryset = _filtered(request)
    sort = request.GET.get("sort", "country")
    queryset = queryset.order_by(*SORTS.get(sort, SORTS["country"])).prefetch_related("authorisations")
    page = Paginator(queryset, settings.FACILITIES_LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page_obj": page,
        "sort": sort,
        "sorts": [("country", "Country"), ("name", "Name"), ("city", "City"), ("-updated", "Recently updated")],
        "query_without_page": _query_without(request, "page"),
        "query_without_sort": _query_without(request, "page", "sort"),
        "filter_query": "&".join(
            f"{k}={v}" for k, v in ((k, v) for k in FILTER_PARAMS for v in request.GET.getlist(k)) if v
        ),
        "legend": [(InstitutionType(t).label, colour, t.value) for t, colour in INSTITUTION_COLOURS.items()],
        "colours": {t.value: c for t, c in INSTITUTION_COLOURS.items()},
        "has_tiles": bool(settings.MAP_TILE_URL),
        "country_options": _country_options(request),
        "selected_countries": request.GET.getlist("country"),
    }
    if request.htmx:
        return render(request, "facilities/_results.html", context)
    return render(request, "facilities/map.html", context)


def _country_options(request) -> list[tuple[str, str, int]]:
    """Countries that have facilities, with their counts, for the country filter."""
    counts = Facility.objects.visible_to(request.user).order_by().values_list("country").annotate(n=Count("pk"))
    return sorted(((code, countries.name(code) or code, n) for code, n in counts), key=lambda row: row[1])


def get_visible_facility(request, key: str) -> Facility:
    visible = Facility.objects.visible_to(request.user)
    if key.isdigit():
        return get_object_or_404(visible, pk=int(key))
    return get_object_or_404(visible, slug=key)


def facility_detail(request, key: str):
    facility = get_visible_facility(request, key)
    if key.isdigit():
        return redirect(facility, permanent=True)
    context = {
        "facility": facility,
        "authorisations": facility.authorisations.all(),
        "products": _products_made_at(facility),
        "colour": INSTITUTION_COLOURS.get(facility.institution_type, "#0d6efd"),
        "population": population,
        "pending_corrections": facility.corrections.pending().count() if is_curator(request.user) else 0,
        "can_propose": is_expert(request.user),
        "history": facility.history.select_related("history_user")[:10] if is_curator(request.user) else [],
        "contact_count": facility.contacts.confirmed().count(),
        "offer": ServiceOffer.objects.filter(facility=facility).first(),
        "can_keep_offer": can_keep_offer(request.user, facility),
        "my_contact": facility.contacts.filter(user=request.user).first() if request.user.is_authenticated else None,
    }
    return render(request, "facilities/detail.html", context)


def _products_made_at(facility: Facility):
    """Public products a curator linked to this facility, with their public trials."""
    from trials.models import Product, Trial

    products = Product.objects.public().filter(manufacturing_sites__facility=facility).distinct().order_by("name")
    return [(product, list(Trial.objects.public().filter(product=product))) for product in products]


def export(request):
    """The filtered list as CSV or XLSX in the documented import column layout."""
    from .resources import FacilityResource

    filterset, queryset = _filtered(request)
    file_format = request.GET.get("format", "csv")
    if file_format not in ("csv", "xlsx"):
        file_format = "csv"
    exported = FacilityResource().export(queryset=queryset.prefetch_related("authorisations"))
    # Facility names and websites are typed by contributors: no cell may start a formula.
    dataset = tablib.Dataset(*(safe_row(row) for row in exported), headers=exported.headers)
    if file_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        body = dataset.export("xlsx")
    else:
        content_type = "text/csv; charset=utf-8"
        body = dataset.export("csv")
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="facilities.{file_format}"'
    return response
