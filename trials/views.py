"""Pages of the trials database: lists with filters and facets, the product page,
the dashboard, contribution and the curators' review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from platform_site.permissions import (
    can_edit,
    can_see_personal_data,
    expert_required,
    is_curator,
)

from . import identifiers
from .facet_index import count_facets
from .facets import PRODUCT_FACETS, TRIAL_FACETS
from .filters import PICKABLE_FIELDS, ProductFilter, TrialFilter
from .forms import ProductForm, ReviewForm, TrialFormSet
from .models import (
    COVER_SHEET_FIELDS,
    TRIAL_PERSONAL_FIELDS,
    TRIAL_SHEET_FIELDS,
    WP1_FIELDS,
    AtmpType,
    CurationStatus,
    PatientClassification,
    Phase,
    Product,
    SponsorType,
    Trial,
    TrialStatus,
    load_list_relations,
)
from .revisions import field_label
from .search import SEARCH_IN_CHOICES
from .services import RevisionRefused, product_contribute

PAGE_SIZES = (10, 25, 50, 100)
# What a row of the trial list shows (templates/trials/trial_list.html). Loading only these
# skips the product's WP 1 essays and both search vectors; a column added to the template
# without being added here costs a query per row, which tests/trials/test_query_counts.py catches.
TRIAL_LIST_COLUMNS = [
    *("registry_id_text", "title", "phase", "phase_text", "status", "status_text", "status_as_of"),
    *("sponsor", "sponsor_type", "start_year", "countries_text", "product"),
    *("product__name", "product__slug", "product__atmp_type", "product__curation_status", "product__is_demo"),
]


class CountedPaginator(Paginator):
    """A paginator told the number of results (the facet index counted them): no COUNT query."""

    def __init__(self, *args, count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count  # shadows the cached property


def _paginate(request, queryset, *, count: int | None = None):
    try:
        per_page = int(request.GET.get("per_page", 25))
    except ValueError:
        per_page = 25
    per_page = per_page if per_page in PAGE_SIZES else 25
    paginator = Paginator(queryset, per_page) if count is None else CountedPaginator(queryset, per_page, count=count)
    return paginator.get_page(request.GET.get("page"))


def _sort_columns(request, columns: list[tuple[str, str]]) -> list[dict]:
    """Header links: click once to sort ascending, again for descending."""
    current = request.GET.get("sort", "")
    result = []
    for key, label, *css in columns:
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        next_sort = f"-{key}" if current == key else key
        result.append({"key": key, "label": label, "next": next_sort, "direction": direction, "css": "".join(css)})
    return result


def _downloads(request) -> list[tuple[str, str, str]]:
    query = request.GET.urlencode()
    links = []
    for name, label, icon in (
        ("trials:export_trials_csv", "CSV table", "filetype-csv"),
        ("trials:export_trials_xlsx", "Excel table", "file-earmark-spreadsheet"),
        ("trials:export_sheets_zip", "Cover sheets (zip)", "file-zip"),
    ):
        url = reverse(name)
        links.append((f"{url}?{query}" if query else url, label, icon))
    return links


def _counted_filterset(request, filterset_class, specs):
    """The list's FilterSet with its facets counted; its queryset starts from the ids the index found.

    One FilterSet serves both (counting reads only its validated form): building a second one
    costs a deep copy of every filter and a second form validation.
    """
    visible = filterset_class._meta.model.objects.visible_to(request.user)
    filterset = filterset_class(request.GET, queryset=visible, request=request)
    counted = count_facets(filterset, request.user, specs)
    filterset.queryset = counted.narrow(visible)
    filterset.__dict__.pop("_qs", None)  # built from the new queryset, whatever counting did
    return filterset, counted


# Columns that fold away on a narrow screen (Bootstrap display classes); the table scrolls inside its box.
WIDE_ONLY = "d-none d-md-table-cell"
TRIAL_COLUMNS = [
    ("identifier", "Registry ID"),
    ("title", "Title"),
    ("product", "Product", WIDE_ONLY),
    ("phase", "Phase"),
    ("status", "Status"),
    ("sponsor", "Sponsor", WIDE_ONLY),
    ("start_year", "Start", "d-none d-xxl-table-cell"),
]
PRODUCT_COLUMNS = [
    ("name", "Product"),
    ("type", "Type of ATMP"),
    ("phase", "Development stage"),
    ("updated", "Updated"),
]


def _render_list(
    request, template: str, *, url_name: str, search_label: str, columns, filterset, counted, page_obj, pickable=False
):
    """Both lists share one frame (templates/trials/list_base.html) and so one context."""
    return render(
        request,
        template,
        {
            "list_url": reverse(url_name),
            "search_label": search_label,
            "filterset": filterset,
            "page_obj": page_obj,
            "facets": counted.facets,
            "sort_columns": _sort_columns(request, columns),
            "downloads": _downloads(request),
            "has_filters": _has_filters(request),
            "page_sizes": PAGE_SIZES,
            "wide_only": WIDE_ONLY,
            "search_in_choices": SEARCH_IN_CHOICES,
            "pickable": [(name, field_label(Product, name)) for name in PICKABLE_FIELDS] if pickable else [],
            # An htmx request (filter, sort, search, page) swaps the region only: no page around it.
            "list_frame": "trials/_htmx_frame.html" if request.htmx else "base.html",
        },
    )


def trial_list(request):
    filterset, counted = _counted_filterset(request, TrialFilter, TRIAL_FACETS)
    trials = filterset.qs.select_related("product").only(*TRIAL_LIST_COLUMNS)
    page_obj = _paginate(request, trials, count=counted.total)
    page_obj.object_list = load_list_relations(list(page_obj.object_list))
    return _render_list(
        request,
        "trials/trial_list.html",
        url_name="trials:trial_list",
        search_label="Search trials: every text of the sheet",
        columns=TRIAL_COLUMNS,
        filterset=filterset,
        counted=counted,
        page_obj=page_obj,
    )


def product_list(request):
    filterset, counted = _counted_filterset(request, ProductFilter, PRODUCT_FACETS)
    products = filterset.qs.annotate(trial_count=_trial_count()).prefetch_related("origin_locations")
    page_obj = _paginate(request, products, count=counted.total)
    return _render_list(
        request,
        "trials/product_list.html",
        url_name="trials:product_list",
        search_label="Search products: every text of the sheet",
        columns=PRODUCT_COLUMNS,
        filterset=filterset,
        counted=counted,
        page_obj=page_obj,
        pickable=True,
    )


def product_values(request):
    """A spreadsheet-like column filter: the values of one field among the listed products, with counts.

    Loaded into the product list's sidebar by htmx; without JavaScript it is a page of its own.
    The counts respect every current filter except the field's own pick.
    """
    field = request.GET.get("field", "")
    if field not in PICKABLE_FIELDS:
        raise Http404("No such field to pick values from.")
    params = request.GET.copy()
    picked = params.pop(f"pick_{field}", [])
    for key in ("field", "page"):
        params.pop(key, None)
    visible = Product.objects.visible_to(request.user)
    products = ProductFilter(params, queryset=visible, request=request).qs.order_by()
    rows = products.exclude(**{field: ""}).values_list(field).annotate(n=Count("pk")).order_by("-n", field)[:200]
    context = {
        "field": field,
        "field_label": field_label(Product, field),
        "values": [(value, n, value in picked) for value, n in rows],
        "kept": [(key, value) for key, values in params.lists() for value in values],
        "list_url": reverse("trials:product_list"),
        "frame": "trials/_htmx_frame.html" if request.htmx else "base.html",
    }
    return render(request, "trials/value_picker.html", context)


def _trial_count():
    # A correlated subquery, not a JOIN + GROUP BY over every trial: the page only needs 25 counts.
    trials = Trial.objects.filter(product=OuterRef("pk")).order_by().values("product").annotate(n=Count("pk"))
    return Coalesce(Subquery(trials.values("n")), 0)


def _has_filters(request) -> bool:
    return any(v for k, v in request.GET.items() if k not in ("page", "per_page", "sort"))


def _field_rows(obj, names: list[str]) -> list[tuple[str, object]]:
    """(label, value) in the sheet's own words: the catalogue's row labels, not the model's field names."""
    return [(field_label(type(obj), name), getattr(obj, name)) for name in names]


