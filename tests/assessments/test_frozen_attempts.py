"""An attempt is frozen at start: shuffled choices, drawn questions and every key are kept on
its answers, whatever is published later (issue 9, item 1)."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

import pytest

from assessments.models import Answer, AssessmentPage, Attempt
from assessments.services import (
    LateAnswerError,
    UnknownQuestionError,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    late_grace,
)
from tests.assessments.test_attempt_services import NOW, questions
from tests.factories import AssessmentPageFactory, make_question

pytestmark = pytest.mark.django_db


def right_choice(question) -> int:
    return next(choice.pk for choice in question.choices.all() if choice.correct)


def publish_changes(assessment, *, remove, edit, add):
    """An author's revision: one question removed, one re-keyed, one added."""
    page = AssessmentPage.objects.get(pk=assessment.pk)
    kept = [question for question in page.questions.all() if question.pk != remove.pk]
    for question in kept:
        if question.pk == edit.pk:
            question.text = "Énoncé réécrit"
            question.points = Decimal("9")
            choices = list(question.choices.all())
            for choice in choices:
                choice.correct = not choice.correct
            question.choices = choices
    page.questions = [*kept, make_question("true_false", "C1", 5, answer_bool=True)]
    page.save_revision().publish()


def test_a_revision_published_during_an_attempt_changes_nothing_in_it(enrolled):
    assessment = AssessmentPageFactory(
        questions=[
            make_question("single_choice", "C1", 1, choices=[("A", True), ("B", False)]),
            make_question("true_false", "C2", 2, answer_bool=True),
            make_question("single_choice", "C3", 3, choices=[("X", True), ("Y", False)]),
        ]
    )
    removed, kept, edited = questions(assessment)
    attempt = attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
    publish_changes(assessment, remove=removed, edit=edited, add=True)
    # The live page did change (else this test could not fail).
    live = questions(AssessmentPage.objects.get(pk=assessment.pk))
    assert len(live) == 3 and removed.pk not in {q.pk for q in live}
    assert next(q for q in live if q.pk == edited.pk).points == Decimal("9")

    saved = attempt_save_answers(
        attempt=attempt,
        values={removed.pk: str(right_choice(removed)), kept: "true",
                edited.pk: str(right_choice(edited))},
        now=NOW,
    )  # fmt: skip
    assert saved == 3
    attempt_submit(attempt=attempt, now=NOW)
    attempt.refresh_from_db()
    answers = list(attempt.answers.order_by("position"))
    assert [a.question_key for a in answers] == [removed.pk, kept.pk, edited.pk]
    assert [a.is_correct for a in answers] == [True, True, True]
    assert (attempt.score, attempt.max_score, attempt.percent) == (
        Decimal("6"), Decimal("6"), Decimal("100"),
    )  # fmt: skip
    assert answers[2].snapshot["text"] == "Question (single_choice)"


