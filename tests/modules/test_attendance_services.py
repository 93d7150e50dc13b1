"""Attendance writes: signing, counter-signing the whole group, recorded corrections."""

import datetime
import threading

from django.core.exceptions import PermissionDenied
from django.db import connection

import pytest

from modules import attendance as rules
from modules.models import Attendance, AttendanceCorrection, Enrolment
from modules.services.attendance import (
    attendance_correct,
    attendance_countersign,
    attendance_sign,
)
from modules.today import build_today

from .attendance_support import TODAY, enrol, enrol_group, make_session, paris, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    return make_session(trainers=[trainer])


def test_a_trainee_signs_a_half_day_of_today(session, trainee):
    enrolment = enrol(session, trainee)
    today_am = slot(session, 7, "am")
    attendance = attendance_sign(enrolment=enrolment, slot=today_am, now=paris(TODAY, 9, 4))
    attendance.refresh_from_db()
    assert attendance.trainee_signed_at == paris(TODAY, 9, 4)
    assert attendance.status == rules.PRESENT
    assert attendance.trainer_signed_at is None


def test_a_trainee_cannot_sign_twice(session, trainee):
    enrolment = enrol(session, trainee)
    today_am = slot(session, 7, "am")
    attendance_sign(enrolment=enrolment, slot=today_am, now=paris(TODAY, 9, 4))
    with pytest.raises(rules.AttendanceError, match="déjà signé"):
        attendance_sign(enrolment=enrolment, slot=today_am, now=paris(TODAY, 9, 30))
    assert Attendance.objects.get().trainee_signed_at == paris(TODAY, 9, 4)


def test_a_refused_signature_leaves_no_row(session, trainee):
    enrolment = enrol(session, trainee)
    tomorrow = slot(session, 8, "am")
    with pytest.raises(rules.AttendanceError, match="ouvrira le"):
        attendance_sign(enrolment=enrolment, slot=tomorrow, now=paris(TODAY, 9, 4))
    assert not Attendance.objects.exists()


def test_a_trainee_cannot_sign_a_slot_of_another_session(session, trainee):
    enrolment = enrol(session, trainee)
    other = make_session()
    with pytest.raises(rules.AttendanceError, match="n'appartient pas"):
        attendance_sign(enrolment=enrolment, slot=slot(other, 7), now=paris(TODAY, 9, 4))
    assert not Attendance.objects.exists()


def test_a_dropped_trainee_cannot_sign(session, trainee):
    enrolment = enrol(session, trainee, status=Enrolment.Status.DROPPED)
    with pytest.raises(rules.AttendanceError, match="ne permet pas"):
        attendance_sign(enrolment=enrolment, slot=slot(session, 7), now=paris(TODAY, 9, 4))


def test_counter_signing_sets_every_trainees_status_in_one_go(session, trainer):
    signer, absent, excused, silent = enrol_group(session, 4)
    morning = slot(session, 7, "am")
    attendance_sign(enrolment=signer, slot=morning, now=paris(TODAY, 9, 1))
    attendance_sign(enrolment=excused, slot=morning, now=paris(TODAY, 9, 2))
    attendance_sign(enrolment=absent, slot=morning, now=paris(TODAY, 9, 3))
    now = paris(TODAY, 9, 45)
    attendance_countersign(
        trainer=trainer,
        slot=morning,
        statuses={absent.pk: "absent", excused.pk: "excused"},
        now=now,
    )
    rows = {row.enrolment_id: row for row in Attendance.objects.filter(slot=morning)}
    assert rows[signer.pk].status == "present"  # default: signed → present
    assert rows[silent.pk].status == "absent"  # default: no signature → absent
    assert rows[absent.pk].status == "absent"
    assert rows[excused.pk].status == "excused"
    assert {row.trainer_signed_at for row in rows.values()} == {now}
    assert {row.trainer_signed_by_id for row in rows.values()} == {trainer.pk}
    assert rows[silent.pk].trainee_signed_at is None


def test_dropped_trainees_are_not_on_the_sheet(session, trainer):
    kept = enrol(session)
    enrol(session, status=Enrolment.Status.DROPPED)
    attendance_countersign(trainer=trainer, slot=slot(session, 7), statuses={}, now=paris(TODAY))
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [kept.pk]


def test_changing_a_countersigned_status_requires_a_correction(session, trainer):
    enrolment = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={enrolment.pk: "absent"}, now=paris(TODAY, 9, 45)
    )
    with pytest.raises(rules.AttendanceError, match="correction avec un motif"):
        attendance_countersign(
            trainer=trainer,
            slot=morning,
            statuses={enrolment.pk: "present"},
            now=paris(TODAY, 10),
        )
    attendance = Attendance.objects.get()
    assert attendance.status == "absent"
    assert attendance.trainer_signed_at == paris(TODAY, 9, 45)


