"""Forms for knowledge items; every form is saved through a service function."""

from __future__ import annotations

import zoneinfo

from django import forms
from django.contrib.auth import get_user_model
from django.forms import inlineformset_factory
from django.utils import timezone

from .models import (
    Answer,
    AnswerComment,
    CaseStudy,
    CaseStudyExpert,
    CountrySwot,
    Event,
    Hurdle,
    Milestone,
    NewsPost,
    NotificationPreference,
    Question,
    RegulatoryRoute,
    Resource,
)
from .models.events import TIME_ZONES

SMALL_TEXT = forms.Textarea(attrs={"rows": 3})


def _https_urls(field, **kwargs):
    """Links typed without a scheme are read as https (Django 6's default; no deprecation warning)."""
    from django.db import models

    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class CaseStudyForm(forms.ModelForm):
    class Meta:
        model = CaseStudy
        fields = ["title", "summary", "atmp_type", "indication", "stage", "product", "lessons"]
        widgets = {"lessons": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from trials.models import Product

        # Only products the author may see can be linked.
        self.fields["product"].queryset = Product.objects.visible_to(user).only("name").order_by("name")


class ExpertLinkForm(forms.ModelForm):
    expert = forms.EmailField(label="Expert's e-mail address")

    class Meta:
        model = CaseStudyExpert
        fields = ["expert", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["expert"] = self.instance.expert.email

    def clean_expert(self):
        from platform_site.permissions import is_expert

        email = self.cleaned_data["expert"].lower()
        user = get_user_model().objects.filter(email=email).first()
        if user is None or not is_expert(user):
            raise forms.ValidationError("No approved expert has this e-mail address.")
        return user

    def save(self, commit=True):
        if "expert" in self.changed_data:
            self.instance.confirmed_at = None  # a different person confirms afresh
        return super().save(commit)


def _formset(model, fields, widgets=None, form=forms.ModelForm):
    return inlineformset_factory(
        CaseStudy, model, form=form, fields=fields, widgets=widgets or {}, extra=1, can_delete=True
    )


MilestoneFormSet = _formset(Milestone, ["date", "stage", "event"], {"date": forms.DateInput(attrs={"type": "date"})})
RouteFormSet = _formset(
    RegulatoryRoute,
    ["country", "authority", "scientific_advice", "hospital_exemption", "prime", "orphan_designation", "outcome"],
)
SwotFormSet = _formset(
    CountrySwot,
    ["country", *CountrySwot.QUADRANTS],
    dict.fromkeys(CountrySwot.QUADRANTS, SMALL_TEXT),
)
HurdleFormSet = _formset(Hurdle, ["category", "description"], {"description": SMALL_TEXT})
ExpertFormSet = _formset(CaseStudyExpert, ["expert", "role"], form=ExpertLinkForm)

CASE_FORMSETS = [
    ("milestones", "Timeline", MilestoneFormSet),
    ("routes", "Regulatory route per country", RouteFormSet),
    ("swots", "SWOT per country", SwotFormSet),
    ("hurdles", "Hurdles", HurdleFormSet),
    ("expert_links", "Experts involved (they confirm before they are shown)", ExpertFormSet),
]


def case_formsets(data=None, instance=None):
    return [(title, cls(data, instance=instance, prefix=prefix)) for prefix, title, cls in CASE_FORMSETS]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve and publish"), ("reject", "Reject")])
    comment = forms.CharField(required=False, widget=SMALL_TEXT, max_length=2000)


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email_frequency"]
        widgets = {"email_frequency": forms.RadioSelect}


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["title", "body", "topics", "atmp_type", "audience"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "topics": forms.CheckboxSelectMultiple}


class AnswerForm(forms.ModelForm):
    class Meta:
        model = Answer
        fields = ["body"]
        labels = {"body": "Your answer"}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class CommentForm(forms.ModelForm):
    class Meta:
        model = AnswerComment
        fields = ["body"]
        labels = {"body": "Comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}


class ResourceForm(forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = Resource
        fields = [
            "title", "kind", "country", "authority", "description", "topics", "source_url",
            "scientific_advice", "innovation_office", "academic_fee_reduction", "languages",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = Resource.objects.public().filter(kind="authority")


class EventForm(forms.ModelForm):
    """Dates are typed in the event's own time zone and stored in UTC."""

    time_zone = forms.ChoiceField(choices=[(tz, tz) for tz in TIME_ZONES], initial="Europe/Brussels")
    starts_at = forms.DateTimeField(label="Starts (in the event's time zone)",
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip
    ends_at = forms.DateTimeField(label="Ends (in the event's time zone)",
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))  # fmt: skip

    class Meta:
        formfield_callback = _https_urls
        model = Event
        fields = ["title", "kind", "description", "time_zone", "starts_at", "ends_at", "online_url", "place",
                  "organiser", "topics", "is_published"]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "topics": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            fmt = "%Y-%m-%dT%H:%M"
            self.initial["starts_at"] = self.instance.local_start.strftime(fmt)
            self.initial["ends_at"] = self.instance.local_end.strftime(fmt)

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in ("starts_at", "ends_at"):
                if data.get(name):
                    data[name] = timezone.make_aware(timezone.make_naive(data[name]), zone)
                    setattr(self.instance, name, data[name])
        return data


class NewsForm(forms.ModelForm):
    publish = forms.BooleanField(required=False, help_text="Publish now; leave unticked to keep a draft.")

    class Meta:
        model = NewsPost
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish"].initial = self.instance.published_at is not None
