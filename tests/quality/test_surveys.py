"""Satisfaction surveys: when they are asked, reminders, answering once (anonymously where
allowed), the summaries, and who reads the results."""

import datetime
from decimal import Decimal

from django.core.management import call_command
from django.urls import reverse

import pytest

from assessments.quality import rules
from assessments.quality.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from assessments.quality.rules import Moment, QuestionSpec
from assessments.quality.seed import seed_surveys
from assessments.quality.services import (
    SurveyError,
    survey_answer,
    survey_invitations_create,
    survey_reminders_send,
)
from lms.notifications.models import Notification
from tests.factories import EnrolmentFactory, TrainingSessionFactory

MONDAY = datetime.date(2026, 3, 2)
STARTS = (MONDAY, MONDAY + datetime.timedelta(weeks=1), MONDAY + datetime.timedelta(weeks=3))

# --- Pure rules ----------------------------------------------------------------------------------


def test_weekly_surveys_open_on_the_fridays_of_weeks_1_and_2():
    windows = rules.survey_windows(Moment.WEEK, STARTS, open_days=10, follow_up_delay_days=90)
    assert [(w.week, w.opens_on, w.closes_on) for w in windows] == [
        (1, datetime.date(2026, 3, 6), datetime.date(2026, 3, 15)),
        (2, datetime.date(2026, 3, 13), datetime.date(2026, 3, 22)),
    ]


def test_end_of_session_and_follow_up_windows():
    (end,) = rules.survey_windows(Moment.SESSION_END, STARTS, open_days=14, follow_up_delay_days=90)
    assert end.opens_on == datetime.date(2026, 3, 27) and end.week is None
    (cold,) = rules.survey_windows(Moment.FOLLOW_UP, STARTS, open_days=30, follow_up_delay_days=90)
    assert cold.opens_on == datetime.date(2026, 6, 25)
    assert cold.closes_on == datetime.date(2026, 7, 24)


def test_reminders_first_on_opening_then_every_three_days_then_stop():
    base = {"opens_on": MONDAY, "closes_on": MONDAY + datetime.timedelta(days=20)}
    due = lambda **kw: rules.reminder_due(**base, **kw)  # noqa: E731
    assert due(answered=False, reminders_sent=0, last_reminded_on=None, today=MONDAY)
    assert not due(answered=True, reminders_sent=0, last_reminded_on=None, today=MONDAY)
    assert not due(
        answered=False,
        reminders_sent=0,
        last_reminded_on=None,
        today=MONDAY - datetime.timedelta(1),
    )
    later = MONDAY + datetime.timedelta(days=2)
    assert not due(answered=False, reminders_sent=0, last_reminded_on=MONDAY, today=later)
    assert due(
        answered=False,
        reminders_sent=0,
        last_reminded_on=MONDAY,
        today=later + datetime.timedelta(1),
    )
    assert not due(
        answered=False,
        reminders_sent=3,
        last_reminded_on=MONDAY,
        today=MONDAY + datetime.timedelta(9),
    )
    assert not due(
        answered=False,
        reminders_sent=0,
        last_reminded_on=None,
        today=MONDAY + datetime.timedelta(21),
    )


def test_scores_summary():
    summary = rules.summarise_scores([5, 4, 4, 3, 1, None, 9])
    assert summary.count == 5
    assert summary.mean == Decimal("3.4")
    assert summary.satisfied_percent == Decimal("60.0")
    assert summary.distribution == (1, 0, 1, 2, 1)
    assert rules.summarise_scores([]).mean is None


def test_choices_are_counted_in_the_authors_order():
    assert rules.count_choices(["B", "A", "B", ""], ["A", "B", "C"]) == [
        ("A", 1),
        ("B", 2),
        ("C", 0),
    ]


def test_answers_are_checked_against_the_questions():
    specs = [
        QuestionSpec(1, "scale", True),
        QuestionSpec(2, "choice", False, ("Oui", "Non")),
        QuestionSpec(3, "text", False),
    ]
    answers, errors = rules.clean_survey_answers(specs, {1: "4", 2: "Oui", 3: " bien "})
    assert answers == {1: (4, ""), 2: (None, "Oui"), 3: (None, "bien")} and not errors
    answers, errors = rules.clean_survey_answers(specs, {1: "٤", 2: "Peut-être"})
    assert errors == {1: rules.SCALE_ERROR, 2: rules.CHOICE_ERROR}
    _, errors = rules.clean_survey_answers(specs, {})
    assert errors == {1: rules.REQUIRED_ERROR}


