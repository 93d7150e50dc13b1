"""Existing certificates: store what they certify as issued (the holder's name from the profile
today, the programme's title, the session's name and dates, the competencies) and give each an
unguessable number: ES-2026-000123 becomes ENS-2026-00123-K7QF (same year and sequence, a random
check part); the old number is kept in `legacy_number` for staff searches, not verification."""

import datetime
import secrets

from django.db import migrations
from django.db.models import Max, Min

CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def forwards(apps, schema_editor):
    Certification = apps.get_model("assessments", "Certification")
    Competency = apps.get_model("modules", "Competency")
    ProgrammePage = apps.get_model("modules", "ProgrammePage")
    SessionSlot = apps.get_model("modules", "SessionSlot")
    programme = ProgrammePage.objects.order_by("-live", "path").values_list("title", flat=True)
    title = programme.first() or "Ensemblier Solidaire"
    competencies = [[c.code, c.title] for c in Competency.objects.order_by("code")]
    days = {
        row["session_id"]: (row["first"], row["last"])
        for row in SessionSlot.objects.values("session_id").annotate(
            first=Min("date"), last=Max("date")
        )
    }
    taken = set(Certification.objects.values_list("number", flat=True))
    for certification in Certification.objects.select_related("trainee", "session").order_by(
        "pk"
    ):
        session = certification.session
        first, last = days.get(
            session.pk, (session.week1_start, session.week3_start + datetime.timedelta(days=4))
        )
        certification.holder_name = (
            f"{certification.trainee.first_name} {certification.trainee.last_name}".strip()
        )
        certification.programme_title = title
        certification.session_name = session.name
        certification.session_first_day = first
        certification.session_last_day = last
        certification.competencies = competencies
        certification.issued_on = certification.certified_on
        old = certification.number
        if not old.startswith("ENS-"):
            parts = old.split("-")
            year = int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else certification.certified_on.year
            sequence = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else certification.pk
            while True:
                check = "".join(secrets.choice(CHECK_ALPHABET) for _ in range(4))
                number = f"ENS-{year:04d}-{sequence:05d}-{check}"
                if number not in taken:
                    break
            taken.add(number)
            certification.legacy_number = old
            certification.number = number
        certification.save()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0009_certificate_as_issued"),
        ("modules", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
