import csv
import io

import pytest

from facilities.models import Facility
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db

URL = "/api/facilities/"


@pytest.fixture
def sites():
    return {
        "berlin": make_facility("Berlin unit", city="Berlin", authorisations=["mia_imp"], atmp_categories="|car_t|"),
        "munich": make_facility("Munich unit", city="Munich", services_to_third_parties=True),
        "paris": make_facility("Paris unit", city="Paris", authorisations=["hospital_exemption"]),
        "oslo": make_facility("Oslo unit", city="Oslo", activities="|viral_vector_production|"),
        "draft": make_facility("Draft unit", city="Madrid", status="draft"),
    }


def _ids(response) -> set[int]:
    return {feature["id"] for feature in response.json()["features"]}


def _csv_ids(response) -> set[int]:
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return {int(row["id"]) for row in rows}


def test_geojson_feature_collection_of_public_facilities(client, sites):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert _ids(response) == {f.pk for name, f in sites.items() if name != "draft"}
    berlin = next(f for f in body["features"] if f["id"] == sites["berlin"].pk)
    assert berlin["geometry"] == {"type": "Point", "coordinates": [13.404954, 52.520008]}
    assert berlin["properties"]["authorisations"] == ["MIA (IMP)"]
    assert berlin["properties"]["url"] == sites["berlin"].get_absolute_url()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=DE", {"berlin", "munich"}),
        ("country=DE&country=NO", {"berlin", "munich", "oslo"}),
        ("atmp_type=car_t", {"berlin"}),
        ("activity=viral_vector_production", {"oslo"}),
        ("authorisation=hospital_exemption", {"paris"}),
        ("services=yes", {"munich"}),
        ("in_bbox=5,47,15,55", {"berlin", "munich"}),
        ("in_bbox=-10,40,5,50&country=FR", {"paris"}),
    ],
)
def test_geojson_csv_and_html_list_apply_the_same_filters(client, sites, query, expected):
    wanted = {sites[name].pk for name in expected}
    assert _ids(client.get(f"{URL}?{query}")) == wanted
    csv_response = client.get(f"{URL}?{query}&format=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert _csv_ids(csv_response) == wanted
    page = client.get(f"/facilities/?{query}").content.decode()
    for name, facility in sites.items():
        assert (facility.get_absolute_url() in page) == (name in expected), name


@pytest.mark.parametrize(
    "query",
    ["in_bbox=1,2,3", "in_bbox=a,b,c,d", "in_bbox=10,0,5,1", "in_bbox=nan,0,1,1", "country=ZZ", "atmp_type=<script>"],
)
def test_malformed_filters_are_a_400_with_a_message_not_a_500(client, sites, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert response.json()
    assert client.get(f"{URL}?{query}&format=csv").status_code == 400


def test_etag_gives_304_until_the_data_changes(client, sites):
    first = client.get(URL)
    etag = first["ETag"]
    assert etag and "max-age" in first["Cache-Control"]
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(f"{URL}?country=DE", HTTP_IF_NONE_MATCH=etag).status_code == 200  # another query
    sites["paris"].name = "Paris unit, renamed"
    sites["paris"].save()
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "Paris unit, renamed" in changed.content.decode()  # the server-side body cache is keyed by ETag
    Facility.objects.filter(pk=sites["oslo"].pk).delete()
    assert client.get(URL, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 200


def test_one_facility_as_a_feature_and_drafts_are_not_public(client, sites):
    response = client.get(f"{URL}{sites['berlin'].slug}/")
    assert response.status_code == 200 and response.json()["type"] == "Feature"
    assert client.get(f"{URL}{sites['draft'].slug}/").status_code == 404


def test_api_never_shows_draft_or_personal_fields(client, sites):
    body = client.get(URL).content.decode()
    assert "Draft unit" not in body
    assert "contact_email" not in body


def test_openapi_schema_documents_the_bbox_filter(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    operation = schema["paths"]["/api/facilities/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"in_bbox", "country", "atmp_type", "format"} <= names


def test_map_view_is_a_light_collection_with_the_same_filters(client, sites):
    light = client.get(f"{URL}?view=map&country=DE")
    full = client.get(f"{URL}?country=DE")
    assert _ids(light) == _ids(full) == {sites["berlin"].pk, sites["munich"].pk}
    feature = light.json()["features"][0]
    assert set(feature["properties"]) == {"slug", "name", "institution_type"}
    assert len(light.content) < len(full.content) / 2
    assert light["ETag"] != full["ETag"]
