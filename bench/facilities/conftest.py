"""10,000 facilities spread over Europe, for the GeoJSON and map benchmarks."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

N_FACILITIES = 10_000
COUNTRIES = ["DE", "FR", "IT", "ES", "NL", "BE", "SE", "PL", "AT", "DK", "FI", "PT", "IE", "CZ", "GR", "NO"]


def populate(n: int = N_FACILITIES) -> None:
    from facilities.models import Activity, AtmpCategory, Authorisation, Facility, InstitutionType, bars_from_codes

    rng = random.Random(10_000)
    facilities = []
    for i in range(n):
        facilities.append(
            Facility(
                name=f"Bench GMP unit {i}",
                slug=f"bench-{i}",
                institution=f"Bench institution {i % 700}",
                institution_type=rng.choice(InstitutionType.values),
                city=f"City {i % 900}",
                country=rng.choice(COUNTRIES),
                latitude=Decimal(f"{rng.uniform(36, 70):.6f}"),
                longitude=Decimal(f"{rng.uniform(-10, 30):.6f}"),
                atmp_categories=bars_from_codes(rng.sample(AtmpCategory.values, 2), AtmpCategory),
                activities=bars_from_codes(rng.sample(Activity.values, 3), Activity),
                services_to_third_parties=rng.random() < 0.3,
                is_demo=True,
            )
        )
    Facility.objects.bulk_create(facilities, batch_size=1000)
    ids = list(Facility.objects.values_list("pk", flat=True))
    Authorisation.objects.bulk_create(
        [Authorisation(facility_id=pk, kind="mia_imp", issuing_authority="NCA") for pk in ids]
        + [Authorisation(facility_id=pk, kind="gmp_certificate", issuing_authority="NCA") for pk in ids[::2]],
        batch_size=1000,
    )


@pytest.fixture
def ten_thousand(db):
    populate()
