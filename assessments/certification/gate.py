"""Reads behind the certification rules: the programme's thresholds and access to the final
evaluation.

The thresholds come from the single `ProgrammePage` (its "Règles de certification" panel), the
same fields the programme page displays, so that what the page states is what the code enforces.
This module imports no other selector of `assessments`, so that `assessments.selectors` (the
attempt start path) can call it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from modules.access import work_enrolment
from modules.calendar import duration
from modules.models import Attendance, Enrolment, ProgrammePage, SessionSlot

from ..models import AssessmentPage, Attempt
from . import rules

PRESENT = "present"


@dataclass(frozen=True)
class ProgrammeRules:
    title: str = "Ensemblier Solidaire"
    duration_hours: Decimal = Decimal("105")
    attendance_threshold: int = 80
    pass_percent: int = 70
    objectives: str = ""
    evaluation_methods: str = ""


def programme_rules() -> ProgrammeRules:
    """The programme's thresholds and public description (one query; defaults without one)."""
    programme = (
        ProgrammePage.objects.order_by("-live", "path")
        .only(
            "title",
            "duration_hours",
            "attendance_threshold_percent",
            "competency_pass_percent",
            "objectives",
            "evaluation_methods",
        )
        .first()
    )
    if programme is None:
        return ProgrammeRules()
    return ProgrammeRules(
        title=programme.title,
        duration_hours=Decimal(programme.duration_hours),
        attendance_threshold=programme.attendance_threshold_percent,
        pass_percent=programme.competency_pass_percent,
        objectives=programme.objectives,
        evaluation_methods=programme.evaluation_methods,
    )


def slot_hours(day: datetime.date, start: datetime.time, end: datetime.time) -> Decimal:
    """Elapsed hours of a half-day, from aware datetimes (right across a clock change)."""
    return Decimal(max(0, int(duration(day, start, end).total_seconds()))) / Decimal(3600)


def attendance_to_date(enrolment: Enrolment, now: datetime.datetime) -> tuple[Decimal, Decimal]:
    """(hours attended, hours held) of `enrolment` at `now` (two queries).

    Held: the session's half-days ended by `now` (Europe/Paris wall time), plus a half-day in
    progress the trainee already signed "présent" (so signing in does not lower the percent).
    """
    local = timezone.localtime(now)
    today, clock = local.date(), local.time()
    present = set(
        Attendance.objects.filter(enrolment=enrolment, status=PRESENT).values_list(
            "slot_id", flat=True
        )
    )
    attended = held = Decimal(0)
    for slot_id, day, start, end in SessionSlot.objects.filter(
        session_id=enrolment.session_id, date__lte=today
    ).values_list("pk", "date", "start_time", "end_time"):
        ended = day < today or end <= clock
        if ended or slot_id in present:
            hours = slot_hours(day, start, end)
            held += hours
            if slot_id in present:
                attended += hours
    return attended, held


def final_access_for(user, now: datetime.datetime | None = None) -> rules.FinalAccess:
    """Apply `rules.final_evaluation_access` to `user` at `now` (at most five queries).

    Without a started enrolment the attendance to date is 0 % (the rule then says why).
    """
    now = now or timezone.now()
    programme = programme_rules()
    # The enrolment the attempt will belong to (modules.access): the session under way.
    enrolment = work_enrolment(user, timezone.localtime(now).date())
    attended, held = attendance_to_date(enrolment, now) if enrolment else (Decimal(0), Decimal(0))
    positioning = AssessmentPage.objects.live().filter(kind=AssessmentPage.Kind.POSITIONING)
    positioning_required = positioning.exists()
    positioning_done = (
        positioning_required
        and Attempt.objects.filter(trainee=user, assessment__in=positioning)
        .exclude(status=Attempt.Status.IN_PROGRESS)
        .exists()
    )
    return rules.final_evaluation_access(
        attended_hours=attended,
        held_hours=held,
        attendance_threshold=programme.attendance_threshold,
        positioning_required=positioning_required,
        positioning_done=positioning_done,
    )


def final_access_refusal(user, assessment, now: datetime.datetime) -> str | None:
    """Why `user` may not start `assessment` when it is the final evaluation; None otherwise."""
    if assessment.kind != AssessmentPage.Kind.FINAL:
        return None
    access = final_access_for(user, now)
    if access.allowed:
        return None
    return "L'évaluation finale n'est pas encore ouverte pour vous. " + " ".join(access.reasons)
