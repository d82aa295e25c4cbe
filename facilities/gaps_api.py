"""GET /api/facility-gaps/: per EU/EEA country, the capabilities no facility there has, with the nearest abroad."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import hub_queries


class NearestSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    country_name = serializers.CharField()
    distance_km = serializers.IntegerField(help_text="Great-circle distance from the country's capital")


class GapSerializer(serializers.Serializer):
    capability = serializers.CharField(help_text="atmp:<code> or activity:<code>")
    label = serializers.CharField()
    nearest = NearestSerializer(allow_null=True)


class CountryGapsSerializer(serializers.Serializer):
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2")
    country_name = serializers.CharField()
    gaps = GapSerializer(many=True)


class CapabilityGapViewSet(viewsets.ViewSet):
    """Capability gaps of every EU/EEA country (published facilities only; no personal data)."""

    permission_classes = [AllowAny]
    serializer_class = CountryGapsSerializer

    @extend_schema(responses={200: CountryGapsSerializer(many=True)})
    def list(self, request):
        return Response(hub_queries.capability_gaps())
