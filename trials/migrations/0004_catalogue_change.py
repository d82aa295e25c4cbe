"""The change log behind the in-memory facet index (trials/facet_index.py).

Triggers on every table the index is built from add a row to
trials_cataloguechange, so no write can slip past it: not a bulk insert, not a
queryset update, not a raw import. PostgreSQL: one row per statement, appended
(no shared row to lock, so concurrent writers neither wait on nor deadlock with
each other). SQLite has only row-level triggers; it serialises writers anyway.
"""

from django.db import migrations, models

WATCHED_TABLES = [
    "trials_product",
    "trials_trial",
    "trials_trial_countries",
    "trials_product_origin_locations",
    "trials_location",
]

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION trials_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trials_cataloguechange (token) VALUES (md5(random()::text || clock_timestamp()::text));
    RETURN NULL;
END
$$
"""
POSTGRES_TRIGGER = """
CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION trials_catalogue_changed()
"""
SQLITE_TRIGGER = """
CREATE TRIGGER {table}_{event}_changed AFTER {event} ON {table} FOR EACH ROW
BEGIN
    INSERT INTO trials_cataloguechange (token) VALUES (lower(hex(randomblob(16))));
END
"""
SQLITE_EVENTS = ("insert", "update", "delete")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table in WATCHED_TABLES:
            schema_editor.execute(POSTGRES_TRIGGER.format(table=table))
    elif vendor == "sqlite":
        for table in WATCHED_TABLES:
            for event in SQLITE_EVENTS:
                schema_editor.execute(SQLITE_TRIGGER.format(table=table, event=event))
    else:  # pragma: no cover - the design card names only these two
        raise NotImplementedError(f"No change triggers for {vendor}: the facet index would go stale.")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in WATCHED_TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
        else:
            for event in SQLITE_EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_changed")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS trials_catalogue_changed()")


class Migration(migrations.Migration):
    dependencies = [("trials", "0003_search_gin")]

    operations = [
        migrations.CreateModel(
            name="CatalogueChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
