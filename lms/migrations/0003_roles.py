"""Create the three roles as groups, with the permissions the architecture's role table gives.

Trainers author pages under moderation (add/change, no publish); coordinators also publish and
manage accounts and the network snippets. Feature apps grant their own models' permissions in
their own migrations (see `lms.roles.grant_permissions`).
"""

from django.db import migrations

TRAINEE, TRAINER, COORDINATOR = "Stagiaire", "Formateur", "Coordination nationale"

ADMIN_ACCESS = [("wagtailadmin", "access_admin")]
MEDIA = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
NETWORK = [
    ("lms", "add_structure"),
    ("lms", "change_structure"),
    ("lms", "view_structure"),
    ("lms", "view_territory"),
]
PAGE_PERMISSIONS = {
    TRAINER: ["add_page", "change_page", "lock_page", "unlock_page"],
    COORDINATOR: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    def grant(group, codenames):
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    Group.objects.get_or_create(name=TRAINEE)
    trainer, _ = Group.objects.get_or_create(name=TRAINER)
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)
    grant(trainer, ADMIN_ACCESS + MEDIA + [("lms", "view_structure"), ("lms", "view_territory")])
    grant(
        coordinator,
        ADMIN_ACCESS
        + MEDIA
        + NETWORK
        + [("lms", "add_territory"), ("lms", "change_territory")]
        + [("lms", "add_user"), ("lms", "change_user"), ("lms", "view_user")],
    )

    root = Page.objects.filter(depth=1).first()
    if root is None:
        return
    for group in (trainer, coordinator):
        for codename in PAGE_PERMISSIONS[group.name]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[TRAINEE, TRAINER, COORDINATOR]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_homepage_sitesettings"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
