"""The five competency objectives (training.md §1) and the roles' permissions on sessions."""

from django.db import migrations

COMPETENCIES = [
    ("C1", "Repérer et qualifier la situation du ménage", 1, 2),
    ("C2", "Organiser un projet de rénovation performante adapté au ménage", 3, 8),
    ("C3", "Construire et sécuriser le plan de financement", 9, 9),
    ("C4", "Coordonner et suivre le chantier jusqu'à la réception", 10, 11),
    ("C5", "Remettre le logement et clôturer l'accompagnement", 12, 12),
]

TRAINER = [
    ("modules", codename)
    for codename in (
        "add_trainingsession", "change_trainingsession", "view_trainingsession",
        "change_sessionslot", "view_sessionslot",
        "add_enrolment", "change_enrolment", "view_enrolment",
        "change_attendance", "view_attendance", "view_competency",
    )
]  # fmt: skip
COORDINATOR = TRAINER + [
    ("modules", "delete_trainingsession"),
    ("modules", "delete_enrolment"),
    ("modules", "change_competency"),
]


def forwards(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    Competency = apps.get_model("modules", "Competency")
    for code, title, first, last in COMPETENCIES:
        Competency.objects.update_or_create(
            code=code, defaults={"title": title, "first_module": first, "last_module": last}
        )

    app_config = apps.get_app_config("modules")
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


def backwards(apps, schema_editor):
    apps.get_model("modules", "Competency").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("modules", "0001_initial"), ("lms", "0004_territories")]
    operations = [migrations.RunPython(forwards, backwards)]