def _visible_product(request, slug: str) -> Product:
    trials = Trial.objects.prefetch_related("countries", "identifiers").order_by("column_index")
    queryset = Product.objects.visible_to(request.user).prefetch_related(
        Prefetch("trials", queryset=trials), "origin_locations", "diseases", "targets", "patient_cohorts"
    )
    return get_object_or_404(queryset.select_related("owner", "reviewed_by"), slug=slug)


def product_detail(request, slug: str):
    product = _visible_product(request, slug)
    trials = list(product.trials.all())
    personal = can_see_personal_data(request.user)
    trial_fields = [f for f in TRIAL_SHEET_FIELDS if personal or f not in TRIAL_PERSONAL_FIELDS]
    regulatory_rows = [(field_label(Trial, name), name, [getattr(t, name) for t in trials]) for name in trial_fields]
    filled, total = product.completeness(trials)
    may_edit = can_edit(request.user, product)
    history = None
    if may_edit or is_curator(request.user):
        history = product.history.select_related("history_user")[:20]
    return render(
        request,
        "trials/product_detail.html",
        {
            "product": product,
            "trials": trials,
            "cover_rows": _field_rows(product, COVER_SHEET_FIELDS),
            "wp1_rows": _field_rows(product, WP1_FIELDS),
            "regulatory_rows": regulatory_rows,
            "personal": personal,
            "completeness": {"filled": filled, "total": total, "percent": round(100 * filled / total) if total else 0},
            "sheet_url": reverse("trials:product_sheet", args=[product.slug]),
            "may_edit": may_edit,
            "may_review": is_curator(request.user) and product.curation_status == CurationStatus.SUBMITTED,
            "review_form": ReviewForm(),
            "history": history,
            "show_history_users": is_curator(request.user),
            "admin_history_url": reverse("admin:trials_product_history", args=[product.pk]),
            "kept_cells": product.sheet_cells.all() if is_curator(request.user) else None,
            "pending_revision": product.revisions.pending().first() if may_edit or is_curator(request.user) else None,
        },
    )


