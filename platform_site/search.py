"""One search across the portal: every kind of record, grouped by kind with counts.

Each kind searches only what the user may see (each app's own ``visible_to`` or
``public`` queryset). PostgreSQL: full-text search with ``websearch`` queries
ranked by ``SearchRank`` (products and trials use their stored, GIN-indexed
vectors from trials.search; other kinds build their vector in the query).
SQLite: every word must occur in one of the kind's fields (``icontains``).

One query per kind: the page of best matches carries the total number of
matches as a window count, so a search costs the same number of queries
whatever it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Window

from trials.search import clean_query

CONFIG = "english"


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    #: The records this user may see, restricted to the columns the results show.
    visible: Callable[[object], QuerySet]
    #: Searched text fields, most important first.
    fields: tuple[str, ...]
    #: The result's title and one line under it.
    title: Callable[[object], str]
    detail: Callable[[object], str] = lambda obj: ""
    #: A kind's own search (trials' stored vectors) instead of the generic one.
    search: Callable[[QuerySet, str], QuerySet] | None = None
    #: PostgreSQL: the kind's stored vectors in knowledge.SearchDocument (GIN-indexed), instead of computing them.
    document: str = ""


@dataclass(frozen=True)
class Result:
    title: str
    detail: str
    url: str


@dataclass
class Group:
    kind: Kind
    total: int
    results: list[Result]


def _words(query: str) -> list[str]:
    words = [w.strip("\"'()") for w in query.split()]
    return [w for w in words if w and w.lower() not in {"or", "and"} and not w.startswith("-")][:10]


def _document_search(queryset: QuerySet, kind: str, query: str) -> QuerySet:
    """Rows whose stored vector matches (a GIN index scan), ranked by that vector."""
    from experts.knowledge.models import SearchDocument

    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    documents = SearchDocument.objects.filter(kind=kind, vector=search_query)
    rank = documents.filter(object_id=OuterRef("pk")).annotate(r=SearchRank(F("vector"), search_query)).values("r")
    return queryset.filter(pk__in=documents.values("object_id")).annotate(rank=Subquery(rank[:1]))


def _generic_search(queryset: QuerySet, fields: tuple[str, ...], query: str) -> QuerySet:
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        vector = SearchVector(*fields, config=CONFIG)
        return (
            queryset.annotate(search_vector_=vector)
            .filter(search_vector_=search_query)
            .annotate(rank=SearchRank(vector, search_query))
        )
    words = _words(query)
    if not words:
        return queryset.none()
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return queryset.filter(condition)


def matches(kind: Kind, user, query: str) -> QuerySet:
    """The kind's visible records matching the query, best first."""
    queryset = kind.visible(user)
    if kind.search:
        queryset = kind.search(queryset, query)
    elif kind.document and connection.vendor == "postgresql":
        queryset = _document_search(queryset, kind.document, query)
    else:
        queryset = _generic_search(queryset, kind.fields, query)
    ordering = ["-rank", "-pk"] if connection.vendor == "postgresql" else ["-pk"]
    return queryset.order_by(*ordering)


def search_kind(kind: Kind, user, query: str, *, offset: int = 0, limit: int = 5) -> Group:
    """One query: the requested slice of matches, each row carrying the total count."""
    rows = list(matches(kind, user, query).annotate(total_=Window(Count("pk")))[offset : offset + limit])
    total = rows[0].total_ if rows else 0
    if not rows and offset:
        total = matches(kind, user, query).count()
    results = [Result(kind.title(obj), kind.detail(obj) or "", obj.get_absolute_url()) for obj in rows]
    return Group(kind=kind, total=total, results=results)


def site_search(user, text, *, per_kind: int = 5) -> tuple[str, list[Group]]:
    """(the cleaned query, one group per kind in KINDS order); no query: no groups."""
    query = clean_query(text)
    if not query:
        return query, []
    return query, [search_kind(kind, user, query, limit=per_kind) for kind in kinds()]


# --- The kinds, in the order the results page shows them ----------------------------
def _products(user):
    from trials.models import Product

    return Product.objects.visible_to(user).only("name", "slug", "atmp_type", "disease_text")


