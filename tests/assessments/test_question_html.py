"""The quiz's questions written in Python (assessments.question_html) give the markup of the
reference template `assessments/attempt/_question.html`, for every kind and state of answer."""

import re
from decimal import Decimal

from django.template.loader import render_to_string

import pytest

from assessments.question_html import question_fieldset
from assessments.selectors import attempt_answers
from assessments.services import attempt_save_answers, attempt_start
from assessments.views import _items
from tests.factories import AssessmentPageFactory, EnrolmentFactory, make_question

pytestmark = pytest.mark.django_db


def _normalised(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(html))).strip()


def _both(attempt, count, autosave):
    items = _items(attempt_answers(attempt))
    for item in items:
        ours = question_fieldset(item, attempt_pk=attempt.pk, count=count, autosave=autosave)
        context = {"item": item, "attempt": attempt, "count": count, "autosave": autosave}
        reference = render_to_string("assessments/attempt/_question.html", context)
        yield item, _normalised(ours), _normalised(reference)


@pytest.fixture
def attempt(trainee):
    EnrolmentFactory(trainee=trainee)
    extra = [
        make_question(
            "single_choice", "C1", 1, text="Choix <b>piégé</b> & « guillemets »",
            choices=[("<script>alert(1)</script>", True), ('Dit "oui" & non', False)],
        ),
        make_question("numeric", "C2", 1, text="Sans unité ?", answer_number=Decimal("3")),
    ]  # fmt: skip
    from tests.factories.assessments import standard_questions

    quiz = AssessmentPageFactory(questions=standard_questions() + extra)
    return attempt_start(trainee=trainee, assessment=quiz)


def test_unanswered_questions_match_the_template(attempt):
    compared = list(_both(attempt, 8, True)) + list(_both(attempt, 0, False))
    assert len(compared) == 16
    for item, ours, reference in compared:
        assert ours == reference, item["question"].kind


def test_answered_questions_match_the_template(attempt):
    values = {}
    for answer in attempt_answers(attempt):
        question = answer.frozen_question
        if question.kind == "single_choice":
            values[question.pk] = str(question.choices[0].pk)
        elif question.kind == "multiple_choice":
            values[question.pk] = [str(choice.pk) for choice in question.choices[:2]]
        elif question.kind == "true_false":
            values[question.pk] = "false"
        elif question.kind == "numeric":
            values[question.pk] = "15 475,50"
        else:
            values[question.pk] = 'Réponse <em>"citée"</em> & suite'
    attempt_save_answers(attempt=attempt, values=values)
    compared = list(_both(attempt, 8, True))
    assert any("checked" in ours for _, ours, _ in compared)
    assert any("save-ok" in ours for _, ours, _ in compared)
    assert any("&lt;em&gt;" in ours for _, ours, _ in compared)
    for item, ours, reference in compared:
        assert ours == reference, item["question"].kind


def test_the_quiz_page_shows_the_questions(client_as, trainee, attempt):
    html = client_as(trainee).get(f"/tentatives/{attempt.pk}/").content.decode()
    assert html.count('<fieldset class="question card"') == 8
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert f'data-autosave-url="/tentatives/{attempt.pk}/reponse/' in html
