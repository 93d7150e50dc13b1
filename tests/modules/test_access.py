"""modules.access: who manages which sessions, and whose work a trainer follows.

The scope of a trainer is the enrolment in their session, not the person: a trainee enrolled in
two sessions is two scopes (issue 10, finding 1).
"""

import datetime

from django.apps import apps as django_apps
from django.utils import timezone

import pytest

from assessments.services import attempt_save_answers, attempt_start, attempt_submit
from casestudies.models import Dossier
from casestudies.services import dossier_open
from modules import access
from modules.csv_import import csv_import
from modules.models import Enrolment
from tests.factories import (
    AssessmentPageFactory,
    CaseStudyPageFactory,
    EnrolmentFactory,
    TrainerFactory,
    TrainingSessionFactory,
    make_question,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


@pytest.fixture
def two_sessions(trainee):
    """Session B is under way, session A starts in two months; `trainee` is enrolled in B."""
    trainer_a, trainer_b = TrainerFactory(), TrainerFactory()
    session_a = TrainingSessionFactory(
        trainers=[trainer_a],
        week1_start=THIS_MONDAY + datetime.timedelta(weeks=8),
        generate_slots=False,
    )
    session_b = TrainingSessionFactory(
        trainers=[trainer_b], week1_start=THIS_MONDAY, generate_slots=False
    )
    EnrolmentFactory(session=session_b, trainee=trainee)
    return trainer_a, trainer_b, session_a, session_b


def work_in_session_b(trainee):
    """An open answer submitted and a dossier begun while the trainee is in session B."""
    assessment = AssessmentPageFactory(
        questions=[make_question("long_text", "C3", 3, rubric=[("Calcul", 3)])]
    )
    attempt = attempt_start(trainee=trainee, assessment=assessment)
    question = assessment.questions.get()
    attempt_save_answers(attempt=attempt, values={question: "Reste à charge : 11 475 €."})
    attempt_submit(attempt=attempt)
    dossier = dossier_open(trainee=trainee, case_study=CaseStudyPageFactory())
    return attempt, attempt.answers.get(), dossier


def enrol_by_csv(session, email):
    raw = f"nom;prenom;email\nMartin;Camille;{email}\n".encode()
    report = csv_import(session=session, raw=raw)
    assert report.ok, report.errors


def test_work_belongs_to_the_enrolment_of_the_session_under_way(trainee, two_sessions):
    *_, session_b = two_sessions
    attempt, _answer, dossier = work_in_session_b(trainee)
    assert attempt.enrolment.session == session_b
    assert dossier.enrolment.session == session_b


def test_a_trainer_who_enrols_another_sessions_trainee_never_sees_their_work_there(
    client_as, trainee, two_sessions
):
    """Finding 1: the trainer of A imports (CSV) a trainee of B; B's work stays out of sight."""
    trainer_a, trainer_b, session_a, _session_b = two_sessions
    attempt, answer, dossier = work_in_session_b(trainee)
    enrol_by_csv(session_a, trainee.email)
    assert Enrolment.objects.filter(trainee=trainee).count() == 2

    client = client_as(trainer_a)
    assert client.get(f"/tentatives/{attempt.pk}/resultat/").status_code in (403, 404)
    assert client.get(f"/correction/reponses/{answer.pk}/").status_code in (403, 404)
    assert client.post(f"/correction/reponses/{answer.pk}/", {"criterion_0": "3"}).status_code in (
        403,
        404,
    )
    assert "Camille" not in client.get("/correction/").content.decode()
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 404
    assert client.get(f"/revue-dossiers/{dossier.pk}/identifier/").status_code == 404
    answer.refresh_from_db()
    assert answer.points_awarded is None

    client = client_as(trainer_b)
    assert client.get(f"/correction/reponses/{answer.pk}/").status_code == 200
    assert client.get(f"/dossiers/{dossier.pk}/").status_code == 200


def test_work_done_in_the_trainers_own_session_is_followed(trainee, two_sessions):
    trainer_a, trainer_b, session_a, _ = two_sessions
    _attempt, answer, dossier = work_in_session_b(trainee)
    assert access.may_grade_work(
        trainer_b, trainee_id=trainee.pk, enrolment_id=answer.attempt.enrolment_id
    )
    assert not access.may_grade_work(
        trainer_a, trainee_id=trainee.pk, enrolment_id=answer.attempt.enrolment_id
    )
    assert list(access.visible_work(trainer_b, Dossier.objects.all())) == [dossier]
    assert list(access.visible_work(trainer_a, Dossier.objects.all())) == []


def test_managed_sessions_by_role(trainee, coordinator, superuser, two_sessions):
    trainer_a, trainer_b, session_a, session_b = two_sessions
    assert list(access.managed_sessions(trainer_a)) == [session_a]
    assert set(access.managed_sessions(coordinator)) == {session_a, session_b}
    assert set(access.managed_sessions(superuser)) == {session_a, session_b}
    assert not access.managed_sessions(trainee).exists()


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (THIS_MONDAY + datetime.timedelta(days=2), "b"),  # B under way
        (THIS_MONDAY - datetime.timedelta(days=30), "b"),  # before both: the next to start
        (THIS_MONDAY + datetime.timedelta(weeks=5), "a"),  # between: the next to start
        (THIS_MONDAY + datetime.timedelta(weeks=20), "a"),  # after both: the last one
    ],
)
def test_choose_enrolment_prefers_the_session_under_way_then_the_next_then_the_last(
    trainee, two_sessions, on, expected
):
    _, _, session_a, session_b = two_sessions
    EnrolmentFactory(session=session_a, trainee=trainee)
    chosen = access.work_enrolment(trainee, on)
    assert chosen.session == {"a": session_a, "b": session_b}[expected]


def test_a_dropped_or_cancelled_enrolment_takes_no_new_work(trainee, two_sessions):
    Enrolment.objects.filter(trainee=trainee).update(status=Enrolment.Status.DROPPED)
    assert access.work_enrolment(trainee, TODAY) is None


def test_existing_work_is_attributed_by_the_data_migration(trainee, two_sessions):
    *_, session_b = two_sessions
    _attempt, _answer, dossier = work_in_session_b(trainee)
    Dossier.objects.update(enrolment=None)
    access.attribute_existing_work(django_apps, "casestudies", "Dossier", "created_at")
    dossier.refresh_from_db()
    assert dossier.enrolment.session == session_b


def test_status_groups_are_named_on_the_model():
    Status = Enrolment.Status
    assert Status.DROPPED not in Status.ACTIVE
    assert set(Status.SIGNING) <= set(Status.ATTENDING) <= set(Status.ACTIVE)
    assert set(Status.CERTIFIABLE) == {"confirmed", "in_training", "completed"}
    assert [choice for choice, _ in Status.choices] == [s.value for s in Status]