def _trials(user):
    from trials.models import Trial

    return (
        Trial.objects.visible_to(user)
        .select_related("product")
        .only("title", "primary_identifier", "registry_id_text", "column_index", "product__slug", "product__name")
    )


def _product_search(queryset, query):
    from trials.search import product_search

    return product_search(queryset, query)


def _trial_search(queryset, query):
    from trials.search import trial_search

    return trial_search(queryset, query)


def _facilities(user):
    from facilities.models import Facility

    return Facility.objects.visible_to(user).only("name", "slug", "institution", "city", "country")


def _experts(user):
    from experts.models import ExpertProfile

    return (
        ExpertProfile.objects.public()
        .select_related("user")
        .only("display_name", "affiliation", "country", "user__first_name", "user__last_name")
    )


def _articles(user):
    from experts.models import KnowledgeArticle

    return KnowledgeArticle.objects.visible_to(user).only("title", "summary", "topic")


def _cases(user):
    from experts.knowledge.models import CaseStudy

    return CaseStudy.objects.visible_to(user).only("title", "slug", "summary", "indication", "curation_status")


def _resources(user):
    from experts.knowledge.models import Resource

    return Resource.objects.visible_to(user).only("title", "kind", "country")


def _questions(user):
    from experts.knowledge.models import Question

    return Question.objects.visible_to(user).only("title", "created_at", "audience")


def _events(user):
    from experts.knowledge.models import Event

    return Event.objects.visible_to(user).only("title", "starts_at", "time_zone", "organiser")


_KINDS: list[Kind] = []


def kinds() -> list[Kind]:
    """Built on first use: the apps' models are not importable while settings load."""
    if not _KINDS:
        _KINDS.extend(
            [
                Kind("products", "Products", _products, ("name", "disease_text"), lambda p: p.name,
                     lambda p: p.disease_text, search=_product_search),
                Kind("trials", "Trials", _trials, ("title",), lambda t: t.title or str(t),
                     lambda t: t.product.name, search=_trial_search),
                Kind("facilities", "Facilities", _facilities,
                     ("name", "institution", "city", "capacity_notes", "services_description"),
                     lambda f: f.name, lambda f: f"{f.institution}, {f.city}"),
                Kind("experts", "Experts", _experts, ("display_name", "affiliation", "expertise", "bio"),
                     lambda e: e.name, lambda e: e.affiliation),
                Kind("articles", "Articles", _articles, ("title", "summary", "body"), lambda a: a.title,
                     lambda a: a.summary, document="article"),
                Kind("cases", "Case studies", _cases, ("title", "summary", "indication", "lessons"),
                     lambda c: c.title, lambda c: c.summary or c.indication, document="case"),
                Kind("resources", "Regulatory resources", _resources, ("title", "description", "languages"),
                     lambda r: r.title, lambda r: r.get_kind_display(), document="resource"),
                Kind("questions", "Questions", _questions, ("title", "body"), lambda q: q.title,
                     lambda q: f"Asked {q.created_at:%d %b %Y}", document="question"),
                Kind("events", "Events", _events, ("title", "description", "organiser", "place"), lambda e: e.title,
                     lambda e: f"{e.local_start:%d %b %Y %H:%M} ({e.time_zone}), {e.organiser}", document="event"),
            ]
        )  # fmt: skip
    return _KINDS


def kind_by_key(key: str) -> Kind | None:
    return next((kind for kind in kinds() if kind.key == key), None)


# --- The page -------------------------------------------------------------------------
PAGE_SIZE = 20


def search_page(request):
    """/search/?q=...: every kind with its count and best matches; &kind=...: one kind, paginated."""
    from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
    from django.shortcuts import render

    kind = kind_by_key(request.GET.get("kind", ""))
    query, groups = site_search(request.user, request.GET.get("q", ""))
    context = {"q": query, "groups": groups, "kind": kind, "total": sum(g.total for g in groups)}
    if kind and query:
        group = next(g for g in groups if g.kind is kind)
        paginator = Paginator(range(group.total), PAGE_SIZE)
        try:
            page = paginator.page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            page = paginator.page(1)
        context["page_obj"] = page
        context["kind_results"] = search_kind(kind, request.user, query, offset=page.start_index() - 1 if
                                              group.total else 0, limit=PAGE_SIZE).results  # fmt: skip
    return render(request, "search.html", context)