def test_a_question_added_by_a_revision_is_refused_by_autosave_in_french(client_as, enrolled):
    assessment = AssessmentPageFactory(
        questions=[make_question("true_false", "C1", 1, answer_bool=True)]
    )
    (only,) = questions(assessment)
    attempt = attempt_start(trainee=enrolled, assessment=assessment, now=timezone.now())
    publish_changes(assessment, remove=make_question("true_false"), edit=only, add=True)
    added = next(q for q in questions(assessment) if q.pk != only.pk)
    response = client_as(enrolled).post(
        f"/tentatives/{attempt.pk}/reponse/{added.pk}/", {f"q-{added.pk}": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 404
    assert "ne fait pas partie de votre tentative" in body and "Enregistré" not in body
    assert not Answer.objects.filter(attempt=attempt, question_key=added.pk).exists()
    with pytest.raises(UnknownQuestionError):
        attempt_save_answers(attempt=attempt, values={added: "true"})
    page = client_as(enrolled).get(f"/tentatives/{attempt.pk}/").content.decode()
    assert f"q-{added.pk}" not in page and f"q-{only.pk}" in page


def test_choices_are_shuffled_once_per_attempt_and_kept_on_reload(client_as, enrolled):
    letters = "ABCDEFGH"
    assessment = AssessmentPageFactory(
        questions=[
            make_question("single_choice", "C1", 1, choices=[(x, x == "A") for x in letters]),
        ],
        attempts_allowed=3,
    )
    orders = []
    for seed in (1, 2):
        attempt = attempt_start(
            trainee=enrolled, assessment=assessment, now=NOW, rng=random.Random(seed)
        )
        order = [c["text"] for c in attempt.answers.get().snapshot["choices"]]
        orders.append(order)
        client = client_as(enrolled)
        pages = [client.get(f"/tentatives/{attempt.pk}/").content.decode() for _ in range(2)]
        shown = [sorted(letters, key=lambda x, body=body: body.index(f"<span>{x}</span>"))
                 for body in pages]  # fmt: skip
        assert shown == [order, order]
        attempt_submit(attempt=attempt, now=NOW)
    assert sorted(orders[0]) == list(letters)
    assert orders[0] != list(letters) or orders[1] != list(letters)
    assert orders[0] != orders[1]


def test_an_author_can_fix_the_order_of_the_choices(enrolled):
    choices = [("Un", False), ("Deux", False), ("Toutes les réponses ci-dessus", True)]
    assessment = AssessmentPageFactory(
        questions=[
            make_question("multiple_choice", "C1", 1, choices=choices, fixed_choice_order=True)
        ]
    )
    for seed in range(5):
        attempt = attempt_start(
            trainee=enrolled, assessment=assessment, now=NOW, rng=random.Random(seed)
        )
        snapshot = attempt.answers.get().snapshot
        assert [c["text"] for c in snapshot["choices"]] == [text for text, _ in choices]
        attempt_submit(attempt=attempt, now=NOW)
        Attempt.objects.filter(pk=attempt.pk).delete()


def test_a_pool_draws_n_questions_per_competency_and_keeps_the_draw(client_as, enrolled):
    bank = [make_question("true_false", code, 1, answer_bool=True, text=f"{code} n°{n}")
            for code in ("C1", "C2") for n in range(4)]  # fmt: skip
    bank.append(make_question("true_false", "C3", 2, answer_bool=True, text="C3 seule"))
    assessment = AssessmentPageFactory(questions=bank, draw_per_competency=2, attempts_allowed=5)
    assert client_as(enrolled).get(assessment.url).context["question_count"] == 5
    draws = set()
    for seed in range(4):
        attempt = attempt_start(
            trainee=enrolled, assessment=assessment, now=NOW, rng=random.Random(seed)
        )
        answers = list(attempt.answers.order_by("position"))
        codes = [a.competency_code for a in answers]
        assert codes == ["C1", "C1", "C2", "C2", "C3"]
        assert attempt.max_score == Decimal("6")
        draws.add(tuple(a.question_key for a in answers))
        body = client_as(enrolled).get(f"/tentatives/{attempt.pk}/").content.decode()
        assert body.count('class="question card"') == 5
        attempt_submit(attempt=attempt, now=NOW)
    assert len(draws) > 1


# ---------------------------------------------------------------- late answers


@pytest.fixture
def timed(enrolled):
    assessment = AssessmentPageFactory(
        time_limit_minutes=10,
        questions=[make_question("true_false", "C1", 1, answer_bool=True),
                   make_question("true_false", "C2", 1, answer_bool=True)],
    )  # fmt: skip
    return attempt_start(trainee=enrolled, assessment=assessment, now=NOW)


def test_an_answer_arriving_within_the_grace_period_counts(timed):
    first, second = timed.answers.order_by("position")
    within = timed.deadline + late_grace() - datetime.timedelta(seconds=1)
    attempt_save_answers(attempt=timed, values={first.question_key: "true"}, now=within)
    attempt_submit(attempt=timed, now=within)
    timed.refresh_from_db()
    assert timed.timed_out and timed.score == Decimal("1")


def test_an_answer_arriving_after_the_grace_period_is_kept_late_and_not_graded(timed, settings):
    settings.ASSESSMENT_LATE_GRACE_SECONDS = 30
    first, second = timed.answers.order_by("position")
    attempt_save_answers(attempt=timed, values={first.question_key: "true"}, now=NOW)
    after = timed.deadline + datetime.timedelta(seconds=31)
    with pytest.raises(LateAnswerError, match="temps est écoulé"):
        attempt_save_answers(
            attempt=timed,
            values={first.question_key: "true", second.question_key: "true"},
            now=after,
        )
    timed.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert timed.timed_out and timed.score == Decimal("1")
    assert (first.value, first.late_value) == (True, None)  # same value: nothing late
    assert (second.value, second.late_value, second.late_received_at) == (None, True, after)


def test_the_trainer_sees_late_answers_on_the_result(client_as, timed, trainer, settings):
    settings.ASSESSMENT_LATE_GRACE_SECONDS = 0
    timed.trainee.enrolments.first().session.trainers.add(trainer)
    first = timed.answers.order_by("position").first()
    with pytest.raises(LateAnswerError):
        attempt_save_answers(
            attempt=timed,
            values={first.question_key: "false"},
            now=timed.deadline + datetime.timedelta(seconds=1),
        )
    body = client_as(trainer).get(f"/tentatives/{timed.pk}/resultat/").content.decode()
    assert "Réponses arrivées après la fin du temps" in body
    assert "Faux" in body and "non comptée" in body
    queue = client_as(trainer).get("/correction/").content.decode()
    assert 'data-testid="late-answers-queue"' in queue
    assert f"/tentatives/{timed.pk}/resultat/" in queue


def test_attempts_started_before_snapshots_are_frozen_by_the_migration(enrolled):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("assessments.migrations.0007_backfill_answer_snapshots")
    assessment = AssessmentPageFactory(
        questions=[
            make_question("single_choice", "C1", 1, choices=[("A", False), ("B", True)]),
            make_question("true_false", "C2", 2, answer_bool=True),
        ]
    )
    single, gone = questions(assessment)
    attempt = attempt_start(trainee=enrolled, assessment=assessment, now=NOW)
    Answer.objects.filter(attempt=attempt).update(snapshot=None, question_key=None)
    gone.delete()
    migration.backfill(apps, None)
    first, second = attempt.answers.order_by("position")
    assert first.question_key == single.pk
    assert [c["text"] for c in first.snapshot["choices"]] == ["A", "B"]
    assert first.spec.choices[1].correct and first.spec.points == Decimal("1")
    assert second.snapshot["deleted"] and second.spec is None
    attempt_save_answers(attempt=attempt, values={single: str(first.spec.choices[1].key)}, now=NOW)
    attempt_submit(attempt=attempt, now=NOW)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.max_score) == (Decimal("1"), Decimal("3"))
