"""Per-field visibility: what anonymous visitors, pending members, experts, the owner and curators see.

Every controlled field is tried at every level, on the profile page and in the API, and through
the directory's filters and search (a hidden value must not be findable either).
"""

import re

import pytest
from django.core.files.base import ContentFile

from experts.models import ExpertiseArea
from experts.visibility import CONTROLLED_FIELDS, Visibility

pytestmark = pytest.mark.django_db

VIEWERS = ("anonymous", "pending", "expert", "owner", "curator")
SEES = {
    Visibility.EVERYONE: set(VIEWERS),
    Visibility.EXPERTS: {"expert", "owner", "curator"},
    Visibility.HIDDEN: {"owner", "curator"},
}

# field -> text that appears on the profile page (and in the API) when the field is shown
MARKERS = {
    "title": "TitleMarker",
    "affiliation": "InstitutionMarker",
    "country": "Iceland",
    "stakeholder_type": "Ethics committee",
    "expertise": "ExpertiseMarker",
    "languages": "Basque",
    "orcid": "0000-0002-1825-0097",
    "website": "website-marker.example.org",
    "bio": "BioMarker",
    "photo": "/photo/?v=",
    "availability": "Speaking",
}
API_MARKERS = {**MARKERS, "country": '"IS"', "stakeholder_type": "ethics_committee", "languages": '"eu"',
               "availability": "speaking", "photo": "/photo/"}  # fmt: skip


def _full_profile(owner, level):
    profile = owner.profile
    for name, value in {
        "display_name": "Olga Owner",
        "is_public": True,
        "title": "TitleMarker",
        "affiliation": "InstitutionMarker",
        "country": "IS",
        "stakeholder_type": "ethics_committee",
        "expertise": "ExpertiseMarker",
        "atmp_types": ["tep"],
        "languages": ["eu"],
        "orcid": "0000-0002-1825-0097",
        "website": "https://website-marker.example.org",
        "bio": "BioMarker in **bold**",
        "availability": ["speaking"],
    }.items():
        setattr(profile, name, value)
    profile.photo.save("x.jpg", ContentFile(b"not shown here"), save=False)
    for field in CONTROLLED_FIELDS:
        setattr(profile, f"{field}_visibility", level)
    profile.save()
    profile.expertise_areas.set(ExpertiseArea.objects.filter(slug="ethics"))
    return profile


def test_every_controlled_field_has_a_marker():
    assert set(MARKERS) == set(CONTROLLED_FIELDS)


@pytest.mark.parametrize("level", list(Visibility))
@pytest.mark.parametrize("field", list(CONTROLLED_FIELDS))
def test_field_visibility_on_the_page_and_in_the_api(cast, client_for, field, level):
    profile = _full_profile(cast["owner"], Visibility.EVERYONE)
    setattr(profile, f"{field}_visibility", level)
    profile.save()
    for viewer in VIEWERS:
        client = client_for(viewer)
        page = client.get(profile.get_absolute_url()).content.decode()
        api = client.get(f"/api/experts/{profile.pk}/").content.decode()
        expected = viewer in SEES[level]
        assert (MARKERS[field] in page) == expected, (viewer, "page")
        assert (API_MARKERS[field] in api) == expected, (viewer, "api")


def test_the_email_address_is_shown_to_curators_only(cast, client_for):
    profile = _full_profile(cast["owner"], Visibility.EVERYONE)
    for viewer in VIEWERS:
        client = client_for(viewer)
        page = client.get(profile.get_absolute_url()).content.decode()
        # The owner's own address is in their account menu; the profile itself never shows it to them.
        shown = "owner@example.org" in page.split('<main id="main"')[1] and "E-mail (curators only)" in page
        in_api = client.get(f"/api/experts/{profile.pk}/").json()["email"] == "owner@example.org"
        assert shown == in_api == (viewer == "curator"), viewer


@pytest.mark.parametrize(
    "field, query",
    [
        ("country", "country=IS"),
        ("stakeholder_type", "stakeholder_type=ethics_committee"),
        ("expertise", "area=ethics"),
        ("expertise", "atmp_type=tep"),
        ("languages", "language=eu"),
        ("availability", "availability=speaking"),
        ("bio", "q=BioMarker"),
        ("affiliation", "q=InstitutionMarker"),
        ("expertise", "q=ExpertiseMarker"),
    ],
)
def test_a_value_hidden_from_a_viewer_cannot_be_found_by_filtering(cast, client_for, field, query):
    profile = _full_profile(cast["owner"], Visibility.EVERYONE)
    setattr(profile, f"{field}_visibility", Visibility.EXPERTS)
    profile.save()
    for viewer in VIEWERS:
        client = client_for(viewer)
        found_api = [p["id"] for p in client.get(f"/api/experts/?{query}").json()["results"]]
        found_page = "Olga Owner" in client.get(f"/experts/?{query}").content.decode()
        expected = viewer in SEES[Visibility.EXPERTS]
        assert (profile.pk in found_api) == found_page == expected, viewer
    # Nor do the facet counts beside the filters.
    name, value = query.split("=")
    if name != "q":
        assert f'name="{name}" value="{value}"' not in client_for("anonymous").get("/experts/").content.decode()
        assert f'name="{name}" value="{value}"' in client_for("expert").get("/experts/").content.decode()


EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def test_no_email_address_in_any_anonymous_page_or_api_response(cast, client):
    from django.core.management import call_command

    call_command("load_demo")
    _full_profile(cast["owner"], Visibility.EVERYONE)
    from experts.models import ExpertProfile
    from trials.models import Product

    urls = ["/", "/experts/", "/experts/?q=demo", "/api/experts/", "/api/experts/?page_size=100"]
    for profile in ExpertProfile.objects.public():
        urls += [profile.get_absolute_url(), f"/api/experts/{profile.pk}/"]
    urls += [p.get_absolute_url() for p in Product.objects.public()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        found = set(EMAIL.findall(response.content.decode())) - {"no-reply@atmp-platform.invalid"}
        assert not found, (url, found)


@pytest.mark.parametrize("level", list(Visibility))
def test_the_photo_file_is_served_only_to_viewers_its_visibility_allows(cast, client_for, level):
    profile = _full_profile(cast["owner"], Visibility.EVERYONE)
    profile.photo_visibility = level
    profile.save()
    for viewer in VIEWERS:
        response = client_for(viewer).get(f"/experts/{profile.pk}/photo/")
        assert response.status_code == (200 if viewer in SEES[level] else 404), viewer
