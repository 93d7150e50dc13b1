"""The trainer's counter-sign screen: the whole group, big toggles, one POST, corrections."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from modules.models import Attendance, AttendanceCorrection
from modules.services.attendance import attendance_countersign, attendance_sign

from .attendance_support import TODAY, enrol, enrol_group, freeze, make_session, paris, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    return make_session(trainers=[trainer])


def screen_url(target):
    return f"/formateur/creneaux/{target.pk}/emargement/"


def test_the_screen_lists_every_trainee_with_their_signature_time_and_toggles(
    client_as, session, trainer, trainee, other_trainee
):
    signed = enrol(session, trainee)
    silent = enrol(session, other_trainee)
    morning = slot(session, 7)
    attendance_sign(enrolment=signed, slot=morning, now=paris(TODAY, 9, 4))
    html = client_as(trainer).get(screen_url(morning)).content.decode()
    assert "MARTIN Camille" in html
    assert "a signé à 9 h 04" in html
    assert "DURAND Jules" in html
    assert "pas de signature" in html
    for value in ("present", "absent", "excused"):
        assert f'id="status-{signed.pk}-{value}"' in html
    # Proposed: present for the signer, absent for the other.
    assert f'name="status-{signed.pk}" value="present" checked' in html
    assert f'name="status-{silent.pk}" value="absent" checked' in html
    assert ">Contresigner</button>" in html
    assert "1 signature de stagiaire sur 2" in html


def test_one_post_counter_signs_the_whole_group(client_as, monkeypatch, session, trainer):
    group = enrol_group(session, 5)
    morning = slot(session, 7)
    freeze(monkeypatch, paris(TODAY, 9, 40))
    data = {f"status-{enrolment.pk}": "present" for enrolment in group}
    data[f"status-{group[1].pk}"] = "absent"
    data[f"status-{group[2].pk}"] = "excused"
    response = client_as(trainer).post(screen_url(morning), data, follow=True)
    html = response.content.decode()
    assert "Demi-journée contresignée" in html
    assert "demi-journée contresignée</strong>" in html
    rows = {row.enrolment_id: row for row in Attendance.objects.filter(slot=morning)}
    assert [rows[e.pk].status for e in group] == [
        "present",
        "absent",
        "excused",
        "present",
        "present",
    ]
    assert {row.trainer_signed_at for row in rows.values()} == {paris(TODAY, 9, 40)}
    assert "Corriger le statut de" in html
    assert ">Contresigner</button>" not in html


def test_an_invalid_status_is_refused_in_french_keeping_the_choices(client_as, session, trainer):
    first, second = enrol_group(session, 2)
    response = client_as(trainer).post(
        screen_url(slot(session, 7)),
        {f"status-{first.pk}": "excused", f"status-{second.pk}": "en-retard"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez présent, absent ou absence justifiée." in html
    assert f'name="status-{first.pk}" value="excused" checked' in html
    assert not Attendance.objects.filter(trainer_signed_at__isnull=False).exists()


def test_a_correction_without_reason_is_refused_keeping_what_was_typed(client_as, session, trainer):
    enrolment = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={enrolment.pk: "absent"}, now=paris(TODAY, 9, 40)
    )
    attendance = Attendance.objects.get()
    response = client_as(trainer).post(
        f"/formateur/emargements/{attendance.pk}/corriger/", {"status": "excused", "reason": ""}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Indiquez le motif de la correction." in html
    assert '<option value="excused" selected>' in html
    assert '<details class="correction" open>' in html
    attendance.refresh_from_db()
    assert attendance.status == "absent"
    assert not AttendanceCorrection.objects.exists()


def test_a_correction_reason_with_a_nul_byte_is_refused_in_french(client_as, session, trainer):
    # PostgreSQL refuses NUL in text: this was a 500 there (issue 11, kind 2).
    enrolment = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={enrolment.pk: "absent"}, now=paris(TODAY, 9, 40)
    )
    attendance = Attendance.objects.get()
    response = client_as(trainer).post(
        f"/formateur/emargements/{attendance.pk}/corriger/",
        {"status": "excused", "reason": "Justificatif\x00 reçu"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "octet nul" in html
    assert "Justificatif reçu" in html
    attendance.refresh_from_db()
    assert attendance.status == "absent"
    assert not AttendanceCorrection.objects.exists()


def test_a_correction_is_recorded_and_shown_in_the_history(client_as, session, trainer):
    enrolment = enrol(session)
    morning = slot(session, 7)
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={enrolment.pk: "absent"}, now=paris(TODAY, 9, 40)
    )
    attendance = Attendance.objects.get()
    response = client_as(trainer).post(
        f"/formateur/emargements/{attendance.pk}/corriger/",
        {"status": "excused", "reason": "Certificat médical apporté"},
        follow=True,
    )
    html = response.content.decode()
    assert "Correction enregistrée." in html
    assert (
        "Karim Benali : Absent·e → Absence justifiée · motif : Certificat médical apporté" in html
    )
    correction = AttendanceCorrection.objects.get()
    assert (correction.changed_by, correction.old_value, correction.new_value) == (
        trainer,
        "absent",
        "excused",
    )


def _screen_queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_screen_query_count_is_constant_in_the_group_size(client_as, session, trainer):
    morning = slot(session, 7)
    client = client_as(trainer)
    group = enrol_group(session, 10)
    for enrolment in group[:5]:
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 4))
    attendance_countersign(trainer=trainer, slot=morning, statuses={}, now=paris(TODAY, 9, 40))
    attendance = Attendance.objects.filter(slot=morning).first()
    from modules.services.attendance import attendance_correct

    attendance_correct(
        attendance=attendance,
        changed_by=trainer,
        field="status",
        new_value="excused",
        reason="Justificatif reçu",
    )
    small = _screen_queries(client, screen_url(morning))
    more = enrol_group(session, 30)
    for enrolment in more[:15]:
        attendance_sign(enrolment=enrolment, slot=morning, now=paris(TODAY, 9, 5))
    large = _screen_queries(client, screen_url(morning))
    assert small == large
    assert large <= 17  # +1: the accommodations shown by the quality app (trainee_notes)


def test_the_counter_sign_post_query_count_is_constant_in_the_group_size(
    client_as, session, trainer
):
    client = client_as(trainer)

    def post_queries(target, enrolments) -> int:
        data = {f"status-{enrolment.pk}": "present" for enrolment in enrolments}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(screen_url(target), data)
        assert response.status_code == 302
        return len(queries)

    small = post_queries(slot(session, 1), enrol_group(session, 10))
    group = list(session.enrolments.all()) + enrol_group(session, 30)
    large = post_queries(slot(session, 2), group)
    assert Attendance.objects.filter(slot=slot(session, 2)).count() == 40
    assert small == large


def test_the_trainers_session_list_query_count_is_constant_in_sessions(
    client_as, monkeypatch, trainer
):
    freeze(monkeypatch, paris(TODAY, 8))
    client = client_as(trainer)
    enrol_group(make_session(trainers=[trainer]), 3)

    def list_queries() -> int:
        client.get("/formateur/sessions/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/formateur/sessions/")
        assert response.status_code == 200
        return len(queries)

    small = list_queries()
    for _ in range(3):
        enrol_group(make_session(trainers=[trainer]), 3)
    assert list_queries() == small


def test_the_session_page_lists_30_half_days_with_counts(client_as, session, trainer):
    group = enrol_group(session, 3)
    morning = slot(session, 7)
    attendance_sign(enrolment=group[0], slot=morning, now=paris(TODAY, 9, 4))
    attendance_countersign(
        trainer=trainer, slot=morning, statuses={group[1].pk: "excused"}, now=paris(TODAY, 10)
    )
    client = client_as(trainer)
    url = f"/formateur/sessions/{session.pk}/"
    html = client.get(url).content.decode()
    assert html.count("Émarger<span") == 30
    assert "<td>1 / 1 / 1</td>" in html
    small = _screen_queries(client, url)
    enrol_group(session, 20)
    assert _screen_queries(client, url) == small


def test_a_future_half_day_cannot_be_counter_signed(client_as, monkeypatch, session, trainer):
    enrol_group(session, 3)
    freeze(monkeypatch, paris(TODAY, 9, 40))
    future = slot(session, 15, "pm")
    response = client_as(trainer).post(f"/formateur/creneaux/{future.pk}/emargement/", {})
    assert response.status_code == 400
    assert "pas encore eu lieu" in response.content.decode()
    assert not Attendance.objects.filter(slot=future, trainer_signed_at__isnull=False).exists()


def test_the_screen_of_a_future_half_day_has_no_counter_sign_button(
    client_as, monkeypatch, session, trainer
):
    enrol_group(session, 2)
    freeze(monkeypatch, paris(TODAY, 9, 40))
    future = slot(session, 8, "am")
    html = client_as(trainer).get(f"/formateur/creneaux/{future.pk}/emargement/").content.decode()
    assert 'data-testid="not-yet"' in html
    assert ">Contresigner</button>" not in html
