"""Trainers and coordinators read attempts and answers (admin reports); trainers grade answers
through the site's grading screens, which check session membership themselves."""

from django.db import migrations

READ = [("assessments", "view_attempt"), ("assessments", "view_answer")]
TRAINER = READ + [("assessments", "change_answer")]
COORDINATOR = READ


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Formateur", TRAINER), ("Coordination nationale", COORDINATOR)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [("assessments", "0003_assessments_attempts_answers")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
