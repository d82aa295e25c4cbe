"""Pages of the trials database: lists with filters and facets, the product page,
the dashboard, contribution and the curators' review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from platform_site.permissions import (
    can_edit,
    can_see_personal_data,
    curator_required,
    expert_required,
    is_curator,
)

from .facet_index import count_facets
from .facets import PRODUCT_FACETS, TRIAL_FACETS
from .filters import ProductFilter, TrialFilter
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
from .services import ReviewError, product_approve, product_reject, product_submit

PAGE_SIZES = (10, 25, 50, 100)
# What a row of the trial list shows (templates/trials/trial_list.html). Loading only these
# skips the product's WP 1 essays and both search vectors; a column added to the template
# without being added here costs a query per row, which tests/trials/test_query_counts.py catches.
TRIAL_LIST_COLUMNS = [
    *("registry_id_text", "title", "phase", "phase_text", "status", "status_text", "status_as_of"),
    *("sponsor", "sponsor_type", "start_year", "countries_text", "product"),
    *("product__name", "product__slug", "product__atmp_type", "product__curation_status", "product__is_demo"),
]


def optional_url(name: str, *args) -> str | None:
    """A URL of the sheet part (engineer A's trials/sheet_urls.py), or None until it exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


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
    for key, label in columns:
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        result.append(
            {"key": key, "label": label, "next": f"-{key}" if current == key else key, "direction": direction}
        )
    return result


def _downloads(request) -> list[tuple[str, str, str]]:
    query = request.GET.urlencode()
    links = []
    for name, label, icon in (
        ("trials:export_trials_csv", "CSV table", "filetype-csv"),
        ("trials:export_trials_xlsx", "Excel table", "file-earmark-spreadsheet"),
        ("trials:export_sheets_zip", "Cover sheets (zip)", "file-zip"),
    ):
        url = optional_url(name)
        if url:
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


TRIAL_COLUMNS = [
    ("identifier", "Registry ID"),
    ("title", "Title"),
    ("product", "Product"),
    ("phase", "Phase"),
    ("status", "Status"),
    ("sponsor", "Sponsor"),
    ("start_year", "Start"),
]
PRODUCT_COLUMNS = [
    ("name", "Product"),
    ("type", "Type of ATMP"),
    ("phase", "Development stage"),
    ("updated", "Updated"),
]


def _render_list(request, template: str, *, url_name: str, search_label: str, columns, filterset, counted, page_obj):
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
        search_label="Search trials: title, registry ID, product, disease, target, sponsor",
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
        search_label="Search products: name, disease, target, trial titles, sponsors",
        columns=PRODUCT_COLUMNS,
        filterset=filterset,
        counted=counted,
        page_obj=page_obj,
    )


def _trial_count():
    # A correlated subquery, not a JOIN + GROUP BY over every trial: the page only needs 25 counts.
    trials = Trial.objects.filter(product=OuterRef("pk")).order_by().values("product").annotate(n=Count("pk"))
    return Coalesce(Subquery(trials.values("n")), 0)


def _has_filters(request) -> bool:
    return any(v for k, v in request.GET.items() if k not in ("page", "per_page", "sort"))


def _field_rows(obj, names: list[str]) -> list[tuple[str, object]]:
    meta = obj._meta
    rows = []
    for name in names:
        label = meta.get_field(name).verbose_name
        rows.append((label[:1].upper() + label[1:], getattr(obj, name)))
    return rows


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
    regulatory_rows = [
        (Trial._meta.get_field(name).verbose_name, name, [getattr(t, name) for t in trials]) for name in trial_fields
    ]
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
            "sheet_url": optional_url("trials:product_sheet", product.slug),
            "may_edit": may_edit,
            "may_review": is_curator(request.user) and product.curation_status == CurationStatus.SUBMITTED,
            "review_form": ReviewForm(),
            "history": history,
            "show_history_users": is_curator(request.user),
            "admin_history_url": optional_url("admin:trials_product_history", product.pk),
        },
    )


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
def _save_contribution(request, form, formset, *, product=None) -> Product:
    reason = form.cleaned_data.get("change_reason", "")
    product = form.save(commit=False)
    if product.pk is None:
        product.owner = request.user
    product._history_user = request.user
    product._change_reason = (reason or ("Created" if product.pk is None else "Edited"))[:100]
    form.apply_vocabulary(product)
    product.save()
    form.save_m2m_lookups(product)
    formset.instance = product
    formset.save_trials(user=request.user, reason=reason)
    product.refresh_highest_phase()
    return product


@expert_required
def product_create(request):
    form = ProductForm(request.POST or None)
    formset = TrialFormSet(request.POST or None, instance=Product(), prefix="trials")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            product = _save_contribution(request, form, formset)
            # Everything entered on the site waits for review, a curator's own entries too (four eyes).
            product_submit(product=product, submitted_by=request.user, reason="Submitted for review")
        messages.success(request, f"“{product.name}” was submitted. A curator will review it before it is public.")
        return redirect(product.get_absolute_url())
    return render(
        request,
        "trials/product_form.html",
        {"form": form, "formset": formset, "creating": True, "wp1_names": WP1_FIELDS},
    )


@expert_required
def product_edit(request, slug: str):
    product = get_object_or_404(Product.objects.visible_to(request.user), slug=slug)
    if not can_edit(request.user, product):
        raise Http404("You can only edit your own submissions.")
    form = ProductForm(request.POST or None, instance=product)
    formset = TrialFormSet(request.POST or None, instance=product, prefix="trials")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            was_published = product.curation_status == CurationStatus.PUBLISHED
            product = _save_contribution(request, form, formset, product=product)
            if not is_curator(request.user) or not was_published:
                product_submit(
                    product=product,
                    submitted_by=request.user,
                    reason=form.cleaned_data.get("change_reason") or "Submitted for review",
                )
        if product.curation_status == CurationStatus.SUBMITTED:
            messages.success(request, "Your changes were saved and wait for a curator's review.")
        else:
            messages.success(request, "Your changes were saved.")
        return redirect(product.get_absolute_url())
    return render(
        request,
        "trials/product_form.html",
        {"form": form, "formset": formset, "creating": False, "product": product, "wp1_names": WP1_FIELDS},
    )


@expert_required
def my_submissions(request):
    products = Product.objects.filter(owner=request.user).annotate(trial_count=Count("trials")).order_by("-updated_at")
    return render(request, "trials/my_submissions.html", {"products": products})


# --- Review ---------------------------------------------------------------------------
@curator_required
def review_queue(request):
    products = (
        Product.objects.awaiting_review()
        .select_related("owner")
        .annotate(trial_count=Count("trials"))
        .order_by("submitted_at")
    )
    return render(request, "trials/review_queue.html", {"products": products, "review_form": ReviewForm()})


@curator_required
@require_POST
def product_review(request, slug: str):
    product = get_object_or_404(Product, slug=slug)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve or reject.")
        return HttpResponseRedirect(reverse("trials:review_queue"))
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    try:
        if decision == "approve":
            product_approve(product=product, reviewer=request.user, comment=comment)
            messages.success(request, f"“{product.name}” is published; the contributor is told by e-mail.")
        else:
            product_reject(product=product, reviewer=request.user, comment=comment)
            messages.success(request, f"“{product.name}” was sent back to its contributor.")
    except ReviewError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(reverse("trials:review_queue"))
