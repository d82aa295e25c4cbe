"""API representations. Personal data (PI names, leads, e-mail addresses) is left
out for everyone who may not see it, so the public API never carries it."""

from __future__ import annotations

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
    ProductRevision,
    Trial,
    TrialIdentifier,
    TrialStatus,
)
from .revisions import revision_diff


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


class PendingRevisionSerializer(serializers.ModelSerializer):
    """A change to a published record that waits for a curator; the record stays as it was until then."""

    product = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    detail = serializers.SerializerMethodField()
    diff = serializers.SerializerMethodField()

    class Meta:
        model = ProductRevision
        fields = ["id", "product", "curation_status", "reason", "created_at", "detail", "diff"]

    def get_detail(self, obj) -> str:
        return "The record is published: your change waits for a curator's review; the published version stays public."

    def get_diff(self, obj) -> list[dict]:
        return [
            {"where": row.where, "field": row.label, "published": row.old, "proposed": row.new}
            for row in revision_diff(obj)
        ]
