"""Stored full-text vectors of knowledge items (PostgreSQL), so the site search uses a GIN index.

One row per searchable item, keyed by (kind, object_id); articles live in the experts app,
whose table this app does not change, so their vectors are kept here too.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchDocument(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    vector = SearchVectorField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="knowledge_searchdocument_item")]
