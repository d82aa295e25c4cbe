"""Forms of the hub: a developer's need, a facility's offer, a facility's answer."""

from __future__ import annotations

from django import forms
from django_countries import countries

from . import population
from .forms import CodesMultipleChoiceField
from .hub_models import Answer, ManufacturingNeed, ProcessType, Scale, Service, ServiceOffer
from .models import AtmpCategory


def _country_choices():
    return sorted(((code, str(countries.name(code))) for code in population.POPULATION), key=lambda c: c[1])


class CountriesField(forms.MultipleChoiceField):
    """Preferred countries, stored as "DE,AT"."""

    def __init__(self, **kwargs):
        super().__init__(choices=_country_choices, required=False, widget=forms.SelectMultiple(attrs={"size": 6}))

    def prepare_value(self, value):
        return [c for c in value.split(",") if c] if isinstance(value, str) else value

    def clean(self, value):
        return ",".join(super().clean(value))


class NeedForm(forms.ModelForm):
    services = CodesMultipleChoiceField(Service, label="Services needed")
    process_types = CodesMultipleChoiceField(ProcessType, label="Process")
    countries = CountriesField(label="Preferred countries")

    class Meta:
        model = ManufacturingNeed
        fields = (
            "title",
            "product_type",
            "process_types",
            "description",
            "phase",
            "batches",
            "patients",
            "within_months",
            "services",
            "countries",
            "location_name",
            "latitude",
            "longitude",
            "max_distance_km",
            "academic",
            "confidentiality",
        )
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "confidentiality": forms.RadioSelect,
        }
        help_texts = {
            "latitude": (
                "Optional, with longitude: where the product is needed, to compute distances to facilities. "
                "Decimal degrees, north positive, e.g. 48.137 for Munich."
            ),
            "longitude": "Decimal degrees, east positive (west negative), e.g. 11.576 for Munich; -3.704 for Madrid.",
            "max_distance_km": "Facilities farther away are not proposed, unless in a preferred country.",
        }

    def clean_services(self):
        services = self.cleaned_data["services"]
        if not services:
            raise forms.ValidationError("Choose at least one service.")
        return services

    def clean_latitude(self):
        return _within(self.cleaned_data["latitude"], 90, "Latitude is between -90 (South Pole) and 90 (North Pole).")

    def clean_longitude(self):
        return _within(self.cleaned_data["longitude"], 180, "Longitude is between -180 and 180 (east positive).")

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            raise forms.ValidationError("Give both latitude and longitude, or neither.")
        return cleaned


def _within(value, limit: int, message: str):
    if value is not None and not -limit <= value <= limit:
        raise forms.ValidationError(message)
    return value


class OfferForm(forms.ModelForm):
    services = CodesMultipleChoiceField(Service, label="Services to third parties")
    atmp_categories = CodesMultipleChoiceField(AtmpCategory, label="ATMP categories")
    process_types = CodesMultipleChoiceField(ProcessType, label="Process types")
    scales = CodesMultipleChoiceField(Scale, label="Scales (stages batches are made for)")

    class Meta:
        model = ServiceOffer
        fields = (
            "services",
            "atmp_categories",
            "process_types",
            "scales",
            "batches_per_year",
            "lead_time_months",
            "takes_academic",
            "languages",
            "description",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def clean_services(self):
        services = self.cleaned_data["services"]
        if not services:
            raise forms.ValidationError("Choose at least one service.")
        return services


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[(Answer.INTERESTED, "Interested"), (Answer.NOT_INTERESTED, "Not interested")],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000)
    share_email = forms.BooleanField(
        required=False,
        label="Share my e-mail address with the developer (shown only when they agree to share theirs too)",
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", "Hide"), ("show", "Show again")])
    note = forms.CharField(required=False, max_length=255)
