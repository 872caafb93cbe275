"""The five role groups and their permissions (see ``pinghu.permissions``)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; create them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None

    from pinghu.permissions import sync_role_groups

    sync_role_groups(apps, using=schema_editor.connection.alias)


def remove_role_groups(apps, schema_editor):
    from pinghu.permissions import Role

    apps.get_model("auth", "Group").objects.using(schema_editor.connection.alias).filter(name__in=Role.ALL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("pinghu", "0003_roles"),
        ("chains", "0004_history"),
        ("projects", "0008_roles"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
