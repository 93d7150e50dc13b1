"""Accommodations for a trainee with a disability, recorded by the disability referent.

The platform applies them: the time factor lengthens every timed assessment the trainee starts
(the deadline is computed on the server, `assessments.services.attempt_start`); the alternative
format and the room note are shown to the trainers of the trainee's sessions. The confidential
note (what the referent needs to remember about the person's health) is read by the referent and
administrators only, never exported. An accommodation is never deleted: it is ended.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from lms.formats import format_number

from ..rules import MAX_TIME_FACTOR, is_in_force


class Accommodation(models.Model):
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="stagiaire",
        on_delete=models.PROTECT,
        related_name="accommodations",
    )
    time_factor = models.DecimalField(
        "coefficient de temps",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_TIME_FACTOR)],
        help_text=(
            "Multiplie la durée de chaque évaluation chronométrée : 1,33 pour un tiers-temps, "
            "1,5 pour une demi-heure de plus par heure. 1 : pas de temps majoré."
        ),
    )
    alternative_format = models.CharField(
        "format adapté",
        max_length=300,
        blank=True,
        help_text="Par exemple : sujets en gros caractères, évaluation à l'oral, lecteur d'écran.",
    )
    room_note = models.CharField(
        "salle et installation",
        max_length=300,
        blank=True,
        help_text="Montré aux formateurs de la session : salle accessible, place près de la porte…",
    )
    confidential_note = models.TextField(
        "note confidentielle",
        blank=True,
        help_text=(
            "Lue par le ou la référent·e handicap seulement ; jamais montrée aux formateurs ni "
            "exportée. N'y notez que le nécessaire."
        ),
    )
    consent_on = models.DateField(
        "accord du ou de la stagiaire le",
        help_text="Date à laquelle la personne a donné son accord à ces aménagements.",
    )
    starts_on = models.DateField("à partir du", default=timezone.localdate)
    ended_on = models.DateField("fin le", null=True, blank=True)
    end_reason = models.CharField("motif de fin", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("enregistré le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "aménagement"
        verbose_name_plural = "aménagements"
        ordering = ["trainee__last_name", "trainee__first_name", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_factor__gte=Decimal("1.00"))
                & models.Q(time_factor__lte=MAX_TIME_FACTOR),
                name="quality_accommodation_time_factor_range",
            ),
        ]

    def __str__(self):
        return f"Aménagement de {self.trainee}"

    def in_force_on(self, day: datetime.date) -> bool:
        return is_in_force(self.starts_on, self.ended_on, day)

    @property
    def time_factor_label(self) -> str:
        """ "1,5", "1,33": the factor as the French read it."""
        return format_number(self.time_factor)

    @property
    def extra_time_percent(self) -> int:
        return round((self.time_factor - 1) * 100)
