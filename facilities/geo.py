"""Facilities as GeoJSON features and flat CSV rows, built straight from `values_list`.

The map fetches every matching facility at once (10,000 in the benchmark), so this
avoids model instances and serializers: one query for facilities, one for their
authorisations, plain dicts out (see bench/facilities/).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db.models import Count, Max
from django.urls import reverse
from django_countries import countries

from .models import Activity, AtmpCategory, Authorisation, AuthorisationKind, InstitutionType, ManufacturingSiteLink

_FIELDS = (
    "pk",
    "slug",
    "name",
    "institution",
    "institution_type",
    "city",
    "country",
    "latitude",
    "longitude",
    "atmp_categories",
    "activities",
    "services_to_third_parties",
    "website",
    "is_demo",
)
_INSTITUTION = dict(InstitutionType.choices)
_ATMP = dict(AtmpCategory.choices)
_ACTIVITY = dict(Activity.choices)
_AUTH_SHORT = {kind: AuthorisationKind.short_label(kind) for kind in AuthorisationKind.values}


def _codes(bars: str) -> list[str]:
    return [c for c in bars.split("|") if c] if bars else []


def _authorisations_by_facility(facility_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    rows = Authorisation.objects.filter(facility_id__in=facility_ids).values_list("facility_id", "kind")
    for facility_id, kind in rows.order_by("facility_id", "kind"):
        label = _AUTH_SHORT.get(kind, kind)
        if label not in found[facility_id]:
            found[facility_id].append(label)
    return found


def facility_records(queryset) -> list[dict]:
    """One flat dict per facility: the properties shared by GeoJSON and CSV."""
    rows = list(queryset.order_by().values_list(*_FIELDS))
    auths = _authorisations_by_facility(queryset.order_by().values("pk"))
    url_prefix = reverse("facilities:map")
    country_name = dict(countries)
    records = []
    for pk, slug, name, inst, inst_type, city, country, lat, lon, atmp, acts, services, web, demo in rows:
        atmp_codes, activity_codes = _codes(atmp), _codes(acts)
        records.append(
            {
                "id": pk,
                "slug": slug,
                "name": name,
                "institution": inst,
                "institution_type": inst_type,
                "institution_type_label": _INSTITUTION.get(inst_type, inst_type),
                "city": city,
                "country": country,
                "country_name": str(country_name.get(country, country)),
                "latitude": float(lat),
                "longitude": float(lon),
                "atmp_types": atmp_codes,
                "atmp_type_labels": [_ATMP.get(c, c) for c in atmp_codes],
                "activities": activity_codes,
                "activity_labels": [_ACTIVITY.get(c, c) for c in activity_codes],
                "authorisations": auths.get(pk, []),
                "services_to_third_parties": services,
                "website": web,
                "is_demo": demo,
                "url": f"{url_prefix}{slug}/",
            }
        )
    return records


def feature(record: dict) -> dict:
    properties = {k: v for k, v in record.items() if k not in ("latitude", "longitude")}
    return {
        "type": "Feature",
        "id": record["id"],
        "geometry": {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]},
        "properties": properties,
    }


def feature_collection(records: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": [feature(r) for r in records]}


CSV_COLUMNS = (
    "id",
    "slug",
    "name",
    "institution",
    "institution_type",
    "city",
    "country",
    "country_name",
    "latitude",
    "longitude",
    "atmp_types",
    "activities",
    "authorisations",
    "services_to_third_parties",
    "website",
    "is_demo",
    "url",
)


def csv_rows(records: list[dict]) -> list[dict]:
    """Lists joined with "; " so a spreadsheet shows one cell per facility and field."""
    return [
        {k: "; ".join(v) if isinstance(v, list) else v for k, v in record.items() if k in CSV_COLUMNS}
        for record in records
    ]


def data_version(queryset) -> str:
    """A cheap fingerprint of everything the map shows: changes whenever any of it changes."""
    facts = queryset.order_by().aggregate(n=Count("pk"), last=Max("updated_at"))
    auth = Authorisation.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    links = ManufacturingSiteLink.objects.aggregate(n=Count("pk"), last=Max("confirmed_at"))
    raw = f"{facts['n']}|{facts['last']}|{auth['n']}|{auth['last']}|{links['n']}|{links['last']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
