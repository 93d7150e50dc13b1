"""What "Aujourd'hui" shares between trainees (lms.shared, issue 12): a trainer's change is seen
on the next request, and no trainee ever sees another's signatures, dossiers or attempts."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.models import AssessmentPage, Attempt
from lms.models import SiteSettings
from modules.models import ModulePage
from modules.services.attendance import attendance_sign
from tests.factories import TraineeFactory
from tests.factories.casestudies import DossierFactory

from .attendance_support import (
    TODAY,
    attach_modules,
    enrol,
    freeze,
    make_module,
    make_programme,
    make_session,
    paris,
    slot,
)

pytestmark = pytest.mark.django_db
URL = "/aujourdhui/"


@pytest.fixture
def modules(home_page):
    programme = make_programme(home_page)
    return {number: make_module(programme, number) for number in (3, 4, 5)}


@pytest.fixture
def session(trainer, modules):
    session = make_session(trainers=[trainer])
    attach_modules(session, {(7, "am"): [modules[3]], (7, "pm"): [modules[4]]})
    return session


def page(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def shared_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client)
    return len(queries)


def test_the_session_timetable_is_built_once_for_its_trainees(
    client, client_as, monkeypatch, session
):
    """The first trainee's request builds the half-days; the next one (another trainee of the
    same session) reads them with fewer queries."""
    freeze(monkeypatch, paris(TODAY, 9, 10))
    first, second = TraineeFactory(), TraineeFactory()
    enrol(session, first)
    enrol(session, second)
    page(client_as(first))  # warm the per-process caches
    from lms import shared

    shared.clear()
    cold = shared_queries(client_as(first))
    warm = shared_queries(client_as(second))
    assert warm < cold


def test_a_half_day_changed_by_a_trainer_shows_on_the_next_request(
    client_as, monkeypatch, session, modules
):
    freeze(monkeypatch, paris(TODAY, 9, 10))
    trainee = TraineeFactory()
    enrol(session, trainee)
    client = client_as(trainee)
    html = page(client)
    assert "Module 3 · Module de test 3" in html
    morning = slot(session, 7, "am")
    # The half-day is given another room and module, and a later start (the admin's form saves).
    morning.room = "Salle Jean Jaurès"
    morning.start_time = datetime.time(9, 30)
    morning.save()
    morning.modules.set([modules[5]])
    html = page(client)
    assert "Salle Jean Jaurès" in html
    assert "9 h 30" in html
    assert "Module 5 · Module de test 5" in html
    assert "Module 3 · Module de test 3" not in html


def test_a_module_renamed_and_published_shows_on_the_next_request(
    client_as, monkeypatch, session, modules, coordinator
):
    freeze(monkeypatch, paris(TODAY, 9, 10))
    trainee = TraineeFactory()
    enrol(session, trainee)
    client = client_as(trainee)
    assert "Module de test 3" in page(client)
    draft = ModulePage.objects.get(pk=modules[3].pk)
    draft.title = "Repérer les ménages"
    draft.save_revision(user=coordinator).publish(user=coordinator)
    html = page(client)
    assert "Module 3 · Repérer les ménages" in html
    assert "Module de test 3" not in html


def test_site_settings_edited_show_on_the_next_request(client_as, monkeypatch, session):
    freeze(monkeypatch, paris(TODAY, 9, 10))
    trainee = TraineeFactory()
    enrol(session, trainee)
    client = client_as(trainee)
    page(client)
    settings = SiteSettings.load()
    settings.organisation_name = "Organisme renommé"
    settings.save()
    assert "Organisme renommé" in page(client)


def test_two_trainees_of_one_session_each_see_their_own_signatures_and_dossiers(
    client, client_as, monkeypatch, session
):
    freeze(monkeypatch, paris(TODAY, 9, 10))
    signed, other = TraineeFactory(), TraineeFactory()
    signed_enrolment = enrol(session, signed)
    enrol(session, other)
    attendance_sign(enrolment=signed_enrolment, slot=slot(session, 7, "am"), now=paris(TODAY, 9, 4))
    dossier = DossierFactory(trainee=signed, enrolment=signed_enrolment)
    for _ in range(2):  # before and after the shared part is built
        html = page(client_as(signed))
        assert "Présence signée à 9 h 04" in html
        assert f"/dossiers/{dossier.pk}/" in html
        html = page(client_as(other))
        assert "Présence signée" not in html
        assert "Signer ma présence" in html
        assert f"/dossiers/{dossier.pk}/" not in html


def test_an_assessment_passed_by_one_trainee_stays_due_for_the_other(
    client_as, monkeypatch, session, modules
):
    from tests.factories.assessments import AssessmentPageFactory

    freeze(monkeypatch, paris(TODAY, 9, 10))
    passed, other = TraineeFactory(), TraineeFactory()
    passed_enrolment = enrol(session, passed)
    enrol(session, other)
    quiz = AssessmentPageFactory(title="Quiz de la semaine 2", modules=[modules[3]])
    assert isinstance(quiz, AssessmentPage)
    for client_user in (passed, other):
        assert "Quiz de la semaine 2" in page(client_as(client_user))
    Attempt.objects.create(
        trainee=passed,
        assessment=quiz,
        enrolment=passed_enrolment,
        started_at=paris(TODAY, 8),
        submitted_at=paris(TODAY, 8, 30),
        status=Attempt.Status.GRADED,
        passed=True,
    )
    assert "Quiz de la semaine 2" not in page(client_as(passed))
    assert "Quiz de la semaine 2" in page(client_as(other))


def test_a_new_quiz_published_is_due_on_the_next_request(client_as, monkeypatch, session, modules):
    from tests.factories.assessments import AssessmentPageFactory

    freeze(monkeypatch, paris(TODAY, 9, 10))
    trainee = TraineeFactory()
    enrol(session, trainee)
    client = client_as(trainee)
    assert "Quiz publié ce matin" not in page(client)
    AssessmentPageFactory(title="Quiz publié ce matin", modules=[modules[3]])
    assert "Quiz publié ce matin" in page(client)


def _upcoming(html: str) -> str:
    start = html.index('id="upcoming-title"')
    return html[start : html.index("</section>", start)]


def test_the_upcoming_days_are_rendered_once_and_a_trainers_change_shows_next(
    client_as, monkeypatch, session, modules
):
    """The upcoming days (the same for every trainee of a session) are stored rendered: the
    second trainee gets the same HTML, a half-day given another module by a trainer shows on
    the next request, and another session's trainee gets their own session's days."""
    freeze(monkeypatch, paris(TODAY, 9, 10))
    attach_modules(session, {(9, "am"): [modules[4]]})
    first, second = TraineeFactory(), TraineeFactory()
    enrol(session, first)
    enrol(session, second)
    upcoming = _upcoming(page(client_as(first)))
    assert "Module de test 4" in upcoming
    assert _upcoming(page(client_as(second))) == upcoming
    later = slot(session, 9, "am")
    later.modules.set([modules[5]])  # the admin's form saves the half-day's modules
    upcoming = _upcoming(page(client_as(second)))
    assert "module 5 · Module de test 5" in upcoming
    assert "Module de test 4" not in upcoming
    elsewhere = make_session(name="Session voisine")
    attach_modules(elsewhere, {(9, "am"): [modules[3]]})
    neighbour = TraineeFactory()
    enrol(elsewhere, neighbour)
    theirs = _upcoming(page(client_as(neighbour)))
    assert "module 3 · Module de test 3" in theirs
    assert "Module de test 5" not in theirs
