"""The collection whose documents anyone may download (lms.documents); every other document needs
login and the right to read the programme's full content."""

from django.db import migrations

PUBLIC_COLLECTION_NAME = "Documents publics"


def create_public_collection(apps, schema_editor):
    # treebeard's tree operations are not available on historical models; the collection table
    # is Wagtail's, unchanged since long before this migration.
    from wagtail.models import Collection

    if Collection.objects.filter(name=PUBLIC_COLLECTION_NAME).exists():
        return
    root = Collection.get_first_root_node()
    if root is not None:
        root.add_child(instance=Collection(name=PUBLIC_COLLECTION_NAME))


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0008_user_email_case_insensitive_unique"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_public_collection, migrations.RunPython.noop)]
