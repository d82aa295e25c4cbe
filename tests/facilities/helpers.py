"""Small builders for facility tests (shared by the facilities test modules)."""

from __future__ import annotations

from decimal import Decimal

from facilities.models import Authorisation, Facility

# Real city coordinates, so map tests place markers where a reader would expect them.
CITIES = {
    "Berlin": ("DE", "52.520008", "13.404954"),
    "Munich": ("DE", "48.135125", "11.581981"),
    "Hamburg": ("DE", "53.551086", "9.993682"),
    "Paris": ("FR", "48.856613", "2.352222"),
    "Lyon": ("FR", "45.764043", "4.835659"),
    "Milan": ("IT", "45.464203", "9.189982"),
    "Madrid": ("ES", "40.416775", "-3.703790"),
    "Oslo": ("NO", "59.913868", "10.752245"),
}


def make_facility(name: str = "Cell Therapy GMP Unit", *, city: str = "Berlin", authorisations=(), **fields):
    country, lat, lon = CITIES[city]
    values = {
        "institution": f"{city} University Hospital",
        "institution_type": "university_hospital",
        "city": city,
        "country": country,
        "latitude": Decimal(lat),
        "longitude": Decimal(lon),
        "atmp_categories": "|sctmp|",
        "activities": "|cell_processing|qc_testing|",
    }
    values.update(fields)
    facility = Facility.objects.create(name=name, **values)
    for kind in authorisations:
        Authorisation.objects.create(facility=facility, kind=kind, issuing_authority="National competent authority")
    return facility
