"""Contribution forms: one product with any number of trials, and the curators' review form.

Experts pick controlled values from lists; the sheet's "original text" twin is
set to the chosen label when the value changes, so an export says what the
contributor chose. Countries, diseases, targets and cohorts are typed as in the
sheet ("Germany, France") and split into lookup rows by trials.vocabulary.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import identifiers, vocabulary
from .models import WP1_FIELDS, CurationStatus, Product, Trial
from .services import TrialChange

YES_NO_UNKNOWN = [("", "Unknown"), ("yes", "Yes"), ("no", "No")]
YES_NO_VALUES = {"yes": True, "no": False}


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

    def product_data(self) -> dict:
        """What trials.services.product_save is given: every field of a new product, the changed ones of an edit."""
        creating = self.instance.pk is None
        names = ProductForm.Meta.fields if creating else [n for n in self.changed_data if n != "change_reason"]
        return {name: self.cleaned_data[name] for name in names}


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

    def trial_data(self) -> dict:
        """What trials.services.trial_save is given: every field of a new trial, the changed ones of an edit."""
        creating = self.instance.pk is None
        # The inline formset appends the product to Meta.fields; the product is the service's own argument.
        fields = [n for n in self._meta.fields if n != "product"]
        names = fields if creating else [n for n in self.changed_data if n in fields]
        data = {name: self.cleaned_data[name] for name in names}
        for choice, model_field in (
            ("mechanism_known_choice", "mechanism_known"),
            ("first_in_human_choice", "first_in_human"),
        ):
            if creating or choice in self.changed_data:
                data[model_field] = YES_NO_VALUES.get(self.cleaned_data.get(choice, ""))
        return data


class BaseTrialFormSet(forms.BaseInlineFormSet):
    def trial_changes(self) -> list[TrialChange]:
        """The trials added, changed and removed, each from the stored row (the forms' instances hold the input)."""
        stored = {t.pk: t for t in Trial.objects.filter(product_id=self.instance.pk)} if self.instance.pk else {}
        changes = []
        for form in self.forms:
            trial = stored.get(form.instance.pk)
            if form in self.deleted_forms:
                if trial is not None:
                    changes.append(TrialChange(trial, delete=True))
            elif form.has_changed():
                changes.append(TrialChange(trial, form.trial_data()))
        return changes


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
