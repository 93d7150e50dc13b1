"""Signing with poor Wi-Fi (issue 11, kind 6): a signature queued on the device with its time is
accepted when the server can check it against the half-day's window; every decision is kept."""

import datetime

from django.test import override_settings

import pytest

from modules import attendance as rules
from modules.models import Attendance, DeferredSignature
from modules.services.attendance import attendance_sign_queued

from .attendance_support import TODAY, enrol, freeze, make_session, paris, slot

NINE = datetime.time(9, 0)
MAX = datetime.timedelta(hours=4)


def check(claimed, received, **kwargs):
    rules.check_deferred_signature(
        date=TODAY,
        start_time=NINE,
        claimed_at=claimed,
        received_at=received,
        max_delay=MAX,
        **kwargs,
    )


def test_a_tap_in_the_window_received_within_the_delay_is_accepted():
    check(paris(TODAY, 9, 5), paris(TODAY, 12, 30))


def test_a_tap_received_after_the_bounded_delay_is_refused_in_french():
    with pytest.raises(rules.AttendanceError, match="arrivée trop tard"):
        check(paris(TODAY, 9, 5), paris(TODAY, 13, 6))


def test_a_tap_before_the_window_opens_is_refused():
    with pytest.raises(rules.AttendanceError, match="hors de la plage d'émargement"):
        check(paris(TODAY, 8, 0), paris(TODAY, 9, 30))


def test_a_tap_on_the_day_before_is_refused_even_when_received_quickly():
    with pytest.raises(rules.AttendanceError, match="hors de la plage"):
        check(paris(TODAY - datetime.timedelta(days=1), 23, 50), paris(TODAY, 0, 10))


def test_a_tap_in_the_servers_future_is_refused():
    with pytest.raises(rules.AttendanceError, match="en avance"):
        check(paris(TODAY, 10, 0), paris(TODAY, 9, 30))


def test_only_a_signature_sent_well_after_the_tap_is_deferred():
    received = paris(TODAY, 9, 30)
    assert not rules.is_deferred(claimed_at=None, received_at=received)
    assert not rules.is_deferred(
        claimed_at=paris(
            TODAY,
            9,
            29,
        ),
        received_at=received,
    )
    assert rules.is_deferred(claimed_at=paris(TODAY, 9, 20), received_at=received)


# --- Service and view ---------------------------------------------------------------------------


@pytest.fixture
def enrolment(db, trainee):
    return enrol(make_session(), trainee)


def test_a_queued_signature_counts_at_the_tap_and_the_decision_is_recorded(enrolment):
    morning = slot(enrolment.session, 7, "am")
    attendance = attendance_sign_queued(
        enrolment=enrolment,
        slot=morning,
        claimed_at=paris(TODAY, 9, 5),
        device_sent_at=paris(TODAY, 11, 0),
        received_at=paris(TODAY, 11, 0),
    )
    assert attendance.trainee_signed_at == paris(TODAY, 9, 5)
    assert attendance.status == "present"
    record = DeferredSignature.objects.get()
    assert record.accepted and record.reason == ""
    assert record.received_at == paris(TODAY, 11, 0)


def test_a_device_clock_off_by_an_hour_is_corrected_by_its_offset(enrolment):
    morning = slot(enrolment.session, 7, "am")
    # The device is one hour behind: it says 8:05 for the tap and 10:00 for the sending.
    attendance = attendance_sign_queued(
        enrolment=enrolment,
        slot=morning,
        claimed_at=paris(TODAY, 8, 5),
        device_sent_at=paris(TODAY, 10, 0),
        received_at=paris(TODAY, 11, 0),
    )
    assert attendance.trainee_signed_at == paris(TODAY, 9, 5)


@override_settings(ATTENDANCE_DEFERRED_MAX_DELAY_MINUTES=60)
def test_a_late_queued_signature_is_refused_recorded_and_leaves_no_attendance(enrolment):
    morning = slot(enrolment.session, 7, "am")
    with pytest.raises(rules.AttendanceError, match="trop tard"):
        attendance_sign_queued(
            enrolment=enrolment,
            slot=morning,
            claimed_at=paris(TODAY, 9, 5),
            received_at=paris(TODAY, 10, 30),
        )
    record = DeferredSignature.objects.get()
    assert not record.accepted and "trop tard" in record.reason
    assert not Attendance.objects.filter(trainee_signed_at__isnull=False).exists()


def test_the_sign_view_answers_json_for_the_script(client_as, monkeypatch, enrolment, trainee):
    morning = slot(enrolment.session, 7, "am")
    freeze(monkeypatch, paris(TODAY, 9, 40))
    client = client_as(trainee)
    response = client.post(
        f"/emargement/{morning.pk}/signer/",
        {"claimed_at": "2026-03-10T08:10:00Z", "sent_at": "2026-03-10T08:40:00Z"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "message": "Présence signée à 9 h 10 (matin du mardi 10 mars 2026).",
    }
    again = client.post(
        f"/emargement/{morning.pk}/signer/",
        {"claimed_at": "2026-03-10T08:10:00Z"},
        HTTP_ACCEPT="application/json",
    )
    assert again.status_code == 409
    assert "déjà signé" in again.json()["message"]


def test_an_unreadable_device_time_is_ignored_and_the_server_times_the_signature(
    client_as, monkeypatch, enrolment, trainee
):
    morning = slot(enrolment.session, 7, "am")
    freeze(monkeypatch, paris(TODAY, 9, 40))
    response = client_as(trainee).post(
        f"/emargement/{morning.pk}/signer/", {"claimed_at": "hier matin"}
    )
    assert response.status_code == 302
    assert morning.attendances.get().trainee_signed_at == paris(TODAY, 9, 40)
    assert not DeferredSignature.objects.exists()


def test_the_trainer_sees_that_a_signature_came_offline_and_when_it_arrived(
    client_as, monkeypatch, enrolment, trainer
):
    enrolment.session.trainers.add(trainer)
    morning = slot(enrolment.session, 7, "am")
    attendance_sign_queued(
        enrolment=enrolment,
        slot=morning,
        claimed_at=paris(TODAY, 9, 5),
        received_at=paris(TODAY, 9, 48),
    )
    freeze(monkeypatch, paris(TODAY, 10, 0))
    html = client_as(trainer).get(f"/formateur/creneaux/{morning.pk}/emargement/").content.decode()
    assert "a signé à 9 h 05 (hors ligne, reçue à 9 h 48)" in html
