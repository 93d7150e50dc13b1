"""Competency results: the level a trainee reached in each of the five competencies.

The level is computed by the pure rule in `assessments.certification.rules` from assessment and
dossier scores; a trainer then validates or invalidates it. Every decision is kept as a
`CompetencyDecision` row that is never edited nor deleted.
"""

from django.conf import settings
from django.db import models


class CompetencyResult(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "À valider"
        VALIDATED = "validated", "Validée"
        INVALIDATED = "invalidated", "Non validée"

    class Proposal(models.TextChoices):
        REACHED = "reached", "Atteinte"
        IN_PROGRESS = "in_progress", "En cours"
        NOT_ASSESSED = "not_assessed", "Non évaluée"

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="stagiaire",
        on_delete=models.CASCADE,
        related_name="competency_results",
    )
    competency = models.ForeignKey(
        "modules.Competency",
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="results",
    )
    computed_level = models.DecimalField(
        "niveau calculé (%)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    assessment_level = models.DecimalField(
        "moyenne des évaluations (%)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    assessment_count = models.PositiveIntegerField("évaluations prises en compte", default=0)
    dossier_level = models.DecimalField(
        "moyenne des dossiers (%)", max_digits=5, decimal_places=1, null=True, blank=True
    )
    dossier_count = models.PositiveIntegerField("jalons de dossier pris en compte", default=0)
    proposal = models.CharField(
        "proposition", max_length=16, choices=Proposal.choices, default=Proposal.NOT_ASSESSED
    )
    computed_at = models.DateTimeField("calculé le", null=True, blank=True)
    status = models.CharField(
        "statut", max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décision de",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    validated_at = models.DateTimeField("décision le", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)

    class Meta:
        verbose_name = "résultat par compétence"
        verbose_name_plural = "résultats par compétence"
        ordering = ["trainee", "competency__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["trainee", "competency"], name="unique_competency_result"
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.trainee} · {self.competency.code} · {self.get_status_display()}"

    @property
    def is_validated(self) -> bool:
        return self.status == self.Status.VALIDATED


class CompetencyDecision(models.Model):
    """One validation or invalidation, as it was made: an append-only history."""

    class Decision(models.TextChoices):
        VALIDATED = "validated", "Validée"
        INVALIDATED = "invalidated", "Non validée"

    result = models.ForeignKey(CompetencyResult, on_delete=models.CASCADE, related_name="decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="par", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("le", auto_now_add=True)
    decision = models.CharField("décision", max_length=12, choices=Decision.choices)
    comment = models.TextField("commentaire", blank=True)
    level_at_decision = models.DecimalField(
        "niveau au moment de la décision (%)",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "décision sur une compétence"
        verbose_name_plural = "décisions sur les compétences"
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return f"{self.result} · {self.get_decision_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A competency decision is never edited: record a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A competency decision is never deleted.")
