"""Facet counts for the trial and product lists, counted in memory instead of by ten GROUP BYs.

Why: a disjunctive facet is counted with every *other* filter applied, so the
SQL way (trials/facets.py) re-runs the search and every join once per facet. At
100,000 trials that is 0.5-0.8 s of SQL on PostgreSQL (docs/benchmarks.md). The
facet values of every record fit in a few MB of NumPy arrays, and counting them
for any combination of filters takes about a millisecond; only the filters that
are not facets (the text search, disease, target, route) still go to the
database, as one query for the matching ids.

The arrays follow the data. Database triggers (migrations 0004, 0009) add a row
to CatalogueChange naming the trial and/or product of every row written to the
tables read here; a request compares the change log's summary with the one the
arrays were built at (one small query). When it moved on, only the records the new
log rows name are read again and patched in (trials/facet_patch.py); the whole
index is rebuilt when that cannot be trusted or would not be cheaper (patched()).
A build is kept in this process and in the cache, so one process
building it spares the others. The log is pruned before a rebuild once it is long
(prune_change_log says why that cannot hide a write).
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction

from platform_site.permissions import is_curator

from .facet_patch import merge
from .facets import Facet, FacetSpec, facet_options
from .filters import YearFilter
from .models import CatalogueChange, CurationStatus, Product, Trial

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
# Part of the cache key: raise it whenever FacetIndex or FacetColumn change shape, so a process
# of the new code never unpickles a build of the old one that other processes left in Redis.
INDEX_FORMAT = 3
IDS_FOR_THE_PAGE = 1000  # up to this many results, the page query is given their ids
SPARSE_BELOW = 0.125  # share of the records below which counting picks them out (FacetColumn.counts)


@dataclass
class FacetColumn:
    """One facet's values: a code per record, or (record row, code) pairs when many-valued.

    Codes start at 1; 0 is "no value" (never counted, never matched), so a code indexes
    lookup tables and bincount slots directly, with no pass to drop the empty ones.
    """

    values: list  # code - 1 -> the value as stored (ordering uses it: years sort as numbers)
    keys: list[str]  # code - 1 -> the value as the filter's URL parameter spells it
    codes: np.ndarray  # intp, 0 for no value
    rows: np.ndarray | None = None  # many-valued: the record's row for each pair, ascending
    starts: np.ndarray | None = None  # many-valued: where each record's pairs start (one more at the end)
    names: dict[str, str] | None = None  # key -> display name (locations)

    def matches(self, keys: list[str], size: int) -> np.ndarray:
        """Records whose value (any of their values) is one of `keys`."""
        wanted = set(keys)
        lookup = np.zeros(len(self.values) + 1, dtype=bool)
        lookup[1:] = [key in wanted for key in self.keys]
        hit = np.take(lookup, self.codes)
        if self.rows is None:
            return hit
        mask = np.zeros(size, dtype=bool)
        mask[self.rows[hit]] = True
        return mask

    def counts(self, among: np.ndarray) -> np.ndarray:
        """How many of the records in `among` have each value (a record counts once per value).

        Two ways, by how many records are in `among`: a few, their codes are picked out and
        counted (at 1% of 100,000 records 8-10x faster than weighting); many, every code is
        counted weighted by its record's 0/1, one pass with no gathering (at 50%, 2.2x faster
        for many-valued facets, about even for single-valued). bench/trials/bench_facet_counting.py.
        """
        slots = len(self.values) + 1
        if np.count_nonzero(among) < SPARSE_BELOW * len(among):
            chosen = np.flatnonzero(among)
            picked = chosen if self.rows is None else self._pairs_of(chosen)
            counted = np.bincount(self.codes[picked], minlength=slots)
        else:
            weights = among if self.rows is None else np.take(among, self.rows)
            counted = np.bincount(self.codes, weights=weights, minlength=slots)
        return counted[1:].astype(np.int64)

    def _pairs_of(self, chosen: np.ndarray) -> np.ndarray:
        """Positions of the chosen records' pairs: pairs are sorted by record, `starts` marks each one's first."""
        starts = self.starts[chosen]
        lengths = self.starts[chosen + 1] - starts
        return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())


@dataclass
class FacetIndex:
    """The facet values of every record of one list (trials or products)."""

    ids: np.ndarray  # primary keys, sorted
    published: np.ndarray  # the record (a trial: its product) is published
    owner_ids: np.ndarray  # its contributor, 0 when none
    columns: dict[str, FacetColumn]
    log: tuple = (0, None, None)  # the change log as it stood when the arrays were read (_change_log)

    @property
    def size(self) -> int:
        return len(self.ids)

    def visible(self, user) -> np.ndarray:
        """Mirrors ProductQuerySet.visible_to (a test holds them equal for every role)."""
        if is_curator(user):
            return np.ones(self.size, dtype=bool)
        if user.is_authenticated:
            return self.published | (self.owner_ids == user.pk)
        return self.published.copy()

    def among(self, ids: np.ndarray) -> np.ndarray:
        """The records with these ids (ids the index does not hold are left out)."""
        positions = np.searchsorted(self.ids, ids)
        known = positions < self.size
        known[known] = self.ids[positions[known]] == ids[known]
        mask = np.zeros(self.size, dtype=bool)
        mask[positions[known]] = True
        return mask

    def count(self, specs: list[FacetSpec], selected: dict[str, list[str]], base: np.ndarray, data) -> FacetCounts:
        """Disjunctive counts for each spec, and the records every filter lets through."""
        masks = {
            spec.name: self.columns[spec.name].matches(selected[spec.name], self.size)
            for spec in specs
            if selected.get(spec.name)
        }
        everything = base.copy()
        for mask in masks.values():
            everything &= mask
        facets = []
        for spec in specs:
            others = base.copy()
            for name, mask in masks.items():
                if name != spec.name:
                    others &= mask
            facets.append(self._facet(spec, others, data))
        total = int(everything.sum())
        matching = self.ids[everything] if total <= IDS_FOR_THE_PAGE else None
        return FacetCounts(facets=facets, total=total, matching_ids=matching)

    def _facet(self, spec: FacetSpec, among: np.ndarray, data) -> Facet:
        column = self.columns[spec.name]
        counts = column.counts(among)
        present = list(np.flatnonzero(counts))
        present.sort(key=lambda code: (-counts[code], column.values[code]))
        rows = [
            (column.keys[code], (column.names or {}).get(column.keys[code]), int(counts[code]))
            for code in present[: spec.limit]
        ]
        return Facet(spec.name, spec.label, facet_options(spec, rows, data))


@dataclass
class FacetCounts:
    facets: list[Facet]
    total: int
    matching_ids: np.ndarray | None = None  # the results, when there are few enough to name

    def narrow(self, queryset):
        """The queryset restricted to the records the index found, when it names them.

        The page query then starts from a few primary keys instead of the search and joins
        (the searched trial page at 100,000 trials: 16-21 ms instead of 31-41 ms). Its filters
        still apply, so a record the filters reject is never listed, whatever the index says.
        """
        if self.matching_ids is None:
            return queryset
        return queryset.filter(pk__in=self.matching_ids.tolist())


# --- Building ------------------------------------------------------------------------
# Where publication and ownership live, from each list's records.
PRODUCT_PATH = {Trial: "product__", Product: ""}


def _key(value) -> str:
    """The value as the filter's URL parameter spells it (first in human: yes/no)."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return "" if value is None else str(value)


