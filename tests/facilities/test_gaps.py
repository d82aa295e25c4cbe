"""Capability gaps: what no facility in a country has, and the nearest facility abroad that has it."""

import pytest

from facilities.hub_queries import CAPABILITIES, capability_gaps
from tests.facilities.helpers import make_facility

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    make_facility("Berlin Cell Unit", city="Berlin", atmp_categories="|car_t|", activities="|qc_testing|")
    make_facility("Paris Vector Unit", city="Paris", atmp_categories="|gtmp|", activities="|viral_vector_production|")
    make_facility("Madrid Vector Unit", city="Madrid", atmp_categories="|gtmp|", activities="")
    make_facility("Oslo Draft", city="Oslo", atmp_categories="|tep|", activities="", status="draft")


def _gaps(country: str) -> dict:
    [row] = [r for r in capability_gaps() if r["country"] == country]
    return {g["capability"]: g["nearest"] for g in row["gaps"]}


def test_a_country_lacks_what_its_facilities_do_not_have_and_gets_the_nearest_abroad(sites):
    germany = _gaps("DE")
    assert "atmp:car_t" not in germany and "activity:qc_testing" not in germany
    # Paris (878 km from Berlin) is nearer than Madrid (1,869 km).
    assert germany["atmp:gtmp"]["name"] == "Paris Vector Unit"
    assert germany["atmp:gtmp"]["distance_km"] == pytest.approx(878, abs=3)
    assert germany["atmp:tep"] is None  # only a draft has it: none in Europe


def test_nearest_abroad_is_never_in_the_country_itself(sites):
    spain = _gaps("ES")
    assert "atmp:gtmp" not in spain
    assert spain["atmp:car_t"]["country"] == "DE"
    france = _gaps("FR")
    assert france["atmp:car_t"]["name"] == "Berlin Cell Unit"


def test_a_country_with_no_facility_lacks_every_capability(sites):
    assert len(_gaps("MT")) == len(CAPABILITIES)
    # Malta's nearest GTMP site is the nearer of Paris and Madrid by great circle from Valletta.
    assert _gaps("MT")["atmp:gtmp"]["name"] in {"Paris Vector Unit", "Madrid Vector Unit"}


def test_gaps_api_and_page(sites, client):
    body = client.get("/api/facility-gaps/").json()
    germany = next(r for r in body if r["country"] == "DE")
    assert {"capability": "atmp:gtmp", "label": "GTMP (gene therapy)"}.items() <= next(
        g for g in germany["gaps"] if g["capability"] == "atmp:gtmp"
    ).items()
    page = client.get("/facilities/gaps/").content.decode()
    assert "Paris Vector Unit" in page and "Malta" in page
