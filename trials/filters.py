"""The FilterSets behind the product and trial lists, the bulk downloads and the API.

Every multi-valued parameter repeats in the URL (``?phase=phase_1&phase=phase_2``),
so a filtered list is a shareable link. Unknown values are ignored by the HTML
list and rejected with 400 by the API (django-filter's DRF backend); nothing
raises. Filters that reach through a many-valued relation use ``pk__in``
subqueries, so a product with three matching trials is listed once.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import F, Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from . import search
from .models import (
    AtmpType,
    CellSource,
    GeneTransferMode,
    PatientClassification,
    Phase,
    Product,
    SponsorType,
    Trial,
    TrialStatus,
    phase_rank_expression,
)

YES_NO = [("yes", "Yes"), ("no", "No")]


class MultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    """Without django-filter's default DISTINCT: no filter here joins a to-many relation
    (they use ``pk__in`` subqueries), so rows never repeat, and DISTINCT over whole trial rows
    cost 10-20 ms a query at 100,000 trials."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


class AnyValueMultipleField(forms.MultipleChoiceField):
    """Multiple values without a fixed list (country codes, years): short strings only."""

    def valid_value(self, value) -> bool:
        return 0 < len(str(value)) <= 32


@extend_schema_field(OpenApiTypes.STR)
class MultipleValueFilter(MultipleChoiceFilter):
    field_class = AnyValueMultipleField


class YearFilter(MultipleValueFilter):
    @staticmethod
    def years(value) -> list[int]:
        """The four-digit years among the values; anything else is ignored."""
        return [int(v) for v in value or [] if str(v).isdigit() and len(str(v)) == 4]

    def filter(self, qs, value):
        years = self.years(value)
        if not years:  # nothing usable: ignore the parameter, as with any unknown value
            return qs
        return qs.filter(**{f"{self.field_name}__in": years})


class RankedOrderingFilter(django_filters.OrderingFilter):
    """Sorting by phase means development order (Phase.rank), not the alphabet."""

    def __init__(self, *args, phase_field: str = "phase", **kwargs):
        self.phase_field = phase_field
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value and any(v.lstrip("-") == "phase" for v in value):
            qs = qs.annotate(phase_rank=phase_rank_expression(self.phase_field))
        return super().filter(qs, value)


