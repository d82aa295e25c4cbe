"""GIN indexes on the stored search vectors, PostgreSQL only, then fill the vectors.

SQLite has no GIN and no tsvector; there the search falls back to icontains
(trials/search.py), so the operation does nothing.
"""

from django.db import migrations

INDEXES = [
    ("trials_product_search_gin", "trials_product"),
    ("trials_trial_search_gin", "trials_trial"),
]


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_vector)")
    from trials.search import search_vectors_refresh

    search_vectors_refresh(using=schema_editor.connection.alias)


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("trials", "0002_facet_indexes")]

    operations = [migrations.RunPython(create_gin_indexes, drop_gin_indexes, elidable=False)]
