"""Full-text search over products and trials.

PostgreSQL: a stored ``search_vector`` per row (weighted: names A, diseases and
targets B, the rest C/D), a GIN index (migration 0002) and ``websearch``
queries ranked with ``SearchRank``. The vectors are refreshed by one UPDATE per
changed row (signals below) or for everything with ``search_vectors_refresh()``.

SQLite (development, the default test run): every word of the query must occur
in at least one of the searched fields (OR-ed ``icontains`` per word). Slower,
but finds the same records for plain words.

A registry ID in the query ("2019-001234-56", "NCT01234567") also matches the
trial's identifiers exactly, whatever the backend's tokeniser does to hyphens.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save

from .models import REGISTRY_ID_PATTERN, Product, Trial, TrialIdentifier

CONFIG = "english"
MAX_QUERY_LENGTH = 200

PRODUCT_FIELDS = (
    "name",
    "disease_text",
    "target_text",
    "category",
    "cell_type",
    "atmp_type_text",
    "route_of_administration",
    "country_of_origin_text",
)
TRIAL_FIELDS = (
    "title",
    "primary_identifier",
    "registry_id_text",
    "sponsor",
    "product__name",
    "product__disease_text",
    "product__target_text",
)
# Products are also found by their trials' titles, sponsors and IDs.
PRODUCT_TRIAL_FIELDS = ("title", "sponsor", "primary_identifier")


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text) -> str:
    """Trim and bound the query: it comes straight from the URL."""
    return re.sub(r"\s+", " ", str(text or "")).strip()[:MAX_QUERY_LENGTH]


def _words(query: str) -> list[str]:
    words = [w.strip("\"'()") for w in query.split()]
    return [w for w in words if w and w.lower() not in {"or", "and"} and not w.startswith("-")][:10]


def _identifier_match(query: str, prefix: str = "") -> Q:
    """Exact match on any registry ID in the query (trials, or products via their trials)."""
    ids = [m.upper() for m in REGISTRY_ID_PATTERN.findall(query)]
    if not ids:
        return Q(pk__in=[])
    trial_ids = TrialIdentifier.objects.filter(value__in=ids).values("trial_id")
    if prefix:  # products
        trials = Trial.objects.filter(Q(primary_identifier__in=ids) | Q(pk__in=trial_ids)).values("product_id")
        return Q(pk__in=trials)
    return Q(primary_identifier__in=ids) | Q(pk__in=trial_ids)


def _icontains_all_words(fields, words) -> Q:
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


def product_search(queryset: QuerySet, text) -> QuerySet:
    """Products matching the query; on PostgreSQL annotated with `rank` (higher is better)."""
    query = clean_query(text)
    if not query:
        return queryset
    if uses_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        return queryset.filter(Q(search_vector=search_query) | _identifier_match(query, "product")).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    words = _words(query)
    if not words:
        return queryset
    trial_match = Trial.objects.filter(product=OuterRef("pk")).filter(_icontains_all_words(PRODUCT_TRIAL_FIELDS, words))
    return queryset.filter(
        _icontains_all_words(PRODUCT_FIELDS, words) | Q(Exists(trial_match)) | _identifier_match(query, "product")
    )


def trial_search(queryset: QuerySet, text) -> QuerySet:
    """Trials matching the query; on PostgreSQL annotated with `rank`."""
    query = clean_query(text)
    if not query:
        return queryset
    if uses_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        return queryset.filter(Q(search_vector=search_query) | _identifier_match(query)).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    words = _words(query)
    if not words:
        return queryset
    return queryset.filter(_icontains_all_words(TRIAL_FIELDS, words) | _identifier_match(query))


# --- Keeping the stored vectors current (PostgreSQL only) ------------------------------
def _concat(alias: str, fields) -> str:
    return " || ' ' || ".join(f"coalesce({alias}.{f}, '')" for f in fields)


PRODUCT_VECTOR_SQL = f"""
UPDATE trials_product p SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(p.name, '')), 'A')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", ["disease_text", "target_text"])}), 'B')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", PRODUCT_FIELDS[3:])}), 'C')
 || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg({_concat("t", PRODUCT_TRIAL_FIELDS)}, ' ')
        FROM trials_trial t WHERE t.product_id = p.id), '')), 'D')
"""  # noqa: S608 - only our own column names are interpolated

TRIAL_VECTOR_SQL = f"""
UPDATE trials_trial t SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(t.title, '')), 'A')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", ["name", "disease_text", "target_text"])}), 'B')
 || setweight(to_tsvector('{CONFIG}', {_concat("t", ["sponsor", "primary_identifier", "registry_id_text"])}), 'C')
FROM trials_product p WHERE p.id = t.product_id
"""  # noqa: S608


def search_vectors_refresh(*, product_ids=None, using: str = "default") -> None:
    """Recompute the stored vectors of the given products and their trials (all when None)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "postgresql":
        return
    with conn.cursor() as cursor:
        if product_ids is None:
            # After a bulk load the planner has no statistics and picks nested loops:
            # measured > 8 minutes for 100,000 trials without ANALYZE, 7.7 s with it.
            cursor.execute("ANALYZE trials_product, trials_trial, trials_trialidentifier")
            cursor.execute(TRIAL_VECTOR_SQL)
            cursor.execute(PRODUCT_VECTOR_SQL)
            return
        ids = [int(pk) for pk in product_ids if pk]
        if not ids:
            return
        cursor.execute(TRIAL_VECTOR_SQL + " AND t.product_id = ANY(%s)", [ids])
        cursor.execute(PRODUCT_VECTOR_SQL + " WHERE p.id = ANY(%s)", [ids])


def _product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_vectors_refresh(product_ids=[instance.pk])


def _trial_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.product_id:
        # The product may be gone already when a product delete cascades.
        search_vectors_refresh(product_ids=[instance.product_id])


def connect_signals() -> None:
    post_save.connect(_product_saved, sender=Product, dispatch_uid="trials_search_product")
    post_save.connect(_trial_changed, sender=Trial, dispatch_uid="trials_search_trial")
    post_delete.connect(_trial_changed, sender=Trial, dispatch_uid="trials_search_trial_delete")
