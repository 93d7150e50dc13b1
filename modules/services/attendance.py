"""Writes about attendance: the trainee's signature, the trainer's counter-signature, corrections.

Every write runs in a transaction and locks the rows it changes (`select_for_update`); the
unique constraint on (enrolment, slot) makes two concurrent first signatures produce one row.
The rules themselves are pure functions in `modules.attendance`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from lms import pagecache

from .. import access, clock
from .. import attendance as rules
from ..models import Attendance, AttendanceCorrection, DeferredSignature, Enrolment, SessionSlot
from ..selectors_attendance import sheet_enrolments


@transaction.atomic
def attendance_sign(
    *, enrolment: Enrolment, slot: SessionSlot, now: datetime.datetime | None = None
) -> Attendance:
    """The trainee of `enrolment` signs their own presence for `slot`.

    The row is read locked (none yet, the usual case: nothing to lock), the rules decide, then
    the signature is inserted whole — or the existing row updated. Two first signatures at
    once: the second insert meets the unique constraint, locks the first one's row and decides
    again on it (refused: already signed). A refused attempt leaves nothing behind.
    """
    if slot.session_id != enrolment.session_id:
        raise rules.AttendanceError("Cette demi-journée n'appartient pas à votre session.")
    now = now or clock.now()
    rows = Attendance.objects.select_for_update().filter(enrolment=enrolment, slot=slot)
    attendance = next(iter(rows), None)
    _check_sign(enrolment, slot, attendance, now)
    if attendance is None:
        attendance = Attendance(
            enrolment=enrolment, slot=slot, status=rules.PRESENT, trainee_signed_at=now
        )
        try:
            with transaction.atomic():
                attendance.save(force_insert=True)
            return attendance
        except IntegrityError:  # created concurrently: decide again on theirs, locked
            attendance = rows.get()
            _check_sign(enrolment, slot, attendance, now)
    attendance.trainee_signed_at = now
    attendance.status = rules.PRESENT
    attendance.save(update_fields=["trainee_signed_at", "status"])
    return attendance


def _check_sign(enrolment, slot, attendance: Attendance | None, now) -> None:
    rules.check_trainee_can_sign(
        date=slot.date,
        start_time=slot.start_time,
        now=now,
        enrolment_status=enrolment.status,
        trainee_signed_at=attendance.trainee_signed_at if attendance else None,
        trainer_signed_at=attendance.trainer_signed_at if attendance else None,
    )


def attendance_sign_queued(
    *,
    enrolment: Enrolment,
    slot: SessionSlot,
    claimed_at: datetime.datetime | None,
    device_sent_at: datetime.datetime | None = None,
    received_at: datetime.datetime | None = None,
) -> Attendance:
    """A signature that may have waited on the device.

    `claimed_at` is the device's time of the tap and `device_sent_at` the device's time of the
    sending (both on the device's clock), `received_at` the server's time of receipt. The tap
    is put on the server's clock by the device's offset (`received_at - device_sent_at`), so a
    device whose clock is wrong is neither favoured nor refused for it.

    Sent within `rules.DEFERRED_AFTER` of the tap, it is an ordinary signature timed by the
    server. Otherwise it is checked against the half-day's window at the tap's time and the
    bounded delay (`settings.ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES`), signed at the tap's time,
    and the decision — accepted or refused, with the reason — is recorded as a
    `DeferredSignature`. Raises `rules.AttendanceError` when refused.
    """
    received_at = received_at or clock.now()
    if claimed_at is None:
        return attendance_sign(enrolment=enrolment, slot=slot, now=received_at)
    tapped_at = claimed_at + (received_at - (device_sent_at or received_at))
    if not rules.is_deferred(claimed_at=tapped_at, received_at=received_at):
        return attendance_sign(enrolment=enrolment, slot=slot, now=received_at)
    record = DeferredSignature(
        enrolment=enrolment,
        slot=slot,
        claimed_at=claimed_at,
        device_sent_at=device_sent_at,
        received_at=received_at,
        signed_at=tapped_at,
    )
    try:
        with transaction.atomic():
            rules.check_deferred_signature(
                date=slot.date,
                start_time=slot.start_time,
                claimed_at=tapped_at,
                received_at=received_at,
                max_delay=datetime.timedelta(
                    minutes=settings.ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES
                ),
            )
            attendance = attendance_sign(enrolment=enrolment, slot=slot, now=tapped_at)
            record.accepted = True
            record.save()
            return attendance
    except rules.AttendanceError as error:
        record.pk = None
        record.accepted = False
        record.reason = error.message
        record.save()
        raise


@transaction.atomic
def attendance_countersign(
    *,
    trainer,
    slot: SessionSlot,
    statuses: dict[int, str],
    now: datetime.datetime | None = None,
) -> list[Attendance]:
    """The trainer counter-signs `slot` for the whole group in one go.

    `statuses` maps enrolment ids to present / absent / excused; an enrolment left out gets the
    screen's default (present when the trainee signed, absent otherwise). Rows counter-signed
    before keep their status: changing one afterwards is a correction (`attendance_correct`).
    """
    if not access.manages_session(trainer, slot.session):
        raise PermissionDenied("Vous n'animez pas cette session.")
    now = now or clock.now()
    rules.check_trainer_can_countersign(date=slot.date, start_time=slot.start_time, now=now)
    for status in statuses.values():
        rules.check_trainer_status(status)
    enrolments = list(sheet_enrolments(slot.session))
    known = {enrolment.pk for enrolment in enrolments}
    unknown = set(statuses) - known
    if unknown:
        raise rules.AttendanceError("Un stagiaire de la liste n'est pas inscrit à cette session.")
    Attendance.objects.bulk_create(
        [Attendance(enrolment=enrolment, slot=slot) for enrolment in enrolments],
        ignore_conflicts=True,
    )
    rows = list(
        Attendance.objects.select_for_update()
        .filter(slot=slot, enrolment_id__in=known)
        .order_by("pk")
    )
    changed = []
    for row in rows:
        if row.trainer_signed_at is not None:
            wanted = statuses.get(row.enrolment_id, row.status)
            if wanted != row.status:
                raise rules.AttendanceError(
                    "Cette demi-journée est déjà contresignée : pour changer un statut, "
                    "faites une correction avec un motif."
                )
            continue
        row.status = statuses.get(row.enrolment_id) or rules.default_trainer_status(
            trainee_signed=row.trainee_signed_at is not None, current=row.status
        )
        row.trainer_signed_at = now
        row.trainer_signed_by = trainer
        changed.append(row)
    Attendance.objects.bulk_update(changed, ["status", "trainer_signed_at", "trainer_signed_by"])
    # Bulk writes send no signal: the results page's attendance rate changed (lms.pagecache).
    pagecache.invalidate(pagecache.ATTENDANCE)
    return rows


@transaction.atomic
def attendance_correct(
    *, attendance: Attendance, changed_by, field: str, new_value: str, reason: str
) -> AttendanceCorrection:
    """Change a counter-signed attendance, recording who changed what, when and why."""
    locked = (
        Attendance.objects.select_for_update().select_related("slot__session").get(pk=attendance.pk)
    )
    if not access.manages_session(changed_by, locked.slot.session):
        raise PermissionDenied("Vous n'animez pas cette session.")
    old_value = str(getattr(locked, field, "") or "") if field in rules.CORRECTABLE_FIELDS else ""
    cleaned = rules.check_correction(
        field=field, old_value=old_value, new_value=new_value, reason=reason
    )
    setattr(locked, field, new_value)
    locked.save(update_fields=[field])
    attendance.refresh_from_db()
    return AttendanceCorrection.objects.create(
        attendance=locked,
        changed_by=changed_by,
        field=field,
        old_value=old_value,
        new_value=new_value,
        reason=cleaned,
    )
