"""The site settings' single row exists from the start (issue 12).

Wagtail creates it on the first page that reads the settings: an INSERT during a GET, which
also moves the site's generation (lms.pagecache) and so empties what pages share. Created here
once instead, with the model's defaults; an existing row is left as it is."""

from django.db import migrations


def create_row(apps, schema_editor):
    SiteSettings = apps.get_model("lms", "SiteSettings")
    if not SiteSettings.objects.exists():
        SiteSettings.objects.create()


class Migration(migrations.Migration):
    dependencies = [("lms", "0010_training_body_identity")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
