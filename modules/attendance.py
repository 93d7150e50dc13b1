"""Attendance (émargement) rules as pure functions: no ORM, plain values in and out.

- A trainee signs a half-day only on that half-day's date, in Europe/Paris: from
  `SIGNING_OPENS_BEFORE` (30 minutes) before its start until the end of that day (midnight),
  so that a trainee who forgot in the morning can still sign the same day, never afterwards.
- Only enrolments that are confirmed or in training may sign; a pre-registered or dropped
  trainee may not (nor a completed one: the training is over).
- A signature is given once. Once the trainer has counter-signed the half-day, the trainee can
  no longer sign it: the trainer's sheet is closed and any change is a recorded correction.
- Hours attended are the sum of the durations of the half-days whose status is "present".
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from lms.formats import format_date, format_hours, format_time
from lms.text import NUL_MESSAGE, has_nul

from .calendar import duration

PARIS = ZoneInfo("Europe/Paris")
SIGNING_OPENS_BEFORE = datetime.timedelta(minutes=30)

PENDING = "pending"
PRESENT = "present"
ABSENT = "absent"
EXCUSED = "excused"
TRAINER_STATUSES = (PRESENT, ABSENT, EXCUSED)
STATUS_LABELS = {
    PENDING: "Non renseigné",
    PRESENT: "Présent·e",
    ABSENT: "Absent·e",
    EXCUSED: "Absence justifiée",
}

# Enrolment statuses whose trainee may sign (named `Enrolment.Status.SIGNING` on the model).
SIGNING_ENROLMENT_STATUSES = frozenset({"confirmed", "in_training"})

CORRECTABLE_FIELDS = ("status",)


@dataclass(frozen=True)
class AttendanceError(Exception):
    """A refused attendance action, with the French message shown to the user."""

    message: str
    field: str | None = None

    def __str__(self):
        return self.message


def to_paris(moment: datetime.datetime) -> datetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("An aware datetime is required.")
    return moment.astimezone(PARIS)


def slot_start(date: datetime.date, start_time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(date, start_time, tzinfo=PARIS)


def signing_window(
    date: datetime.date, start_time: datetime.time
) -> tuple[datetime.datetime, datetime.datetime]:
    """When a trainee may sign a half-day: [opens, closes), aware datetimes in Europe/Paris."""
    opens = slot_start(date, start_time) - SIGNING_OPENS_BEFORE
    if opens.date() != date:
        opens = datetime.datetime.combine(date, datetime.time.min, tzinfo=PARIS)
    closes = datetime.datetime.combine(
        date + datetime.timedelta(days=1), datetime.time.min, tzinfo=PARIS
    )
    return opens, closes


def is_signing_open(date: datetime.date, start_time: datetime.time, now: datetime.datetime) -> bool:
    opens, closes = signing_window(date, start_time)
    return opens <= to_paris(now) < closes


def check_trainee_can_sign(
    *,
    date: datetime.date,
    start_time: datetime.time,
    now: datetime.datetime,
    enrolment_status: str,
    trainee_signed_at: datetime.datetime | None = None,
    trainer_signed_at: datetime.datetime | None = None,
) -> None:
    """Raise `AttendanceError` with a French message when the trainee may not sign."""
    if enrolment_status not in SIGNING_ENROLMENT_STATUSES:
        raise AttendanceError(
            "Votre inscription ne permet pas d'émarger : adressez-vous à votre formateur."
        )
    if trainee_signed_at is not None:
        local = to_paris(trainee_signed_at)
        raise AttendanceError(f"Vous avez déjà signé cette demi-journée, à {time_label(local)}.")
    if trainer_signed_at is not None:
        raise AttendanceError(
            "Cette demi-journée est déjà contresignée par le formateur : adressez-vous à lui."
        )
    moment = to_paris(now)
    opens, closes = signing_window(date, start_time)
    if moment < opens:
        if moment.date() < date:
            raise AttendanceError(
                f"L'émargement de cette demi-journée ouvrira le {date_label(date)} "
                f"à {time_label(opens)}."
            )
        raise AttendanceError(f"L'émargement de cette demi-journée ouvrira à {time_label(opens)}.")
    if moment >= closes:
        raise AttendanceError(
            f"L'émargement du {date_label(date)} est clos : on ne signe que le jour même. "
            "Adressez-vous à votre formateur."
        )


# A signature sent more than this after the device says it was given is "deferred" (queued
# offline); below it, it is an ordinary signature timed by the server.
DEFERRED_AFTER = datetime.timedelta(minutes=1)
# A device clock ahead of the server by more than this is not believed.
DEVICE_CLOCK_TOLERANCE = datetime.timedelta(minutes=5)


def is_deferred(*, claimed_at: datetime.datetime | None, received_at: datetime.datetime) -> bool:
    """Whether a signature was queued on the device (sent well after it was given)."""
    return claimed_at is not None and received_at - claimed_at > DEFERRED_AFTER


def check_deferred_signature(
    *,
    date: datetime.date,
    start_time: datetime.time,
    claimed_at: datetime.datetime,
    received_at: datetime.datetime,
    max_delay: datetime.timedelta,
) -> None:
    """Raise `AttendanceError` unless a signature queued offline can be accepted.

    `claimed_at` is the device's time of the tap, `received_at` the server's time of receipt
    (both aware). Accepted when the claimed time is in the half-day's signing window, is not in
    the server's future (beyond `DEVICE_CLOCK_TOLERANCE`), and the signature arrived within
    `max_delay` of it (setting `ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES`). Source: issue 11,
    kind 6 ("accepted when the server can check it against the half-day's window").
    """
    if claimed_at - received_at > DEVICE_CLOCK_TOLERANCE:
        raise AttendanceError(
            "L'heure de votre appareil est en avance sur celle du serveur : la signature en "
            "attente ne peut pas être vérifiée. Adressez-vous à votre formateur."
        )
    if received_at - claimed_at > max_delay:
        raise AttendanceError(
            f"La signature donnée hors ligne à {time_label(claimed_at)} le "
            f"{date_label(to_paris(claimed_at).date())} est arrivée trop tard pour être "
            "vérifiée. Adressez-vous à votre formateur."
        )
    opens, closes = signing_window(date, start_time)
    if not opens <= to_paris(claimed_at) < closes:
        raise AttendanceError(
            f"La signature donnée hors ligne à {time_label(claimed_at)} le "
            f"{date_label(to_paris(claimed_at).date())} est hors de la plage d'émargement de "
            f"cette demi-journée (le {date_label(date)} à partir de {time_label(opens)})."
        )


def check_trainer_can_countersign(
    *, date: datetime.date, start_time: datetime.time, now: datetime.datetime
) -> None:
    """A half-day can be counter-signed once it has begun (from its signing window), never ahead."""
    opens, _ = signing_window(date, start_time)
    if to_paris(now) < opens:
        raise AttendanceError(
            f"Cette demi-journée n'a pas encore eu lieu : vous pourrez la contresigner à partir du "
            f"{date_label(date)} à {time_label(opens)}."
        )


def check_trainer_status(status: str) -> str:
    if status not in TRAINER_STATUSES:
        raise AttendanceError("Choisissez présent, absent ou absence justifiée.", "status")
    return status


def default_trainer_status(*, trainee_signed: bool, current: str = PENDING) -> str:
    """What the counter-sign screen proposes: the status already set, else present if signed."""
    if current in TRAINER_STATUSES:
        return current
    return PRESENT if trainee_signed else ABSENT


def check_correction(*, field: str, old_value: str, new_value: str, reason: str) -> str:
    """Validate a correction; return the cleaned reason."""
    if field not in CORRECTABLE_FIELDS:
        raise AttendanceError("Seul le statut de présence peut être corrigé.", "field")
    if field == "status":
        check_trainer_status(new_value)
    if new_value == old_value:
        raise AttendanceError("Le statut choisi est déjà celui enregistré.", "status")
    if has_nul(reason):  # PostgreSQL refuses NUL in text (was a 500)
        raise AttendanceError(NUL_MESSAGE, "reason")
    cleaned = (reason or "").strip()
    if not cleaned:
        raise AttendanceError("Indiquez le motif de la correction.", "reason")
    if len(cleaned) < 5:
        raise AttendanceError("Le motif est trop court : expliquez en quelques mots.", "reason")
    return cleaned


def slot_duration_hours(date: datetime.date, start: datetime.time, end: datetime.time) -> Decimal:
    """A half-day's duration in hours (Decimal, 2 places), from its aware start and end in
    Europe/Paris: a half-day across a clock change counts the time that really elapsed."""
    elapsed = duration(date, start, end, PARIS)
    return round_hours(Decimal(int(elapsed.total_seconds())) / Decimal(3600))


def round_hours(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def hours_attended(
    rows: Iterable[tuple[str, datetime.date, datetime.time, datetime.time]],
) -> Decimal:
    """Sum of the durations of the half-days whose status is present.

    `rows` are (status, date, start, end); durations come from `slot_duration_hours`.
    """
    total = Decimal(0)
    for status, date, start, end in rows:
        if status == PRESENT:
            total += slot_duration_hours(date, start, end)
    return round_hours(total)


def hours_label(hours: Decimal) -> str:
    """French hours: 3.5 → "3 h 30", 21 → "21 h" (lms.formats, the platform's one formatter)."""
    return format_hours(hours)


def time_label(moment: datetime.datetime | datetime.time) -> str:
    """French time: 9 h 04, 13 h 30 (an aware datetime in Paris time)."""
    return format_time(moment)


def date_label(date: datetime.date) -> str:
    """French date: "mercredi 11 mars 2026", "vendredi 1er mai 2026"."""
    return format_date(date)


def week_and_day(day_number: int) -> tuple[int, int]:
    """(week 1..3, day 1..15) for a day of the training."""
    return (day_number - 1) // 5 + 1, day_number


def progress_percent(done: int, total: int) -> int:
    if total <= 0:
        return 0
    return max(0, min(100, round(done * 100 / total)))
