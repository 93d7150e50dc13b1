"""Attempt services: start, autosave, submit once, time-out, rubric grading."""

import datetime
import threading
from decimal import Decimal

from django.core.management import call_command
from django.db import connection
from django.utils import timezone

import pytest

from assessments.models import Answer, AssessmentPage, Attempt
from assessments.selectors import competency_scores_from_attempts
from assessments.services import (
    AttemptError,
    GradingError,
    answer_grade,
    attempt_expire_if_overdue,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    late_grace,
)
from modules.models import Enrolment
from tests.factories import AssessmentPageFactory, EnrolmentFactory, make_question

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 4, 14, 10, 0))


@pytest.fixture
def enrolled(trainee):
    EnrolmentFactory(trainee=trainee)
    return trainee


@pytest.fixture
def quiz(db):
    return AssessmentPageFactory(time_limit_minutes=20, attempts_allowed=2)


def questions(assessment):
    return list(assessment.questions.order_by("sort_order", "pk").prefetch_related("choices"))


def right_answers(assessment) -> dict:
    """The right answer to every closed question, and a text for the open one."""
    values = {}
    for question in questions(assessment):
        correct = [c.pk for c in question.choices.all() if c.correct]
        values[question] = {
            "single_choice": correct[:1] and str(correct[0]),
            "multiple_choice": [str(pk) for pk in correct],
            "true_false": "true",
            "numeric": "15 475,50 €",
            "short_text": "Rapport d'accompagnement",
            "long_text": "Les éco-gestes, puis le rapport.",
        }[question.kind]
    return values


# ---------------------------------------------------------------- start


def test_trainee_without_enrolment_cannot_start(trainee, quiz):
    with pytest.raises(AttemptError, match="réservée aux stagiaires inscrits"):
        attempt_start(trainee=trainee, assessment=quiz, now=NOW)


def test_dropped_trainee_cannot_start(trainee, quiz):
    EnrolmentFactory(trainee=trainee, status=Enrolment.Status.DROPPED)
    with pytest.raises(AttemptError):
        attempt_start(trainee=trainee, assessment=quiz, now=NOW)


def test_trainer_may_preview_without_enrolment(trainer, quiz):
    attempt = attempt_start(trainee=trainer, assessment=quiz, now=NOW)
    assert attempt.is_in_progress


