"""CSV export of the survey results (quality dashboard): the same scope and filters as the
charts, figures and sorted free texts only — never a person, even one who answered by name."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from assessments.quality.models import SurveyInvitation
from assessments.quality.rules import Moment
from assessments.quality.seed import seed_surveys
from assessments.quality.services import survey_answer
from tests.factories import EnrolmentFactory, TraineeFactory, TrainingSessionFactory

from .test_surveys import FRIDAY_1, MONDAY

pytestmark = pytest.mark.django_db

URL = "/qualite/satisfaction.csv"


@pytest.fixture
def surveys(home_page):
    return {survey.moment: survey for survey in seed_surveys()}


def _answer(session, survey, trainee, *, score="5", text="Bien", anonymous=False):
    enrolment = EnrolmentFactory(trainee=trainee, session=session, status="completed")
    invitation = SurveyInvitation.objects.create(
        survey=survey, enrolment=enrolment, week=1, opens_on=FRIDAY_1, closes_on=FRIDAY_1
    )
    values = {}
    for question in survey.questions.all():
        values[question.pk] = {
            "scale": score,
            "choice": question.choice_list[0] if question.choice_list else "",
            "text": text,
        }[question.kind]
    survey_answer(
        trainee=trainee, invitation=invitation, values=values, anonymous=anonymous, today=FRIDAY_1
    )


def _rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.fixture
def two_sessions(surveys, trainer):
    mine = TrainingSessionFactory(week1_start=MONDAY, name="Session Laval")
    mine.trainers.add(trainer)
    other = TrainingSessionFactory(week1_start=MONDAY, name="Session Tourcoing")
    camille = TraineeFactory(first_name="Camille", last_name="Martin", email="camille@exemple.fr")
    jules = TraineeFactory(first_name="Jules", last_name="Durand", email="jules@exemple.fr")
    _answer(mine, surveys[Moment.WEEK], camille, score="5", text="Zut, trop rapide", anonymous=True)
    _answer(mine, surveys[Moment.WEEK], jules, score="4", text="=HYPERLINK(1)")
    _answer(other, surveys[Moment.WEEK], TraineeFactory(), score="2", text="Ailleurs")
    return mine, other


def test_a_trainer_exports_their_sessions_only_and_the_coordination_all(
    client_as, two_sessions, trainer, coordinator
):
    rows = _rows(client_as(trainer).get(URL))
    assert rows[0][:3] == ["Session", "Questionnaire", "Semaine"]
    assert {row[0] for row in rows[1:]} == {"Session Laval"}
    _mine, other = two_sessions
    # Asking for another session's results gives nothing of it.
    assert _rows(client_as(trainer).get(URL, {"session": other.pk}))[1:] == []
    everything = _rows(client_as(coordinator).get(URL))
    assert {row[0] for row in everything[1:]} == {"Session Laval", "Session Tourcoing"}
    filtered = _rows(client_as(coordinator).get(URL, {"session": other.pk}))
    assert {row[0] for row in filtered[1:]} == {"Session Tourcoing"}


def test_the_figures_match_the_charts_in_french_and_no_person_is_named(
    client_as, two_sessions, coordinator
):
    mine, _other = two_sessions
    response = client_as(coordinator).get(URL, {"session": mine.pk})
    rows = _rows(response)
    scale = next(row for row in rows[1:] if row[8].count("/") == 4)
    assert scale[5] == "2" and scale[6] == "4,5" and scale[7] == "100"
    assert scale[8] == "0 / 0 / 0 / 1 / 1"
    content = response.content.decode("utf-8-sig")
    for secret in ("Camille", "Martin", "Jules", "Durand", "@exemple.fr"):
        assert secret not in content
    texts = [row[9] for row in rows[1:] if row[9]]
    assert texts and all(text == "'=HYPERLINK(1) | Zut, trop rapide" for text in texts)


def test_who_may_not_read_the_charts_may_not_export(client_as, two_sessions, trainee):
    from django.test import Client

    response = Client().get(URL)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    assert client_as(trainee).get(URL).status_code == 403
    assert client_as(TraineeFactory()).get(URL, {"session": "abc"}).status_code == 403
    from tests.factories import TrainerFactory

    assert client_as(TrainerFactory()).get(URL).status_code == 403  # trains no session


def test_the_export_takes_constant_queries(client_as, surveys, coordinator):
    client = client_as(coordinator)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context.captured_queries)

    _answer(TrainingSessionFactory(week1_start=MONDAY), surveys[Moment.WEEK], TraineeFactory())
    count()
    first = count()
    for _ in range(3):
        _answer(TrainingSessionFactory(week1_start=MONDAY), surveys[Moment.WEEK], TraineeFactory())
    assert count() == first
