"""The uncertain inputs on the evaluation page: a distribution picker per input and rank correlations."""

from __future__ import annotations

from django import forms

from .engine.distributions import DistributionKind

DISTRIBUTION_CHOICES = [
    ("", "—"),
    (DistributionKind.FIXED, "Fixed value"),
    (DistributionKind.UNIFORM, "Uniform (low, high)"),
    (DistributionKind.TRIANGULAR, "Triangular (low, most likely, high)"),
    (DistributionKind.PERT, "PERT (low, most likely, high)"),
    (DistributionKind.NORMAL, "Normal (mean, SD)"),
    (DistributionKind.TRUNCATED_NORMAL, "Truncated normal (mean, SD, low, high)"),
    (DistributionKind.LOGNORMAL, "Lognormal (mean, SD)"),
]
DISTRIBUTION_VALUES = ("low", "mode", "high", "sd")


class UncertainInputForm(forms.Form):
    """One input's distribution for Monte Carlo; the preview beside it shows its shape."""

    path = forms.ChoiceField(label="Input", choices=())
    kind = forms.ChoiceField(label="Distribution", choices=DISTRIBUTION_CHOICES)
    low = forms.FloatField(label="Low", required=False)
    mode = forms.FloatField(label="Most likely / mean", required=False)
    high = forms.FloatField(label="High", required=False)
    sd = forms.FloatField(label="SD", required=False)

    def __init__(self, *args, paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["path"].choices = [("", "—"), *paths]

    def as_dict(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"]} | {k: data[k] for k in DISTRIBUTION_VALUES if data.get(k) is not None}

    @property
    def preview(self):
        from .previews import distribution_preview

        data = self.initial if not self.is_bound else (self.cleaned_data if hasattr(self, "cleaned_data") else {})
        return distribution_preview(data)


class CorrelationForm(forms.Form):
    a = forms.ChoiceField(label="Input", choices=())
    b = forms.ChoiceField(label="moves with", choices=())
    rank_correlation = forms.FloatField(
        label="Rank correlation (−1 to 1)", help_text="e.g. 0.5: higher price, higher uptake."
    )

    def __init__(self, *args, paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("a", "b"):
            self.fields[name].choices = [("", "—"), *paths]


UncertainInputFormSet = forms.formset_factory(
    UncertainInputForm, extra=1, can_delete=True, max_num=40, absolute_max=41, validate_max=True
)
CorrelationFormSet = forms.formset_factory(
    CorrelationForm, extra=1, can_delete=True, max_num=20, absolute_max=21, validate_max=True
)
