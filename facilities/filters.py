"""One FilterSet for the map page, its list, the GeoJSON/CSV API and the export."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Q
from django_countries import countries
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from trials.models import AtmpType as TrialAtmpType

from .models import Activity, AtmpCategory, AuthorisationKind, Facility, InstitutionType

FILTER_PARAMS = (
    "q",
    "country",
    "atmp_type",
    "activity",
    "authorisation",
    "services",
    "institution_type",
    "trial_atmp_type",
    "in_bbox",
)


class BBoxField(forms.CharField):
    """`min_lon,min_lat,max_lon,max_lat` (as djangorestframework-gis' in_bbox) -> four Decimals."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            min_lon, min_lat, max_lon, max_lat = (Decimal(p.strip()) for p in parts)
        except (InvalidOperation, ValueError) as error:
            raise forms.ValidationError("in_bbox must be four numbers: min_lon,min_lat,max_lon,max_lat.") from error
        if not all(d.is_finite() for d in (min_lon, min_lat, max_lon, max_lat)):
            raise forms.ValidationError("in_bbox must be finite numbers.")
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError(
                "in_bbox must satisfy -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90."
            )
        return min_lon, min_lat, max_lon, max_lat


@extend_schema_field(OpenApiTypes.STR)
class BBoxFilter(django_filters.Filter):
    field_class = BBoxField

    def filter(self, qs, value):
        return qs.in_bbox(*value) if value else qs


class FacilityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search", max_length=200)
    country = django_filters.MultipleChoiceFilter(choices=list(countries), label="Country")
    atmp_type = django_filters.ChoiceFilter(
        choices=AtmpCategory.choices, method="filter_atmp_type", label="ATMP type", empty_label="Any ATMP type"
    )
    activity = django_filters.ChoiceFilter(
        choices=Activity.choices, method="filter_activity", label="Activity", empty_label="Any activity"
    )
    authorisation = django_filters.ChoiceFilter(
        choices=AuthorisationKind.choices,
        method="filter_authorisation",
        label="Authorisation",
        empty_label="Any authorisation",
    )
    services = django_filters.ChoiceFilter(
        choices=[("yes", "Offers services to third parties"), ("no", "In-house only")],
        method="filter_services",
        label="Services to third parties",
        empty_label="Either",
    )
    institution_type = django_filters.ChoiceFilter(
        choices=InstitutionType.choices, label="Institution type", empty_label="Any institution"
    )
    trial_atmp_type = django_filters.ChoiceFilter(
        choices=TrialAtmpType.choices,
        method="filter_trial_atmp_type",
        label="Makes trial products of type",
        empty_label="Any (or none)",
    )
    in_bbox = BBoxFilter(label="Bounding box (min_lon,min_lat,max_lon,max_lat)")

    class Meta:
        model = Facility
        fields: list[str] = []

    def filter_q(self, qs, name, value):
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(name__icontains=value) | Q(institution__icontains=value) | Q(city__icontains=value))

    def filter_atmp_type(self, qs, name, value):
        return qs.making(value)

    def filter_activity(self, qs, name, value):
        return qs.doing(value)

    def filter_authorisation(self, qs, name, value):
        return qs.authorised_for(value)

    def filter_services(self, qs, name, value):
        return qs.filter(services_to_third_parties=(value == "yes"))

    def filter_trial_atmp_type(self, qs, name, value):
        return qs.making_trial_products_of_type(value)

    @property
    def active(self) -> bool:
        return any(self.data.get(p) for p in FILTER_PARAMS)
