"""The complaints and incidents register (Qualiopi indicator 31): filed by anyone involved,
handled by the coordination through dated steps, with the improvement actions decided
(indicator 32). Nothing is deleted: every step is a row of its history."""

from django.conf import settings
from django.db import models

from ..rules import ComplaintStatus


class Complaint(models.Model):
    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Réclamation"
        INCIDENT = "incident", "Incident"

    class FilerRole(models.TextChoices):
        TRAINEE = "trainee", "Stagiaire"
        TRAINER = "trainer", "Formateur·rice"
        EMPLOYER = "employer", "Employeur ou structure"
        FUNDER = "funder", "Financeur"
        OTHER = "other", "Autre"

    Status = ComplaintStatus

    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.COMPLAINT)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par (compte)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_filed",
    )
    filer_name = models.CharField("nom", max_length=200)
    filer_email = models.EmailField("adresse e-mail")
    filer_role = models.CharField(
        "vous êtes", max_length=12, choices=FilerRole.choices, default=FilerRole.TRAINEE
    )
    session = models.ForeignKey(
        "modules.TrainingSession",
        verbose_name="session concernée",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    subject = models.CharField("objet", max_length=200)
    description = models.TextField("description")
    filed_at = models.DateTimeField("déposée le", auto_now_add=True)
    status = models.CharField(
        "statut", max_length=14, choices=ComplaintStatus.choices, default=ComplaintStatus.FILED
    )
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)
    analysed_at = models.DateTimeField("analysée le", null=True, blank=True)
    answered_at = models.DateTimeField("réponse le", null=True, blank=True)
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    analysis = models.TextField("analyse", blank=True)
    answer = models.TextField("réponse apportée", blank=True)

    class Meta:
        verbose_name = "réclamation ou incident"
        verbose_name_plural = "réclamations et incidents"
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["status", "filed_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference} · {self.subject}"

    @property
    def reference(self) -> str:
        year = self.filed_at.year if self.filed_at else ""
        return f"{year}-{self.pk or 0:04d}"


class ComplaintStep(models.Model):
    """One dated step of the handling (filed, acknowledged, analysed, answered, closed), with
    who took it and what was written."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="steps")
    status = models.CharField("étape", max_length=14, choices=ComplaintStatus.choices)
    at = models.DateTimeField("le")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("note", blank=True)

    class Meta:
        verbose_name = "étape de traitement"
        verbose_name_plural = "étapes de traitement"
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} le {self.at:%d/%m/%Y}"


class ImprovementAction(models.Model):
    """An improvement decided after a complaint or an incident (indicator 32)."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    description = models.TextField("action d'amélioration")
    owner = models.CharField("responsable", max_length=200, blank=True)
    due_on = models.DateField("échéance", null=True, blank=True)
    done_on = models.DateField("réalisée le", null=True, blank=True)
    decided_at = models.DateTimeField("décidée le", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "action d'amélioration"
        verbose_name_plural = "actions d'amélioration"
        ordering = ["decided_at", "pk"]

    def __str__(self):
        return self.description[:80]