# --- Services ------------------------------------------------------------------------------------


@pytest.fixture
def surveys(home_page):
    return {survey.moment: survey for survey in seed_surveys()}


@pytest.fixture
def enrolment(trainee):
    session = TrainingSessionFactory(week1_start=MONDAY)
    return EnrolmentFactory(trainee=trainee, session=session, status="in_training")


FRIDAY_1 = datetime.date(2026, 3, 6)


def _values(survey, score="5"):
    values = {}
    for question in survey.questions.all():
        values[question.pk] = {
            "scale": score,
            "choice": question.choice_list[:1] and question.choice_list[0],
            "text": "Bien",
        }[question.kind]
    return values


@pytest.mark.django_db
def test_invitations_are_created_once_for_open_windows(surveys, enrolment):
    assert survey_invitations_create(today=FRIDAY_1 - datetime.timedelta(days=1)) == 0
    assert survey_invitations_create(today=FRIDAY_1) == 1
    assert survey_invitations_create(today=FRIDAY_1) == 0
    invitation = SurveyInvitation.objects.get()
    assert invitation.week == 1 and invitation.survey.specific.moment == Moment.WEEK


@pytest.mark.django_db
def test_reminders_go_through_notify_until_answered(surveys, enrolment, trainee):
    assert survey_reminders_send(today=FRIDAY_1) == 1
    assert survey_reminders_send(today=FRIDAY_1) == 0  # once a day at most
    note = Notification.objects.get(recipient=trainee, kind="survey_due")
    invitation = SurveyInvitation.objects.get()
    assert note.url == reverse("quality:survey_answer", args=[invitation.pk])
    assert survey_reminders_send(today=FRIDAY_1 + datetime.timedelta(days=3)) == 1
    survey_answer(
        trainee=trainee,
        invitation=invitation,
        values=_values(surveys[Moment.WEEK]),
        anonymous=False,
        today=FRIDAY_1 + datetime.timedelta(days=4),
    )
    assert survey_reminders_send(today=FRIDAY_1 + datetime.timedelta(days=6)) == 0
    assert Notification.objects.filter(kind="survey_due").count() == 2


@pytest.mark.django_db
def test_the_reminder_command_runs_the_task(surveys, enrolment, capsys):
    call_command("send_survey_reminders")
    assert "envoyés" in capsys.readouterr().out


@pytest.mark.django_db
def test_answered_once_and_anonymous_where_the_question_allows(surveys, enrolment, trainee):
    survey = surveys[Moment.FOLLOW_UP]
    invitation = SurveyInvitation.objects.create(
        survey=survey, enrolment=enrolment, opens_on=FRIDAY_1, closes_on=FRIDAY_1
    )
    responses = survey_answer(
        trainee=trainee,
        invitation=invitation,
        values=_values(survey),
        anonymous=True,
        today=FRIDAY_1,
    )
    named = [r for r in responses if not r.is_anonymous]
    hidden = [r for r in responses if r.is_anonymous]
    assert len(named) == 1 and len(hidden) == 1
    # "How many households": never anonymous (the question says so).
    assert list(named[0].answers.values_list("question__anonymous_allowed", flat=True)) == [False]
    assert hidden[0].respondent is None and hidden[0].answers.count() == 4
    with pytest.raises(SurveyError, match="déjà répondu"):
        survey_answer(
            trainee=trainee, invitation=invitation, values=_values(survey), anonymous=False,
            today=FRIDAY_1,
        )  # fmt: skip


