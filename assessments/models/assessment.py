"""Assessments as pages: the index at /evaluations/, each assessment and its questions.

Questions are inline children of the page (modelcluster), each with its own inline choices or
rubric criteria, so that authors edit everything in one admin form, with revisions, preview and
moderation like any page.
"""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from lms.markdown import render_markdown

from ..forms import AssessmentPageForm
from ..grading import (
    KIND_LABELS,
    ChoiceSpec,
    CriterionSpec,
    Kind,
    QuestionSpec,
    points_label,
)


class AssessmentIndexPage(Page):
    """The list of assessments (/evaluations/), with each trainee's status when logged in."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    # One list of assessments for the whole training, at a stable URL.
    max_count = 1
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["assessments.AssessmentPage"]

    class Meta:
        verbose_name = "liste des évaluations"

    def get_context(self, request, *args, **kwargs):
        from ..selectors import assessment_rows_for

        context = super().get_context(request, *args, **kwargs)
        context["rows"] = assessment_rows_for(request.user, index=self)
        return context


class AssessmentPage(Page):
    """A positioning test, a module quiz or the final certification assessment."""

    class Kind(models.TextChoices):
        POSITIONING = "positioning", "Test de positionnement"
        QUIZ = "quiz", "Quiz"
        FINAL = "final", "Évaluation finale de certification"

    class Feedback(models.TextChoices):
        AFTER_SUBMIT = "after_submit", "Dès l'envoi : note, corrections et explications"
        AFTER_GRADING = "after_grading", "Après la correction des réponses rédigées"
        NEVER = "never", "Jamais : la note seulement"

    kind = models.CharField("type", max_length=16, choices=Kind.choices, default=Kind.QUIZ)
    intro = models.TextField("consignes", blank=True, help_text="Markdown.")
    time_limit_minutes = models.PositiveSmallIntegerField(
        "durée limite (minutes)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
        help_text="Laisser vide pour une évaluation sans limite de temps.",
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        "tentatives autorisées", default=1, validators=[MinValueValidator(1)]
    )
    pass_mark_percent = models.PositiveSmallIntegerField(
        "seuil de réussite (%)", default=60, validators=[MaxValueValidator(100)]
    )
    feedback = models.CharField(
        "corrections montrées au stagiaire",
        max_length=16,
        choices=Feedback.choices,
        default=Feedback.AFTER_SUBMIT,
    )
    one_question_per_page = models.BooleanField("une question par écran", default=False)
    modules = ParentalManyToManyField(
        "modules.ModulePage", verbose_name="modules évalués", blank=True, related_name="assessments"
    )
    available_from = models.DateTimeField("ouverte à partir du", null=True, blank=True)
    available_until = models.DateTimeField("ouverte jusqu'au", null=True, blank=True)
    draw_per_competency = models.PositiveSmallIntegerField(
        "questions tirées par compétence",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "Banque de questions : chaque tentative tire au hasard ce nombre de questions parmi "
            "celles de chaque compétence (toutes si elle en a moins). Laisser vide pour poser "
            "toutes les questions."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("pass_mark_percent"), FieldPanel("feedback")]),
                FieldPanel("one_question_per_page"),
                FieldRowPanel([FieldPanel("available_from"), FieldPanel("available_until")]),
                FieldPanel("draw_per_competency"),
                FieldPanel("modules"),
            ],
            heading="Règles",
        ),
        InlinePanel("questions", heading="Questions", label="question", min_num=1),
    ]

    base_form_class = AssessmentPageForm
    parent_page_types = ["assessments.AssessmentIndexPage"]
    # Questions are inline objects, not pages.
    subpage_types = []

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"

    @property
    def intro_html(self):
        return render_markdown(self.intro)

    @property
    def is_positioning(self) -> bool:
        return self.kind == self.Kind.POSITIONING

    def is_open_at(self, now: datetime.datetime) -> bool:
        if self.available_from and now < self.available_from:
            return False
        return not (self.available_until and now > self.available_until)

    def deadline_for(
        self, started_at: datetime.datetime, factor: Decimal = Decimal(1)
    ) -> datetime.datetime | None:
        """When an attempt started at `started_at` must be sent; `factor` is the time factor of
        the trainee's accommodation (issue 15: extra time, applied on the server)."""
        if not self.time_limit_minutes:
            return None
        from ..quality.rules import time_allowed

        return started_at + time_allowed(self.time_limit_minutes, factor)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import assessment_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(assessment_page_state(request.user, self, now=timezone.now()))
        return context


