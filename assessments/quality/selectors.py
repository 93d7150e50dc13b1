"""Reads of the quality app: querysets with what their pages need, scoped through
`modules.access`."""

import datetime
from decimal import Decimal

from modules import access

from . import rules
from .models import Accommodation, Complaint

# --- Accommodations ------------------------------------------------------------------------------


def accommodations_in_force(trainee_ids, on: datetime.date):
    """Accommodations in force on `on` for the given trainees (one query when evaluated)."""
    return (
        Accommodation.objects.filter(trainee_id__in=trainee_ids, starts_on__lte=on)
        .exclude(ended_on__lte=on)
        .select_related("trainee")
    )


def time_factor_for(trainee, on: datetime.date) -> Decimal:
    """The time factor applied to the timed assessments `trainee` starts on `on` (1 without an
    accommodation in force). One query."""
    if not getattr(trainee, "pk", None):
        return Decimal(1)
    factors = accommodations_in_force([trainee.pk], on).values_list("time_factor", flat=True)
    return rules.combined_factor(factors)


def visible_accommodations(user):
    """Every accommodation `user` may read (`modules.access.visible_accommodations`), newest
    first within each trainee."""
    queryset = Accommodation.objects.select_related("trainee", "recorded_by")
    return access.visible_accommodations(user, queryset)


def own_accommodations(trainee, on: datetime.date) -> list[Accommodation]:
    return list(accommodations_in_force([trainee.pk], on))


def session_accommodations(session, on: datetime.date) -> list[Accommodation]:
    """Accommodations in force for the active trainees of `session` (for its trainers)."""
    trainee_ids = session.enrolments.filter(status__in=access.Status.ACTIVE).values("trainee_id")
    return list(accommodations_in_force(trainee_ids, on))


# --- Complaints ----------------------------------------------------------------------------------


def visible_complaints(user):
    return access.visible_complaints(user, Complaint.objects.select_related("session", "filed_by"))


def complaint_for(user, complaint_id: int) -> Complaint | None:
    """One complaint `user` may read, with its steps and actions (404 otherwise)."""
    return (
        visible_complaints(user)
        .prefetch_related("steps__by", "improvement_actions__decided_by")
        .filter(pk=complaint_id)
        .first()
    )


def complaints_filed_between(start: datetime.date, end: datetime.date):
    """Complaints filed from `start` to `end` included (local dates), for the export and the
    evidence pack, oldest first, with their actions."""
    return (
        Complaint.objects.filter(filed_at__date__gte=start, filed_at__date__lte=end)
        .select_related("session")
        .prefetch_related("improvement_actions")
        .order_by("filed_at", "pk")
    )
