"""Moderation by the national coordination, and media permissions for the staff roles.

Wagtail's default workflow ("Moderators approval") only lets its own "Moderators" group approve,
so pages submitted by trainers could not be approved by the coordination. The coordination group
joins the approval task (renamed in French). Trainers and coordinators also get the collection
permissions needed to upload and choose images and documents (case-study documents, module
blocks): Wagtail checks those per collection, not through group permissions alone.
"""

from django.db import migrations

TRAINER, COORDINATOR = "Formateur", "Coordination nationale"
MEDIA = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")

    trainer, _ = Group.objects.get_or_create(name=TRAINER)
    coordinator, _ = Group.objects.get_or_create(name=COORDINATOR)

    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.groups.add(coordinator)
        task.name = "Validation par la coordination nationale"
        task.save(update_fields=["name"])
    Workflow.objects.filter(name="Moderators approval").update(name="Validation éditoriale")

    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for group in (trainer, coordinator):
        for app_label, codename in MEDIA:
            permission = Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root, permission=permission
            )


def backwards(apps, schema_editor):
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupCollectionPermission.objects.filter(group__name__in=[TRAINER, COORDINATOR]).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0004_territories")]
    operations = [migrations.RunPython(forwards, backwards)]