class Question(ClusterableModel, Orderable):
    """One question, tagged with one competency and worth some points."""

    page = ParentalKey(AssessmentPage, related_name="questions", on_delete=models.CASCADE)
    kind = models.CharField(
        "type de question",
        max_length=16,
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=Kind.SINGLE_CHOICE.value,
    )
    competency = models.ForeignKey(
        "modules.Competency",
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="questions",
    )
    points = models.DecimalField(
        "points", max_digits=5, decimal_places=2, default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )  # fmt: skip
    text = models.TextField("énoncé", help_text="Markdown.")
    answer_bool = models.BooleanField(
        "l'affirmation est vraie",
        null=True,
        blank=True,
        help_text="Questions vrai ou faux : la bonne réponse.",
    )
    answer_number = models.DecimalField(
        "valeur attendue",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Questions numériques.",
    )
    tolerance = models.DecimalField(
        "tolérance (±)",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        blank=True,
        help_text="Écart accepté autour de la valeur attendue, dans la même unité.",
    )
    unit = models.CharField("unité", max_length=20, blank=True, help_text="Par exemple « € ».")
    accepted_answers = models.TextField(
        "réponses acceptées",
        blank=True,
        help_text="Réponses courtes : une par ligne. Majuscules, accents et ponctuation ignorés.",
    )
    explanation = models.TextField(
        "explication", blank=True, help_text="Montrée avec la correction. Markdown."
    )
    fixed_choice_order = models.BooleanField(
        "garder l'ordre des propositions",
        default=False,
        help_text=(
            "Les propositions sont mélangées à chaque tentative ; cochez pour les montrer dans "
            "l'ordre écrit (par exemple quand une proposition est « toutes les réponses "
            "ci-dessus »)."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("competency"), FieldPanel("points")]),
        FieldPanel("text"),
        InlinePanel(
            "choices", heading="Propositions (choix unique ou multiple)", label="proposition"
        ),
        FieldPanel("fixed_choice_order"),
        FieldPanel("answer_bool"),
        FieldRowPanel([FieldPanel("answer_number"), FieldPanel("tolerance"), FieldPanel("unit")]),
        FieldPanel("accepted_answers"),
        InlinePanel(
            "rubric_criteria", heading="Grille de correction (réponse rédigée)", label="critère"
        ),
        FieldPanel("explanation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self):
        return f"Question {self.sort_order + 1 if self.sort_order is not None else ''}".strip()

    @property
    def text_html(self):
        return render_markdown(self.text)

    @property
    def explanation_html(self):
        return render_markdown(self.explanation)

    @property
    def accepted_answer_list(self) -> list[str]:
        return [line.strip() for line in self.accepted_answers.splitlines() if line.strip()]

    @property
    def points_label(self) -> str:
        return points_label(self.points)

    def to_spec(self, competency_code: str | None = None) -> QuestionSpec:
        """The pure description used by the grading functions. Uses prefetched children."""
        return QuestionSpec(
            key=self.pk,
            kind=Kind(self.kind),
            competency=competency_code or self.competency.code,
            points=self.points,
            choices=tuple(
                ChoiceSpec(key=choice.pk, correct=choice.correct, text=choice.text)
                for choice in self.choices.all()
            ),
            answer_bool=self.answer_bool,
            answer_number=self.answer_number,
            tolerance=self.tolerance or Decimal("0"),
            accepted_answers=tuple(self.accepted_answer_list),
            rubric=tuple(
                CriterionSpec(criterion=item.criterion, points=item.points)
                for item in self.rubric_criteria.all()
            ),
            text=self.text,
            explanation=self.explanation,
            unit=self.unit,
        )


class Choice(Orderable):
    question = ParentalKey(Question, related_name="choices", on_delete=models.CASCADE)
    text = models.CharField("proposition", max_length=500)
    correct = models.BooleanField("bonne réponse", default=False)

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("correct")])]

    class Meta(Orderable.Meta):
        verbose_name = "proposition"
        verbose_name_plural = "propositions"

    def __str__(self):
        return self.text


class RubricCriterion(Orderable):
    question = ParentalKey(Question, related_name="rubric_criteria", on_delete=models.CASCADE)
    criterion = models.TextField("critère")
    points = models.DecimalField(
        "points", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    panels = [FieldRowPanel([FieldPanel("criterion"), FieldPanel("points")])]

    class Meta(Orderable.Meta):
        verbose_name = "critère"
        verbose_name_plural = "grille de correction"

    def __str__(self):
        return self.criterion

    @property
    def points_label(self) -> str:
        return points_label(self.points)
