"""The public "Résultats" page from real data: pure figures with their base and period, the
survey answers behind the satisfaction figures."""

import datetime
from decimal import Decimal

from django.utils import timezone

import pytest

from assessments.quality import rules
from assessments.quality.models import SurveyInvitation
from assessments.quality.rules import Moment
from assessments.quality.seed import seed_surveys
from assessments.quality.selectors import public_results, satisfaction_since
from assessments.quality.services import survey_answer
from tests.factories import EnrolmentFactory, TraineeFactory, TrainingSessionFactory

AS_OF = datetime.date(2026, 12, 7)


def test_public_figures_carry_their_base_and_period():
    figures = rules.public_figures(
        as_of=AS_OF,
        first_session_start=datetime.date(2025, 1, 6),
        trained=40,
        success_rate=Decimal("75.0"),
        attendance_rate=Decimal("93.4"),
        half_days_recorded=1200,
        hot=rules.summarise_scores([5, 4, 3, 2]),
        hot_questionnaires=3,
        cold=rules.summarise_scores([]),
        cold_questionnaires=0,
    )
    by_key = {figure.key: figure for figure in figures}
    assert by_key["trained"].value == 40 and by_key["trained"].period_start.year == 2025
    assert by_key["attendance"].base == 1200
    hot = by_key["satisfaction_hot"]
    assert hot.value == Decimal("50.0") and hot.base == 3
    assert hot.period_start == datetime.date(2025, 12, 8) and hot.period_end == AS_OF
    assert by_key["satisfaction_cold"].value is None  # no answer: no figure, never 0 %


def test_percent_rounds_half_up_and_has_no_value_without_base():
    assert rules.percent(2, 3) == Decimal("66.7")
    assert rules.percent(0, 0) is None


@pytest.fixture
def answered(home_page):
    """Two trainees answered the weekly survey (5 and 2 everywhere), one the follow-up (4)."""
    surveys = {survey.moment: survey for survey in seed_surveys()}
    session = TrainingSessionFactory(week1_start=datetime.date(2026, 3, 2))
    day = datetime.date(2026, 3, 6)
    for survey, score in ((surveys[Moment.WEEK], "5"), (surveys[Moment.WEEK], "2"),
                          (surveys[Moment.FOLLOW_UP], "4")):  # fmt: skip
        enrolment = EnrolmentFactory(trainee=TraineeFactory(), session=session, status="completed")
        invitation = SurveyInvitation.objects.create(
            survey=survey, enrolment=enrolment, week=None, opens_on=day, closes_on=day
        )
        values = {}
        for question in survey.questions.all():
            values[question.pk] = {
                "scale": score,
                "choice": question.choice_list[0] if question.choice_list else "",
                "text": "",
            }[question.kind]
        survey_answer(
            trainee=enrolment.trainee, invitation=invitation, values=values, anonymous=True,
            today=day,
        )  # fmt: skip
    return surveys


@pytest.mark.django_db
def test_satisfaction_counts_scale_answers_of_the_period(answered):
    # Answers are dated by the day given to the service (6 March), questionnaires by when they
    # were filled: now, so the period runs to the day the test runs.
    today = timezone.localdate()
    figures = satisfaction_since(datetime.date(2026, 1, 1), today)
    assert figures["hot_questionnaires"] == 2 and figures["cold_questionnaires"] == 1
    assert figures["hot"].count == 8 and figures["hot"].satisfied_percent == Decimal("50.0")
    assert figures["cold"].count == 2 and figures["cold"].satisfied_percent == Decimal("100.0")
    assert satisfaction_since(datetime.date(2026, 4, 1), today)["hot"].count == 0


@pytest.mark.django_db
def test_the_public_page_shows_each_figure_with_its_base(client, answered):
    html = client.get("/resultats/").content.decode()
    assert "de satisfaction à chaud" in html
    assert "sur 2 questionnaires remplis" in html
    assert "sur 1 questionnaire rempli," in html
    assert "pas encore assez de données (0 demi-journée émargée)" in html


@pytest.mark.django_db
def test_public_results_take_constant_queries(answered):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    public_results(AS_OF)  # creates the national target setting once
    with CaptureQueriesContext(connection) as few:
        public_results(AS_OF)
    EnrolmentFactory.create_batch(3, status="completed")
    with CaptureQueriesContext(connection) as many:
        public_results(AS_OF)
    assert len(few.captured_queries) == len(many.captured_queries)
