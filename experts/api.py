"""/api/experts/: the directory's FilterSet and per-field visibility, read-only.

Anonymous callers get public profiles with the fields their owners show to everyone;
approved experts see the network and experts-only fields; e-mail addresses appear only
for curators. Hidden fields are null, never absent, so the schema holds for every caller.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from .filters import ExpertFilter
from .models import ExpertProfile
from .visibility import shown_profile


class AreaSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ExpertiseSerializer(serializers.Serializer):
    areas = AreaSerializer(many=True)
    atmp_types = serializers.ListField(child=serializers.CharField(), help_text="Codes, as in ?atmp_type=.")
    other = serializers.CharField()


class ExpertSerializer(serializers.Serializer):
    """A profile as the caller may see it (experts.visibility.ShownProfile)."""

    id = serializers.IntegerField(source="pk")
    url = serializers.CharField(source="get_absolute_url")
    name = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    institution = serializers.CharField(source="affiliation", allow_null=True)
    country = serializers.SerializerMethodField()
    stakeholder_type = serializers.SerializerMethodField(help_text="Code, as in ?stakeholder_type=.")
    expertise = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField(help_text="ISO 639-1 codes.")
    orcid = serializers.SerializerMethodField()
    website = serializers.CharField(allow_null=True)
    bio = serializers.CharField(allow_null=True, help_text="Markdown.")
    photo = serializers.CharField(allow_null=True, help_text="URL of the photo, if shown to the caller.")
    availability = serializers.SerializerMethodField(help_text="Codes, as in ?availability=.")
    email = serializers.EmailField(allow_null=True, help_text="Curators only.")

    @extend_schema_field(OpenApiTypes.STR)
    def get_country(self, shown) -> str | None:
        return shown.country.code if shown.country else (None if shown.country is None else "")

    # Codes rather than the page's labels, so results can be fed back into the filters.
    @extend_schema_field(OpenApiTypes.STR)
    def get_stakeholder_type(self, shown) -> str | None:
        return None if shown.stakeholder_type is None else shown.profile.stakeholder_type

    @extend_schema_field(ExpertiseSerializer(allow_null=True))
    def get_expertise(self, shown):
        if shown.expertise is None:
            return None
        return ExpertiseSerializer({**shown.expertise, "atmp_types": shown.profile.atmp_types}).data

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "nullable": True})
    def get_languages(self, shown):
        return None if shown.languages is None else shown.profile.languages

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "nullable": True})
    def get_availability(self, shown):
        return None if shown.availability is None else shown.profile.availability

    @extend_schema_field(OpenApiTypes.STR)
    def get_orcid(self, shown) -> str | None:
        return f"https://orcid.org/{shown.orcid}" if shown.orcid else shown.orcid

    def to_representation(self, profile):
        return super().to_representation(shown_profile(profile, self.context["request"].user))


@extend_schema_view(
    list=extend_schema(
        summary="The expert directory (same filters as /experts/; fields as their owners chose to show them)",
        responses={200: ExpertSerializer(many=True), 400: OpenApiResponse(description="An unknown filter value.")},
    ),
    retrieve=extend_schema(
        summary="One expert profile",
        responses={200: ExpertSerializer, 404: OpenApiResponse(description="No such profile visible to you.")},
    ),
)
class ExpertViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter

    def get_queryset(self):
        return ExpertProfile.objects.listable_by(self.request.user).for_directory().order_by("display_name", "pk")


ROUTES = [("experts", ExpertViewSet, "expert")]
