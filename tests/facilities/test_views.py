"""The public pages: map with list and filters, facility page, country view, export."""

import csv
import io

import pytest
from openpyxl import load_workbook

from facilities import population
from facilities.models import Facility, FacilityStatus
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread():
    return {
        "berlin": make_facility("Berlin Cell Unit", city="Berlin", authorisations=["mia_imp"]),
        "munich": make_facility("Munich Vector Lab", city="Munich", atmp_categories="|gtmp|viral_vector|"),
        "paris": make_facility(
            "Paris CAR-T Platform",
            city="Paris",
            atmp_categories="|car_t|",
            services_to_third_parties=True,
            authorisations=["hospital_exemption"],
        ),
        "draft": make_facility("Oslo Draft Unit", city="Oslo", status=FacilityStatus.DRAFT),
    }


def listed(response) -> set[str]:
    return {f.name for f in response.context["page_obj"]}


def test_map_page_lists_published_facilities_and_loads_the_map_assets(client, spread):
    response = client.get("/facilities/")
    assert response.status_code == 200
    assert listed(response) == {"Berlin Cell Unit", "Munich Vector Lab", "Paris CAR-T Platform"}
    html = response.content.decode()
    assert "leaflet/leaflet.js" in html and "leaflet.markercluster.js" in html and "facilities/map.js" in html
    assert "cdn" not in html.lower()
    # The only inline script is django-leaflet's, and it carries the CSP nonce.
    nonce = response.wsgi_request.csp_nonce
    assert f'<script nonce="{nonce}">' in html
    assert html.count("<script>") == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=DE", {"Berlin Cell Unit", "Munich Vector Lab"}),
        ("country=DE&country=FR", {"Berlin Cell Unit", "Munich Vector Lab", "Paris CAR-T Platform"}),
        ("atmp_type=gtmp", {"Munich Vector Lab"}),
        ("authorisation=mia_imp", {"Berlin Cell Unit"}),
        ("services=yes", {"Paris CAR-T Platform"}),
        ("services=no", {"Berlin Cell Unit", "Munich Vector Lab"}),
        ("q=vector", {"Munich Vector Lab"}),
        ("in_bbox=0,40,12,50", {"Paris CAR-T Platform", "Munich Vector Lab"}),
        ("activity=fill_finish", set()),
    ],
)
def test_filters_narrow_the_list(client, spread, query, expected):
    assert listed(client.get(f"/facilities/?{query}")) == expected


@pytest.mark.parametrize(
    "query",
    [
        "country=ZZ",
        "atmp_type=unicorn",
        "in_bbox=1,2",
        "in_bbox=a,b,c,d",
        "in_bbox=10,10,0,0",
        "page=abc",
        "sort=drop table",
        "in_bbox=nan,1,2,3",
        "services=maybe",
        "q=" + "x" * 500,
    ],
)
def test_malformed_filters_never_fail_the_page(client, spread, query):
    response = client.get(f"/facilities/?{query}")
    assert response.status_code == 200


def test_malformed_filter_is_reported_and_ignored(client, spread):
    response = client.get("/facilities/?in_bbox=1,2&country=DE")
    assert "in_bbox" in response.content.decode() and "not understood" in response.content.decode()
    assert listed(response) == {"Berlin Cell Unit", "Munich Vector Lab"}


