"""The evaluation form (simple and advanced inputs) and the job forms."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings

from .engine import InputError
from .engine.defaults import START_PHASES, AtmpKind, IndicationClass
from .engine.model import DiscountTiming
from .models import JobKind, Visibility

SIMPLE_FIELDS = (
    "atmp_kind",
    "indication",
    "start",
    "eligible_patients_per_year",
    "peak_treated_share",
    "price_per_treatment_eur",
    "cogs_per_treatment_eur",
)
MARKET_FIELDS = (
    "eligible_patients_per_year",
    "peak_treated_share",
    "years_to_peak",
    "price_per_treatment_eur",
    "cogs_per_treatment_eur",
    "price_erosion_per_year",
    "exclusivity_years",
    "revenue_drop_after_exclusivity",
    "manufacturing_setup_eur",
    "commercial_cost_eur_per_year",
    "pharmacovigilance_cost_eur_per_year",
    "launch_delay_years",
)
START_CHOICES = [
    (key, f"{key.replace('_', ' ').capitalize()}: {' → '.join(names)}") for key, names in START_PHASES.items()
]


def _number(label, help_text="", required=True, **kwargs):
    return forms.FloatField(label=label, help_text=help_text, required=required, **kwargs)


class EvaluationForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label="Name (to save it)")
    atmp_kind = forms.ChoiceField(label="Type of ATMP", choices=[(k.value, k.label) for k in AtmpKind])
    indication = forms.ChoiceField(label="Indication class", choices=[(k.value, k.label) for k in IndicationClass])
    start = forms.ChoiceField(label="Where the product stands now", choices=START_CHOICES)
    eligible_patients_per_year = _number("Eligible patients per year", "Patients who could receive it each year.")
    peak_treated_share = _number("Share treated at peak (0–1)", "e.g. 0.3 for 30% of eligible patients.")
    years_to_peak = _number("Years from launch to peak uptake")
    price_per_treatment_eur = _number("Price per treatment (€)")
    cogs_per_treatment_eur = _number("Cost of goods per treatment (€)", "High for autologous cell therapies.")
    price_erosion_per_year = _number("Price erosion per year (0–1)")
    exclusivity_years = _number(
        "Sales years of exclusivity", "Empty: no loss of exclusivity in the horizon.", required=False
    )
    revenue_drop_after_exclusivity = _number("Revenue lost after exclusivity ends (0–1)")
    manufacturing_setup_eur = _number("Manufacturing set-up / capex (€)")
    commercial_cost_eur_per_year = _number("Commercial costs per year (€)")
    pharmacovigilance_cost_eur_per_year = _number("Pharmacovigilance costs per year (€)")
    launch_delay_years = _number("Delay between end of development and launch (years)")
    discount_rate = _number("Discount rate per year (0–1)", "e.g. 0.105 for 10.5%.")
    tax_rate = _number("Tax rate (0–1)")
    horizon_years = forms.IntegerField(label="Horizon (years)", min_value=1, max_value=60)
    discount_timing = forms.ChoiceField(
        label="Discounting",
        choices=[(DiscountTiming.END_OF_YEAR, "End of year"), (DiscountTiming.MID_YEAR, "Mid-year")],
    )
    licensing_upfront_eur = _number("Licensing: upfront (€)", required=False)
    licensing_royalty_rate = _number("Licensing: royalty rate (0–1)", required=False)
    uncertainty = forms.CharField(
        label="Uncertain inputs (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='e.g. {"market.price_per_treatment_eur": {"kind": "pert", "low": 250000, "mode": 350000, '
        '"high": 450000}}. Kinds: fixed, uniform, triangular, pert, normal (mode = mean, sd, low, high), '
        "lognormal (mode = mean, sd).",
    )

    def clean_uncertainty(self):
        text = self.cleaned_data.get("uncertainty") or ""
        if not text.strip():
            return {}
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc}") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("Expected an object mapping inputs to distributions.")
        return value


class PhaseForm(forms.Form):
    name = forms.CharField(max_length=80)
    duration_years = forms.FloatField(label="Duration (years)")
    cost_eur = forms.FloatField(label="Cost (€)")
    cost_is_per_year = forms.BooleanField(label="per year", required=False)
    success_probability = forms.FloatField(label="Probability of success (0–1)")


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=0, can_delete=True, max_num=12, absolute_max=12, validate_max=True
)


def form_data_from_inputs(inputs: dict, uncertainty: dict | None = None, **extra) -> tuple[dict, list[dict]]:
    """Initial values for EvaluationForm and PhaseFormSet from an inputs dict."""
    market = inputs.get("market", {})
    licensing = inputs.get("licensing") or {}
    initial = {name: market.get(name) for name in MARKET_FIELDS}
    initial |= {
        "discount_rate": inputs.get("discount_rate"),
        "tax_rate": inputs.get("tax_rate"),
        "horizon_years": inputs.get("horizon_years"),
        "discount_timing": (inputs.get("conventions") or {}).get("discount_timing", DiscountTiming.END_OF_YEAR),
        "licensing_upfront_eur": licensing.get("upfront_eur"),
        "licensing_royalty_rate": licensing.get("royalty_rate"),
        "uncertainty": json.dumps(uncertainty, indent=1) if uncertainty else "",
    }
    return initial | extra, list(inputs.get("phases", []))


def inputs_from_forms(form: EvaluationForm, phases) -> dict:
    """The engine's dict from cleaned forms (both must be valid)."""
    data = form.cleaned_data
    licensing = None
    if data.get("licensing_upfront_eur") or data.get("licensing_royalty_rate"):
        licensing = {
            "upfront_eur": data.get("licensing_upfront_eur") or 0,
            "royalty_rate": data.get("licensing_royalty_rate") or 0,
            "milestones": [],
        }
    return {
        "phases": [
            {k: f.cleaned_data[k] for k in PhaseForm.base_fields}
            for f in phases.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ],
        "market": {name: data.get(name) for name in MARKET_FIELDS},
        "discount_rate": data["discount_rate"],
        "tax_rate": data["tax_rate"],
        "horizon_years": data["horizon_years"],
        "conventions": {"discount_timing": data["discount_timing"]},
        "licensing": licensing,
    }


def attach_input_errors(error: InputError, form: EvaluationForm, phases) -> None:
    """Put the engine's path-keyed messages on the matching form field."""
    live = [f for f in phases.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
    for path, messages in error.errors.items():
        parts = path.split(".")
        target, field = form, None
        if parts[0] == "market" and len(parts) > 1 and parts[1] in form.fields:
            field = parts[1]
        elif parts[0] == "phases" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(live):
            target, field = live[int(parts[1])], parts[2] if parts[2] in PhaseForm.base_fields else None
        elif parts[0] in form.fields:
            field = parts[0]
        elif parts[0] == "uncertainty":
            field, messages = "uncertainty", [f"{path.removeprefix('uncertainty.')}: {m}" for m in messages]
        elif parts[0] == "licensing":
            field = "licensing_royalty_rate" if "royalty" in path else "licensing_upfront_eur"
        for message in messages:
            target.add_error(field, message)


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

    def __init__(self, *args, paths=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(p, p) for p in paths]
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
