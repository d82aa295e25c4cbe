from django import forms

from .models import ExpertProfile, KnowledgeArticle


class ExpertProfileForm(forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = [
            "display_name", "affiliation", "country", "stakeholder_type", "expertise_areas", "atmp_types",
            "expertise", "availability", "accepts_questions", "bio", "is_public",
        ]  # fmt: skip
        widgets = {"bio": forms.Textarea(attrs={"rows": 5}), "expertise_areas": forms.CheckboxSelectMultiple}


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
