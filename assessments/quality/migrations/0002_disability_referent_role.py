"""The disability referent's group ("Référent handicap", lms.roles.Role.DISABILITY_REFERENT), with
the permissions to read and record accommodations; trainers and coordinators read them."""

from django.db import migrations

REFERENT = "Référent handicap"
ACCOMMODATIONS = [
    ("quality", "view_accommodation"),
    ("quality", "add_accommodation"),
    ("quality", "change_accommodation"),
]
READ = [("quality", "view_accommodation")]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("quality")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (
        (REFERENT, ACCOMMODATIONS),
        ("Formateur", READ),
        ("Coordination nationale", READ),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_accommodations"), ("lms", "0003_roles")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
