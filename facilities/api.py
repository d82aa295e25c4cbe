"""GeoJSON (and CSV) API of the public facility map: /api/facilities/."""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import quote_etag
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from platform_site.api_contract import error_sentence
from platform_site.api_filters import EmptyValuesMeanNoFilter
from platform_site.permissions import is_curator
from platform_site.spreadsheets import safe_cell

from . import geo
from .filters import FacilityFilterSet
from .gaps_api import CapabilityGapViewSet
from .models import Facility


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class FacilityCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        import csv
        import io

        buffer = io.StringIO()
        if isinstance(data, dict) and "features" not in data and "rows" not in data:
            # An error body (e.g. invalid filters): one plain sentence.
            return (error_sentence(data) + "\n").encode()
        writer = csv.DictWriter(buffer, fieldnames=geo.CSV_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        # Names and websites are typed by contributors: no cell may start a formula.
        writer.writerows({key: safe_cell(value) for key, value in row.items()} for row in data["rows"])
        return buffer.getvalue().encode()


class FacilityPropertiesSerializer(serializers.Serializer):
    """Documentation only: the properties of each feature (built by geo.facility_records).

    With `?view=map` a feature carries only slug, name and institution_type."""

    id = serializers.IntegerField(required=False)
    slug = serializers.CharField()
    name = serializers.CharField()
    institution = serializers.CharField(required=False)
    institution_type = serializers.CharField()
    institution_type_label = serializers.CharField(required=False)
    city = serializers.CharField(required=False)
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2", required=False)
    country_name = serializers.CharField(required=False)
    atmp_types = serializers.ListField(
        child=serializers.CharField(), help_text="Codes, e.g. gtmp, car_t", required=False
    )
    atmp_type_labels = serializers.ListField(child=serializers.CharField(), required=False)
    activities = serializers.ListField(
        child=serializers.CharField(), help_text="Codes, e.g. qc_testing", required=False
    )
    activity_labels = serializers.ListField(child=serializers.CharField(), required=False)
    authorisations = serializers.ListField(
        child=serializers.CharField(), help_text="Short labels, e.g. MIA (IMP)", required=False
    )
    services_to_third_parties = serializers.BooleanField(required=False)
    website = serializers.CharField(required=False)
    is_demo = serializers.BooleanField(help_text="A fictional record of the demo data", required=False)
    url = serializers.CharField(help_text="The facility's page", required=False)


class FacilityPointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(child=serializers.FloatField(), help_text="[longitude, latitude] (WGS 84)")


class FacilityFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.IntegerField()
    geometry = FacilityPointSerializer()
    properties = FacilityPropertiesSerializer()


@extend_schema_serializer(many=False)  # one FeatureCollection object, not a list of them
class FacilityFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = FacilityFeatureSerializer(many=True)


_feature = FacilityFeatureSerializer
_collection = FacilityFeatureCollectionSerializer


class FacilityViewSet(viewsets.GenericViewSet):
    """Published ATMP GMP facilities as GeoJSON; curators also see drafts."""

    permission_classes = [AllowAny]
    filter_backends = [EmptyValuesMeanNoFilter]
    filterset_class = FacilityFilterSet
    pagination_class = None
    renderer_classes = [GeoJSONRenderer, JSONRenderer, FacilityCSVRenderer]
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = Facility.objects.none()

    def get_queryset(self):
        return Facility.objects.visible_to(self.request.user)

    @extend_schema(
        summary="Facilities as a GeoJSON FeatureCollection (or CSV with ?format=csv)",
        description=(
            "All facilities matching the filters, unpaginated (the map shows them all). "
            "`in_bbox=min_lon,min_lat,max_lon,max_lat` limits to a bounding box, as in djangorestframework-gis. "
            "Responses carry an ETag; send If-None-Match to get 304 Not Modified."
        ),
        parameters=[
            OpenApiParameter("format", str, enum=["geojson", "json", "csv"], description="Response format."),
            OpenApiParameter(
                "view",
                str,
                enum=["full", "map"],
                description="`map`: only slug, name and institution_type per feature (for drawing many markers).",
            ),
        ],
        responses={
            200: OpenApiResponse(_collection, description="GeoJSON FeatureCollection (CSV with ?format=csv)"),
            304: OpenApiResponse(description="Not modified since the ETag sent in If-None-Match"),
            400: OpenApiResponse(description="Invalid filter values, with a message per parameter"),
        },
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        etag = self._etag(request, queryset)
        if etag in _if_none_match(request):
            return self._cached(Response(status=304), etag)
        renderer = request.accepted_renderer
        if renderer.format == "csv":
            response = Response({"rows": geo.csv_rows(geo.facility_records(queryset))})
            response["Content-Disposition"] = 'attachment; filename="facilities.csv"'
            return self._cached(response, etag)
        # The body is a function of the ETag alone (data version, query, format, audience): keep
        # the rendered bytes, so the next request for the same map costs one cache read.
        key = "facilities:api:" + etag.strip('"')
        body = cache.get(key)
        if body is None:
            build = geo.map_collection if request.query_params.get("view") == "map" else geo.feature_collection
            with _gc_paused():
                body = renderer.render(build(queryset), renderer.media_type, self.get_renderer_context())
            cache.set(key, body, settings.FACILITIES_API_CACHE_SECONDS)
        return self._cached(HttpResponse(body, content_type=renderer.media_type), etag)

    @extend_schema(
        summary="One facility as a GeoJSON Feature",
        responses={200: OpenApiResponse(_feature), 404: OpenApiResponse(description="No such public facility")},
    )
    def retrieve(self, request, *args, **kwargs):
        facility = get_object_or_404(self.get_queryset(), slug=kwargs["slug"])
        one = Facility.objects.filter(pk=facility.pk)
        if request.accepted_renderer.format == "csv":
            return Response({"rows": geo.csv_rows(geo.facility_records(one))})
        return Response(geo.feature(one))

    def _etag(self, request, queryset) -> str:
        # The same data renders differently per format and per query; drafts differ for curators.
        audience = "curator" if is_curator(request.user) else "public"
        raw = f"{geo.data_version(queryset)}|{request.accepted_renderer.format}|{request.GET.urlencode()}|{audience}"
        return quote_etag(hashlib.sha256(raw.encode()).hexdigest()[:32])

    @staticmethod
    def _cached(response, etag: str):
        response["ETag"] = etag
        response["Cache-Control"] = "max-age=60, must-revalidate"
        response["Vary"] = "Accept, Cookie"
        return response


@contextmanager
def _gc_paused():
    """Building 10,000 features allocates ~100,000 containers, which triggers repeated full
    garbage-collector passes over all of them; none of it is cyclic garbage, so pausing the
    collector for these few hundred ms saves about a third of the time (bench/facilities)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _if_none_match(request) -> list[str]:
    header = request.headers.get("If-None-Match", "")
    return [tag.strip() for tag in header.split(",") if tag.strip()]


ROUTES = [("facilities", FacilityViewSet, "facility"), ("facility-gaps", CapabilityGapViewSet, "facility-gap")]
