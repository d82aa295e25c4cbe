from django import forms

from .models import ExpertProfile


class ExpertProfileForm(forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["display_name", "affiliation", "country", "stakeholder_type", "expertise", "bio", "is_public"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