def test_start_creates_one_empty_answer_per_question_with_deadline(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    assert attempt.number == 1
    assert attempt.deadline == NOW + datetime.timedelta(minutes=20)
    assert attempt.max_score == Decimal("10")
    answers = list(attempt.answers.order_by("position"))
    assert [a.competency_code for a in answers] == ["C1", "C2", "C3", "C3", "C4", "C5"]
    assert [a.needs_grading for a in answers] == [False] * 5 + [True]


def test_start_again_resumes_the_attempt_in_progress(enrolled, quiz):
    first = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    again = attempt_start(
        trainee=enrolled, assessment=quiz, now=NOW + datetime.timedelta(minutes=5)
    )
    assert again.pk == first.pk
    assert Attempt.objects.count() == 1


def test_attempts_allowed_is_enforced(enrolled, quiz):
    for _ in range(2):
        attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
        attempt_submit(attempt=attempt, now=NOW)
    with pytest.raises(AttemptError, match="toutes vos tentatives"):
        attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    assert list(Attempt.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_availability_window_is_enforced(enrolled):
    assessment = AssessmentPageFactory(
        available_from=NOW + datetime.timedelta(days=1),
        available_until=NOW + datetime.timedelta(days=2),
    )
    with pytest.raises(AttemptError, match="pas encore ouverte"):
        attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
    with pytest.raises(AttemptError, match="fermée"):
        attempt_start(trainee=enrolled, assessment=assessment, now=NOW + datetime.timedelta(days=3))
    attempt_start(trainee=enrolled, assessment=assessment, now=NOW + datetime.timedelta(days=1))


# ---------------------------------------------------------------- autosave and submit


def test_submit_grades_closed_questions_and_leaves_the_open_one(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_save_answers(attempt=attempt, values=right_answers(quiz), now=NOW)
    attempt_submit(attempt=attempt, now=NOW + datetime.timedelta(minutes=3))
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.SUBMITTED
    assert attempt.auto_score == Decimal("7")
    assert attempt.passed is None
    open_answer = attempt.answers.get(needs_grading=True)
    assert open_answer.points_awarded is None
    assert open_answer.value == "Les éco-gestes, puis le rapport."


def test_quiz_without_open_answer_is_graded_at_submit(enrolled):
    assessment = AssessmentPageFactory(
        questions=[make_question("true_false", "C1", 2, answer_bool=True),
                   make_question("true_false", "C2", 2, answer_bool=False)],
        pass_mark_percent=50,
    )  # fmt: skip
    attempt = attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
    first, second = questions(assessment)
    attempt_save_answers(attempt=attempt, values={first: "true", second: "true"}, now=NOW)
    attempt_submit(attempt=attempt, now=NOW)
    attempt.refresh_from_db()
    assert (attempt.status, attempt.score, attempt.percent, attempt.passed) == (
        Attempt.Status.GRADED, Decimal("2"), Decimal("50"), True,
    )  # fmt: skip


def test_double_submit_grades_once(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_save_answers(attempt=attempt, values=right_answers(quiz), now=NOW)
    first = attempt_submit(attempt=attempt, now=NOW + datetime.timedelta(minutes=1))
    second = attempt_submit(attempt=attempt, now=NOW + datetime.timedelta(minutes=2))
    assert second.submitted_at == first.submitted_at == NOW + datetime.timedelta(minutes=1)
    assert second.auto_score == first.auto_score == Decimal("7")


def test_autosave_after_submit_is_refused(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_submit(attempt=attempt, now=NOW)
    question = questions(quiz)[2]
    with pytest.raises(AttemptError, match="déjà envoyée"):
        attempt_save_answers(attempt=attempt, values={question: "true"}, now=NOW)
    assert attempt.answers.get(question=question).value is None


def test_autosave_keeps_what_was_typed_even_when_it_is_not_a_number(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    numeric = questions(quiz)[3]
    attempt_save_answers(attempt=attempt, values={numeric: "environ quinze mille"}, now=NOW)
    assert attempt.answers.get(question=numeric).value == "environ quinze mille"


def test_autosave_drops_choices_of_other_questions(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    single, multiple = questions(quiz)[:2]
    foreign = multiple.choices.first().pk
    attempt_save_answers(attempt=attempt, values={multiple: [str(foreign), "x", "999999"]}, now=NOW)
    attempt_save_answers(attempt=attempt, values={single: str(foreign)}, now=NOW)
    assert attempt.answers.get(question=multiple).value == [foreign]
    assert attempt.answers.get(question=single).value is None


def test_time_out_submits_what_was_saved(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    true_false = questions(quiz)[2]
    attempt_save_answers(attempt=attempt, values={true_false: "true"}, now=NOW)
    late = NOW + datetime.timedelta(minutes=20) + late_grace() + datetime.timedelta(seconds=1)
    with pytest.raises(AttemptError, match="temps est écoulé"):
        attempt_save_answers(attempt=attempt, values={true_false: "false"}, now=late)
    attempt.refresh_from_db()
    # The open question was left blank: nothing to grade, the attempt is graded at once.
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.timed_out
    assert attempt.auto_score == Decimal("1")
    assert attempt.answers.get(question=true_false).value is True


def test_touching_an_overdue_attempt_submits_it(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt = attempt_expire_if_overdue(attempt=attempt, now=NOW + datetime.timedelta(minutes=19))
    assert attempt.is_in_progress
    attempt = attempt_expire_if_overdue(attempt=attempt, now=NOW + datetime.timedelta(hours=1))
    assert attempt.status == Attempt.Status.GRADED and attempt.timed_out


def test_expire_attempts_command_submits_overdue_attempts(enrolled, quiz, other_trainee):
    EnrolmentFactory(trainee=other_trainee)
    old = attempt_start(
        trainee=enrolled, assessment=quiz, now=timezone.now() - datetime.timedelta(hours=1)
    )
    fresh = attempt_start(trainee=other_trainee, assessment=quiz, now=timezone.now())
    call_command("expire_attempts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == Attempt.Status.GRADED and old.timed_out
    assert fresh.is_in_progress


def test_submit_query_count_does_not_grow_with_questions(enrolled, django_assert_max_num_queries):
    def queries_for(count):
        assessment = AssessmentPageFactory(
            questions=[make_question("true_false", "C1", 1, answer_bool=True) for _ in range(count)]
        )
        attempt = attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
        attempt_save_answers(
            attempt=attempt, values=dict.fromkeys(questions(assessment), "true"), now=NOW
        )
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            attempt_submit(attempt=attempt, now=NOW)
        attempt.refresh_from_db()
        assert attempt.score == Decimal(count)
        return len(captured)

    assert queries_for(4) == queries_for(12)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks the file)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_grade_once(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_save_answers(attempt=attempt, values=right_answers(quiz), now=NOW)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(offset):
        try:
            barrier.wait()
            copy = Attempt.objects.get(pk=attempt.pk)
            results.append(
                attempt_submit(attempt=copy, now=NOW + datetime.timedelta(seconds=offset))
            )
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len({r.submitted_at for r in results}) == 1
    attempt.refresh_from_db()
    assert attempt.auto_score == Decimal("7")
    assert Answer.objects.filter(attempt=attempt).count() == 6


# ---------------------------------------------------------------- rubric grading


@pytest.fixture
def submitted(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_save_answers(attempt=attempt, values=right_answers(quiz), now=NOW)
    attempt_submit(attempt=attempt, now=NOW)
    return attempt


def test_grading_the_open_answer_completes_the_attempt(submitted, trainer):
    answer = submitted.answers.get(needs_grading=True)
    answer_grade(answer=answer, grader=trainer, rubric_scores=["1,5", "1"], comment="Bien.")
    submitted.refresh_from_db()
    answer.refresh_from_db()
    assert answer.points_awarded == Decimal("2.5")
    assert answer.rubric_scores == ["1.50", "1.00"]
    assert answer.grader == trainer
    assert submitted.status == Attempt.Status.GRADED
    assert submitted.score == Decimal("9.5")
    assert submitted.percent == Decimal("95")
    assert submitted.passed is True


def test_grading_with_too_many_points_says_which_criterion(submitted, trainer):
    answer = submitted.answers.get(needs_grading=True)
    with pytest.raises(GradingError) as error:
        answer_grade(answer=answer, grader=trainer, rubric_scores=["3", "1"])
    assert error.value.errors == {"criterion_0": "Au plus 2 point(s) pour ce critère."}
    submitted.refresh_from_db()
    assert submitted.status == Attempt.Status.SUBMITTED


def test_cannot_grade_an_attempt_in_progress(enrolled, quiz, trainer):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    answer = attempt.answers.get(needs_grading=True)
    with pytest.raises(GradingError, match="pas encore envoyé"):
        answer_grade(answer=answer, grader=trainer, rubric_scores=["1", "1"])


# ---------------------------------------------------------------- contract for certification


def test_competency_scores_use_the_best_graded_attempt_and_skip_positioning(
    enrolled, quiz, trainer
):
    tf = [make_question("true_false", "C1", 1, answer_bool=True),
          make_question("true_false", "C2", 1, answer_bool=True)]  # fmt: skip
    positioning = AssessmentPageFactory(kind=AssessmentPage.Kind.POSITIONING, questions=tf)
    for assessment in (positioning,):
        attempt = attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
        attempt_save_answers(
            attempt=attempt, values=dict.fromkeys(questions(assessment), "true"), now=NOW
        )
        attempt_submit(attempt=attempt, now=NOW)
    first = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_submit(attempt=first, now=NOW)  # everything blank: 0 %, graded
    second = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    attempt_save_answers(attempt=second, values=right_answers(quiz), now=NOW)
    attempt_submit(attempt=second, now=NOW)  # waits for the grader: not counted yet
    assert competency_scores_from_attempts([enrolled.pk])[enrolled.pk]["C1"] == [Decimal("0")]
    answer_grade(
        answer=second.answers.get(needs_grading=True), grader=trainer, rubric_scores=["1", "1"]
    )
    scores = competency_scores_from_attempts([enrolled.pk])
    assert scores == {
        enrolled.pk: {
            "C1": [Decimal("100")], "C2": [Decimal("100")], "C3": [Decimal("100")],
            "C4": [Decimal("100")], "C5": [Decimal("66.67")],
        }
    }  # fmt: skip


def test_competency_scores_take_one_query(enrolled, other_trainee, quiz, django_assert_num_queries):
    EnrolmentFactory(trainee=other_trainee)
    for person in (enrolled, other_trainee):
        attempt_submit(attempt=attempt_start(trainee=person, assessment=quiz, now=NOW), now=NOW)
    with django_assert_num_queries(1):
        scores = competency_scores_from_attempts([enrolled.pk, other_trainee.pk])
    assert set(scores) == {enrolled.pk, other_trainee.pk}