def test_counter_signing_again_only_signs_newcomers(session, trainer):
    first = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(trainer=trainer, slot=morning, statuses={}, now=paris(TODAY, 9, 45))
    late = enrol(session)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={late.pk: "present"}, now=paris(TODAY, 10, 15)
    )
    rows = {row.enrolment_id: row for row in Attendance.objects.all()}
    assert rows[first.pk].trainer_signed_at == paris(TODAY, 9, 45)
    assert rows[late.pk].trainer_signed_at == paris(TODAY, 10, 15)


def test_a_trainer_of_another_session_cannot_counter_sign(session):
    from tests.factories import TrainerFactory

    enrol(session)
    with pytest.raises(PermissionDenied):
        attendance_countersign(
            trainer=TrainerFactory(), slot=slot(session, 7), statuses={}, now=paris(TODAY)
        )
    assert not Attendance.objects.exists()


def test_a_coordinator_may_counter_sign(session, coordinator):
    enrol(session)
    target = slot(session, 7)
    attendance_countersign(trainer=coordinator, slot=target, statuses={}, now=paris(TODAY))
    assert Attendance.objects.get().trainer_signed_by == coordinator


def test_an_unknown_status_or_trainee_is_refused(session, trainer):
    enrolment = enrol(session)
    stranger = enrol(make_session())
    with pytest.raises(rules.AttendanceError):
        attendance_countersign(
            trainer=trainer,
            slot=slot(session, 7),
            statuses={enrolment.pk: "late"},
            now=paris(TODAY),
        )
    with pytest.raises(rules.AttendanceError, match="n'est pas inscrit"):
        attendance_countersign(
            trainer=trainer,
            slot=slot(session, 7),
            statuses={stranger.pk: "present"},
            now=paris(TODAY),
        )
    assert not Attendance.objects.exists()


def test_a_trainee_cannot_sign_once_the_trainer_has_counter_signed(session, trainer, trainee):
    enrolment = enrol(session, trainee)
    morning = slot(session, 7)
    attendance_countersign(trainer=trainer, slot=morning, statuses={}, now=paris(TODAY, 9, 45))
    with pytest.raises(rules.AttendanceError, match="déjà contresignée"):
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 50))


def test_a_correction_records_who_what_and_why(session, trainer):
    enrolment = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={enrolment.pk: "absent"}, now=paris(TODAY, 9, 45)
    )
    attendance = Attendance.objects.get()
    correction = attendance_correct(
        attendance=attendance,
        changed_by=trainer,
        field="status",
        new_value="excused",
        reason="Certificat médical reçu",
    )
    attendance.refresh_from_db()
    assert attendance.status == "excused"
    assert (correction.changed_by, correction.field) == (trainer, "status")
    assert (correction.old_value, correction.new_value) == ("absent", "excused")
    assert correction.reason == "Certificat médical reçu"
    assert correction.changed_at is not None


def test_a_correction_without_reason_is_refused_and_changes_nothing(session, trainer):
    enrolment = enrol(session)
    attendance_countersign(
        trainer=trainer,
        slot=slot(session, 7),
        statuses={enrolment.pk: "absent"},
        now=paris(TODAY, 9, 45),
    )
    attendance = Attendance.objects.get()
    with pytest.raises(rules.AttendanceError, match="Indiquez le motif"):
        attendance_correct(
            attendance=attendance,
            changed_by=trainer,
            field="status",
            new_value="present",
            reason="",
        )
    attendance.refresh_from_db()
    assert attendance.status == "absent"
    assert not AttendanceCorrection.objects.exists()


def test_a_trainer_of_another_session_cannot_correct(session, trainer):
    from tests.factories import TrainerFactory

    enrolment = enrol(session)
    attendance_countersign(
        trainer=trainer, slot=slot(session, 7), statuses={enrolment.pk: "absent"}, now=paris(TODAY)
    )
    with pytest.raises(PermissionDenied):
        attendance_correct(
            attendance=Attendance.objects.get(),
            changed_by=TrainerFactory(),
            field="status",
            new_value="present",
            reason="Erreur de saisie",
        )
    assert not AttendanceCorrection.objects.exists()


