"""The trainers' grading queue and rubric form."""

import pytest

from assessments.models import Attempt
from assessments.services import attempt_save_answers, attempt_start, attempt_submit
from tests.factories import (
    AssessmentPageFactory,
    EnrolmentFactory,
    TraineeFactory,
    TrainerFactory,
    make_question,
)

pytestmark = pytest.mark.django_db


def open_answer_for(trainee, session=None, assessment=None):
    enrolment = EnrolmentFactory(trainee=trainee, **({"session": session} if session else {}))
    assessment = assessment or AssessmentPageFactory(
        questions=[make_question("long_text", "C3", 3, rubric=[("Calcul", 2), ("Ordre", 1)])]
    )
    attempt = attempt_start(trainee=trainee, assessment=assessment)
    question = assessment.questions.get()
    attempt_save_answers(attempt=attempt, values={question: "Reste à charge : 11 475 €."})
    attempt_submit(attempt=attempt)
    return enrolment, attempt.answers.get()


@pytest.fixture
def graded_setup(trainee, trainer):
    enrolment, answer = open_answer_for(trainee)
    enrolment.session.trainers.add(trainer)
    return answer


def test_queue_lists_answers_of_my_sessions_only(client_as, trainer, graded_setup):
    open_answer_for(TraineeFactory(first_name="Autre", last_name="Session"))
    body = client_as(trainer).get("/correction/").content.decode()
    assert "Camille Martin" in body
    assert "Autre Session" not in body


def test_coordinator_sees_every_session(client_as, coordinator, graded_setup):
    open_answer_for(TraineeFactory(first_name="Autre", last_name="Session"))
    body = client_as(coordinator).get("/correction/").content.decode()
    assert "Camille Martin" in body and "Autre Session" in body


def test_trainee_cannot_open_the_queue_or_grade(client_as, trainee, graded_setup):
    client = client_as(trainee)
    assert client.get("/correction/").status_code == 403
    url = f"/correction/reponses/{graded_setup.pk}/"
    assert client.post(url, {"criterion_0": "2", "criterion_1": "1"}).status_code == 403
    graded_setup.refresh_from_db()
    assert graded_setup.points_awarded is None


def test_trainer_of_another_session_gets_404(client_as, graded_setup):
    other = TrainerFactory()
    url = f"/correction/reponses/{graded_setup.pk}/"
    assert client_as(other).get(url).status_code == 404
    assert client_as(other).post(url, {"criterion_0": "2", "criterion_1": "1"}).status_code == 404


def test_coordinator_reads_but_cannot_grade(client_as, coordinator, graded_setup):
    client = client_as(coordinator)
    url = f"/correction/reponses/{graded_setup.pk}/"
    assert "Lecture seule" in client.get(url).content.decode()
    assert client.post(url, {"criterion_0": "2", "criterion_1": "1"}).status_code == 403


def test_bad_scores_rerender_with_french_messages_and_typed_values(
    client_as, trainer, graded_setup
):
    url = f"/correction/reponses/{graded_setup.pk}/"
    response = client_as(trainer).post(
        url, {"criterion_0": "5", "criterion_1": "", "comment": "Presque."}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Au plus 2 point(s) pour ce critère." in body
    assert "Indiquez les points pour ce critère." in body
    assert 'value="5"' in body and "Presque." in body
    graded_setup.refresh_from_db()
    assert graded_setup.points_awarded is None


def test_grading_completes_the_attempt_and_leaves_the_queue(client_as, trainer, graded_setup):
    client = client_as(trainer)
    url = f"/correction/reponses/{graded_setup.pk}/"
    response = client.post(url, {"criterion_0": "1,5", "criterion_1": "1", "comment": "Bien."})
    assert response["Location"] == "/correction/"
    graded_setup.refresh_from_db()
    assert str(graded_setup.points_awarded) == "2.50"
    assert graded_setup.attempt.status == Attempt.Status.GRADED
    body = client.get("/correction/").content.decode()
    assert "Aucune réponse à corriger" in body and "Revoir" in body


def test_queue_query_count_is_constant(client_as, trainer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    assessment = AssessmentPageFactory(
        questions=[make_question("long_text", "C3", 1, rubric=[("Critère", 1)])],
    )
    enrolment, _ = open_answer_for(TraineeFactory(), assessment=assessment)
    enrolment.session.trainers.add(trainer)
    client = client_as(trainer)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/correction/").status_code == 200
        return len(captured)

    count()
    small = count()
    for _ in range(4):
        open_answer_for(TraineeFactory(), session=enrolment.session, assessment=assessment)
    assert count() == small


def test_a_question_is_graded_across_trainees_copy_after_copy(client_as, trainer, trainee):
    assessment = AssessmentPageFactory(
        questions=[make_question("long_text", "C3", 3, rubric=[("Calcul", 2), ("Ordre", 1)])]
    )
    first_enrolment, first = open_answer_for(trainee, assessment=assessment)
    session = first_enrolment.session
    session.trainers.add(trainer)
    _, second = open_answer_for(TraineeFactory(first_name="Inès"), session, assessment)
    _, elsewhere = open_answer_for(TraineeFactory(), assessment=assessment)  # not my session
    client = client_as(trainer)

    body = client.get("/correction/").content.decode()
    assert "Par question" in body
    assert f"/correction/reponses/{first.pk}/?par=question" in body

    url = f"/correction/reponses/{first.pk}/?par=question"
    response = client.post(url, {"criterion_0": "2", "criterion_1": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/correction/reponses/{second.pk}/?par=question"
    response = client.post(response["Location"], {"criterion_0": "1", "criterion_1": "0"})
    assert response["Location"] == "/correction/"
    first.refresh_from_db()
    second.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (first.points_awarded, second.points_awarded) == (3, 1)
    assert elsewhere.points_awarded is None


def test_grading_from_the_trainee_list_returns_to_the_queue(client_as, trainer, graded_setup):
    response = client_as(trainer).post(
        f"/correction/reponses/{graded_setup.pk}/", {"criterion_0": "2", "criterion_1": "1"}
    )
    assert response["Location"] == "/correction/"
