from django import forms

from .links import CatalogueRole
from .models import ContactMessage, ExpertProfile, KnowledgeArticle
from .photos import clean_photo
from .validators import normalise_orcid
from .visibility import CONTROLLED_FIELDS, visibility_column

# The profile form, in reading order; each controlled field is followed by its "who sees it" choice.
PROFILE_FIELDS = [
    "display_name", "title", "affiliation", "country", "stakeholder_type", "expertise_areas", "atmp_types",
    "expertise", "languages", "orcid", "website", "bio", "availability",
]  # fmt: skip


class ExpertProfileForm(forms.ModelForm):
    photo = forms.FileField(
        required=False,
        help_text="JPEG, PNG or WebP. It is resized and stored without its metadata (camera, place, date).",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my photo")
    website = forms.URLField(required=False, max_length=300, assume_scheme="https")
    # Longer than the stored iD: people paste the https://orcid.org/ link, which clean_orcid trims.
    orcid = forms.CharField(
        label="ORCID iD", required=False, max_length=60, help_text="e.g. 0000-0002-1825-0097 or its orcid.org link."
    )

    class Meta:
        model = ExpertProfile
        fields = [
            *PROFILE_FIELDS,
            "accepts_questions",
            "contact_enabled",
            "is_public",
            *(visibility_column(field) for field in CONTROLLED_FIELDS),
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 5}),
            "expertise_areas": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 8}),
        }
        labels = {"expertise": "Other expertise", "bio": "Short bio"}
        help_texts = {
            "bio": "Markdown: **bold**, *italic*, lists and links. No images or HTML.",
            "expertise": "Anything the areas above do not cover.",
            "languages": "Hold Ctrl (or ⌘) to choose several.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in CONTROLLED_FIELDS.items():
            self.fields[visibility_column(field)].label = f"{label}: who can see it"
        self.order_fields(self._reading_order())

    def _reading_order(self) -> list[str]:
        order = []
        for name in PROFILE_FIELDS:
            order.append(name)
            if name in CONTROLLED_FIELDS:  # "expertise" comes after the areas and types it also covers
                order.append(visibility_column(name))
        return [
            *order,
            "photo",
            "remove_photo",
            "photo_visibility",
            "accepts_questions",
            "contact_enabled",
            "is_public",
        ]

    def clean_orcid(self):
        return normalise_orcid(self.cleaned_data.get("orcid", ""))

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return clean_photo(upload) if upload else None

    def profile_fields(self) -> dict:
        """The cleaned values the service writes onto the profile (expertise areas and photo apart)."""
        excluded = {"expertise_areas", "photo", "remove_photo"}
        return {name: value for name, value in self.cleaned_data.items() if name not in excluded}


class ContactForm(forms.ModelForm):
    class Meta:
        model = ContactMessage
        fields = ["subject", "body", "share_email"]
        labels = {"body": "Message"}
        widgets = {"body": forms.Textarea(attrs={"rows": 8, "maxlength": 5000})}

    def clean_subject(self):
        subject = self.cleaned_data["subject"]
        if "\n" in subject or "\r" in subject:
            raise forms.ValidationError("The subject must fit on one line.")
        return subject


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="What is wrong with this message?", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CatalogueClaimForm(forms.Form):
    role = forms.ChoiceField(choices=CatalogueRole.choices)
    trial = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="The product as a whole", help_text="Or one of its trials."
    )
    note = forms.CharField(
        max_length=300, required=False, help_text="For the curator: how they can check this role (optional)."
    )

    def __init__(self, *args, product, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trial"].queryset = product.trials.all()


class DeleteAccountForm(forms.Form):
    email = forms.EmailField(label="Type your e-mail address to confirm")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email.strip().lower() != self.user.email.lower():
            raise forms.ValidationError("This is not the address of your account.")
        return email


class KnowledgeArticleForm(forms.ModelForm):
    publish = forms.BooleanField(
        required=False, help_text="Publish now. Leave unticked to keep a draft only you and curators can see."
    )

    class Meta:
        model = KnowledgeArticle
        fields = ["title", "summary", "topic", "audience", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish"].initial = self.instance.status == KnowledgeArticle.Status.PUBLISHED

    def save(self, commit: bool = True):
        article = super().save(commit=False)
        if self.cleaned_data["publish"]:
            article.publish()
        else:
            article.status = KnowledgeArticle.Status.DRAFT
        if commit:
            article.save()
        return article
