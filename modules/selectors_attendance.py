"""Reads for attendance screens: each returns what one page needs in a fixed number of queries."""

import datetime

from django.db.models import Count, Max, Min, Prefetch, Q

from lms.collation import sorted_people, trainee_names

from . import access
from . import attendance as rules
from .models import (
    Attendance,
    AttendanceCorrection,
    DeferredSignature,
    Enrolment,
    SessionSlot,
    TrainingSession,
)


def current_enrolments(user) -> list[Enrolment]:
    """The trainee's enrolments with a current status in sessions not cancelled, annotated with
    `first_day` and `last_day` (their slots' first and last dates), earliest first. One query."""
    return list(
        Enrolment.objects.filter(trainee=user, status__in=Enrolment.Status.ATTENDING)
        .select_related("session", "session__territory")
        .annotate(first_day=Min("session__slots__date"), last_day=Max("session__slots__date"))
        .exclude(session__status=TrainingSession.Status.CANCELLED)
        .order_by("first_day")
    )


def is_in_progress(enrolment: Enrolment, today: datetime.date) -> bool:
    return bool(enrolment.first_day and enrolment.first_day <= today <= enrolment.last_day)


def current_enrolment(
    user, today: datetime.date, enrolments: list[Enrolment] | None = None
) -> tuple[Enrolment | None, str]:
    """The trainee's enrolment to show on "Aujourd'hui" and its state.

    State is "in_progress" (today is between the first and last day of the session),
    "upcoming" (the next session to start) or "none". One query, none when `enrolments`
    (from `current_enrolments`) are given.
    """
    if enrolments is None:
        enrolments = current_enrolments(user)
    for enrolment in enrolments:
        if is_in_progress(enrolment, today):
            return enrolment, "in_progress"
    for enrolment in enrolments:
        if enrolment.first_day and enrolment.first_day > today:
            return enrolment, "upcoming"
    return None, "none"


def slots_on(day: datetime.date, session_ids):
    """The half-days on `day` of the given sessions, with session and modules (two queries)."""
    return (
        SessionSlot.objects.filter(date=day, session_id__in=list(session_ids))
        .select_related("session")
        .prefetch_related("modules")
        .order_by("start_time", "session_id", "half")
    )


def attendances_for(enrolments, slots) -> dict[int, Attendance]:
    """Attendance rows of `enrolments` on `slots`, by slot id (one query)."""
    return {
        row.slot_id: row
        for row in Attendance.objects.filter(
            enrolment__in=list(enrolments), slot__in=[slot.pk for slot in slots]
        )
    }


def session_slots(session: TrainingSession):
    """The session's 30 half-days in order, with their modules (two queries)."""
    return (
        SessionSlot.objects.filter(session=session)
        .prefetch_related("modules")
        .order_by("date", "start_time", "day_number", "half")
    )


def enrolment_attendances(enrolment: Enrolment) -> dict[int, Attendance]:
    """The trainee's attendance rows by slot id (one query)."""
    return {row.slot_id: row for row in Attendance.objects.filter(enrolment=enrolment)}


def sheet_enrolments(session: TrainingSession) -> list[Enrolment]:
    """Trainees on the session's attendance sheet, in French alphabetical order (one query)."""
    return sorted_people(
        Enrolment.objects.filter(session=session, status__in=Enrolment.Status.ATTENDING)
        .select_related("trainee", "structure")
        .order_by("pk"),
        trainee_names,
    )


def countersign_rows(slot: SessionSlot) -> list[dict]:
    """One row per trainee of the slot's session with their attendance and its corrections.

    Four queries whatever the group size: enrolments, attendances, corrections, signatures
    queued offline (`deferred`: the latest decision, or None).
    """
    enrolments = list(sheet_enrolments(slot.session))
    attendances = {
        row.enrolment_id: row
        for row in Attendance.objects.filter(slot=slot)
        .select_related("trainer_signed_by")
        .prefetch_related(
            Prefetch(
                "corrections",
                queryset=AttendanceCorrection.objects.select_related("changed_by").order_by(
                    "changed_at", "pk"
                ),
            )
        )
    }
    # The latest decision on a signature queued offline, per trainee (one query).
    deferred = {
        record.enrolment_id: record
        for record in DeferredSignature.objects.filter(slot=slot).order_by("received_at", "pk")
    }
    rows = []
    for enrolment in enrolments:
        attendance = attendances.get(enrolment.pk)
        corrections = list(attendance.corrections.all()) if attendance else []
        for correction in corrections:
            labels = rules.STATUS_LABELS
            correction.old_label = labels.get(correction.old_value, correction.old_value)
            correction.new_label = labels.get(correction.new_value, correction.new_value)
        signed_at = attendance.trainee_signed_at if attendance else None
        status = attendance.status if attendance else rules.PENDING
        rows.append(
            {
                "enrolment": enrolment,
                "trainee": enrolment.trainee,
                "attendance": attendance,
                "trainee_signed_at": signed_at,
                "status": status,
                "proposed": rules.default_trainer_status(
                    trainee_signed=signed_at is not None, current=status
                ),
                "countersigned": bool(attendance and attendance.trainer_signed_at),
                "corrections": corrections,
                "deferred": deferred.get(enrolment.pk),
            }
        )
    return rows


