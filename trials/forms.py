"""Contribution forms: one product with any number of trials, and the curators' review form.

Experts pick controlled values from lists; the sheet's "original text" twin is
set to the chosen label when the value changes, so an export says what the
contributor chose. Countries, diseases, targets and cohorts are typed as in the
sheet ("Germany, France") and split into lookup rows by trials.vocabulary.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Max

from . import identifiers, vocabulary
from .models import WP1_FIELDS, CurationStatus, Product, Trial, TrialIdentifier

# (choice field, its "original text" twin) on each model.
PRODUCT_CHOICE_TEXT = [
    ("atmp_type", "atmp_type_text"),
    ("cell_source", "cell_source_text"),
    ("patient_classification", "patient_classification_text"),
    ("gene_transfer_mode", "gene_transfer_mode_text"),
]
TRIAL_CHOICE_TEXT = [
    ("phase", "phase_text"),
    ("sponsor_type", "sponsor_type_text"),
    ("centre_type", "centre_type_text"),
]
YES_NO_UNKNOWN = [("", "Unknown"), ("yes", "Yes"), ("no", "No")]


def _set_texts(instance, form, pairs) -> None:
    for field, text_field in pairs:
        if field in form.changed_data or not getattr(instance, text_field):
            value = getattr(instance, field)
            label = dict(form.fields[field].choices).get(value, "") if value else ""
            setattr(instance, text_field, str(label))


class ProductForm(forms.ModelForm):
    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=100,
        required=False,
        help_text="Shown in the record's history. Required when you change a published record.",
    )

    class Meta:
        model = Product
        fields = [
            "name",
            "atmp_type",
            "category",
            "country_of_origin_text",
            "cell_source",
            "cell_type",
            "route_of_administration",
            "disease_text",
            "patient_cohort_text",
            "patient_classification",
            "target_text",
            "gene_transfer_mode",
            "conducted_trials_text",
            *WP1_FIELDS,
        ]
        labels = {
            "country_of_origin_text": "Country of origin",
            "disease_text": "Disease(s) / indication",
            "patient_cohort_text": "Patient cohort(s)",
            "target_text": "Target(s) of the ATMP",
        }
        help_texts = {
            "country_of_origin_text": "As in the sheet, e.g. “Germany, EU-Europe”.",
            "disease_text": "Several separated by commas, e.g. “AML, MDS”.",
            "patient_cohort_text": "e.g. “adult, pediatric”.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ["disease_text", *WP1_FIELDS]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["atmp_type"].required = True
        self._origin_locations: list = []

    def clean_country_of_origin_text(self):
        text = self.cleaned_data["country_of_origin_text"]
        refs, unknown = vocabulary.parse_locations(text)
        if unknown:
            raise ValidationError(f"Unknown country or region: {', '.join(unknown)}. Use country names or ISO codes.")
        return text

    def clean(self):
        cleaned = super().clean()
        published = self.instance.pk and self.instance.curation_status == CurationStatus.PUBLISHED
        if published and self.has_changed() and not cleaned.get("change_reason", "").strip():
            self.add_error("change_reason", "Say briefly why you change this published record.")
        return cleaned

    def has_changed(self) -> bool:
        return bool(set(self.changed_data) - {"change_reason"})

    def apply_vocabulary(self, product: Product) -> None:
        _set_texts(product, self, PRODUCT_CHOICE_TEXT)

    def save_m2m_lookups(self, product: Product) -> None:
        """Lookup rows for the many-valued cells, from the text as typed."""
        data = self.cleaned_data
        product.origin_locations.set(vocabulary.locations_for(data["country_of_origin_text"])[0])
        product.diseases.set(vocabulary.diseases_for(data["disease_text"]))
        product.targets.set(vocabulary.targets_for(data["target_text"]))
        product.patient_cohorts.set(vocabulary.cohorts_for(data["patient_cohort_text"]))


class TrialForm(forms.ModelForm):
    mechanism_known_choice = forms.ChoiceField(
        label="Mechanism of action already known?", choices=YES_NO_UNKNOWN, required=False
    )
    first_in_human_choice = forms.ChoiceField(label="First in human?", choices=YES_NO_UNKNOWN, required=False)

    class Meta:
        model = Trial
        fields = [
            "registry_id_text",
            "title",
            "phase",
            "status",
            "status_as_of",
            "principal_investigator",
            "sponsor",
            "sponsor_type",
            "lead_clinical",
            "lead_preclinical",
            "lead_manufacturing",
            "lead_study_centre",
            "centre_type",
            "countries_text",
            "funding",
            "patent_holder",
            "pi_email",
            "sponsor_email",
        ]
        labels = {"registry_id_text": "Registry ID(s)", "countries_text": "Countries"}
        help_texts = {
            "registry_id_text": "EudraCT YYYY-NNNNNN-CC, EU CT YYYY-5NNNNN-NN-NN or NCT + 8 digits; several allowed.",
            "countries_text": "e.g. “Germany, France, USA” or “EU-Europe”.",
        }
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "status_as_of": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, model_field in (
            ("mechanism_known_choice", "mechanism_known"),
            ("first_in_human_choice", "first_in_human"),
        ):
            value = getattr(self.instance, model_field)
            self.fields[name].initial = {True: "yes", False: "no"}.get(value, "")

    def clean_registry_id_text(self):
        text = self.cleaned_data["registry_id_text"]
        identifiers.validate_registry_ids(text)
        return text

    def clean_countries_text(self):
        text = self.cleaned_data["countries_text"]
        _refs, unknown = vocabulary.parse_locations(text)
        if unknown:
            raise ValidationError(f"Unknown country or region: {', '.join(unknown)}.")
        return text

    def apply_vocabulary(self, trial: Trial) -> None:
        _set_texts(trial, self, TRIAL_CHOICE_TEXT)
        if "status" in self.changed_data or "status_as_of" in self.changed_data or not trial.status_text:
            label = dict(self.fields["status"].choices).get(trial.status, "") if trial.status else ""
            as_of = f" ({trial.status_as_of:%d.%m.%Y})" if trial.status_as_of and label else ""
            trial.status_text = f"{label}{as_of}"
        for name, model_field in (
            ("mechanism_known_choice", "mechanism_known"),
            ("first_in_human_choice", "first_in_human"),
        ):
            choice = self.cleaned_data.get(name, "")
            value = {"yes": True, "no": False}.get(choice)
            if name in self.changed_data or getattr(trial, model_field) != value:
                setattr(trial, model_field, value)
                setattr(trial, f"{model_field}_text", {"yes": "Yes", "no": "No"}.get(choice, ""))

    def save_lookups(self, trial: Trial) -> None:
        trial.countries.set(vocabulary.locations_for(self.cleaned_data["countries_text"])[0])
        found, _errors = identifiers.find_all(trial.registry_id_text) if trial.registry_id_text else ([], [])
        trial.identifiers.all().delete()
        TrialIdentifier.objects.bulk_create(
            [TrialIdentifier(trial=trial, registry=i.registry, value=i.value) for i in found]
        )


class BaseTrialFormSet(forms.BaseInlineFormSet):
    def save_trials(self, *, user, reason: str = "") -> None:
        product = self.instance
        next_column = (product.trials.aggregate(m=Max("column_index"))["m"] + 1) if product.trials.exists() else 0
        for form in self.deleted_forms:
            if form.instance.pk:
                form.instance._history_user = user
                form.instance._change_reason = (reason or "Trial removed")[:100]
                form.instance.delete()
        for form in self.forms:
            if form in self.deleted_forms or not form.has_changed():
                continue
            trial = form.save(commit=False)
            trial.product = product
            if trial.pk is None:
                trial.column_index = next_column
                next_column += 1
            form.apply_vocabulary(trial)
            found, _errors = identifiers.find_all(trial.registry_id_text) if trial.registry_id_text else ([], [])
            best = identifiers.primary(found)
            trial.primary_identifier = best.value if best else ""
            trial.start_year = identifiers.start_year(found) or trial.start_year
            trial._history_user = user
            trial._change_reason = (reason or "Edited")[:100]
            trial.save()
            form.save_lookups(trial)


TrialFormSet = forms.inlineformset_factory(
    Product,
    Trial,
    form=TrialForm,
    formset=BaseTrialFormSet,
    extra=1,
    can_delete=True,
    max_num=50,
    validate_max=True,
)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve and publish"), ("reject", "Reject")])
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text="Sent to the contributor. Required when you reject.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Say why you reject it: the contributor reads this.")
        return cleaned
