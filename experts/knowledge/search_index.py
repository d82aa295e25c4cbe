"""Keeping SearchDocument vectors current on PostgreSQL (SQLite searches with icontains instead).

Weights: titles A, summaries and short fields B, long texts C. One INSERT ... ON CONFLICT
per save (signals below) or for every row of a kind (``refresh_search_documents()``).
"""

from __future__ import annotations

from django.db import connections
from django.db.models.signals import post_delete, post_save

CONFIG = "english"


def _words(table: str, fields) -> str:
    return " || ' ' || ".join(f"coalesce({table}.{f}::text, '')" for f in fields)


# kind -> (table, A fields, B fields, C fields)
SOURCES = {
    "case": ("knowledge_casestudy", ["title"], ["summary", "indication"], ["lessons"]),
    "resource": ("knowledge_resource", ["title"], ["languages"], ["description"]),
    "question": ("knowledge_question", ["title"], [], ["body"]),
    "event": ("knowledge_event", ["title"], ["organiser", "place"], ["description"]),
    "article": ("experts_knowledgearticle", ["title"], ["summary"], ["body"]),
}


def _upsert_sql(kind: str) -> str:
    table, a, b, c = SOURCES[kind]
    parts = [f"setweight(to_tsvector('{CONFIG}', {_words(table, fields)}), '{weight}')"
             for fields, weight in ((a, "A"), (b, "B"), (c, "C")) if fields]  # fmt: skip
    return (
        f"INSERT INTO knowledge_searchdocument (kind, object_id, vector) "  # noqa: S608 - our own names only
        f"SELECT '{kind}', {table}.id, {' || '.join(parts)} FROM {table} "
        "{where} ON CONFLICT (kind, object_id) DO UPDATE SET vector = EXCLUDED.vector"
    )


def refresh_search_documents(kind: str, ids=None, *, using: str = "default") -> None:
    """Recompute the vectors of the given rows of a kind (all rows when ids is None)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    table = SOURCES[kind][0]
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(_upsert_sql(kind).format(where=""))
        else:
            cursor.execute(_upsert_sql(kind).format(where=f"WHERE {table}.id = ANY(%s)"), [list(ids)])


def _models():
    from experts.models import KnowledgeArticle

    from .models import CaseStudy, Event, Question, Resource

    return {"case": CaseStudy, "resource": Resource, "question": Question, "event": Event, "article": KnowledgeArticle}


def connect_signals() -> None:
    for kind, model in _models().items():

        def saved(sender, instance, raw=False, _kind=kind, **kwargs):
            if not raw:
                refresh_search_documents(_kind, [instance.pk])

        def deleted(sender, instance, _kind=kind, **kwargs):
            from .models import SearchDocument

            SearchDocument.objects.filter(kind=_kind, object_id=instance.pk).delete()

        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"knowledge_search_{kind}")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"knowledge_search_delete_{kind}")
