"""API representations. Personal data (PI names, leads, e-mail addresses) is left
out for everyone who may not see it, so the public API never carries it."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from platform_site.permissions import can_see_personal_data

from . import identifiers, vocabulary
from .models import (
    TRIAL_PERSONAL_FIELDS,
    WP1_FIELDS,
    CurationStatus,
    Phase,
    Product,
    Trial,
    TrialIdentifier,
    TrialStatus,
)


class InlineChoiceField(serializers.CharField):
    """A choice documented inline in the schema: several apps have a "status" or "phase",
    and drf-spectacular's shared enum components would collide by name."""

    def __init__(self, *, choices, **kwargs):
        self.choice_values = [value for value, _label in choices]
        super().__init__(allow_blank=True, required=False, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value and value not in self.choice_values:
            raise serializers.ValidationError(f"“{value}” is not one of: {', '.join(self.choice_values)}.")
        return value


def _inline_choice_class(name: str, choices) -> type[InlineChoiceField]:
    values = [value for value, _label in choices]
    schema = {"type": "string", "enum": [*values, ""], "description": ", ".join(values)}
    field_class = type(name, (InlineChoiceField,), {"default_choices": choices})
    return extend_schema_field(schema, component_name=name)(field_class)


TrialPhaseField = _inline_choice_class("TrialPhase", Phase.choices)
TrialStatusField = _inline_choice_class("TrialStatus", TrialStatus.choices)


class TrialIdentifierSerializer(serializers.ModelSerializer):
    register_url = serializers.CharField(read_only=True)

    class Meta:
        model = TrialIdentifier
        fields = ["registry", "value", "register_url"]


class _PersonalDataMixin:
    def _may_see_personal_data(self) -> bool:
        request = self.context.get("request")
        return bool(request and can_see_personal_data(request.user))


class TrialSerializer(_PersonalDataMixin, serializers.ModelSerializer):
    product = serializers.SlugRelatedField(slug_field="slug", queryset=Product.objects.all())
    identifiers = TrialIdentifierSerializer(many=True, read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    phase = TrialPhaseField(choices=Phase.choices)
    status = TrialStatusField(choices=TrialStatus.choices)
    change_reason = serializers.CharField(
        write_only=True, required=False, max_length=100, help_text="Required when the product is published."
    )

    class Meta:
        model = Trial
        fields = [
            "id",
            "product",
            "column_index",
            "registry_id_text",
            "primary_identifier",
            "identifiers",
            "title",
            "phase",
            "phase_text",
            "status",
            "status_text",
            "status_as_of",
            "sponsor",
            "sponsor_type",
            "sponsor_type_text",
            "lead_study_centre",
            "centre_type",
            "centre_type_text",
            "countries",
            "countries_text",
            "funding",
            "patent_holder",
            "mechanism_known",
            "first_in_human",
            "start_year",
            *TRIAL_PERSONAL_FIELDS,
            "updated_at",
            "change_reason",
        ]
        read_only_fields = ["column_index", "primary_identifier", "start_year", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self._may_see_personal_data():
            for name in TRIAL_PERSONAL_FIELDS:
                data.pop(name, None)
        return data

    def validate_registry_id_text(self, value):
        try:
            identifiers.validate_registry_ids(value)
        except Exception as exc:  # Django's ValidationError -> DRF's
            raise serializers.ValidationError(getattr(exc, "messages", [str(exc)])) from exc
        return value

    def validate_countries_text(self, value):
        _refs, unknown = vocabulary.parse_locations(value)
        if unknown:
            raise serializers.ValidationError(f"Unknown country or region: {', '.join(unknown)}.")
        return value

    @transaction.atomic
    def save_trial(self, **kwargs) -> Trial:
        self.validated_data.pop("change_reason", None)
        trial = self.save(**kwargs)
        found, _errors = identifiers.find_all(trial.registry_id_text) if trial.registry_id_text else ([], [])
        best = identifiers.primary(found)
        trial.primary_identifier = best.value if best else ""
        trial.start_year = identifiers.start_year(found) or trial.start_year
        trial.save(update_fields=["primary_identifier", "start_year", "updated_at"])
        trial.identifiers.all().delete()
        TrialIdentifier.objects.bulk_create(
            [TrialIdentifier(trial=trial, registry=i.registry, value=i.value) for i in found]
        )
        trial.countries.set(vocabulary.locations_for(trial.countries_text)[0])
        return trial


class TrialSummarySerializer(serializers.ModelSerializer):
    phase = TrialPhaseField(choices=Phase.choices, read_only=True)
    status = TrialStatusField(choices=TrialStatus.choices, read_only=True)

    class Meta:
        model = Trial
        fields = ["id", "primary_identifier", "title", "phase", "status", "sponsor", "sponsor_type", "start_year"]


class ProductSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)
    trials = TrialSummarySerializer(many=True, read_only=True)
    origin_locations = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    highest_phase = TrialPhaseField(choices=Phase.choices, read_only=True)
    change_reason = serializers.CharField(
        write_only=True, required=False, max_length=100, help_text="Required when the product is published."
    )

    class Meta:
        model = Product
        fields = [
            "id",
            "slug",
            "url",
            "name",
            "atmp_type",
            "atmp_type_text",
            "category",
            "country_of_origin_text",
            "origin_locations",
            "cell_source",
            "cell_source_text",
            "cell_type",
            "route_of_administration",
            "disease_text",
            "patient_cohort_text",
            "patient_classification",
            "patient_classification_text",
            "target_text",
            "gene_transfer_mode",
            "gene_transfer_mode_text",
            "conducted_trials_text",
            "highest_phase",
            *WP1_FIELDS,
            "sheet_review_status",
            "curation_status",
            "is_demo",
            "updated_at",
            "trials",
            "change_reason",
        ]
        read_only_fields = ["slug", "highest_phase", "curation_status", "is_demo", "updated_at"]

    def validate(self, attrs):
        instance = self.instance
        if instance and instance.curation_status == CurationStatus.PUBLISHED and not attrs.get("change_reason"):
            raise serializers.ValidationError({"change_reason": "Say briefly why you change this published record."})
        return attrs
