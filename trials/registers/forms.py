from __future__ import annotations

from django import forms

from trials.models import AtmpType, Product


class AddFromRegisterForm(forms.Form):
    number = forms.CharField(
        label="NCT, EU CT or EudraCT number",
        max_length=64,
        help_text="For example NCT01234567, 2024-512345-12-00 or 2019-001234-56.",
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])
    replace_curated = forms.BooleanField(required=False, label="Replace the value curated on the platform")


class DraftSubmitForm(forms.Form):
    """Attach to a product the user may edit, or name a new one."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        required=False,
        label="Add to an existing product",
        empty_label="— a new product —",
    )
    new_name = forms.CharField(label="New product: name", max_length=255, required=False)
    atmp_type = forms.ChoiceField(
        label="New product: type of ATMP", choices=[("", "—"), *AtmpType.choices], required=False
    )

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products

    def clean(self):
        data = super().clean()
        if data.get("product") is None:
            name = (data.get("new_name") or "").strip()
            if not name:
                raise forms.ValidationError("Choose a product, or name the new one.")
            if Product.objects.filter(name__iexact=name).exists():
                self.add_error("new_name", "A product with this name exists: choose it above.")
        return data

    def new_product(self) -> dict | None:
        if self.cleaned_data.get("product") is not None:
            return None
        data = {"name": self.cleaned_data["new_name"].strip()}
        if self.cleaned_data.get("atmp_type"):
            data["atmp_type"] = self.cleaned_data["atmp_type"]
        return data
