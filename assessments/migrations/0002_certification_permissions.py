"""Coordinators edit the national target (a Wagtail site setting)."""

from django.db import migrations

COORDINATOR = [("assessments", "change_nationaltargetsettings")]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Coordination nationale")
    for app_label, codename in COORDINATOR:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_certification"), ("lms", "0004_territories")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
