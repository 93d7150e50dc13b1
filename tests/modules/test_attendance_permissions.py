"""Who may sign, counter-sign, correct and export: enforced on the server, direct URLs included."""

import pytest

from modules.models import Attendance, AttendanceCorrection
from modules.services.attendance import attendance_countersign
from tests.factories import TraineeFactory, TrainerFactory

from .attendance_support import TODAY, enrol, freeze, make_session, paris, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(trainer):
    return make_session(trainers=[trainer])


def sign_url(target):
    return f"/emargement/{target.pk}/signer/"


def test_a_trainee_cannot_sign_a_slot_of_a_session_they_are_not_in(
    client_as, monkeypatch, session, trainee
):
    enrol(session, trainee)
    other = make_session()
    enrol(other)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    response = client_as(trainee).post(sign_url(slot(other, 7)))
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_trainee_cannot_sign_for_another_trainee(
    client_as, monkeypatch, session, trainee, other_trainee
):
    mine = enrol(session, trainee)
    theirs = enrol(session, other_trainee)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    # Whatever ids are posted, the enrolment is the signed-in user's.
    client_as(trainee).post(
        sign_url(slot(session, 7)),
        {"enrolment": theirs.pk, "enrolment_id": theirs.pk, "trainee": other_trainee.pk},
    )
    assert list(Attendance.objects.values_list("enrolment_id", flat=True)) == [mine.pk]


def test_a_trainee_cannot_sign_another_day(client_as, monkeypatch, session, trainee):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    client = client_as(trainee)
    for day_number in (6, 8):  # yesterday and tomorrow
        response = client.post(sign_url(slot(session, day_number)), follow=True)
        assert response.status_code == 200
    html = response.content.decode()
    assert "ouvrira le mercredi 11 mars 2026 à 8 h 30" in html
    assert not Attendance.objects.exists()


def test_signing_yesterday_says_it_is_closed(client_as, monkeypatch, session, trainee):
    enrol(session, trainee)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    response = client_as(trainee).post(sign_url(slot(session, 6)), follow=True)
    assert "émargement du lundi 9 mars 2026 est clos" in response.content.decode()


def test_signing_needs_a_post_and_a_login(client, client_as, session, trainee):
    target = slot(session, 7)
    response = client.post(sign_url(target))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    enrol(session, trainee)
    assert client_as(trainee).get(sign_url(target)).status_code == 405


def test_signing_an_unknown_slot_is_a_404(client_as, trainee):
    assert client_as(trainee).post("/emargement/999999/signer/").status_code == 404


TRAINER_URLS = [
    "/formateur/sessions/{session}/",
    "/formateur/sessions/{session}/feuille/",
    "/formateur/sessions/{session}/feuille.pdf",
    "/formateur/sessions/{session}/feuille.csv",
    "/formateur/creneaux/{slot}/emargement/",
]


def urls_for(session):
    target = slot(session, 7)
    return [url.format(session=session.pk, slot=target.pk) for url in TRAINER_URLS]


@pytest.mark.parametrize("index", range(len(TRAINER_URLS)))
def test_the_sessions_trainer_opens_every_attendance_page(client_as, session, trainer, index):
    enrol(session)
    assert client_as(trainer).get(urls_for(session)[index]).status_code == 200


@pytest.mark.parametrize("index", range(len(TRAINER_URLS)))
def test_another_trainer_is_refused_every_attendance_page(client_as, session, index):
    enrol(session)
    assert client_as(TrainerFactory()).get(urls_for(session)[index]).status_code == 403


@pytest.mark.parametrize("index", range(len(TRAINER_URLS)))
def test_a_trainee_is_refused_every_attendance_page(client_as, session, trainee, index):
    enrol(session, trainee)
    assert client_as(trainee).get(urls_for(session)[index]).status_code == 403


@pytest.mark.parametrize("index", range(len(TRAINER_URLS)))
def test_anonymous_visitors_are_sent_to_login_from_attendance_pages(client, session, index):
    response = client.get(urls_for(session)[index])
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


