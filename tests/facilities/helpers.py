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


def make_offer(facility, services=("viral_vector_production",), **fields):
    from facilities.hub_models import ServiceOffer

    values = {"services": "|" + "|".join(services) + "|", "atmp_categories": "|car_t|", "lead_time_months": 4}
    values.update(fields)
    return ServiceOffer.objects.create(facility=facility, **values)


def make_need(owner, title="Lentiviral vector for a CAR-T trial", **fields):
    from facilities.hub_models import ManufacturingNeed

    values = {
        "product_type": "car_t",
        "phase": "phase_1",
        "batches": 3,
        "within_months": 6,
        "services": "|viral_vector_production|",
        "latitude": Decimal("48.137200"),
        "longitude": Decimal("11.575600"),
    }
    values.update(fields)
    return ManufacturingNeed.objects.create(owner=owner, title=title, **values)


def make_contact(facility, user, confirmed=True):
    from django.utils import timezone

    from facilities.contacts import FacilityContact

    return FacilityContact.objects.create(
        facility=facility, user=user, role="quality assurance", confirmed_at=timezone.now() if confirmed else None
    )
