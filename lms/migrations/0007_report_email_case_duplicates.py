"""Before the case-insensitive unique constraint on User.email (lms.0008): refuse to go on while
two accounts share an address up to case, listing them; otherwise store every address in its
normal form (lms.identity.normalise_email). Existing duplicates are never merged silently: whoever
runs the migration merges or corrects them by hand, then migrates again."""

from django.db import migrations

from lms.identity import describe_email_duplicates, email_duplicates, normalise_email


def report_duplicates_then_normalise(apps, schema_editor):
    User = apps.get_model("lms", "User")
    rows = list(User.objects.using(schema_editor.connection.alias).values_list("pk", "email"))
    groups = email_duplicates(rows)
    if groups:
        raise RuntimeError(describe_email_duplicates(groups))
    for pk, email in rows:
        normal = normalise_email(email)
        if normal != email:
            User.objects.using(schema_editor.connection.alias).filter(pk=pk).update(email=normal)


class Migration(migrations.Migration):
    dependencies = [("lms", "0006_safe_call_to_action_urls")]

    operations = [
        migrations.RunPython(report_duplicates_then_normalise, migrations.RunPython.noop),
    ]