def test_partial_list_for_the_map_script(client, spread):
    response = client.get("/facilities/?country=FR", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Paris CAR-T Platform" in html and "Berlin Cell Unit" not in html


def test_empty_result_shows_an_empty_state(client, spread):
    html = client.get("/facilities/?country=IT").content.decode()
    assert "No facility matches these filters" in html


def test_curators_also_see_drafts(client_for, spread):
    response = client_for("curator").get("/facilities/")
    assert "Oslo Draft Unit" in listed(response)


def test_facility_page_shows_capabilities_status_and_a_small_map(client, spread):
    response = client.get(spread["paris"].get_absolute_url())
    html = response.content.decode()
    assert "Paris CAR-T Platform" in html and "CAR-T / TCR-T cells" in html
    assert "Hospital-exemption manufacturing" in html
    assert 'id="facility-map"' in html and "facilities/detail.js" in html


def test_facility_page_by_number_redirects_to_the_slug(client, spread):
    response = client.get(f"/facilities/{spread['berlin'].pk}/")
    assert response.status_code == 301 and response["Location"] == spread["berlin"].get_absolute_url()


def test_draft_facility_page_is_hidden_from_the_public(client, client_for, spread):
    assert client.get(spread["draft"].get_absolute_url()).status_code == 404
    assert client_for("curator").get(spread["draft"].get_absolute_url()).status_code == 200


def test_country_view_counts_per_million_and_shows_the_gaps(client, spread):
    response = client.get("/facilities/countries/")
    rows = {r["code"]: r for r in response.context["rows"]}
    assert rows["DE"]["count"] == 2
    assert rows["DE"]["per_million"] == round(2 * 1_000_000 / population.POPULATION["DE"], 2)
    assert rows["NO"]["count"] == 0  # the draft does not count
    assert "MT" in {r["code"] for r in response.context["without_any"]}
    assert set(population.EU_EEA) <= set(rows)
    html = response.content.decode()
    assert "Eurostat" in html and "tps00001" in html and "2024-01-01" in html
    assert 'id="choropleth"' in html and "vendor/world-atlas/countries-50m.json" in html
    # Every country is labelled in the table beside the map.
    for code in population.EU_EEA:
        assert f">{rows[code]['name']}<" in html
    assert [c["label"] for c in response.context["classes"]] == [
        "None",
        "over 0 to 0.05",
        "over 0.05 to 0.1",
        "over 0.1 to 0.15",
        "over 0.15 to 0.2",
    ]


def test_country_view_metric_switch_and_htmx_partial(client, spread):
    from facilities.hub_models import ServiceOffer

    ServiceOffer.objects.create(facility=spread["paris"], services="|gmp_manufacturing|")
    response = client.get("/facilities/countries/?metric=services")
    rows = {r["code"]: r for r in response.context["rows"]}
    assert (rows["FR"]["count"], rows["DE"]["count"]) == (1, 0)
    response = client.get("/facilities/countries/?metric=capability&capability=atmp:car_t", HTTP_HX_REQUEST="true")
    assert "<html" not in response.content.decode() and "facilities with CAR-T" in response.content.decode()
    assert {r["code"]: r["count"] for r in response.context["rows"]}["FR"] == 1
    # A bogus metric or capability falls back instead of failing.
    assert client.get("/facilities/countries/?metric=x&capability=y").status_code == 200
    assert client.get("/facilities/countries/?metric=capability&capability=nope").status_code == 200


@pytest.mark.parametrize("sort", ["name", "-name", "count", "-count", "per_million", "population", "bogus"])
def test_country_view_sorts(client, spread, sort):
    response = client.get(f"/facilities/countries/?sort={sort}")
    assert response.status_code == 200
    names = [r["name"] for r in response.context["rows"]]
    if sort == "name":
        assert names == sorted(names)


def test_export_csv_and_xlsx_follow_the_filters(client, spread):
    response = client.get("/facilities/export/?country=DE&format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {r["name"] for r in rows} == {"Berlin Cell Unit", "Munich Vector Lab"}
    response = client.get("/facilities/export/?atmp_type=car_t&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    name_column = values[0].index("name")
    assert [row[name_column] for row in values[1:]] == ["Paris CAR-T Platform"]


def test_export_never_contains_drafts_for_the_public(client, spread):
    body = client.get("/facilities/export/?format=csv").content.decode()
    assert "Oslo Draft Unit" not in body
    assert Facility.objects.filter(name="Oslo Draft Unit").exists()


def test_legend_steps_are_round_and_cover_the_highest_value():
    from facilities.country_views import class_of, legend_classes

    classes = legend_classes([0.0, 0.1, 0.73])
    assert [c["high"] for c in classes[1:]] == [0.2, 0.4, 0.6, 0.8]
    assert [class_of(v, classes) for v in (0.0, 0.1, 0.2, 0.21, 0.73, None)] == [0, 1, 1, 2, 4, None]
    assert [c["high"] for c in legend_classes([9.0])[1:]] == [2.5, 5.0, 7.5, 10.0]