@pytest.mark.parametrize("index", range(len(TRAINER_URLS)))
def test_coordinators_and_superusers_open_every_attendance_page(
    client_as, session, coordinator, superuser, index
):
    enrol(session)
    assert client_as(coordinator).get(urls_for(session)[index]).status_code == 200
    assert client_as(superuser).get(urls_for(session)[index]).status_code == 200


def test_a_trainee_is_refused_the_trainers_session_list(client_as, trainee):
    assert client_as(trainee).get("/formateur/sessions/").status_code == 403


def test_another_trainer_cannot_counter_sign_by_posting(client_as, session):
    enrolment = enrol(session)
    response = client_as(TrainerFactory()).post(
        f"/formateur/creneaux/{slot(session, 7).pk}/emargement/",
        {f"status-{enrolment.pk}": "present"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_a_trainee_cannot_counter_sign_by_posting(client_as, session, trainee):
    enrolment = enrol(session, trainee)
    response = client_as(trainee).post(
        f"/formateur/creneaux/{slot(session, 7).pk}/emargement/",
        {f"status-{enrolment.pk}": "present"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_another_trainer_cannot_correct(client_as, session, trainer):
    enrolment = enrol(session)
    attendance_countersign(
        trainer=trainer, slot=slot(session, 7), statuses={enrolment.pk: "absent"}, now=paris(TODAY)
    )
    attendance = Attendance.objects.get()
    response = client_as(TrainerFactory()).post(
        f"/formateur/emargements/{attendance.pk}/corriger/",
        {"status": "present", "reason": "Je corrige ce que je veux"},
    )
    assert response.status_code == 403
    attendance.refresh_from_db()
    assert attendance.status == "absent"
    assert not AttendanceCorrection.objects.exists()


def test_a_trainer_only_lists_their_own_sessions(client_as, monkeypatch, session, trainer):
    freeze(monkeypatch, paris(TODAY, 8))
    make_session(name="Session d'un collègue", trainers=[TrainerFactory()])
    html = client_as(trainer).get("/formateur/sessions/").content.decode()
    assert session.name in html
    assert "Session d'un collègue" not in html


def test_a_trainee_never_sees_another_trainees_attendance(client_as, monkeypatch, session, trainee):
    enrol(session, trainee)
    other = TraineeFactory(first_name="Zoé", last_name="Invisible")
    enrol(session, other)
    freeze(monkeypatch, paris(TODAY, 9, 4))
    for url in ("/aujourdhui/", "/mon-emargement/"):
        assert "Invisible" not in client_as(trainee).get(url).content.decode()


def test_the_trainers_list_shows_current_then_next_then_finished_sessions(
    client_as, monkeypatch, session, trainer
):
    import datetime

    freeze(monkeypatch, paris(TODAY, 8))
    week = datetime.timedelta(days=7)
    finished = make_session(name="Session terminée", week1=session.week1_start - 5 * week,
                            trainers=[trainer])  # fmt: skip
    later = make_session(name="Session estivale", week1=session.week1_start + 12 * week,
                         trainers=[trainer])  # fmt: skip
    sooner = make_session(name="Session printanière", week1=session.week1_start + 4 * week,
                          trainers=[trainer])  # fmt: skip
    html = client_as(trainer).get("/formateur/sessions/").content.decode()
    positions = [html.index(s.name) for s in (session, sooner, later, finished)]
    assert positions == sorted(positions)
    assert "En cours" in html and "À venir" in html and "Terminée" in html


def test_sessions_without_slots_count_as_to_come():
    import datetime
    from types import SimpleNamespace

    from modules.selectors_attendance import current_sessions_first

    day = datetime.date(2026, 3, 10)
    empty = SimpleNamespace(name="Vide", first_day=None, last_day=None)
    now = SimpleNamespace(name="Maintenant", first_day=day, last_day=day)
    ordered = current_sessions_first([empty, now], day)
    assert [s.name for s in ordered] == ["Maintenant", "Vide"]
    assert [s.timing for s in ordered] == ["current", "next"]