def _encode(raw: list) -> tuple[list, list[str], np.ndarray]:
    """Codes for a column of values, from 1; empty values get 0 (see FacetColumn)."""
    code_of: dict = {}
    codes = np.empty(len(raw), dtype=np.intp)
    for i, value in enumerate(raw):
        codes[i] = 0 if _key(value) == "" else code_of.setdefault(value, len(code_of) + 1)
    values = list(code_of)
    return values, [_key(v) for v in values], codes


def _many_valued(model, path: str) -> bool:
    """Does the path cross a to-many relation (trial countries, a product's trials...)?"""
    for part in path.split("__")[:-1]:
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def build(model, specs: list[FacetSpec], pks: list[int] | None = None) -> FacetIndex:
    """Read the facet values of every record, or of these: a query for the single values, one per many-valued facet."""
    single = [spec for spec in specs if not _many_valued(model, spec.path)]
    product = PRODUCT_PATH[model]
    records = model.objects.all() if pks is None else model.objects.filter(pk__in=pks)
    rows = list(
        records.order_by("pk").values_list(
            "pk", f"{product}curation_status", f"{product}owner_id", *[spec.path for spec in single]
        )
    )
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    columns = {}
    for offset, spec in enumerate(single, start=3):
        columns[spec.name] = FacetColumn(*_encode([row[offset] for row in rows]))
    for spec in specs:
        if spec not in single:
            columns[spec.name] = _pairs(records, spec, ids)
    return FacetIndex(
        ids=ids,
        published=np.array([row[1] == CurationStatus.PUBLISHED for row in rows], dtype=bool),
        owner_ids=np.array([row[2] or 0 for row in rows], dtype=np.int64),
        columns=columns,
    )


