"""Demo content of the GMP coordination hub: fictional service offers, a confirmed contact, two open needs.

Called from facilities.demo.load(); idempotent (an existing offer, contact or need is left alone).
Everything is fictional and labelled: the facilities are the demo facilities ("(demo)" in their
institution), the needs carry is_demo and "Demo:" in their title.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from .contacts import FacilityContact
from .hub_models import ManufacturingNeed, ProcessType, Scale, Service, ServiceOffer
from .models import Activity, Facility

DEMO_EXPERT_EMAIL = "expert@demo.atmp-platform.invalid"
DEMO_CONTACT_EMAIL = "expert2@demo.atmp-platform.invalid"
CONFIRMED_ON = datetime.date(2026, 10, 1)
STALE_ON = datetime.date(2025, 3, 1)  # one offer shows as stale

# Activities on the map -> services a facility offers third parties.
SERVICES_FROM_ACTIVITIES = {
    Activity.CELL_PROCESSING: [Service.CELL_PROCESSING, Service.GMP_MANUFACTURING],
    Activity.VIRAL_VECTOR_PRODUCTION: [Service.VIRAL_VECTOR_PRODUCTION],
    Activity.QC_TESTING: [Service.QC_RELEASE_TESTING],
    Activity.QP_RELEASE: [Service.QP_CERTIFICATION],
    Activity.STORAGE: [Service.CRYOSTORAGE_LOGISTICS],
    Activity.FILL_FINISH: [Service.FILL_FINISH],
}
PROCESSES_FROM_CATEGORIES = {
    "car_t": [ProcessType.CAR_T_EXPANSION, ProcessType.LENTIVIRAL_VECTOR],
    "viral_vector": [ProcessType.AAV_VECTOR, ProcessType.LENTIVIRAL_VECTOR],
    "gtmp": [ProcessType.AAV_VECTOR, ProcessType.GENE_EDITING],
    "msc": [ProcessType.MSC_EXPANSION],
    "ipsc": [ProcessType.IPSC_DIFFERENTIATION],
    "tep": [ProcessType.TISSUE_ENGINEERING],
}

NEEDS = [
    {
        "title": "Demo: lentiviral vector and CAR-T batches for an academic phase I trial",
        "product_type": "car_t",
        "process_types": f"|{ProcessType.LENTIVIRAL_VECTOR}|{ProcessType.CAR_T_EXPANSION}|",
        "description": "Fictional demo need: an anti-CD19 CAR-T made from patients' own T cells.",
        "phase": Scale.PHASE_1,
        "batches": 12,
        "patients": 12,
        "within_months": 6,
        "services": f"|{Service.VIRAL_VECTOR_PRODUCTION}|{Service.GMP_MANUFACTURING}|{Service.QP_CERTIFICATION}|",
        "countries": "DE,AT,NL",
        "location_name": "Munich (demo)",
        "latitude": Decimal("48.135100"),
        "longitude": Decimal("11.582000"),
        "max_distance_km": 1200,
        "confidentiality": "experts",
    },
    {
        "title": "Demo: QC release testing for a tissue-engineered cartilage product",
        "product_type": "tep",
        "process_types": f"|{ProcessType.TISSUE_ENGINEERING}|",
        "description": "Fictional demo need: release testing and QP certification for a phase II trial.",
        "phase": Scale.PHASE_2,
        "batches": 30,
        "within_months": 9,
        "services": f"|{Service.QC_RELEASE_TESTING}|{Service.QP_CERTIFICATION}|",
        "location_name": "Lisbon (demo)",
        "latitude": Decimal("38.722300"),
        "longitude": Decimal("-9.139300"),
        "confidentiality": "contacted",
    },
]


def load() -> int:
    """Offers for the demo facilities that serve third parties (or every third one), a contact, two needs."""
    rng = random.Random(14)
    made = 0
    facilities = Facility.objects.filter(is_demo=True).order_by("pk")
    for index, facility in enumerate(facilities):
        if not (facility.services_to_third_parties or index % 3 == 0):
            continue
        if ServiceOffer.objects.filter(facility=facility).exists():
            continue
        services = sorted({s for a in facility.activity_codes for s in SERVICES_FROM_ACTIVITIES.get(a, [])})
        if not services:
            continue
        processes = sorted({p for c in facility.atmp_category_codes for p in PROCESSES_FROM_CATEGORIES.get(c, [])})
        ServiceOffer.objects.create(
            facility=facility,
            services="|" + "|".join(s for s in Service.values if s in services) + "|",
            atmp_categories=facility.atmp_categories,
            process_types=("|" + "|".join(p for p in ProcessType.values if p in processes) + "|") if processes else "",
            scales=f"|{Scale.PHASE_1}|{Scale.PHASE_2}|" + (f"{Scale.PHASE_3}|" if index % 4 == 0 else ""),
            batches_per_year=rng.choice([None, 6, 12, 24, 60]),
            lead_time_months=rng.choice([3, 4, 6, 9, 12]),
            takes_academic=index % 5 != 0,
            languages="English",
            description="Fictional demo offer.",
            confirmed_on=STALE_ON if index == 3 else CONFIRMED_ON,
        )
        made += 1
    _contact_and_needs()
    return made


def _contact_and_needs() -> None:
    users = get_user_model().objects
    contact_user = users.filter(email=DEMO_CONTACT_EMAIL).first()
    contact_facility = Facility.objects.filter(is_demo=True, offer__isnull=False, city="Berlin").first()
    if contact_user and contact_facility:
        FacilityContact.objects.get_or_create(
            facility=contact_facility,
            user=contact_user,
            defaults={"role": "quality assurance (demo)", "confirmed_at": timezone.now()},
        )
    owner = users.filter(email=DEMO_EXPERT_EMAIL).first()
    if owner:
        for values in NEEDS:
            ManufacturingNeed.objects.get_or_create(
                owner=owner, title=values["title"], defaults={**values, "is_demo": True}
            )