class _SearchOrderMixin:
    """With a query and no explicit sort, the best matches come first (PostgreSQL rank)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        if data.get("sort"):
            return queryset
        if data.get("q") and search.uses_postgres():
            return queryset.order_by(F("rank").desc(nulls_last=True), *self.rank_tie_break)
        # Explicit, so an annotation with GROUP BY later cannot drop it (pagination needs an order).
        return queryset.order_by(*self.tie_break)


def _in_trials(field: str, values) -> Q:
    return Q(pk__in=Trial.objects.filter(**{f"{field}__in": values}).values("product_id"))


# Free-text fields of the product whose values the list offers to pick, as a spreadsheet's column filter does.
PICKABLE_FIELDS = [
    "category",
    "cell_type",
    "route_of_administration",
    "disease_text",
    "target_text",
    "patient_cohort_text",
    "country_of_origin_text",
    "conducted_trials_text",
]


class AnyTextMultipleField(forms.MultipleChoiceField):
    """Multiple values as a free-text cell holds them (a disease list): bounded by the longest cell."""

    def valid_value(self, value) -> bool:
        return 0 < len(str(value)) <= 500


@extend_schema_field(OpenApiTypes.STR)
class PickFilter(MultipleChoiceFilter):
    field_class = AnyTextMultipleField


def _pick(name: str) -> PickFilter:
    """pick_<field>: records whose field is exactly one of the picked values (any number of them)."""
    return PickFilter(label=f"Picked values of {name}", field_name=name)


class ProductFilter(_SearchOrderMixin, django_filters.FilterSet):
    tie_break = ("name",)
    pick_category = _pick("category")
    pick_cell_type = _pick("cell_type")
    pick_route_of_administration = _pick("route_of_administration")
    pick_disease_text = _pick("disease_text")
    pick_target_text = _pick("target_text")
    pick_patient_cohort_text = _pick("patient_cohort_text")
    pick_country_of_origin_text = _pick("country_of_origin_text")
    pick_conducted_trials_text = _pick("conducted_trials_text")
    rank_tie_break = ("name",)

    q = django_filters.CharFilter(
        label="Search", method="filter_q", help_text="Every text of the sheet (no names of people); see search_in."
    )
    search_in = django_filters.ChoiceFilter(
        label="Search in", choices=search.SEARCH_IN_CHOICES[1:], method="filter_search_in", empty_label="Everything"
    )
    atmp_type = MultipleChoiceFilter(label="Type of ATMP", choices=AtmpType.choices)
    patient_classification = MultipleChoiceFilter(choices=PatientClassification.choices)
    phase = MultipleChoiceFilter(label="Development stage", field_name="highest_phase", choices=Phase.choices)
    status = MultipleChoiceFilter(label="Trial status", choices=TrialStatus.choices, method="filter_status")
    origin = MultipleValueFilter(label="Country of origin", field_name="origin_locations__code", method="filter_origin")
    country = MultipleValueFilter(label="Trial countries", method="filter_country")
    sponsor_type = MultipleChoiceFilter(choices=SponsorType.choices, method="filter_sponsor_type")
    cell_source = MultipleChoiceFilter(choices=CellSource.choices)
    gene_transfer_mode = MultipleChoiceFilter(choices=GeneTransferMode.choices)
    first_in_human = django_filters.ChoiceFilter(label="First in human", choices=YES_NO, method="filter_first_in_human")
    disease = django_filters.CharFilter(label="Disease / indication", method="filter_disease")
    disease_area = MultipleValueFilter(label="Disease category", method="filter_disease_area")
    target = django_filters.CharFilter(method="filter_target")
    route = django_filters.CharFilter(
        label="Route of administration", field_name="route_of_administration", lookup_expr="icontains"
    )
    sort = RankedOrderingFilter(
        phase_field="highest_phase",
        fields=(
            ("name", "name"),
            ("atmp_type", "type"),
            ("phase_rank", "phase"),
            ("updated_at", "updated"),
            ("pk", "id"),
        ),
        field_labels={"name": "Name", "atmp_type": "Type", "phase_rank": "Development stage", "updated_at": "Updated"},
    )

    class Meta:
        model = Product
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return search.product_search(qs, value, self.form.cleaned_data.get("search_in") or "")

    def filter_search_in(self, qs, name, value):
        return qs  # read by filter_q

    def filter_status(self, qs, name, value):
        return qs.filter(_in_trials("status", value)) if value else qs

    def filter_origin(self, qs, name, value):
        return qs.filter(pk__in=Product.objects.filter(origin_locations__code__in=value).values("pk")) if value else qs

    def filter_country(self, qs, name, value):
        return qs.filter(_in_trials("countries__code", value)) if value else qs

    def filter_sponsor_type(self, qs, name, value):
        return qs.filter(_in_trials("sponsor_type", value)) if value else qs

    def filter_first_in_human(self, qs, name, value):
        return qs.filter(_in_trials("first_in_human", [value == "yes"])) if value else qs

    def filter_disease(self, qs, name, value):
        named = Product.objects.filter(diseases__name__icontains=value).values("pk")
        return qs.filter(Q(disease_text__icontains=value) | Q(pk__in=named))

    def filter_disease_area(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(pk__in=Product.objects.filter(diseases__therapeutic_area__in=value).values("pk"))

    def filter_target(self, qs, name, value):
        named = Product.objects.filter(targets__name__icontains=value).values("pk")
        return qs.filter(Q(target_text__icontains=value) | Q(pk__in=named))


def _products(condition: Q) -> Q:
    return Q(product__in=Product.objects.filter(condition).values("pk"))


class TrialFilter(_SearchOrderMixin, django_filters.FilterSet):
    tie_break = ("product__name", "column_index")
    # Among equally good matches, trials of one product stay together. Not by product name:
    # sorting thousands of matches by a joined column joins them all before the LIMIT
    # (55 ms for 8,000 matches at 100,000 trials on PostgreSQL, against 21 ms by product id).
    rank_tie_break = ("product_id", "column_index")

    q = django_filters.CharFilter(
        label="Search", method="filter_q", help_text="Every text of the sheet (no names of people); see search_in."
    )
    search_in = django_filters.ChoiceFilter(
        label="Search in", choices=search.SEARCH_IN_CHOICES[1:], method="filter_search_in", empty_label="Everything"
    )
    atmp_type = MultipleChoiceFilter(label="Type of ATMP", field_name="product__atmp_type", choices=AtmpType.choices)
    patient_classification = MultipleChoiceFilter(
        field_name="product__patient_classification", choices=PatientClassification.choices
    )
    phase = MultipleChoiceFilter(choices=Phase.choices)
    status = MultipleChoiceFilter(choices=TrialStatus.choices)
    origin = MultipleValueFilter(label="Country of origin", method="filter_origin")
    country = MultipleValueFilter(label="Trial countries", method="filter_country")
    sponsor_type = MultipleChoiceFilter(choices=SponsorType.choices)
    cell_source = MultipleChoiceFilter(field_name="product__cell_source", choices=CellSource.choices)
    first_in_human = django_filters.ChoiceFilter(label="First in human", choices=YES_NO, method="filter_first_in_human")
    start_year = YearFilter(label="Start year", field_name="start_year")
    disease = django_filters.CharFilter(label="Disease / indication", method="filter_disease")
    disease_area = MultipleValueFilter(label="Disease category", method="filter_disease_area")
    target = django_filters.CharFilter(method="filter_target")
    route = django_filters.CharFilter(
        label="Route of administration", field_name="product__route_of_administration", lookup_expr="icontains"
    )
    product = django_filters.CharFilter(label="Product (slug)", field_name="product__slug")
    sort = RankedOrderingFilter(
        fields=(
            ("primary_identifier", "identifier"),
            ("title", "title"),
            ("product__name", "product"),
            ("phase_rank", "phase"),
            ("status", "status"),
            ("sponsor", "sponsor"),
            ("start_year", "start_year"),
        ),
    )

    class Meta:
        model = Trial
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        return search.trial_search(qs, value, self.form.cleaned_data.get("search_in") or "")

    def filter_search_in(self, qs, name, value):
        return qs  # read by filter_q

    def filter_origin(self, qs, name, value):
        return qs.filter(_products(Q(origin_locations__code__in=value))) if value else qs

    def filter_country(self, qs, name, value):
        return qs.filter(pk__in=Trial.objects.filter(countries__code__in=value).values("pk")) if value else qs

    def filter_first_in_human(self, qs, name, value):
        return qs.filter(first_in_human=(value == "yes")) if value else qs

    def filter_disease(self, qs, name, value):
        return qs.filter(_products(Q(disease_text__icontains=value) | Q(diseases__name__icontains=value)))

    def filter_disease_area(self, qs, name, value):
        return qs.filter(_products(Q(diseases__therapeutic_area__in=value))) if value else qs

    def filter_target(self, qs, name, value):
        return qs.filter(_products(Q(target_text__icontains=value) | Q(targets__name__icontains=value)))
