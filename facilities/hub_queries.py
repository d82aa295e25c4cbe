"""Reads of the hub: offers as a matching table, ranked matches for a need, the overview, capability gaps."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone
from django_countries import countries

from . import matching, population
from .hub_models import ManufacturingNeed, ProcessType, Scale, Service, ServiceOffer
from .models import Activity, AtmpCategory, Facility, codes_from_bars


def _in_a_sentence(label: str) -> str:
    """ "Cell processing" -> "cell processing"; "QP certification" stays."""
    return label if label[:2].isupper() else label[0].lower() + label[1:]


VOCABULARY = matching.Vocabulary(
    services=tuple(Service.values),
    categories=tuple(AtmpCategory.values),
    processes=tuple(ProcessType.values),
    labels={
        **{c: _in_a_sentence(label) for c, label in Service.choices},
        Service.VIRAL_VECTOR_PRODUCTION: "vector production",
        **dict(AtmpCategory.choices),
        **{c: _in_a_sentence(label.replace("vector", "vectors")) for c, label in ProcessType.choices},
        **{c: _in_a_sentence(label) for c, label in Scale.choices},
    },
    scales=tuple(Scale.values),
)


_TABLE: dict = {}


def offer_table() -> matching.OfferTable:
    """Every published facility's offer, as the matching function's table.

    Building it costs ~70 ms for 10,000 offers (the ranking itself ~1.5 ms), so the last table is kept
    in this process while the offers, their facilities and the date are unchanged.
    """
    version = ServiceOffer.objects.aggregate(
        n=Count("pk"), offers=Max("updated_at"), facilities=Max("facility__updated_at")
    )
    key = (version["n"], version["offers"], version["facilities"], timezone.localdate())
    if _TABLE.get("key") != key:
        _TABLE.update(key=key, table=_build_offer_table())
    return _TABLE["table"]


def _build_offer_table() -> matching.OfferTable:
    stale_before = timezone.localdate() - timedelta(days=settings.FACILITIES_OFFER_STALE_DAYS)
    rows = ServiceOffer.objects.public().values_list(
        "facility_id",
        "facility__country",
        "facility__latitude",
        "facility__longitude",
        "services",
        "atmp_categories",
        "process_types",
        "scales",
        "batches_per_year",
        "lead_time_months",
        "takes_academic",
        "confirmed_on",
    )
    offers = [
        matching.Offer(
            facility_id=pk,
            country=country,
            latitude=float(lat),
            longitude=float(lon),
            services=frozenset(codes_from_bars(services)),
            categories=frozenset(codes_from_bars(categories)),
            processes=frozenset(codes_from_bars(processes)),
            scales=frozenset(codes_from_bars(scales)),
            batches_per_year=batches,
            lead_time_months=lead,
            takes_academic=academic,
            stale=confirmed < stale_before,
        )
        for pk, country, lat, lon, services, categories, processes, scales, batches, lead, academic, confirmed in rows
    ]
    return matching.OfferTable(offers, VOCABULARY)


def need_as_input(need: ManufacturingNeed) -> matching.Need:
    return matching.Need(
        services=frozenset(need.service_codes),
        category=need.product_type,
        processes=frozenset(need.process_codes),
        phase=need.phase,
        batches=need.batches,
        within_months=need.within_months,
        countries=frozenset(need.country_codes),
        max_distance_km=need.max_distance_km,
        latitude=None if need.latitude is None else float(need.latitude),
        longitude=None if need.longitude is None else float(need.longitude),
        academic=need.academic,
    )


@dataclass
class RankedFacility:
    facility: Facility
    match: matching.Match
    enquiry: object | None


def ranked_facilities(need: ManufacturingNeed) -> list[RankedFacility]:
    matches = matching.rank(need_as_input(need), offer_table(), limit=settings.FACILITIES_HUB_MATCHES)
    facilities = Facility.objects.select_related("offer").in_bulk([m.facility_id for m in matches])
    sent = {e.facility_id: e for e in need.enquiries.all()}
    return [RankedFacility(facilities[m.facility_id], m, sent.get(m.facility_id)) for m in matches]


# --- The hub overview (public: counts only) ----------------------------------------------
def overview() -> dict:
    """Open needs by service and category, facilities offering each service per country."""
    open_needs = ManufacturingNeed.objects.open()
    by_service, by_category = Counter(), Counter()
    for services, category in open_needs.values_list("services", "product_type"):
        by_service.update(codes_from_bars(services))
        by_category[category] += 1
    per_country: dict[str, Counter] = defaultdict(Counter)
    for country, services in ServiceOffer.objects.public().values_list("facility__country", "services"):
        per_country[country].update(codes_from_bars(services))
    return {
        "open_needs": open_needs.count(),
        "needs_by_service": [(label, by_service[code]) for code, label in Service.choices],
        "needs_by_category": [(label, by_category[code]) for code, label in AtmpCategory.choices if by_category[code]],
        "services": Service.choices,
        "countries": sorted(
            ((countries.name(code) or code, [per_country[code][s] for s in Service.values]) for code in per_country),
        ),
        "offers": ServiceOffer.objects.public().count(),
    }


# --- Capability gaps ---------------------------------------------------------------------
CAPABILITIES = [*((f"atmp:{c}", label) for c, label in AtmpCategory.choices)] + [
    *((f"activity:{c}", label) for c, label in Activity.choices)
]


def capability_filter(queryset, capability: str):
    kind, _, code = capability.partition(":")
    if kind == "atmp" and code in AtmpCategory.values:
        return queryset.making(code)
    if kind == "activity" and code in Activity.values:
        return queryset.doing(code)
    raise ValueError(capability)


def capability_gaps() -> list[dict]:
    """Per EU/EEA country: the capabilities no published facility there has, each with the nearest
    facility abroad that has it (great-circle distance from the country's capital)."""
    rows = list(
        Facility.objects.public().values_list("pk", "slug", "name", "country", "latitude", "longitude",
                                               "atmp_categories", "activities")
    )  # fmt: skip
    held: dict[str, set[str]] = defaultdict(set)
    for _pk, _slug, _name, country, _lat, _lon, atmp, activities in rows:
        held[country].update(f"atmp:{c}" for c in codes_from_bars(atmp))
        held[country].update(f"activity:{c}" for c in codes_from_bars(activities))
    lats = np.radians(np.array([float(r[4]) for r in rows]))
    lons = np.radians(np.array([float(r[5]) for r in rows]))
    result = []
    for code in sorted(population.EU_EEA, key=lambda c: str(countries.name(c))):
        capital_lat, capital_lon = population.CAPITALS[code]
        distance = great_circle_from(capital_lat, capital_lon, lats, lons)
        gaps = []
        for capability, label in CAPABILITIES:
            if capability in held[code]:
                continue
            nearest = _nearest_abroad(rows, distance, code, capability)
            gaps.append({"capability": capability, "label": label, **nearest})
        result.append({"country": code, "country_name": str(countries.name(code)), "gaps": gaps})
    return result


def great_circle_from(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    return matching.great_circle_km(lat, lon, lats, lons) if len(lats) else np.array([])


def _nearest_abroad(rows, distance, country: str, capability: str) -> dict:
    kind, _, code = capability.partition(":")
    column = 6 if kind == "atmp" else 7
    for i in np.argsort(distance, kind="stable"):
        pk, slug, name, where, *_ = rows[i]
        if where != country and f"|{code}|" in rows[i][column]:
            return {
                "nearest": {
                    "slug": slug,
                    "name": name,
                    "country": where,
                    "country_name": str(countries.name(where)),
                    "distance_km": round(float(distance[i])),
                }
            }
    return {"nearest": None}


def hub_activity():
    """For curators: every need with its enquiries sent and answered."""
    return ManufacturingNeed.objects.annotate(
        sent=Count("enquiries"), answered=Count("enquiries", filter=~Q(enquiries__answer="pending"))
    ).select_related("owner")
