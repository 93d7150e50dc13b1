"""The seed loads the five assessments written by the content author, and checks files."""

from pathlib import Path

import pytest

from assessments.models import AssessmentPage, Question
from assessments.seed import SeedError, load_assessment_file, seed

pytestmark = pytest.mark.django_db


def test_seed_creates_the_five_assessments_and_is_idempotent(home_page):
    seed()
    counts = {page.slug: page.questions.count() for page in AssessmentPage.objects.order_by("path")}
    assert counts == {
        "positionnement": 13, "quiz-semaine-1": 14, "quiz-semaine-2": 14,
        "quiz-semaine-3": 14, "evaluation-finale": 23,
    }  # fmt: skip
    assert AssessmentPage.objects.get(slug="positionnement").url == "/evaluations/positionnement/"
    # "Je ne sais pas encore" stays the last option: those questions keep their written order.
    fixed = Question.objects.filter(page__slug="positionnement", fixed_choice_order=True)
    assert fixed.count() == 9
    assert not Question.objects.filter(page__slug="quiz-semaine-1", fixed_choice_order=True)
    total = Question.objects.count()
    seed()
    assert AssessmentPage.objects.count() == 5
    assert Question.objects.count() == total


def test_seeded_final_assessment_keeps_rubrics_and_numeric_answers(home_page):
    seed()
    final = AssessmentPage.objects.get(slug="evaluation-finale")
    assert final.feedback == "after_grading" and final.one_question_per_page
    long_texts = final.questions.filter(kind="long_text")
    assert long_texts.count() == 2
    for question in long_texts:
        assert sum(c.points for c in question.rubric_criteria.all()) == question.points
    assert final.questions.filter(kind="numeric", answer_number=17310).exists()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "quiz-casse.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "slug: q\ntitle: Q\nkind: quiz\nquestions:\n"


def test_bad_file_names_file_question_and_field(tmp_path):
    path = write(
        tmp_path,
        HEADER + "  - {kind: true_false, competency: C1, points: 1, text: a, answer: true}\n"
        "  - kind: single_choice\n    competency: C2\n    points: 1\n    text: b\n"
        "    choices: [{text: x, correct: true}, {text: y, correct: true}]\n",
    )
    with pytest.raises(SeedError) as error:
        load_assessment_file(path)
    assert str(error.value).startswith("quiz-casse.yaml, question 2, champ choices : ")


def test_unknown_competency_is_named(tmp_path):
    path = write(tmp_path, HEADER + "  - {kind: true_false, competency: C9, points: 1, text: a}\n")
    with pytest.raises(SeedError, match="question 1, champ competency : « C9 »"):
        load_assessment_file(path)


def test_broken_yaml_gives_the_line(tmp_path):
    path = write(tmp_path, HEADER + "  - {kind: true_false\n  oops: [\n")
    with pytest.raises(SeedError, match=r"quiz-casse.yaml, ligne \d+ : YAML invalide"):
        load_assessment_file(path)


def test_true_false_needs_a_boolean_answer(tmp_path):
    path = write(tmp_path, HEADER + "  - {kind: true_false, competency: C1, points: 1, text: a}\n")
    with pytest.raises(SeedError, match="question 1, champ answer : true ou false est attendu"):
        load_assessment_file(path)