def _status_history(trial: Trial) -> list[dict]:
    """The trial's status over time, oldest first: one entry each time the status or its date changed."""
    entries, last = [], None
    rows = trial.history.order_by("history_date").values(
        "history_date", "status", "status_text", "status_as_of", "history_change_reason", "history_source"
    )
    for row in rows:
        key = (row["status"], row["status_text"], row["status_as_of"])
        if key != last:
            label = dict(TrialStatus.choices).get(row["status"], "") or row["status_text"] or "–"
            entries.append({**row, "label": label})
            last = key
    return entries


def trial_detail(request, registry_id: str):
    """A trial by its registry number: its registers, its status over time, its product."""
    value = identifiers.normalise(registry_id)
    trials = (
        Trial.objects.visible_to(request.user)
        .filter(Q(primary_identifier=value) | Q(identifiers__value=value))
        .select_related("product")
        .prefetch_related("identifiers", "countries")
        .distinct()
        .order_by("product__name", "column_index")
    )
    trials = list(trials)
    if not trials:
        raise Http404("No trial with this registry number is visible to you.")
    personal = can_see_personal_data(request.user)
    for trial in trials:
        names = [f for f in TRIAL_SHEET_FIELDS if personal or f not in TRIAL_PERSONAL_FIELDS]
        trial.rows = [(field_label(Trial, n), getattr(trial, n)) for n in names if n != "registry_id_text"]
        trial.status_history = _status_history(trial)
    context = {"registry_id": value, "trials": trials, "personal": personal}
    return render(request, "trials/trial_detail.html", context)


# --- Dashboard -----------------------------------------------------------------------
def _chart(name: str, label: str, rows, labels: dict | None, param: str, list_url: str) -> dict:
    data = []
    for value, count in rows:
        if value in (None, ""):
            continue
        data.append(
            {
                "label": str((labels or {}).get(value, value)),
                "count": count,
                "url": f"{list_url}?{param}={value}",
            }
        )
    return {"name": param, "title": label, "points": data, "script_id": f"chart-{param}-data"}


