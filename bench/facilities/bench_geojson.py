"""GeoJSON of 10,000 facilities against its floor: json.dumps of the very same FeatureCollection.

Run: make bench BENCH=bench/facilities/bench_geojson.py
"""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from facilities import geo
from facilities.models import Facility

from .conftest import N_FACILITIES


def _payload():
    return geo.feature_collection(Facility.objects.public())


@pytest.mark.benchmark(group="facilities-geojson")
def test_floor_json_dumps_of_the_same_feature_collection(benchmark, ten_thousand):
    payload = _payload()
    assert len(payload["features"]) == N_FACILITIES
    benchmark(lambda: json.dumps(payload).encode())


@pytest.mark.benchmark(group="facilities-geojson")
def test_building_the_feature_collection_from_the_database(benchmark, ten_thousand):
    benchmark(_payload)


@pytest.mark.benchmark(group="facilities-geojson")
def test_geojson_api_response_cold(benchmark, ten_thousand):
    """Every request builds and renders the collection (as after any edit): the body cache is emptied."""
    client = Client()

    def request():
        cache.clear()
        response = client.get("/api/facilities/")
        assert response.status_code == 200
        return response

    response = benchmark(request)
    assert len(json.loads(response.content)["features"]) == N_FACILITIES


@pytest.mark.benchmark(group="facilities-geojson")
def test_geojson_api_response_warm(benchmark, ten_thousand):
    """A second visitor with no ETag: the rendered body comes from the cache (key = ETag)."""
    client = Client()
    client.get("/api/facilities/")
    response = benchmark(lambda: client.get("/api/facilities/"))
    assert response.status_code == 200 and len(response.content) > 1_000_000


@pytest.mark.benchmark(group="facilities-geojson")
def test_geojson_api_revalidation_304(benchmark, ten_thousand):
    client = Client()
    etag = client.get("/api/facilities/")["ETag"]
    benchmark(lambda: client.get("/api/facilities/", HTTP_IF_NONE_MATCH=etag))


@pytest.mark.benchmark(group="facilities-geojson-map-view")
def test_floor_json_dumps_of_the_map_view(benchmark, ten_thousand):
    payload = geo.map_collection(Facility.objects.public())
    benchmark(lambda: json.dumps(payload).encode())


@pytest.mark.benchmark(group="facilities-geojson-map-view")
def test_geojson_map_view_cold(benchmark, ten_thousand):
    client = Client()

    def request():
        cache.clear()
        response = client.get("/api/facilities/?view=map")
        assert response.status_code == 200
        return response

    benchmark(request)
