"""The search vectors now hold every text of the sheet (funding, centres, WP 1 answers, notes): recompute them."""

from django.db import migrations


def refresh(apps, schema_editor):
    from trials.search import search_vectors_refresh

    search_vectors_refresh(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("trials", "0007_sheet_cell_places")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
