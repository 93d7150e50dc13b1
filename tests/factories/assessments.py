"""Factories and helpers for assessments, questions and attempts."""

from decimal import Decimal

import factory

from assessments.models import (
    AssessmentIndexPage,
    AssessmentPage,
    Choice,
    Question,
    RubricCriterion,
)
from modules.models import Competency

__all__ = [
    "AssessmentPageFactory",
    "assessment_index",
    "make_question",
    "standard_questions",
]


def assessment_index() -> AssessmentIndexPage:
    """The (single) index page at /evaluations/, created under the home page when absent."""
    from lms.seed import seed_home

    index = AssessmentIndexPage.objects.first()
    if index is None:
        home = seed_home()
        index = AssessmentIndexPage(title="Évaluations", slug="evaluations")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def make_question(kind: str, competency: str = "C1", points="1", **extra) -> Question:
    """An unsaved question with its choices / rubric, to put in an AssessmentPageFactory."""
    choices = extra.pop("choices", [])
    rubric = extra.pop("rubric", [])
    question = Question(
        kind=kind,
        competency=Competency.objects.get(code=competency),
        points=Decimal(str(points)),
        text=extra.pop("text", f"Question ({kind})"),
        **extra,
    )
    question.choices = [
        Choice(sort_order=i, text=text, correct=correct)
        for i, (text, correct) in enumerate(choices)
    ]
    question.rubric_criteria = [
        RubricCriterion(sort_order=i, criterion=text, points=Decimal(str(value)))
        for i, (text, value) in enumerate(rubric)
    ]
    return question


def standard_questions() -> list[Question]:
    """One question of each kind, 10 points in all (C1 1, C2 2, C3 3, C4 1, C5 3)."""
    return [
        make_question(
            "single_choice", "C1", 1, text="Catégorie de ressources ?",
            choices=[("Très modeste", True), ("Modeste", False), ("Intermédiaire", False)],
        ),
        make_question(
            "multiple_choice", "C2", 2, text="Prestations obligatoires du MAR ?",
            choices=[("Visite initiale", True), ("Audit", True), ("Relogement", False)],
        ),
        make_question("true_false", "C3", 1, text="L'éco-PTZ est un prêt.", answer_bool=True),
        make_question(
            "numeric", "C3", 2, text="Reste à charge ?", answer_number=Decimal("15475.50"),
            tolerance=Decimal("1"), unit="€",
        ),
        make_question(
            "short_text", "C4", 1, text="Document de clôture ?",
            accepted_answers="rapport d'accompagnement\nle rapport d'accompagnement",
        ),
        make_question(
            "long_text", "C5", 3, text="Rédigez la remise du logement.",
            rubric=[("Éco-gestes expliqués", 2), ("Rapport d'accompagnement", 1)],
        ),
    ]  # fmt: skip


class AssessmentPageFactory(factory.Factory):
    """A published assessment under /evaluations/ with `questions` (default: one of each kind)."""

    class Meta:
        model = AssessmentPage

    title = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    kind = AssessmentPage.Kind.QUIZ
    intro = "Consignes du quiz."
    time_limit_minutes = None
    attempts_allowed = 2
    pass_mark_percent = 60
    feedback = AssessmentPage.Feedback.AFTER_SUBMIT
    one_question_per_page = False

    @classmethod
    def _create(cls, model_class, *args, questions=None, **kwargs):
        page = model_class(**kwargs)
        questions = questions if questions is not None else standard_questions()
        for order, question in enumerate(questions):
            question.sort_order = order
        page.questions = questions
        assessment_index().add_child(instance=page)
        page.save_revision().publish()
        return AssessmentPage.objects.get(pk=page.pk)

    @classmethod
    def _build(cls, model_class, *args, questions=None, **kwargs):
        return model_class(**kwargs)
