"""Demo facilities for the map; `manage.py load_demo` calls load(). Idempotent: keyed by slug.

Every facility here is FICTIONAL and labelled so (is_demo=True, "(demo)" in the
institution's name, badge on every page): institution names, reference numbers
and capabilities are made up. Only the city coordinates and the names of the
national competent authorities are real public facts. No real GMP unit is
included because each of its facts would need a cited public source in the
data (issue #5); add real units through the admin or `import_facilities` with
source_url and verified_on filled in.

Countries without a demo facility (e.g. BG, RO, HR, the Baltic states but
Estonia, CY, MT, LU, SK) are left empty on purpose, so the country view shows gaps.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction

from . import hub_demo
from .models import Activity, AtmpCategory, Authorisation, AuthorisationKind, Facility, InstitutionType

DEMO_EXPERT_EMAIL = "expert@demo.atmp-platform.invalid"
DEMO_SOURCE_NOTE = "Fictional demo record: not a real facility"

# City, country, latitude, longitude (city centres), national competent authority for GMP/ATMPs.
CITIES = [
    ("Barcelona", "ES", "41.387400", "2.168600", "AEMPS"),
    ("Madrid", "ES", "40.416800", "-3.703800", "AEMPS"),
    ("Sevilla", "ES", "37.389100", "-5.984500", "AEMPS"),
    ("Paris", "FR", "48.856600", "2.352200", "ANSM"),
    ("Lyon", "FR", "45.764000", "4.835700", "ANSM"),
    ("Nantes", "FR", "47.218400", "-1.553600", "ANSM"),
    ("Berlin", "DE", "52.520000", "13.405000", "Paul-Ehrlich-Institut / Landesamt"),
    ("Munich", "DE", "48.135100", "11.582000", "Paul-Ehrlich-Institut / Regierung von Oberbayern"),
    ("Heidelberg", "DE", "49.398800", "8.672400", "Paul-Ehrlich-Institut / Regierungspräsidium"),
    ("Hannover", "DE", "52.375900", "9.732000", "Paul-Ehrlich-Institut / Gewerbeaufsicht"),
    ("Milan", "IT", "45.464200", "9.190000", "AIFA"),
    ("Rome", "IT", "41.902800", "12.496400", "AIFA"),
    ("Bologna", "IT", "44.494900", "11.342600", "AIFA"),
    ("Leiden", "NL", "52.160100", "4.497000", "IGJ"),
    ("Utrecht", "NL", "52.090700", "5.121400", "IGJ"),
    ("Leuven", "BE", "50.879800", "4.700500", "FAMHP"),
    ("Ghent", "BE", "51.054300", "3.717400", "FAMHP"),
    ("Stockholm", "SE", "59.329300", "18.068600", "Läkemedelsverket"),
    ("Gothenburg", "SE", "57.708900", "11.974600", "Läkemedelsverket"),
    ("Copenhagen", "DK", "55.676100", "12.568300", "Danish Medicines Agency"),
    ("Helsinki", "FI", "60.169900", "24.938400", "Fimea"),
    ("Vienna", "AT", "48.208200", "16.373800", "BASG"),
    ("Prague", "CZ", "50.075500", "14.437800", "SÚKL"),
    ("Warsaw", "PL", "52.229700", "21.012200", "GIF"),
    ("Kraków", "PL", "50.064700", "19.945000", "GIF"),
    ("Lisbon", "PT", "38.722300", "-9.139300", "INFARMED"),
    ("Dublin", "IE", "53.349800", "-6.260300", "HPRA"),
    ("Athens", "GR", "37.983800", "23.727500", "EOF"),
    ("Budapest", "HU", "47.497900", "19.040200", "OGYÉI"),
    ("Oslo", "NO", "59.913900", "10.752200", "NOMA"),
    ("Basel", "CH", "47.559600", "7.588600", "Swissmedic"),
    ("Ljubljana", "SI", "46.056900", "14.505800", "JAZMP"),
    ("Tartu", "EE", "58.378000", "26.729000", "Ravimiamet"),
]

# Institution type -> (unit name, institution name pattern); every name says "(demo)".
KINDS = {
    InstitutionType.UNIVERSITY_HOSPITAL: ("Cell & Gene Therapy GMP Unit", "Demo University Hospital {city} (demo)"),
    InstitutionType.ACADEMIC_INSTITUTE: ("Translational GMP Facility", "Demo Regen. Medicine Institute {city} (demo)"),
    InstitutionType.BLOOD_TISSUE_ESTABLISHMENT: ("Cell Processing Centre", "Demo Blood & Tissue Service {city} (demo)"),
    InstitutionType.PUBLIC_RESEARCH_ORGANISATION: ("Vector Core GMP", "Demo National Research Centre {city} (demo)"),
    InstitutionType.CDMO: ("Contract Manufacturing Site", "DemoBio CDMO {city} (demo)"),
    InstitutionType.COMPANY: ("Clinical Manufacturing Plant", "Demo Therapeutics {city} (demo)"),
}  # fmt: skip

# Which kinds of site each kind of institution typically is (so the demo looks plausible).
_A, _X = AtmpCategory, Activity
PROFILES = {
    InstitutionType.UNIVERSITY_HOSPITAL: (
        [_A.SCTMP, _A.CAR_T, _A.GTMP, _A.MSC],
        [_X.CELL_PROCESSING, _X.QC_TESTING, _X.QP_RELEASE, _X.STORAGE],
    ),
    InstitutionType.ACADEMIC_INSTITUTE: (
        [_A.TEP, _A.IPSC, _A.SCTMP, _A.CATMP],
        [_X.CELL_PROCESSING, _X.QC_TESTING, _X.STORAGE],
    ),
    InstitutionType.BLOOD_TISSUE_ESTABLISHMENT: (
        [_A.SCTMP, _A.CELL_BANK, _A.MSC],
        [_X.CELL_PROCESSING, _X.STORAGE, _X.QC_TESTING],
    ),
    InstitutionType.PUBLIC_RESEARCH_ORGANISATION: (
        [_A.VIRAL_VECTOR, _A.GTMP, _A.CELL_BANK],
        [_X.VIRAL_VECTOR_PRODUCTION, _X.QC_TESTING, _X.FILL_FINISH],
    ),
    InstitutionType.CDMO: (
        [_A.VIRAL_VECTOR, _A.CAR_T, _A.GTMP, _A.CELL_BANK],
        [_X.VIRAL_VECTOR_PRODUCTION, _X.CELL_PROCESSING, _X.QC_TESTING, _X.QP_RELEASE, _X.FILL_FINISH, _X.IMPORT],
    ),
    InstitutionType.COMPANY: (
        [_A.GTMP, _A.CAR_T, _A.VIRAL_VECTOR],
        [_X.CELL_PROCESSING, _X.QC_TESTING, _X.QP_RELEASE, _X.IMPORT],
    ),
}

# Fictional demo products (trials/demo.py) and the demo site that "makes" them.
DEMO_PRODUCT_SITES = {
    "DEMO-CAR19 (fictional anti-CD19 CAR-T)": "Barcelona",
    "DEMO-NK-AML (fictional NK cell therapy)": "Leiden",
    "DEMO-AAV-RPE (fictional retinal gene therapy)": "Paris",
}


def _facility_values(index: int, city, country, lat, lon, rng: random.Random) -> dict:
    kind = list(KINDS)[index % len(KINDS)] if index >= 6 else InstitutionType.UNIVERSITY_HOSPITAL
    unit, institution = KINDS[kind]
    categories, activities = PROFILES[kind]
    return {
        "name": unit,
        "institution": institution.format(city=city),
        "institution_type": kind,
        "address": f"{rng.randint(1, 120)} Demo Street",
        "postal_code": f"{rng.randint(1000, 99999)}",
        "city": city,
        "country": country,
        "latitude": Decimal(lat) + Decimal(rng.randint(-300, 300)) / Decimal(100000),
        "longitude": Decimal(lon) + Decimal(rng.randint(-300, 300)) / Decimal(100000),
        "contact_email": "gmp-unit@demo.atmp-platform.invalid",
        "atmp_category_codes": rng.sample(categories, k=rng.randint(1, len(categories))),
        "activity_codes": rng.sample(activities, k=rng.randint(2, len(activities))),
        "cleanroom_grades": rng.choice(["ABCD", "BCD", "ABC", "CD"]),
        "cleanroom_count": rng.randint(1, 12),
        "cleanroom_area_m2": rng.choice([80, 120, 250, 400, 900, 1500]),
        "closed_systems": rng.choice(["", "Closed automated cell processing system", "Isolator-based fill line"]),
        "batches_per_year": rng.choice([None, 20, 50, 120, 300]),
        "services_to_third_parties": kind in (InstitutionType.CDMO, InstitutionType.COMPANY) or rng.random() < 0.4,
        "source_note": DEMO_SOURCE_NOTE,
        "is_demo": True,
    }


def _authorisations(facility: Facility, index: int, authority: str, rng: random.Random) -> list[Authorisation]:
    kinds = [AuthorisationKind.MIA_IMP, AuthorisationKind.GMP_CERTIFICATE]
    if facility.institution_type == InstitutionType.UNIVERSITY_HOSPITAL:
        kinds.append(AuthorisationKind.HOSPITAL_EXEMPTION)
    if facility.institution_type == InstitutionType.BLOOD_TISSUE_ESTABLISHMENT:
        kinds = [AuthorisationKind.TISSUE_ESTABLISHMENT, AuthorisationKind.MIA_IMP]
    if facility.institution_type in (InstitutionType.CDMO, InstitutionType.COMPANY):
        kinds.append(AuthorisationKind.MIA_COMMERCIAL)
    inspected = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randint(0, 900))
    return [
        Authorisation(
            facility=facility,
            kind=kind,
            reference_number=f"DEMO-{kind.upper().replace('_', '-')}-{index:04d}",
            issuing_authority=authority,
            issued_on=inspected - datetime.timedelta(days=rng.randint(30, 2000)),
            last_inspection_on=inspected if kind in (AuthorisationKind.GMP_CERTIFICATE, AuthorisationKind.MIA_IMP)
            else None,
            source_note=DEMO_SOURCE_NOTE,
            verified_on=datetime.date(2026, 1, 15),
        )
        for kind in kinds
    ]  # fmt: skip


@transaction.atomic
def load(*, stdout=None) -> None:
    rng = random.Random(5)  # fixed seed: the same demo on every machine
    created = 0
    for index, (city, country, lat, lon, authority) in enumerate(CITIES):
        values = _facility_values(index, city, country, lat, lon, rng)
        auth_rng = random.Random(index)
        slug = f"demo-{city.lower().replace('ó', 'o')}-{values['institution_type'].replace('_', '-')}"
        if Facility.objects.filter(slug=slug).exists():
            continue
        categories, activities = values.pop("atmp_category_codes"), values.pop("activity_codes")
        facility = Facility(slug=slug, **values)
        facility.atmp_category_codes, facility.activity_codes = categories, activities
        facility.full_clean()
        facility._change_reason = "Demo content (load_demo)"
        facility.save()
        for authorisation in _authorisations(facility, index, authority, auth_rng):
            authorisation.save()
        created += 1
    _link_demo_products()
    _propose_demo_correction()
    offers = hub_demo.load()
    if stdout and created:
        stdout.write(f"facilities: {created} fictional demo facilities\n")
    if stdout and offers:
        stdout.write(f"facilities: {offers} fictional service offers, two demo needs on the hub\n")


def _link_demo_products() -> None:
    from trials.models import Product

    from .models import ManufacturingSiteLink

    for product_name, city in DEMO_PRODUCT_SITES.items():
        product = Product.objects.filter(name=product_name).first()
        facility = Facility.objects.filter(is_demo=True, city=city).order_by("pk").first()
        if product and facility:
            ManufacturingSiteLink.objects.get_or_create(
                product=product, facility=facility, defaults={"source_text": f"{facility.institution} (demo link)"}
            )


def _propose_demo_correction() -> None:
    """One pending correction from the demo expert, so the curator's review queue is not empty."""
    from django.contrib.auth import get_user_model

    from .models import FacilityCorrection

    expert = get_user_model().objects.filter(email=DEMO_EXPERT_EMAIL).first()
    facility = Facility.objects.filter(is_demo=True, city="Lyon").first()
    if not expert or not facility or FacilityCorrection.objects.filter(proposed_by=expert).exists():
        return
    FacilityCorrection.objects.create(
        facility=facility,
        proposed_by=expert,
        changes={"cleanroom_count": str((facility.cleanroom_count or 0) + 2)},
        previous={"cleanroom_count": str(facility.cleanroom_count or "")},
        reason="Demo: the unit opened two more clean rooms (fictional example of a correction).",
    )
