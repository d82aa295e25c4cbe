from django.db import migrations


def site_from_site_url(apps, schema_editor):
    from platform_site.sites import sync_site

    sync_site(apps.get_model("sites", "Site"), using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("platform_site", "0001_roles"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(site_from_site_url, migrations.RunPython.noop)]