def test_hours_attended_are_derived_from_present_half_days(session, trainer, trainee):
    enrolment = enrol(session, trainee)
    # Day 6 morning present, afternoon absent; day 7 morning present, then corrected to excused.
    marks = [(6, "am", "present"), (6, "pm", "absent"), (7, "am", "present")]
    for day_number, half, status in marks:
        attendance_countersign(
            trainer=trainer,
            slot=slot(session, day_number, half),
            statuses={enrolment.pk: status},
            now=paris(TODAY - datetime.timedelta(days=7 - day_number), 18),
        )
    view = build_today(trainee, paris(TODAY, 12, 40))
    assert str(view.hours_attended) == "7.00"
    attendance_correct(
        attendance=Attendance.objects.get(slot=slot(session, 7, "am")),
        changed_by=trainer,
        field="status",
        new_value="excused",
        reason="Rendez-vous médical justifié",
    )
    assert str(build_today(trainee, paris(TODAY, 12, 40)).hours_attended) == "3.50"


def test_the_demo_seed_signs_past_half_days_only_with_one_absence_and_one_excuse(trainer):
    from modules.seed_attendance import DEMO_TRAINEE, demo_session, seed_attendance
    from tests.factories import TraineeFactory

    session = make_session(trainers=[trainer], slug="demonstration-carcassonne")
    assert demo_session() == session
    demo = enrol(session, TraineeFactory(email=DEMO_TRAINEE))
    enrol_group(session, 5)
    created = seed_attendance(today=TODAY)
    assert created == 12 * 6  # days 1–6 before Tuesday of week 2, two halves, six trainees
    statuses = list(Attendance.objects.values_list("status", flat=True))
    assert statuses.count("absent") == 1
    assert statuses.count("excused") == 1
    assert not Attendance.objects.filter(slot__date__gte=TODAY).exists()
    assert set(demo.attendances.values_list("status", flat=True)) == {"present"}
    assert not Attendance.objects.filter(trainer_signed_at__isnull=True).exists()
    assert seed_attendance(today=TODAY) == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signatures_make_one_row_and_one_refusal(trainer, trainee):
    session = make_session(trainers=[trainer])
    enrolment = enrol(session, trainee)
    morning = slot(session, 7)
    barrier = threading.Barrier(2)
    signed, refused, errors = [], [], []

    def sign(minute):
        try:
            barrier.wait()
            signed.append(
                attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, minute))
            )
        except rules.AttendanceError as error:
            refused.append(error)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(minute,)) for minute in (4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (len(signed), len(refused)) == (1, 1)
    assert Attendance.objects.get().trainee_signed_at == signed[0].trainee_signed_at


def test_a_first_signature_is_one_locked_read_and_one_insert(
    session, trainee, django_assert_num_queries
):
    enrolment = enrol(session, trainee)
    morning = slot(session, 7, "am")
    # The locked read, then the insert in a savepoint (SAVEPOINT, INSERT, RELEASE), inside
    # the service's own transaction (a savepoint too within the test's): six statements.
    with django_assert_num_queries(6):
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    row = Attendance.objects.get()
    assert (row.status, row.trainee_signed_at) == (rules.PRESENT, paris(TODAY, 9, 4))


def test_signing_completes_a_row_that_exists_unsigned(session, trainee):
    enrolment = enrol(session, trainee)
    morning = slot(session, 7, "am")
    Attendance.objects.create(enrolment=enrolment, slot=morning)
    attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    row = Attendance.objects.get()
    assert (row.status, row.trainee_signed_at) == (rules.PRESENT, paris(TODAY, 9, 4))


def test_a_signature_racing_another_decides_again_on_the_row_it_met(session, trainee, monkeypatch):
    """The insert meets the unique constraint (another request inserted first): the service
    reads that row, locked, and refuses (already signed) instead of failing."""
    from modules.services import attendance as services

    enrolment = enrol(session, trainee)
    morning = slot(session, 7, "am")
    real_check = services._check_sign
    calls = []

    def check_then_race(enrolment_, slot_, attendance, now):
        calls.append(attendance)
        real_check(enrolment_, slot_, attendance, now)
        if len(calls) == 1:  # the other request signs between our read and our insert
            Attendance.objects.create(
                enrolment=enrolment,
                slot=morning,
                status=rules.PRESENT,
                trainee_signed_at=paris(TODAY, 9, 3),
            )

    monkeypatch.setattr(services, "_check_sign", check_then_race)
    with pytest.raises(rules.AttendanceError, match="déjà signé"):
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    # First on nothing, then on the other request's row (here rolled back with the refusal,
    # as both ran in one transaction).
    assert calls[0] is None
    assert calls[1].trainee_signed_at == paris(TODAY, 9, 3)
