"""A trainee's attempts at an assessment and their answers."""

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q

from ..grading import QuestionSpec, format_points, spec_from_snapshot


class Attempt(models.Model):
    """One try at an assessment: started, answers autosaved, submitted once, graded."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", "En cours"
        SUBMITTED = "submitted", "Envoyée, en attente de correction"
        GRADED = "graded", "Corrigée"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="stagiaire",
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    assessment = models.ForeignKey(
        "assessments.AssessmentPage",
        verbose_name="évaluation",
        # PROTECT: an assessment with attempts cannot be deleted (issue 9, records that
        # cannot vanish); unpublish it instead.
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    # The session the work belongs to: its trainers follow it, other sessions' do not
    # (modules.access). Empty for the attempts of staff previewing an assessment.
    enrolment = models.ForeignKey(
        "modules.Enrolment",
        verbose_name="inscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attempts",
    )
    number = models.PositiveSmallIntegerField("tentative n°", default=1)
    started_at = models.DateTimeField("commencée le")
    deadline = models.DateTimeField("à rendre avant", null=True, blank=True)
    submitted_at = models.DateTimeField("envoyée le", null=True, blank=True)
    timed_out = models.BooleanField("envoyée à la fin du temps", default=False)
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    auto_score = models.DecimalField(
        "points (correction automatique)", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    manual_score = models.DecimalField(
        "points (correction formateur)", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    score = models.DecimalField("note", max_digits=7, decimal_places=2, default=Decimal("0"))
    max_score = models.DecimalField(
        "note maximale", max_digits=7, decimal_places=2, default=Decimal("0")
    )
    percent = models.DecimalField("pourcentage", max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField("réussie", null=True)
    graded_at = models.DateTimeField("corrigée le", null=True, blank=True)

    class Meta:
        verbose_name = "tentative"
        verbose_name_plural = "tentatives"
        ordering = ["assessment", "trainee", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "assessment", "number"], name="unique_attempt_number"
            ),
            # At most one attempt in progress per trainee and assessment (concurrent starts).
            models.UniqueConstraint(
                fields=["trainee", "assessment"],
                condition=Q(status="in_progress"),
                name="one_attempt_in_progress",
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return f"{self.trainee} · {self.assessment_id} · tentative {self.number}"

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS

    @property
    def score_label(self) -> str:
        return f"{format_points(self.score)} / {format_points(self.max_score)}"


class Answer(models.Model):
    """A trainee's answer to one question of an attempt, created empty when the attempt starts.

    The attempt is frozen at start: `snapshot` holds the question as it was then (text, kind,
    points, competency, choices in the order drawn for this attempt with their correctness, keys:
    numeric value and tolerance, accepted answers, rubric; see `grading.spec_to_snapshot`).
    Display and grading read the snapshot, never the live question, so a revision published
    during the attempt changes nothing in it. `question_key` is the question's id at start (kept
    when the question is deleted later). An answer arriving after the attempt closed (past the
    deadline and its grace period) is kept in `late_value`, shown to trainers, never graded.
    """

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "assessments.Question",
        verbose_name="question",
        null=True,
        on_delete=models.SET_NULL,
        related_name="answers",
    )
    question_key = models.PositiveBigIntegerField("identifiant de la question", null=True)
    snapshot = models.JSONField("question telle que posée", null=True, blank=True)
    position = models.PositiveSmallIntegerField("position", default=0)
    competency_code = models.CharField("compétence", max_length=4)
    max_points = models.DecimalField("points possibles", max_digits=5, decimal_places=2)
    value = models.JSONField("réponse", null=True, blank=True)
    saved_at = models.DateTimeField("enregistrée le", null=True, blank=True)
    needs_grading = models.BooleanField("à corriger par un formateur", default=False)
    is_correct = models.BooleanField("juste", null=True)
    points_awarded = models.DecimalField(
        "points obtenus", max_digits=5, decimal_places=2, null=True, blank=True
    )
    rubric_scores = models.JSONField("points par critère", null=True, blank=True)
    grader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="correcteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="graded_answers",
    )
    graded_at = models.DateTimeField("corrigée le", null=True, blank=True)
    comment = models.TextField("commentaire du correcteur", blank=True)
    late_value = models.JSONField("réponse arrivée après la fin du temps", null=True, blank=True)
    late_received_at = models.DateTimeField("reçue en retard le", null=True, blank=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="unique_answer"),
            models.UniqueConstraint(
                fields=["attempt", "question_key"], name="unique_answer_question_key"
            ),
        ]
        indexes = [models.Index(fields=["needs_grading", "graded_at"])]

    def __str__(self):
        return f"Réponse {self.position + 1} · {self.attempt}"

    @property
    def awaits_grading(self) -> bool:
        return self.needs_grading and self.points_awarded is None

    @cached_property
    def spec(self) -> QuestionSpec | None:
        """The question as frozen at the start of the attempt; None when it was deleted before
        snapshots existed (such an answer scores 0)."""
        if not self.snapshot or self.snapshot.get("deleted"):
            return None
        return spec_from_snapshot(self.snapshot)

    @cached_property
    def frozen_question(self):
        from ..frozen import FrozenQuestion

        return FrozenQuestion.from_snapshot(self.snapshot)

    @property
    def has_late_value(self) -> bool:
        return self.late_received_at is not None
