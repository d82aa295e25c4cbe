"""The job, sharing and import forms (the evaluation form lives in evaluation_forms.py)."""

from __future__ import annotations

from django import forms
from django.conf import settings

from .engine.labels import input_label
from .models import JobKind, Visibility


class JobForm(forms.Form):
    kind = forms.ChoiceField(choices=JobKind.choices)
    n = forms.IntegerField(
        label="Simulations",
        min_value=1,
        max_value=settings.ECONOMICS_MAX_SIMULATIONS,
        required=False,
        initial=settings.ECONOMICS_DEFAULT_SIMULATIONS,
    )
    seed = forms.IntegerField(label="Seed (empty: random)", min_value=0, max_value=2**63 - 1, required=False)
    input_a = forms.ChoiceField(label="First input (rows)", required=False, choices=())
    low_a = forms.FloatField(required=False, label="low")
    high_a = forms.FloatField(required=False, label="high")
    input_b = forms.ChoiceField(label="Second input (columns)", required=False, choices=())
    low_b = forms.FloatField(required=False, label="low")
    high_b = forms.FloatField(required=False, label="high")
    steps = forms.IntegerField(min_value=2, max_value=settings.ECONOMICS_TWO_WAY_MAX_STEPS, initial=7, required=False)

    def __init__(self, *args, paths=(), phase_names=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(p, input_label(p, phase_names)) for p in paths]
        self.fields["input_a"].choices = choices
        self.fields["input_b"].choices = choices


class ShareForm(forms.Form):
    visibility = forms.ChoiceField(choices=Visibility.choices, widget=forms.RadioSelect)
    new_link = forms.BooleanField(required=False, label="Make a new link (the old one stops working)")


class ImportForm(forms.Form):
    file = forms.FileField(label="An evaluation exported as CSV or XLSX")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file exported from this tool.")
        return upload
