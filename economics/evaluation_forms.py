"""The evaluation form: product, market, finance, phases and licensing milestones, handled as one.

`EvaluationForms` is the one translation between the page and the engine's inputs dict, both
ways: `from_inputs` fills the page from stored inputs (whichever path saved them: form, API,
import) and `inputs()` reads them back, so an edit in the form never drops an input another
path set (tests/economics/test_form_round_trip.py checks every input).
"""

from __future__ import annotations

import json

from django import forms

from .engine import InputError
from .engine.defaults import START_PHASES, AtmpKind, IndicationClass
from .engine.model import DiscountTiming

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
LICENSING_FIELDS = {"licensing_upfront_eur": "upfront_eur", "licensing_royalty_rate": "royalty_rate"}
START_CHOICES = [
    (key, f"{key.replace('_', ' ').capitalize()}: {' → '.join(names)}") for key, names in START_PHASES.items()
]


def _number(label, help_text="", required=True, **kwargs):
    return forms.FloatField(label=label, help_text=help_text, required=required, **kwargs)


class EvaluationForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label="Name (to save it)")
    atmp_kind = forms.ChoiceField(label="Type of ATMP", choices=[(k.value, k.label) for k in AtmpKind])
    indication = forms.ChoiceField(label="Indication class", choices=[(k.value, k.label) for k in IndicationClass])
    # Only chooses the defaults to load: not an input of the model, so never required.
    start = forms.ChoiceField(label="Where the product stands now", choices=START_CHOICES, required=False)
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
    licensing_upfront_eur = _number(
        "Licensing: upfront (€)", "Empty (with no royalty and no milestone): no deal.", required=False
    )
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


class MilestoneForm(forms.Form):
    after_phase = forms.CharField(
        max_length=80, label="Paid when this phase succeeds", help_text="The phase's name, as above."
    )
    amount_eur = forms.FloatField(label="Amount (€)")


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=0, can_delete=True, max_num=12, absolute_max=12, validate_max=True
)
# One blank row lets a milestone be added without JavaScript; a blank row is ignored.
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=1, can_delete=True, max_num=12, absolute_max=13, validate_max=True
)


def _live(formset) -> list:
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class EvaluationForms:
    """The main form, the phases and the milestones: bound from a POST or filled from inputs."""

    def __init__(self, data=None, *, initial=None, phases=(), milestones=()):
        self.form = EvaluationForm(data, initial=initial)
        self.phases = PhaseFormSet(data, initial=list(phases), prefix="phases")
        self.milestones = MilestoneFormSet(data, initial=list(milestones), prefix="milestones")

    @classmethod
    def from_inputs(cls, inputs: dict, uncertainty: dict | None = None, **extra) -> EvaluationForms:
        """Unbound forms showing stored inputs; `extra` sets name, atmp_kind, indication, start."""
        market = inputs.get("market", {})
        licensing = inputs.get("licensing") or {}
        initial = {name: market.get(name) for name in MARKET_FIELDS}
        initial |= {
            "discount_rate": inputs.get("discount_rate"),
            "tax_rate": inputs.get("tax_rate"),
            "horizon_years": inputs.get("horizon_years"),
            "discount_timing": (inputs.get("conventions") or {}).get("discount_timing", DiscountTiming.END_OF_YEAR),
            "uncertainty": json.dumps(uncertainty, indent=1) if uncertainty else "",
        }
        initial |= {field: licensing.get(key) for field, key in LICENSING_FIELDS.items()}
        return cls(
            initial=initial | extra,
            phases=inputs.get("phases", []),
            milestones=licensing.get("milestones", []),
        )

    def is_valid(self) -> bool:
        # Every part validated, so every error shows at once.
        return all([self.form.is_valid(), self.phases.is_valid(), self.milestones.is_valid()])

    @property
    def cleaned_uncertainty(self) -> dict:
        return self.form.cleaned_data.get("uncertainty") or {}

    def inputs(self) -> dict:
        """The engine's inputs dict (call after is_valid())."""
        data = self.form.cleaned_data
        milestones = [{k: f.cleaned_data[k] for k in MilestoneForm.base_fields} for f in _live(self.milestones)]
        licensing = None
        # A deal exists once any of its terms is filled in, even with a 0 (an explicit "no upfront").
        if milestones or any(data.get(field) is not None for field in LICENSING_FIELDS):
            licensing = {key: data.get(field) or 0.0 for field, key in LICENSING_FIELDS.items()}
            licensing["milestones"] = milestones
        return {
            "phases": [{k: f.cleaned_data[k] for k in PhaseForm.base_fields} for f in _live(self.phases)],
            "market": {name: data.get(name) for name in MARKET_FIELDS},
            "discount_rate": data["discount_rate"],
            "tax_rate": data["tax_rate"],
            "horizon_years": data["horizon_years"],
            "conventions": {"discount_timing": data["discount_timing"]},
            "licensing": licensing,
        }

    def attach(self, error: InputError) -> None:
        """Put the engine's path-keyed messages on the matching form field."""
        form = self.form
        phases, milestones = _live(self.phases), _live(self.milestones)
        for path, messages in error.errors.items():
            parts = path.split(".")
            target, field = form, None
            if parts[0] == "market" and len(parts) > 1 and parts[1] in form.fields:
                field = parts[1]
            elif parts[0] == "phases" and len(parts) > 2 and parts[1].isdigit() and int(parts[1]) < len(phases):
                target, field = phases[int(parts[1])], parts[2] if parts[2] in PhaseForm.base_fields else None
            elif parts[0] in form.fields:
                field = parts[0]
            elif parts[0] == "uncertainty":
                field, messages = "uncertainty", [f"{path.removeprefix('uncertainty.')}: {m}" for m in messages]
            elif path.startswith("licensing.milestones.") and len(parts) == 4 and parts[2].isdigit():
                if int(parts[2]) < len(milestones):
                    target = milestones[int(parts[2])]
                    field = parts[3] if parts[3] in MilestoneForm.base_fields else None
            elif parts[0] == "licensing":
                field = "licensing_royalty_rate" if "royalty" in path else "licensing_upfront_eur"
            for message in messages:
                target.add_error(field, message)

    @property
    def errors(self) -> bool:
        return bool(self.form.errors or self.phases.total_error_count() or self.milestones.total_error_count())