@pytest.mark.django_db
def test_a_closed_or_wrong_survey_is_refused(surveys, enrolment, trainee, other_trainee):
    from django.core.exceptions import PermissionDenied

    survey = surveys[Moment.WEEK]
    invitation = SurveyInvitation.objects.create(
        survey=survey, enrolment=enrolment, week=1, opens_on=FRIDAY_1, closes_on=FRIDAY_1
    )
    with pytest.raises(SurveyError, match="pas ouvert"):
        survey_answer(
            trainee=trainee, invitation=invitation, values=_values(survey), anonymous=False,
            today=FRIDAY_1 + datetime.timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        survey_answer(
            trainee=other_trainee, invitation=invitation, values=_values(survey),
            anonymous=False, today=FRIDAY_1,
        )  # fmt: skip
    assert not SurveyResponse.objects.exists()


# --- Views ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_trainee_answers_from_their_page_and_errors_keep_what_was_chosen(
    client_as, surveys, trainee, settings
):
    from django.utils import timezone

    session = TrainingSessionFactory(week1_start=timezone.localdate() - datetime.timedelta(days=7))
    enrolment = EnrolmentFactory(trainee=trainee, session=session, status="in_training")
    survey = surveys[Moment.WEEK]
    today = timezone.localdate()
    invitation = SurveyInvitation.objects.create(
        survey=survey, enrolment=enrolment, week=1, opens_on=today, closes_on=today
    )
    client = client_as(trainee)
    page = client.get(reverse("quality:mine")).content.decode()
    assert reverse("quality:survey_answer", args=[invitation.pk]) in page
    questions = list(survey.questions.all())
    url = reverse("quality:survey_answer", args=[invitation.pk])
    response = client.post(url, {f"q{questions[1].pk}": "4", f"q{questions[4].pk}": "Top"})
    assert response.status_code == 400
    body = response.content.decode()
    assert rules.REQUIRED_ERROR in body and 'value="4" checked' in body and "Top" in body
    data = {f"q{q.pk}": "5" for q in questions[:4]} | {"anonymous": "on"}
    assert client.post(url, data).status_code == 302
    assert SurveyResponse.objects.get().respondent is None
    assert SurveyAnswer.objects.count() == 4


@pytest.mark.django_db
def test_another_trainees_survey_is_a_404(client_as, surveys, enrolment, other_trainee):
    invitation = SurveyInvitation.objects.create(
        survey=surveys[Moment.WEEK], enrolment=enrolment, week=1, opens_on=FRIDAY_1,
        closes_on=FRIDAY_1,
    )  # fmt: skip
    url = reverse("quality:survey_answer", args=[invitation.pk])
    assert client_as(other_trainee).get(url).status_code == 404


def _answered(session, survey, trainee, score):
    enrolment = EnrolmentFactory(trainee=trainee, session=session, status="completed")
    invitation = SurveyInvitation.objects.create(
        survey=survey, enrolment=enrolment, week=1, opens_on=FRIDAY_1, closes_on=FRIDAY_1
    )
    survey_answer(
        trainee=trainee, invitation=invitation, values=_values(survey, score), anonymous=False,
        today=FRIDAY_1,
    )  # fmt: skip


@pytest.mark.django_db
def test_trainers_see_their_sessions_results_and_the_coordination_all(
    client_as, surveys, trainer, coordinator, trainee, other_trainee
):
    mine = TrainingSessionFactory(week1_start=MONDAY, name="Session Laval")
    mine.trainers.add(trainer)
    other = TrainingSessionFactory(week1_start=MONDAY, name="Session Tourcoing")
    _answered(mine, surveys[Moment.WEEK], trainee, "5")
    _answered(other, surveys[Moment.WEEK], other_trainee, "2")
    page = client_as(trainer).get(reverse("quality:dashboard")).content.decode()
    assert "Session Laval" in page and "Session Tourcoing" not in page
    page = client_as(coordinator).get(reverse("quality:dashboard")).content.decode()
    assert "Session Laval" in page and "Session Tourcoing" in page
    assert "<svg" in page and "<style" not in page
    detail = client_as(coordinator).get(reverse("quality:dashboard"), {"session": mine.pk})
    assert "Répartition des notes" in detail.content.decode()
    # A trainer asking for another session's detail gets nothing of it.
    detail = client_as(trainer).get(reverse("quality:dashboard"), {"session": other.pk})
    assert "Répartition des notes" not in detail.content.decode()


@pytest.mark.django_db
def test_a_trainee_cannot_open_the_dashboard_and_bad_filters_are_ignored(
    client_as, trainee, coordinator
):
    assert client_as(trainee).get(reverse("quality:dashboard")).status_code == 403
    response = client_as(coordinator).get(
        reverse("quality:dashboard"), {"annee": "x" * 30, "territoire": "\x00", "session": "-1"}
    )
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_dashboard_takes_constant_queries(client_as, surveys, coordinator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TraineeFactory

    session = TrainingSessionFactory(week1_start=MONDAY)
    _answered(session, surveys[Moment.WEEK], TraineeFactory(), "4")
    client = client_as(coordinator)

    def count():
        with CaptureQueriesContext(connection) as context:
            client.get(reverse("quality:dashboard"), {"session": session.pk})
        return len(context.captured_queries)

    count()
    first = count()
    for _ in range(3):
        _answered(
            TrainingSessionFactory(week1_start=MONDAY), surveys[Moment.WEEK], TraineeFactory(), "3"
        )
        _answered(session, surveys[Moment.WEEK], TraineeFactory(), "5")
    assert count() == first
