"""/api/experts/: the directory's FilterSet and per-field visibility, read-only.

Anonymous callers get public profiles with the fields their owners show to everyone;
approved experts see the network and experts-only fields; e-mail addresses appear only
for curators. Hidden fields are null, never absent, so the schema holds for every caller.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
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
    """A profile as the caller may see it (experts.visibility.ShownProfile); a hidden field is null.

    The declared fields document the shape (and drive the schema); the representation is
    built directly, as DRF's per-field machinery cost more than the whole page's SQL.
    Codes rather than the page's labels, so results can be fed back into the filters.
    """

    id = serializers.IntegerField()
    url = serializers.CharField()
    name = serializers.CharField()
    title = serializers.CharField(allow_null=True)
    institution = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True, help_text="ISO 3166 code, as in ?country=.")
    stakeholder_type = serializers.CharField(allow_null=True, help_text="Code, as in ?stakeholder_type=.")
    expertise = ExpertiseSerializer(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField(), allow_null=True, help_text="ISO 639-1 codes.")
    orcid = serializers.URLField(allow_null=True, help_text="The ORCID iD as its https://orcid.org/ link.")
    website = serializers.CharField(allow_null=True)
    bio = serializers.CharField(allow_null=True, help_text="Markdown.")
    photo = serializers.CharField(allow_null=True, help_text="URL of the photo, if shown to the caller.")
    availability = serializers.ListField(child=serializers.CharField(), allow_null=True)
    email = serializers.EmailField(allow_null=True, help_text="Curators only.")

    def to_representation(self, profile):
        shown = shown_profile(profile, self.context["request"].user)

        def when_shown(field, value):
            return None if getattr(shown, field) is None else value

        return {
            "id": profile.pk,
            "url": profile.get_absolute_url(),
            "name": shown.name,
            "title": shown.title,
            "institution": shown.affiliation,
            "country": when_shown("country", profile.country.code or ""),
            "stakeholder_type": when_shown("stakeholder_type", profile.stakeholder_type),
            "expertise": when_shown(
                "expertise",
                {
                    "areas": [{"slug": a.slug, "name": a.name} for a in profile.expertise_areas.all()],
                    "atmp_types": profile.atmp_types,
                    "other": profile.expertise,
                },
            ),
            "languages": when_shown("languages", profile.languages),
            # No iD (or a hidden one) is null: "" is not a URI, and the schema says so.
            "orcid": when_shown("orcid", profile.orcid_url or None),
            "website": shown.website,
            "bio": shown.bio,
            "photo": shown.photo,
            "availability": when_shown("availability", profile.availability),
            "email": shown.email,
        }


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