def dashboard(request):
    """Counts by type, phase, status, country, sponsor type, classification and start year.

    Each bar links into the trial list filtered by that value (static/trials/dashboard.js).
    """
    trials = Trial.objects.visible_to(request.user).order_by()
    list_url = reverse("trials:trial_list")

    def grouped(path):
        return trials.values_list(path).annotate(n=Count("pk", distinct=True)).order_by("-n")

    by_phase = sorted(grouped("phase"), key=lambda r: Phase.rank(r[0]))
    by_year = sorted((r for r in grouped("start_year") if r[0]), key=lambda r: r[0])
    countries = (
        trials.values_list("countries__code", "countries__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by("-n")[:20]
    )
    charts = [
        _chart(
            "atmp_type", "Type of ATMP", grouped("product__atmp_type"), dict(AtmpType.choices), "atmp_type", list_url
        ),
        _chart("phase", "Phase", by_phase, dict(Phase.choices), "phase", list_url),
        _chart("status", "Trial status", grouped("status"), dict(TrialStatus.choices), "status", list_url),
        _chart(
            "country",
            "Trial countries",
            [(c, n) for c, _name, n in countries],
            {c: nm for c, nm, _ in countries},
            "country",
            list_url,
        ),  # fmt: skip
        _chart(
            "sponsor_type", "Sponsor type", grouped("sponsor_type"), dict(SponsorType.choices), "sponsor_type", list_url
        ),
        _chart(
            "patient_classification",
            "Patient classification",
            grouped("product__patient_classification"),
            dict(PatientClassification.choices),
            "patient_classification",
            list_url,
        ),  # fmt: skip
        _chart("start_year", "Start year", by_year, None, "start_year", list_url),
    ]
    totals = {
        "products": Product.objects.visible_to(request.user).count(),
        "trials": trials.count(),
        "countries": trials.exclude(countries=None).values("countries").distinct().count(),
    }
    return render(request, "trials/dashboard.html", {"charts": charts, "totals": totals})


# --- Contribution ----------------------------------------------------------------------
def _contribute(request, form, formset, product: Product | None):
    """The form's input through the one write path; None (and a form error) when a change already waits."""
    stored = Product.objects.get(pk=product.pk) if product is not None else None
    reason = form.cleaned_data.get("change_reason", "")
    try:
        return product_contribute(
            product=stored,
            data=form.product_data(),
            trials=formset.trial_changes(),
            user=request.user,
            reason=reason or ("Created" if stored is None else "Edited"),
            source="web",
        )
    except RevisionRefused as refused:
        form.add_error(None, str(refused))
        return None


def _render_form(request, form, formset, product=None):
    context = {"form": form, "formset": formset, "creating": product is None, "wp1_names": WP1_FIELDS}
    if product is not None:
        context["product"] = product
    return render(request, "trials/product_form.html", context)


@expert_required
def product_create(request):
    form = ProductForm(request.POST or None)
    formset = TrialFormSet(request.POST or None, instance=Product(), prefix="trials")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        # Everything entered on the site waits for review, a curator's own entries too (four eyes).
        product = _contribute(request, form, formset, None).product
        messages.success(request, f"“{product.name}” was submitted. A curator will review it before it is public.")
        return redirect(product.get_absolute_url())
    return _render_form(request, form, formset)


@expert_required
def product_edit(request, slug: str):
    product = get_object_or_404(Product.objects.visible_to(request.user), slug=slug)
    if not can_edit(request.user, product):
        raise Http404("You can only edit your own submissions.")
    form = ProductForm(request.POST or None, instance=product)
    formset = TrialFormSet(request.POST or None, instance=product, prefix="trials")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        contribution = _contribute(request, form, formset, product)
        if contribution is not None:
            if contribution.revision is not None:
                messages.success(
                    request,
                    "Your change waits for a curator's review; the published version stays public until then.",
                )
            elif contribution.waits_for_review:
                messages.success(request, "Your changes were saved and wait for a curator's review.")
            else:
                messages.success(request, "Your changes were saved.")
            return redirect(contribution.product.get_absolute_url())
    return _render_form(request, form, formset, product)


@expert_required
def my_submissions(request):
    products = Product.objects.filter(owner=request.user).annotate(trial_count=Count("trials")).order_by("-updated_at")
    return render(request, "trials/my_submissions.html", {"products": products})