def slot_for_countersign(slot_id: int) -> SessionSlot:
    return (
        SessionSlot.objects.select_related("session")
        .prefetch_related("modules", "session__trainers")
        .get(pk=slot_id)
    )


def sessions_for_staff(user, today: datetime.date):
    """Sessions a trainer runs (all sessions for coordinators), not finished, with today's slots."""
    sessions = access.managed_sessions(user).exclude(status=TrainingSession.Status.CANCELLED)
    return (
        sessions.annotate(
            first_day=Min("slots__date"),
            last_day=Max("slots__date"),
            enrolled=Count(
                "enrolments",
                filter=Q(enrolments__status__in=Enrolment.Status.ATTENDING),
                distinct=True,
            ),
        )
        .filter(last_day__gte=today - datetime.timedelta(days=30))
        .select_related("territory")
        .prefetch_related(
            "trainers",
            Prefetch(
                "slots",
                queryset=SessionSlot.objects.filter(date=today)
                .prefetch_related("modules")
                .order_by("start_time"),
                to_attr="today_slots",
            ),
        )
        .order_by("first_day", "name")
    )


SESSION_TIMING_LABELS = {"current": "En cours", "next": "À venir", "past": "Terminée"}


def current_sessions_first(sessions, today: datetime.date) -> list[TrainingSession]:
    """Sessions in progress first, then those to come (the nearest first), then those just
    finished (the latest first); each gets `timing` ("current", "next", "past") and its label.
    `sessions` carry `first_day` and `last_day` (as from `sessions_for_staff`)."""
    groups: dict[str, list] = {"current": [], "next": [], "past": []}
    for session in sessions:
        first, last = session.first_day, session.last_day
        if first is None or first > today:
            timing = "next"
        elif last is not None and last < today:
            timing = "past"
        else:
            timing = "current"
        session.timing = timing
        session.timing_label = SESSION_TIMING_LABELS[timing]
        groups[timing].append(session)
    far = datetime.date.max
    groups["current"].sort(key=lambda s: (s.first_day, s.name))
    groups["next"].sort(key=lambda s: (s.first_day or far, s.name))
    groups["past"].sort(key=lambda s: (s.last_day, s.name), reverse=True)
    return groups["current"] + groups["next"] + groups["past"]


def session_slot_counts(session: TrainingSession) -> list[SessionSlot]:
    """The 30 slots with counts of signatures and statuses (two queries)."""
    return list(
        session_slots(session).annotate(
            signed=Count("attendances", filter=Q(attendances__trainee_signed_at__isnull=False)),
            countersigned=Count(
                "attendances", filter=Q(attendances__trainer_signed_at__isnull=False)
            ),
            present=Count("attendances", filter=Q(attendances__status=rules.PRESENT)),
            absent=Count("attendances", filter=Q(attendances__status=rules.ABSENT)),
            excused=Count("attendances", filter=Q(attendances__status=rules.EXCUSED)),
        )
    )


def session_sheet(session: TrainingSession) -> dict:
    """Everything the attendance sheet shows, in five queries."""
    slots = list(session_slots(session))
    enrolments = list(sheet_enrolments(session))
    attendances = {
        (row.enrolment_id, row.slot_id): row
        for row in Attendance.objects.filter(slot__session=session).select_related(
            "trainer_signed_by"
        )
    }
    trainers = sorted_people(
        session.trainers.order_by("pk"), lambda user: (user.last_name, user.first_name)
    )
    return {
        "session": session,
        "slots": slots,
        "enrolments": enrolments,
        "attendances": attendances,
        "trainers": trainers,
    }


def signed_slots(slots):
    """The half-days of `slots` (a SessionSlot queryset) that carry an attendance record: a
    trainee's or trainer's signature, or a status other than "Non renseigné". Their date and
    times are part of the record (the attendance sheet) and never change afterwards."""
    recorded = Attendance.objects.filter(
        Q(trainee_signed_at__isnull=False)
        | Q(trainer_signed_at__isnull=False)
        | ~Q(status=Attendance.Status.PENDING)
    )
    return slots.filter(pk__in=recorded.values("slot_id"))
