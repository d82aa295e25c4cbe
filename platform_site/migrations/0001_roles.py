from django.db import migrations


def create_roles(apps, schema_editor):
    from platform_site.roles import sync_groups

    # Permissions of models created later are attached by roles.sync_after_migrate.
    sync_groups(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
