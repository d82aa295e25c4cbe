"""Facilities as GeoJSON features and flat CSV rows, built straight from `values_list`.

The map fetches every matching facility at once (10,000 in the benchmark), so this
avoids model instances and serializers: one query for facilities, one for their
authorisations, plain dicts out (see bench/facilities/).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.db import connections
from django.db.models import Count, FloatField, Max
from django.db.models.functions import Cast
from django.urls import reverse
from django_countries import countries

from trials.models import Product

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


def _labelled(choices: dict[str, str]):
    """bars string -> (codes, labels), memoised per call: a map has few distinct combinations."""
    memo: dict[str, tuple[list[str], list[str]]] = {}

    def lookup(bars: str) -> tuple[list[str], list[str]]:
        if bars not in memo:
            codes = _codes(bars)
            memo[bars] = (codes, [choices.get(c, c) for c in codes])
        return memo[bars]

    return lookup


def _raw_rows(values_queryset):
    """The rows of a values_list() queryset straight from the cursor.

    Skips Django's per-row converters (only booleans here, fixed by the caller): for 10,000
    facilities that is a third of the time spent building the map's GeoJSON.
    """
    sql, params = values_queryset.query.sql_with_params()
    with connections[values_queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _properties(queryset):
    """Yield (longitude, latitude, properties) per facility: the data shared by GeoJSON and CSV.

    Lists are shared between facilities with the same codes (they are never mutated), and every
    label is looked up once per call, not once per facility: this loop runs 10,000 times.
    """
    # Coordinates as floats straight from SQL: Decimal conversion of 20,000 values costs more than the query.
    fields = [Cast(f, FloatField()) if f in ("latitude", "longitude") else f for f in _FIELDS]
    rows = _raw_rows(queryset.order_by().values_list(*fields))
    auths = _authorisations_by_facility(queryset.order_by().values("pk"))
    url_prefix = reverse("facilities:map")
    country_names = {code: str(name) for code, name in countries}
    atmp, activity = _labelled(_ATMP), _labelled(_ACTIVITY)
    no_auths: list[str] = []
    for pk, slug, name, inst, inst_type, city, country, lat, lon, atmp_bars, act_bars, services, web, demo in rows:
        atmp_codes, atmp_labels = atmp(atmp_bars)
        activity_codes, activity_labels = activity(act_bars)
        services, demo = bool(services), bool(demo)  # SQLite returns 0/1
        yield (
            lon,
            lat,
            {
                "id": pk,
                "slug": slug,
                "name": name,
                "institution": inst,
                "institution_type": inst_type,
                "institution_type_label": _INSTITUTION.get(inst_type, inst_type),
                "city": city,
                "country": country,
                "country_name": country_names.get(country, country),
                "atmp_types": atmp_codes,
                "atmp_type_labels": atmp_labels,
                "activities": activity_codes,
                "activity_labels": activity_labels,
                "authorisations": auths.get(pk, no_auths),
                "services_to_third_parties": services,
                "website": web,
                "is_demo": demo,
                "url": f"{url_prefix}{slug}/",
            },
        )


def map_collection(queryset) -> dict:
    """The lightest FeatureCollection the map needs to draw markers: slug, name and institution type.

    About a quarter of the full payload for the same facilities; a popup loads the rest
    from /api/facilities/<slug>/ when it opens.
    """
    rows = queryset.order_by().values_list(
        "pk", "slug", "name", "institution_type", Cast("longitude", FloatField()), Cast("latitude", FloatField())
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"slug": slug, "name": name, "institution_type": kind},
            }
            for pk, slug, name, kind, lon, lat in rows
        ],
    }


def facility_records(queryset) -> list[dict]:
    """Flat dicts (properties plus latitude and longitude), e.g. for CSV."""
    return [{**props, "latitude": lat, "longitude": lon} for lon, lat, props in _properties(queryset)]


def feature_collection(queryset) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946: coordinates are [longitude, latitude])."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": props["id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": props,
            }
            for lon, lat, props in _properties(queryset)
        ],
    }


def feature(queryset) -> dict | None:
    """The (one) facility of the queryset as a GeoJSON Feature."""
    features = feature_collection(queryset)["features"]
    return features[0] if features else None


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
    # A product's publication decides whether the trial-type filter matches its sites.
    products = Product.objects.filter(manufacturing_sites__isnull=False).aggregate(last=Max("updated_at"))
    raw = f"{facts['n']}|{facts['last']}|{auth['n']}|{auth['last']}|{links['n']}|{links['last']}|{products['last']}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
