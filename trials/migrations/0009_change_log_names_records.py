"""The change log names the trial and product each write touched (trials/facet_index.py).

With the ids, the facet index reloads only the records a write changed instead of
rebuilding every array. Row-level triggers now (PostgreSQL too): one log row per
changed row, old and new, so a trial moved to another product names both products.
A row naming neither (a location edited, a TRUNCATE) means "rebuild everything".
A location added or deleted is not logged (EVENTS says why).
"""

from django.db import migrations, models

# Which record of each list a row of each watched table belongs to: (trial id, product id) columns.
RECORD_COLUMNS = {
    "trials_trial": ("id", "product_id"),
    "trials_trial_countries": ("trial_id", None),
    "trials_product": (None, "id"),
    "trials_product_origin_locations": (None, "product_id"),
    "trials_location": (None, None),  # a name or code changes for every record that has it
}
# A location added is used by no record yet, and one deleted takes its links with it (they
# are logged): only an edited location concerns records not named in the log.
EVENTS = {"trials_location": ("update",)}
ALL_EVENTS = ("insert", "update", "delete")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION trials_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    token text := md5(random()::text || clock_timestamp()::text);
    written jsonb;
BEGIN
    IF TG_LEVEL = 'STATEMENT' THEN
        INSERT INTO trials_cataloguechange (token) VALUES (token);
        RETURN NULL;
    END IF;
    FOREACH written IN ARRAY ARRAY[to_jsonb(OLD), to_jsonb(NEW)] LOOP
        CONTINUE WHEN written IS NULL;
        INSERT INTO trials_cataloguechange (token, trial_id, product_id) VALUES (
            token,
            (written ->> TG_ARGV[0])::bigint,
            (written ->> TG_ARGV[1])::bigint
        );
    END LOOP;
    RETURN NULL;
END
$$
"""
POSTGRES_ROW_TRIGGER = """
CREATE TRIGGER {table}_changed AFTER {events} ON {table}
FOR EACH ROW EXECUTE FUNCTION trials_catalogue_changed('{trial}', '{product}')
"""
POSTGRES_TRUNCATE_TRIGGER = """
CREATE TRIGGER {table}_truncated AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION trials_catalogue_changed()
"""
OLD_POSTGRES_TRIGGER = """
CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION trials_catalogue_changed()
"""
OLD_POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION trials_catalogue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO trials_cataloguechange (token) VALUES (md5(random()::text || clock_timestamp()::text));
    RETURN NULL;
END
$$
"""
SQLITE_TRIGGER = """
CREATE TRIGGER {table}_{event}_changed AFTER {event} ON {table} FOR EACH ROW
BEGIN
{inserts}
END
"""
SQLITE_INSERT = "    INSERT INTO trials_cataloguechange (token, trial_id, product_id) VALUES (lower(hex(randomblob(16))), {trial}, {product});"
OLD_SQLITE_INSERT = "    INSERT INTO trials_cataloguechange (token) VALUES (lower(hex(randomblob(16))));"
SQLITE_ROWS = {"insert": ("NEW",), "update": ("OLD", "NEW"), "delete": ("OLD",)}


def _sqlite_inserts(table: str, event: str) -> str:
    trial, product = RECORD_COLUMNS[table]
    return "\n".join(
        SQLITE_INSERT.format(
            trial=f"{row}.{trial}" if trial else "NULL", product=f"{row}.{product}" if product else "NULL"
        )
        for row in SQLITE_ROWS[event]
    )


def _drop(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for table in RECORD_COLUMNS:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_changed ON {table}")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_truncated ON {table}")
        else:
            for event in SQLITE_ROWS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_changed")


def name_records(apps, schema_editor):
    _drop(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table, (trial, product) in RECORD_COLUMNS.items():
            events = " OR ".join(event.upper() for event in EVENTS.get(table, ALL_EVENTS))
            schema_editor.execute(
                POSTGRES_ROW_TRIGGER.format(table=table, events=events, trial=trial or "", product=product or "")
            )
            schema_editor.execute(POSTGRES_TRUNCATE_TRIGGER.format(table=table))
    else:
        for table in RECORD_COLUMNS:
            for event in EVENTS.get(table, ALL_EVENTS):
                inserts = _sqlite_inserts(table, event)
                schema_editor.execute(SQLITE_TRIGGER.format(table=table, event=event, inserts=inserts))


def name_no_records(apps, schema_editor):
    _drop(schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OLD_POSTGRES_FUNCTION)
        for table in RECORD_COLUMNS:
            schema_editor.execute(OLD_POSTGRES_TRIGGER.format(table=table))
    else:
        for table in RECORD_COLUMNS:
            for event in SQLITE_ROWS:
                schema_editor.execute(SQLITE_TRIGGER.format(table=table, event=event, inserts=OLD_SQLITE_INSERT))


class Migration(migrations.Migration):
    dependencies = [("trials", "0008_search_every_text")]

    operations = [
        migrations.AddField("cataloguechange", "trial_id", models.BigIntegerField(null=True)),
        migrations.AddField("cataloguechange", "product_id", models.BigIntegerField(null=True)),
        migrations.RunPython(name_records, name_no_records, elidable=False),
    ]