def _pairs(records, spec: FacetSpec, ids: np.ndarray) -> FacetColumn:
    """(record, value) pairs, each once: a product with three trials in Germany counts once for DE."""
    paths = [spec.path, *([spec.name_path] if spec.name_path else [])]
    pairs = list(records.filter(**{f"{spec.path}__isnull": False}).order_by().values_list("pk", *paths))
    # A record written between this query and the first one is left out: the change log
    # moved on meanwhile, so the next request builds again anyway.
    pair_ids = np.array([pair[0] for pair in pairs], dtype=np.int64)
    rows = np.searchsorted(ids, pair_ids)
    known = rows < len(ids)
    known[known] = ids[rows[known]] == pair_ids[known]
    pairs = [pair for pair, keep in zip(pairs, known, strict=True) if keep]
    values, keys, codes = _encode([pair[1] for pair in pairs])
    rows = rows[known]
    _, first = np.unique(rows * (len(values) + 1) + codes, return_index=True)
    names = {_key(pair[1]): pair[2] for pair in pairs} if spec.name_path else None
    rows = rows[first]  # np.unique sorted the (row, code) keys, so by row
    starts = np.searchsorted(rows, np.arange(len(ids) + 1))
    return FacetColumn(values, keys, codes[first], rows=rows, starts=starts, names=names)


# --- Keeping it current -----------------------------------------------------------------
_built: dict[tuple[str, str], tuple[str, FacetIndex]] = {}


PRUNE_ABOVE = 10_000  # change-log rows; past this, a rebuild first prunes the log


def _change_log() -> tuple[int, int | None, str | None]:
    """The change log's size, newest id and that row's random token."""
    table = CatalogueChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*), MAX(id), (SELECT token FROM {table} ORDER BY id DESC LIMIT 1) FROM {table}"  # noqa: S608
        )
        return cursor.fetchone()


def _summary(log: tuple) -> str:
    return "{}:{}:{}".format(*log)


def change_summary() -> str:
    """Where the change log stands: its size, newest id and that row's random token."""
    return _summary(_change_log())


