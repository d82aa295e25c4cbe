"""A small, reusable latitude/longitude picker: two number inputs and a Leaflet map.

django-leaflet's own form widgets import django.contrib.gis (GDAL), so we do not
use them; this widget only needs Leaflet's static files, which django-leaflet ships.
Clicking the map or dragging the marker writes the inputs; typing in the inputs
moves the marker. The JS lives in static/facilities/point_picker.js (CSP: no
inline script).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError


class LatLonWidget(forms.MultiWidget):
    template_name = "facilities/widgets/point_picker.html"

    def __init__(self, attrs=None):
        number = {"step": "0.000001", "class": "vTextField", "inputmode": "decimal"}
        widgets = {
            "lat": forms.NumberInput(attrs={**number, "min": "-90", "max": "90"}),
            "lon": forms.NumberInput(attrs={**number, "min": "-180", "max": "180"}),
        }
        super().__init__(widgets, attrs)

    class Media:
        css = {"all": ("leaflet/leaflet.css", "facilities/point_picker.css")}
        js = ("leaflet/leaflet.js", "facilities/point_picker.js")

    def decompress(self, value):
        if value:
            return list(value)
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = settings.LEAFLET_CONFIG
        center = config.get("DEFAULT_CENTER", (50.0, 10.0))
        context["picker"] = {
            "tile_url": settings.MAP_TILE_URL,
            "attribution": settings.MAP_TILE_ATTRIBUTION,
            "center_lat": center[0],
            "center_lon": center[1],
            "zoom": config.get("DEFAULT_ZOOM", 4),
        }
        return context


class LatLonField(forms.MultiValueField):
    """Cleans to a (latitude, longitude) pair of Decimals, each within its valid range."""

    widget = LatLonWidget

    def __init__(self, **kwargs):
        fields = (
            forms.DecimalField(min_value=-90, max_value=90, max_digits=9, decimal_places=6),
            forms.DecimalField(min_value=-180, max_value=180, max_digits=9, decimal_places=6),
        )
        kwargs.setdefault("help_text", "Click the map or drag the marker; or type the coordinates (WGS84).")
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        try:
            lat, lon = (Decimal(str(v)) for v in data_list)
        except (InvalidOperation, TypeError, ValueError) as error:
            raise ValidationError("Enter a latitude and a longitude.") from error
        return lat, lon
