"""Background tasks of the quality app (django-tasks): run by `manage.py db_worker`, at once in
tests."""

import datetime

from django.utils import timezone

from django_tasks import task

from . import services


@task()
def send_survey_reminders(day: str | None = None) -> int:
    """Invite and remind trainees about the surveys open on `day` (ISO date, default today).
    Returns the number of messages sent."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return services.survey_reminders_send(today=today)


@task()
def build_evidence_pack(pack_id: int) -> int:
    """Build one requested evidence pack; returns its size in bytes."""
    return services.evidence_pack_build(pack_id=pack_id).size
