"""The reusable latitude/longitude picker and the admin form that uses it."""

from decimal import Decimal

import pytest

from facilities.forms import FacilityAdminForm
from facilities.widgets import LatLonField, LatLonWidget
from tests.facilities.helpers import make_facility


def test_widget_renders_two_labelled_inputs_and_a_map_without_inline_script():
    html = LatLonWidget().render("location", (Decimal("52.5"), Decimal("13.4")), attrs={"id": "id_location"})
    assert 'name="location_lat"' in html and 'name="location_lon"' in html
    assert 'value="52.5"' in html and 'value="13.4"' in html
    assert '<label for="id_location_0">Latitude</label>' in html
    assert "data-point-map" in html and "<script" not in html


def test_widget_passes_the_tile_setting(settings):
    settings.MAP_TILE_URL = ""
    html = LatLonWidget().render("location", None)
    assert 'data-tile-url=""' in html


def test_widget_media_is_served_locally():
    media = str(LatLonWidget().media)
    assert "leaflet/leaflet.js" in media and "facilities/point_picker.js" in media and "http" not in media


@pytest.mark.parametrize(
    ("lat", "lon", "ok"),
    [
        ("52.5", "13.4", True),
        ("90", "180", True),
        ("-90", "-180", True),
        ("90.1", "0", False),
        ("0", "-180.5", False),
        ("abc", "1", False),
        ("", "1", False),
        ("1.1234567", "1", False),
    ],
)
def test_field_validates_ranges(lat, lon, ok):
    field = LatLonField()
    if ok:
        assert field.clean([lat, lon]) == (Decimal(lat), Decimal(lon))
    else:
        with pytest.raises(Exception):  # noqa: B017 - ValidationError of either subfield
            field.clean([lat, lon])


@pytest.mark.django_db
def test_admin_form_moves_the_point_and_keeps_history():
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    form = FacilityAdminForm(instance=facility)
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update({"location_lat": "48.2", "location_lon": "16.37", "atmp_categories": ["gtmp"], "activities": []})
    data["country"] = "AT"
    form = FacilityAdminForm(data, instance=facility)
    assert form.is_valid(), form.errors
    form.save()
    facility.refresh_from_db()
    assert (facility.latitude, facility.longitude) == (Decimal("48.200000"), Decimal("16.370000"))
    assert facility.history.count() == 2


@pytest.mark.django_db
def test_admin_form_refuses_a_point_out_of_range():
    facility = make_facility("Berlin Cell Unit", city="Berlin")
    form = FacilityAdminForm(instance=facility)
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update({"location_lat": "91", "location_lon": "13", "atmp_categories": [], "activities": []})
    form = FacilityAdminForm(data, instance=facility)
    assert not form.is_valid() and "location" in form.errors