def prune_change_log() -> None:
    """Replace the change log's rows by one new row, so counting it stays cheap.

    The log only has to say *whether* something changed since a build. Rows of
    transactions still open are invisible here, so they survive and, once committed,
    raise the count. The new row matters: left with only its old newest row, the log
    could come back to a summary some process built at before (a long import that began
    before one pruning and commits after it, then another pruning), and that process
    would keep its stale arrays. A new row with a new token gives a summary nobody has
    seen, so every process builds once. A failure (a lock, a deadlock between two
    pruners, a read-only replica) leaves the log as it was and the page is served.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {CatalogueChange._meta.db_table}")  # noqa: S608 - our own table name
            CatalogueChange.objects.create(token=secrets.token_hex(16))
    except DatabaseError:
        logger.warning("Could not prune the catalogue change log", exc_info=True)


def current(model, specs: list[FacetSpec]) -> FacetIndex:
    """The index for the data as it stands: this process's copy, the cache's, or a new build."""
    where = (str(connection.settings_dict["NAME"]), model._meta.label)
    log = _change_log()
    mine = _built.get(where)
    if mine and mine[0] == _summary(log):
        return mine[1]
    if log[0] > PRUNE_ABOVE:  # its row count
        prune_change_log()
        log = _change_log()
    summary = _summary(log)
    cache_key = f"trials:facet-index:v{INDEX_FORMAT}:{where[0]}:{where[1]}:{summary}"
    index = cache.get(cache_key)
    if index is None:
        index = (mine and patched(model, specs, mine[1], log)) or build(model, specs)
        index.log = log  # a new object either way, not yet shared
        cache.set(cache_key, index, CACHE_SECONDS)
    _built[where] = (summary, index)
    return index


# Past this many changed records the whole index is read again: reading records by id costs
# more per record than reading them all in order (at a few thousand the two meet at 100,000
# trials), and it keeps the `IN (...)` lists well within SQLite's limit on parameters.
MOST_CHANGES = 500


def patched(model, specs: list[FacetSpec], index: FacetIndex, log: tuple) -> FacetIndex | None:
    """`index` with the records changed since it was built read again, or None to rebuild it all.

    None when: the log was pruned since (its newest row at the build is gone), a row was
    committed below that newest row after the build (the counts disagree: sequence order is
    not commit order), a row names no record (a location renamed, a TRUNCATE: every record
    may change), or too many records changed.
    """
    count, newest, token = index.log
    if newest is None or log[1] is None:
        return None
    rows = list(
        CatalogueChange.objects.filter(id__gte=newest, id__lte=log[1])
        .order_by("id")
        .values_list("id", "token", "trial_id", "product_id")[: MOST_CHANGES + 2]
    )
    if not rows or rows[0][:2] != (newest, token) or len(rows) - 1 != log[0] - count:
        return None
    trials = {row[2] for row in rows[1:] if row[2] is not None}
    products = {row[3] for row in rows[1:] if row[3] is not None}
    if any(row[2] is None and row[3] is None for row in rows[1:]):
        return None
    if model is Trial:
        changed = trials | set(Trial.objects.filter(product_id__in=products).values_list("pk", flat=True))
    else:
        changed = products | set(Trial.objects.filter(pk__in=trials).values_list("product_id", flat=True))
    if len(changed) > MOST_CHANGES:
        return None
    ordered = sorted(changed)
    return merge(index, build(model, specs, pks=ordered), np.array(ordered, dtype=np.int64))


def selections(filterset, specs: list[FacetSpec]) -> dict[str, list[str]]:
    """What each facet filter lets through, read from the validated form as the FilterSet reads it.

    A parameter the form rejects is left out of cleaned_data and so ignored by the FilterSet;
    it is ignored here too.
    """
    filterset.is_valid()
    cleaned = filterset.form.cleaned_data
    chosen = {}
    for spec in specs:
        value = cleaned.get(spec.name)
        if not value:
            continue
        values = [value] if isinstance(value, str) else [str(v) for v in value]
        if spec.name == "start_year":
            values = [str(year) for year in YearFilter.years(values)]
        chosen[spec.name] = values
    return chosen


NOT_FILTERS = ("sort", "page", "per_page", "search_in")  # search_in only says where `q` looks


def count_facets(filterset, user, specs: list[FacetSpec]) -> FacetCounts:
    """A list's facets and its number of results, for this user and these filters."""
    model = filterset._meta.model
    index = current(model, specs)
    base = index.visible(user)
    chosen = selections(filterset, specs)  # validates the form
    # The filters that are not facets (search, disease, target...) narrow the set in SQL, once,
    # applied as FilterSet.filter_queryset applies them, to every record (the index knows who sees what).
    facet_names = {spec.name for spec in specs} | set(NOT_FILTERS)
    others = {name: value for name, value in filterset.form.cleaned_data.items() if name not in facet_names}
    if any(value not in (None, "", [], ()) for value in others.values()):
        narrowed = model.objects.all()
        for name, value in others.items():
            narrowed = filterset.filters[name].filter(narrowed, value)
        base &= index.among(_ids(narrowed))
    return index.count(specs, chosen, base, filterset.data)


def _ids(queryset) -> np.ndarray:
    """A queryset's ids straight from the cursor: 8,000 ids in about 2 ms, not 8 ms through ORM rows."""
    sql, params = queryset.order_by().values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
