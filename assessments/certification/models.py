"""Certification: the decision that a trainee is a certified Ensemblier Solidaire.

A certification has a unique public number ("ENS-2026-00042-K7QF", see `numbers`), a PDF
certificate and a public verification page. It stores what it certifies as issued (holder's
name as printed, programme, session and its dates, competencies): the PDF and the verification
page read those values, never the live profile. It is revoked with a reason, or superseded by a
reissue (a name change), never deleted. The national target (11,500 certified by the end of
2030) is an editable site setting.
"""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .numbers import PREFIX as NUMBER_PREFIX  # noqa: F401 - re-exported


class CertificateNumberCounter(models.Model):
    """The last sequence number given in a year; incremented atomically (see services)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteur de numéros de certificat"
        verbose_name_plural = "compteurs de numéros de certificat"

    def __str__(self):
        return f"{self.year} : {self.last_value}"


class Certification(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", "Valide"
        REVOKED = "revoked", "Révoquée"
        SUPERSEDED = "superseded", "Remplacée"

    number = models.CharField("numéro", max_length=32, unique=True)
    legacy_number = models.CharField(
        "ancien numéro",
        max_length=32,
        blank=True,
        db_index=True,
        help_text="Numéro séquentiel d'avant l'ajout de la partie de contrôle (non vérifiable).",
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="stagiaire",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    enrolment = models.ForeignKey(
        "modules.Enrolment",
        verbose_name="inscription",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    session = models.ForeignKey(
        "modules.TrainingSession",
        verbose_name="session",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    territory = models.ForeignKey(
        "lms.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="certifications",
    )
    certified_on = models.DateField("certifié le")
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="certifié par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    attended_hours = models.DecimalField(
        "heures suivies", max_digits=5, decimal_places=1, default=0
    )
    # What the certificate certifies, as issued (the PDF and the verification page read these).
    holder_name = models.CharField("nom imprimé", max_length=300, default="")
    programme_title = models.CharField("formation", max_length=255, default="")
    session_name = models.CharField("session (nom)", max_length=200, default="")
    session_first_day = models.DateField("premier jour de la session", null=True, blank=True)
    session_last_day = models.DateField("dernier jour de la session", null=True, blank=True)
    competencies = models.JSONField("compétences certifiées", default=list, blank=True)
    issued_on = models.DateField("délivré le", null=True, blank=True)
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.VALID)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name="remplacé par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )
    superseded_at = models.DateTimeField("remplacé le", null=True, blank=True)
    reissue_reason = models.TextField("motif de la réémission", blank=True)
    reissued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réémis par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_reason = models.TextField("motif de révocation", blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="révoqué par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "certification"
        verbose_name_plural = "certifications"
        ordering = ["-certified_on", "-number"]
        constraints = [
            # One valid certification per trainee; a revoked one may be followed by a new one.
            models.UniqueConstraint(
                fields=["trainee"],
                condition=models.Q(status="valid"),
                name="one_valid_certification_per_trainee",
            )
        ]
        indexes = [
            models.Index(fields=["status", "certified_on"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def competency_pairs(self) -> list[tuple[str, str]]:
        """[(code, title)] as certified."""
        return [(str(code), str(title)) for code, title in self.competencies]


@register_setting(icon="pick")
class NationalTargetSettings(BaseGenericSetting):
    """The national target the tracker measures against."""

    target = models.PositiveIntegerField(
        "objectif national (ensembliers certifiés)",
        default=11500,
        validators=[MinValueValidator(1)],
    )
    deadline = models.DateField("échéance", default=datetime.date(2030, 12, 31))

    panels = [FieldPanel("target"), FieldPanel("deadline")]

    class Meta:
        verbose_name = "objectif national"
