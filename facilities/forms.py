"""Forms: the curators' facility form (with the point picker) and the experts' correction form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import models

from .models import Activity, AtmpCategory, Facility, bars_from_codes, codes_from_bars
from .widgets import LatLonField

# Fields an expert may propose to correct (everything a reader sees, nothing curatorial).
CORRECTABLE_FIELDS = (
    "name",
    "institution",
    "institution_type",
    "address",
    "postal_code",
    "city",
    "region",
    "country",
    "latitude",
    "longitude",
    "website",
    "contact_email",
    "atmp_categories",
    "activities",
    "cleanroom_grades",
    "cleanroom_count",
    "cleanroom_area_m2",
    "closed_systems",
    "batches_per_year",
    "capacity_notes",
    "services_to_third_parties",
    "services_description",
)


def https_url_formfield(db_field, **kwargs):
    """Model form fields with "example.org" read as https:// (Django 6's default, chosen now)."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class CodesMultipleChoiceField(forms.MultipleChoiceField):
    """A |code|code| column edited as checkboxes."""

    def __init__(self, choices_class, **kwargs):
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, widget=forms.CheckboxSelectMultiple, required=False, **kwargs)

    def prepare_value(self, value):
        return codes_from_bars(value) if isinstance(value, str) else value

    def clean(self, value):
        return bars_from_codes(super().clean(value), self.choices_class)


class FacilityAdminForm(forms.ModelForm):
    """The admin form: the point is placed with the map picker, stored as two decimals."""

    location = LatLonField(label="Location")
    atmp_categories = CodesMultipleChoiceField(AtmpCategory, label="ATMP types manufactured")
    activities = CodesMultipleChoiceField(Activity, label="Activities")

    class Meta:
        model = Facility
        exclude = ("latitude", "longitude")  # noqa: DJ006 - every other field, as the admin fieldsets show them
        formfield_callback = https_url_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["location"] = (self.instance.latitude, self.instance.longitude)

    def _post_clean(self):
        # Put the picked point on the instance before the model's own validation runs.
        location = self.cleaned_data.get("location")
        if location:
            self.instance.latitude, self.instance.longitude = location
        super()._post_clean()


class FacilityCorrectionForm(forms.ModelForm):
    """What an expert proposes: the facility's readable fields, pre-filled, plus a reason."""

    atmp_categories = CodesMultipleChoiceField(AtmpCategory, label="ATMP types manufactured")
    activities = CodesMultipleChoiceField(Activity, label="Activities")
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="What is wrong, and a public source that supports the change (URL).",
    )

    class Meta:
        model = Facility
        fields = CORRECTABLE_FIELDS
        formfield_callback = https_url_formfield

    def changes(self) -> dict[str, str]:
        """Only the fields whose value differs from the facility's, as text."""
        changed = {}
        for name in CORRECTABLE_FIELDS:
            new = self.cleaned_data.get(name)
            old = getattr(self._original, name)
            if _as_text(new) != _as_text(old):
                changed[name] = _as_text(new)
        return changed

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._original = Facility.objects.get(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.changes():
            raise forms.ValidationError("Nothing was changed: edit at least one field.")
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # The form edits a copy; the facility itself is only changed when a curator accepts.
        self.instance = self._original


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"  # 50.1 and 50.100000 are the same coordinate
    return str(value)


class CorrectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept and apply"), ("reject", "Reject")])
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=4000)
