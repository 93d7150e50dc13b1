"""Demo signatures for the running demonstration session, so that the demo looks lived-in.

Every half-day before today is signed by the trainees and counter-signed by the demo trainer:
most present, one absence and one excused absence (never the demo trainee). Today is left
unsigned for the demonstration. Idempotent: half-days that already have rows are skipped.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

import yaml

from . import attendance as rules
from . import clock
from .models import Attendance, Enrolment, TrainingSession

SESSIONS_FILE = Path(settings.BASE_DIR) / "fixtures" / "sessions.yaml"
DEMO_TRAINEE = "stagiaire@ensemblier.example"


def demo_session() -> TrainingSession | None:
    slug = None
    if SESSIONS_FILE.exists():
        with SESSIONS_FILE.open(encoding="utf-8") as handle:
            slug = ((yaml.safe_load(handle) or {}).get("demo") or {}).get("slug")
    if slug:
        return TrainingSession.objects.filter(slug=slug).first()
    return (
        TrainingSession.objects.filter(enrolments__trainee__email__iexact=DEMO_TRAINEE)
        .order_by("-week1_start")
        .first()
    )


@transaction.atomic
def seed_attendance(stdout=None, today: datetime.date | None = None) -> int:
    """Sign the demo session's past half-days; return the number of rows created."""
    session = demo_session()
    if session is None:
        return 0
    today = today or clock.today()
    trainer = session.trainers.order_by("pk").first()
    if trainer is None:
        return 0
    enrolments = list(
        Enrolment.objects.filter(session=session, status__in=Enrolment.Status.SIGNING)
        .select_related("trainee")
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )
    others = [e for e in enrolments if e.trainee.email.lower() != DEMO_TRAINEE]
    past = list(session.slots.filter(date__lt=today).order_by("date", "start_time"))
    done = set(
        Attendance.objects.filter(slot__in=past).values_list("slot_id", flat=True).distinct()
    )
    absent = (past[-1].pk, others[0].pk) if past and others else None
    excused = (past[0].pk, others[1].pk) if past and len(others) > 1 else None
    rows = []
    for slot in past:
        if slot.pk in done:
            continue
        start = rules.slot_start(slot.date, slot.start_time)
        countersigned = start + datetime.timedelta(minutes=40)
        for index, enrolment in enumerate(enrolments):
            key = (slot.pk, enrolment.pk)
            status = rules.PRESENT
            signed = start + datetime.timedelta(minutes=(index * 7 + slot.day_number) % 25 - 12)
            if key == absent:
                status, signed = rules.ABSENT, None
            elif key == excused:
                status, signed = rules.EXCUSED, None
            rows.append(
                Attendance(
                    enrolment=enrolment,
                    slot=slot,
                    status=status,
                    trainee_signed_at=signed,
                    trainer_signed_at=countersigned,
                    trainer_signed_by=trainer,
                )
            )
    Attendance.objects.bulk_create(rows, ignore_conflicts=True)
    if rows and stdout is not None:
        stdout.write(f"  {len(rows)} émargements de démonstration ({session.name})")
    return len(rows)
