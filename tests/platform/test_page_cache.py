"""Anonymous public pages come from a cache keyed by the data's version: a write is visible at once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.facilities.helpers import make_facility
from tests.trials.factories import ProductFactory, TrialFactory


def nonce_in_header(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


@pytest.mark.django_db
def test_trial_list_is_cached_until_a_trial_changes(client):
    TrialFactory(title="First fictional study")
    url = reverse("trials:trial_list") + "?q=fictional"
    first, second = client.get(url), client.get(url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    TrialFactory(title="Second fictional study")
    third = client.get(url)
    assert third["X-Page-Cache"] == "miss"
    assert "Second fictional study" in third.content.decode()


@pytest.mark.django_db
def test_map_page_is_invalidated_by_a_facility_write_and_keeps_a_valid_nonce(client):
    make_facility("Cached GMP Unit")
    url = reverse("facilities:map")
    client.get(url)
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    nonce = nonce_in_header(hit)
    assert f'nonce="{nonce}"' in hit.content.decode()  # the inline map script still runs
    make_facility("Brand-new GMP Unit", city="Paris")
    assert client.get(url)["X-Page-Cache"] == "miss"
    # A partial update of the same URL is cached apart from the full page.
    partial = client.get(url, HTTP_X_PARTIAL="1")
    assert partial["X-Page-Cache"] == "miss"
    full = client.get(url)
    assert full["X-Page-Cache"] == "hit" and full.content != partial.content
    assert client.get(url, HTTP_HX_REQUEST="true")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_home_counts_follow_products_facilities_and_experts(client, cast):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    ProductFactory(name="DEMO-NEW-PRODUCT")
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    make_facility("Counted GMP Unit")
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    profile = cast["pending"].profile
    profile.approved_at = cast["expert"].profile.approved_at
    profile.save()
    assert client.get("/")["X-Page-Cache"] == "miss"


@pytest.mark.django_db
def test_logged_in_visitors_and_sessions_are_never_served_from_the_cache(client_for):
    for role in ("pending", "expert", "curator"):
        client = client_for(role)
        for _ in range(2):
            assert not client.get(reverse("trials:trial_list")).has_header("X-Page-Cache")
