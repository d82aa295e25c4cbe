"""The evaluation form: product, market, finance, phases and licensing milestones, handled as one.

`EvaluationForms` is the one translation between the page and the engine's inputs dict, both
ways: `from_inputs` fills the page from stored inputs (whichever path saved them: form, API,
import) and `inputs()` reads them back, so an edit in the form never drops an input another
path set (tests/economics/test_form_round_trip.py checks every input).
"""

from __future__ import annotations

from django import forms

from .engine import InputError
from .engine.defaults import START_PHASES, AtmpKind, IndicationClass
from .engine.labels import input_label
from .engine.model import MARKET_SCALARS, PHASE_SCALARS, DiscountTiming, ErosionTarget, UptakeCurve
from .uncertainty_forms import CorrelationFormSet, UncertainInputForm, UncertainInputFormSet

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
    "launch_cost_eur",
    "uptake_steepness",
    "uptake_curve",
    "erosion_applies_to",
)
LICENSING_FIELDS = {
    "licensing_upfront_eur": "upfront_eur",
    "licensing_upfront_year": "upfront_year",
    "licensing_royalty_rate": "royalty_rate",
}
START_CHOICES = [
    (key, f"{key.replace('_', ' ').capitalize()}: {' → '.join(names)}")
    for key, names in START_PHASES.items()
    if key != "hospital_exemption"
] + [("hospital_exemption", "Hospital exemption (academic or hospital developer, no marketing authorisation)")]


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
    launch_cost_eur = _number(
        "Launch costs (€)", "Charged in the first sales year, weighted by the probability of launch; tax-deductible."
    )
    uptake_curve = forms.ChoiceField(
        label="Uptake to the peak",
        choices=[(UptakeCurve.LINEAR, "Linear ramp"), (UptakeCurve.S_CURVE, "S-curve (slow, fast, then levelling)")],
    )
    uptake_steepness = _number("S-curve steepness", "Slope of the logistic per year; 1.5 is moderate, 4 is abrupt.")
    erosion_steps_after_exclusivity = forms.CharField(
        label="Further losses in the following years (0–1 each)",
        required=False,
        help_text="Comma-separated, one per year after the first, e.g. “0.25, 0.1”: 50% then a further 25%, then 10%.",
    )
    erosion_applies_to = forms.ChoiceField(
        label="Loss of exclusivity erodes",
        choices=[
            (ErosionTarget.PRICE, "the price (costs per patient stay)"),
            (ErosionTarget.VOLUME, "the volume (fewer patients: their cost of goods goes too)"),
        ],
    )
    discount_rate = _number("Discount rate per year (0–1)", "e.g. 0.105 for 10.5%.")
    tax_rate = _number("Tax rate (0–1)")
    horizon_years = forms.IntegerField(label="Horizon (years)", min_value=1, max_value=60)
    discount_timing = forms.ChoiceField(
        label="Discounting",
        choices=[
            (DiscountTiming.END_OF_YEAR, "End of year"),
            (DiscountTiming.MID_YEAR, "Mid-year"),
            (DiscountTiming.START_OF_YEAR, "Start of year (year 1 undiscounted, as spreadsheet NPV)"),
        ],
    )
    tax_loss_carry_forward = forms.BooleanField(
        label="Carry operating losses forward against later profit", required=False
    )
    licensing_upfront_eur = _number(
        "Licensing: upfront (€)", "Empty (with no royalty and no milestone): no deal.", required=False
    )
    licensing_upfront_year = _number(
        "Licensing: upfront paid at year", "Empty: at signing (t = 0, undiscounted).", required=False
    )
    licensing_royalty_rate = _number("Licensing: royalty rate (0–1)", "On sales below the first tier.", required=False)

    def clean_erosion_steps_after_exclusivity(self) -> list[float]:
        text = self.cleaned_data.get("erosion_steps_after_exclusivity") or ""
        try:
            return [float(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError("Enter shares separated by commas, e.g. 0.25, 0.1.") from None


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


class SalesMilestoneForm(forms.Form):
    threshold_eur = forms.FloatField(label="When annual sales first reach (€)")
    amount_eur = forms.FloatField(label="Amount (€)")


class RoyaltyTierForm(forms.Form):
    above_sales_eur = forms.FloatField(label="On annual sales above (€)")
    rate = forms.FloatField(label="Royalty rate (0–1)")


# One blank row adds a phase; the order field reorders them; "delete" removes one.
PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=1, can_delete=True, can_order=True, max_num=12, absolute_max=13, validate_max=True
)
# One blank row lets a milestone be added without JavaScript; a blank row is ignored.
MilestoneFormSet = forms.formset_factory(
    MilestoneForm, extra=1, can_delete=True, max_num=12, absolute_max=13, validate_max=True
)


SalesMilestoneFormSet = forms.formset_factory(
    SalesMilestoneForm, extra=1, can_delete=True, max_num=12, absolute_max=13, validate_max=True
)
RoyaltyTierFormSet = forms.formset_factory(
    RoyaltyTierForm, extra=1, can_delete=True, max_num=12, absolute_max=13, validate_max=True
)
# Licensing lists: (formset attribute and prefix, engine key, form class, formset class)
DEAL_LISTS = (
    ("milestones", MilestoneForm, MilestoneFormSet),
    ("sales_milestones", SalesMilestoneForm, SalesMilestoneFormSet),
    ("royalty_tiers", RoyaltyTierForm, RoyaltyTierFormSet),
)


def _uncertain_paths(data, phases) -> list[tuple[str, str]]:
    """(path, words) of every input a distribution can be put on, for the phases shown or posted."""
    if data is not None:
        try:
            count = min(int(data.get("phases-TOTAL_FORMS", 0)), 12)
        except (TypeError, ValueError):
            count = 0
        names = [str(data.get(f"phases-{i}-name", "")) or f"Phase {i + 1}" for i in range(count)]
    else:
        names = [p.get("name", "") for p in phases]
    paths = [f"phases.{i}.{field}" for i in range(len(names)) for field in PHASE_SCALARS]
    paths += [f"market.{name}" for name in MARKET_SCALARS] + ["discount_rate", "tax_rate"]
    return [(path, input_label(path, names)) for path in paths]


def _live(formset) -> list:
    return [f for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


class EvaluationForms:
    """The main form, the phases and the milestones: bound from a POST or filled from inputs."""

    def __init__(self, data=None, *, initial=None, phases=(), licensing=None, uncertainty=None):
        licensing, uncertainty = licensing or {}, uncertainty or {}
        self.form = EvaluationForm(data, initial=initial)
        self.phases = PhaseFormSet(data, initial=list(phases), prefix="phases")
        for key, _, formset in DEAL_LISTS:
            setattr(self, key, formset(data, initial=list(licensing.get(key, [])), prefix=key))
        paths = _uncertain_paths(data, phases)
        rows = [{"path": path} | dist for path, dist in uncertainty.items() if path != "correlations"]
        self.uncertain = UncertainInputFormSet(data, initial=rows, prefix="uncertain", form_kwargs={"paths": paths})
        self.correlations = CorrelationFormSet(
            data, initial=list(uncertainty.get("correlations", [])), prefix="correlations", form_kwargs={"paths": paths}
        )

    @property
    def deal_formsets(self) -> list:
        return [getattr(self, key) for key, _, _ in DEAL_LISTS]

    @property
    def formsets(self) -> list:
        return [self.phases, *self.deal_formsets, self.uncertain, self.correlations]

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
            "tax_loss_carry_forward": (inputs.get("conventions") or {}).get("tax_loss_carry_forward", False),
            "erosion_steps_after_exclusivity": ", ".join(
                repr(float(x)) for x in market.get("erosion_steps_after_exclusivity", [])
            ),
        }
        initial |= {field: licensing.get(key) for field, key in LICENSING_FIELDS.items()}
        return cls(
            initial=initial | extra, phases=inputs.get("phases", []), licensing=licensing, uncertainty=uncertainty
        )

    def is_valid(self) -> bool:
        # Every part validated, so every error shows at once.
        return all([self.form.is_valid()] + [f.is_valid() for f in self.formsets])

    @property
    def cleaned_uncertainty(self) -> dict:
        """The distributions in the stored format (call after is_valid())."""
        data = {f.cleaned_data["path"]: f.as_dict() for f in _live(self.uncertain) if f.cleaned_data.get("path")}
        correlations = [
            {k: f.cleaned_data[k] for k in ("a", "b", "rank_correlation")}
            for f in _live(self.correlations)
            if f.cleaned_data.get("a")
        ]
        return data | ({"correlations": correlations} if correlations else {})

    def inputs(self) -> dict:
        """The engine's inputs dict (call after is_valid())."""
        data = self.form.cleaned_data
        lists = {
            key: [{k: f.cleaned_data[k] for k in form.base_fields} for f in _live(getattr(self, key))]
            for key, form, _ in DEAL_LISTS
        }
        licensing = None
        # A deal exists once any of its terms is filled in, even with a 0 (an explicit "no upfront").
        if any(lists.values()) or any(data.get(field) is not None for field in LICENSING_FIELDS):
            licensing = {key: data.get(field) or 0.0 for field, key in LICENSING_FIELDS.items()}
            licensing["upfront_year"] = data.get("licensing_upfront_year")
            licensing |= lists
        market = {name: data.get(name) for name in MARKET_FIELDS}
        market["erosion_steps_after_exclusivity"] = data["erosion_steps_after_exclusivity"]
        return {
            "phases": [{k: f.cleaned_data[k] for k in PhaseForm.base_fields} for f in self.phases.ordered_forms],
            "market": market,
            "discount_rate": data["discount_rate"],
            "tax_rate": data["tax_rate"],
            "horizon_years": data["horizon_years"],
            "conventions": {
                "discount_timing": data["discount_timing"],
                "tax_loss_carry_forward": data["tax_loss_carry_forward"],
            },
            "licensing": licensing,
        }

    def attach(self, error: InputError) -> None:
        """Put the engine's path-keyed messages on the matching form field."""
        form = self.form
        phases = self.phases.ordered_forms
        deal_rows = {key: (_live(getattr(self, key)), form) for key, form, _ in DEAL_LISTS}
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
                target, field = self._uncertainty_target(path)
            elif parts[0] == "licensing" and len(parts) == 4 and parts[1] in deal_rows and parts[2].isdigit():
                rows, row_form = deal_rows[parts[1]]
                if int(parts[2]) < len(rows):
                    target = rows[int(parts[2])]
                    field = parts[3] if parts[3] in row_form.base_fields else None
            elif parts[0] == "licensing":
                field = next((f for f, key in LICENSING_FIELDS.items() if key == parts[-1]), "licensing_upfront_eur")
            for message in messages:
                target.add_error(field, message)

    def _uncertainty_target(self, path: str):
        """(form, field) of the distribution or correlation row an 'uncertainty.…' message is about."""
        rest = path.removeprefix("uncertainty.")
        if rest.startswith("correlations"):
            parts = rest.split(".")
            rows = _live(self.correlations)
            if len(parts) > 1 and parts[1].isdigit() and int(parts[1]) < len(rows):
                return rows[int(parts[1])], None
            return self.form, None
        for row in _live(self.uncertain):
            input_path = row.cleaned_data.get("path")
            if input_path and (rest == input_path or rest.startswith(f"{input_path}.")):
                field = rest.removeprefix(input_path).lstrip(".")
                return row, field if field in UncertainInputForm.base_fields else None
        return self.form, None

    ROW_NAMES = {
        "phases": "Phase",
        "milestones": "Milestone",
        "sales_milestones": "Sales milestone",
        "royalty_tiers": "Royalty tier",
        "uncertain": "Uncertain input",
        "correlations": "Correlation",
    }

    def error_messages(self) -> list[str]:
        """Every error on the page as one sentence each, for the summary beside the results."""
        messages = [
            f"{self.form.fields[name].label}: {error}" if name in self.form.fields else str(error)
            for name, errors in self.form.errors.items()
            for error in errors
        ]
        for formset in self.formsets:
            row_name = self.ROW_NAMES[formset.prefix]
            messages += [f"{row_name}s: {error}" for error in formset.non_form_errors()]
            for number, row in enumerate(formset.forms, start=1):
                for name, errors in row.errors.items():
                    label = row.fields[name].label if name in row.fields else ""
                    messages += [
                        f"{row_name} {number}, {label}: {error}" if label else f"{row_name} {number}: {error}"
                        for error in errors
                    ]
        return messages

    @property
    def errors(self) -> bool:
        return bool(self.form.errors or any(f.total_error_count() for f in self.formsets))
