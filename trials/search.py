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
from django.db.models import Exists, F, FloatField, OuterRef, Q, QuerySet, Value
from django.db.models.signals import post_delete, post_save

from .models import REGISTRY_ID_PATTERN, WP1_FIELDS, Product, SheetCell, Trial, TrialIdentifier

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
# The rest of the sheet's text, searched too (lowest weight): the trials' funding, centres and patent
# holders, the WP 1 answers and the notes kept beside the template. Names of people and e-mail
# addresses are never searched: a search would tell the public who is behind a trial.
TRIAL_MORE_FIELDS = ("funding", "patent_holder", "lead_study_centre", "centre_type_text", "countries_text")
WP1_TEXT = tuple(WP1_FIELDS)

# "Search in": where the words must occur. Paths from the product / from the trial.
SEARCH_IN = {
    "names": ("Names and titles", ("name", "trials__title"), ("title", "product__name")),
    "indication": (
        "Disease and target",
        ("disease_text", "target_text"),
        ("product__disease_text", "product__target_text"),
    ),
    "sponsor": (
        "Sponsor, funding, patent holder",
        ("trials__sponsor", "trials__funding", "trials__patent_holder"),
        ("sponsor", "funding", "patent_holder"),
    ),
    "centres": (
        "Study centres and countries",
        ("trials__lead_study_centre", "trials__centre_type_text", "trials__countries_text"),
        ("lead_study_centre", "centre_type_text", "countries_text"),
    ),
    "preclinical": ("WP 1 preclinical answers", WP1_TEXT, tuple(f"product__{f}" for f in WP1_TEXT)),
    "notes": ("Notes kept from the sheets", ("sheet_cells__value",), ("product__sheet_cells__value",)),
}
SEARCH_IN_CHOICES = [("", "Everything"), *((key, label) for key, (label, _p, _t) in SEARCH_IN.items())]


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


def _contains(model, path: str, word: str) -> Q:
    """`path` contains `word`; a to-many path becomes an EXISTS, so no record is listed twice."""
    if model is Product and path.startswith("trials__"):
        related = Trial.objects.filter(product=OuterRef("pk"), **{f"{path[8:]}__icontains": word})
        return Q(Exists(related))
    if path.endswith("sheet_cells__value"):
        owner = "pk" if model is Product else "product_id"
        notes = SheetCell.objects.filter(product=OuterRef(owner), value__icontains=word)
        return Q(Exists(notes.exclude(kind__startswith="link")))
    return Q(**{f"{path}__icontains": word})


def scoped_search(queryset: QuerySet, text, where: str) -> QuerySet:
    """Records where every word of the query occurs in one of the fields of the "search in" group."""
    words = _words(clean_query(text))
    if not words or where not in SEARCH_IN:
        return queryset
    model = queryset.model
    fields = SEARCH_IN[where][1 if model is Product else 2]
    condition = Q()
    for word in words:
        any_field = Q()
        for path in fields:
            any_field |= _contains(model, path, word)
        condition &= any_field
    # No text rank here (the words are looked up field by field): every match ranks alike, and the
    # lists' "best first" order then falls back to its tie-break.
    return queryset.filter(condition).annotate(rank=Value(0.0, output_field=FloatField()))


def product_search(queryset: QuerySet, text, where: str = "") -> QuerySet:
    """Products matching the query; on PostgreSQL annotated with `rank` (higher is better)."""
    query = clean_query(text)
    if not query:
        return queryset
    if where:
        return scoped_search(queryset, query, where)
    if uses_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        return queryset.filter(Q(search_vector=search_query) | _identifier_match(query, "product")).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    words = _words(query)
    if not words:
        return queryset
    trial_fields = PRODUCT_TRIAL_FIELDS + TRIAL_MORE_FIELDS
    trial_match = Trial.objects.filter(product=OuterRef("pk")).filter(_icontains_all_words(trial_fields, words))
    return queryset.filter(
        _icontains_all_words(PRODUCT_FIELDS + WP1_TEXT, words)
        | Q(Exists(trial_match))
        | _every_word_in_notes(words, "pk")
        | _identifier_match(query, "product")
    )


def _every_word_in_notes(words: list[str], owner: str) -> Q:
    condition = Q()
    for word in words:
        condition &= _contains(Product if owner == "pk" else Trial, "sheet_cells__value", word)
    return condition


def trial_search(queryset: QuerySet, text, where: str = "") -> QuerySet:
    """Trials matching the query; on PostgreSQL annotated with `rank`."""
    query = clean_query(text)
    if not query:
        return queryset
    if where:
        return scoped_search(queryset, query, where)
    if uses_postgres():
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        return queryset.filter(Q(search_vector=search_query) | _identifier_match(query)).annotate(
            rank=SearchRank(F("search_vector"), search_query)
        )
    words = _words(query)
    if not words:
        return queryset
    fields = TRIAL_FIELDS + TRIAL_MORE_FIELDS + tuple(f"product__{f}" for f in WP1_TEXT)
    return queryset.filter(
        _icontains_all_words(fields, words) | _every_word_in_notes(words, "product_id") | _identifier_match(query)
    )


# --- Keeping the stored vectors current (PostgreSQL only) ------------------------------
def _concat(alias: str, fields) -> str:
    return " || ' ' || ".join(f"coalesce({alias}.{f}, '')" for f in fields)


# The notes a sheet held beside the template (not the hyperlink targets), of product p.
NOTES_SQL = (
    "coalesce((SELECT string_agg(c.value, ' ') FROM trials_sheetcell c "
    "WHERE c.product_id = p.id AND c.kind NOT LIKE 'link%%'), '')"
)

PRODUCT_VECTOR_SQL = f"""
UPDATE trials_product p SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(p.name, '')), 'A')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", ["disease_text", "target_text"])}), 'B')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", PRODUCT_FIELDS[3:])}), 'C')
 || setweight(to_tsvector('{CONFIG}', coalesce((
        SELECT string_agg({_concat("t", PRODUCT_TRIAL_FIELDS + TRIAL_MORE_FIELDS)}, ' ')
        FROM trials_trial t WHERE t.product_id = p.id), '')), 'D')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", WP1_TEXT)} || ' ' || {NOTES_SQL}), 'D')
"""  # noqa: S608 - only our own column names are interpolated

TRIAL_VECTOR_SQL = f"""
UPDATE trials_trial t SET search_vector =
    setweight(to_tsvector('{CONFIG}', coalesce(t.title, '')), 'A')
 || setweight(to_tsvector('{CONFIG}', {_concat("p", ["name", "disease_text", "target_text"])}), 'B')
 || setweight(to_tsvector('{CONFIG}', {_concat("t", ["sponsor", "primary_identifier", "registry_id_text"])}), 'C')
 || setweight(to_tsvector('{CONFIG}', {_concat("t", TRIAL_MORE_FIELDS)} || ' ' || {_concat("p", WP1_TEXT)}
        || ' ' || {NOTES_SQL}), 'D')
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


def _note_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.product_id:
        search_vectors_refresh(product_ids=[instance.product_id])


def connect_signals() -> None:
    post_save.connect(_note_changed, sender=SheetCell, dispatch_uid="trials_search_note")
    post_delete.connect(_note_changed, sender=SheetCell, dispatch_uid="trials_search_note_delete")
    post_save.connect(_product_saved, sender=Product, dispatch_uid="trials_search_product")
    post_save.connect(_trial_changed, sender=Trial, dispatch_uid="trials_search_trial")
    post_delete.connect(_trial_changed, sender=Trial, dispatch_uid="trials_search_trial_delete")
