"""Half-day attendance (émargement): the trainee's signature, the trainer's counter-signature."""

from django.conf import settings
from django.db import models

from .sessions import Enrolment, SessionSlot


class Attendance(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Non renseigné"
        PRESENT = "present", "Présent·e"
        ABSENT = "absent", "Absent·e"
        EXCUSED = "excused", "Absence justifiée"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendances")
    slot = models.ForeignKey(SessionSlot, on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField(
        "statut", max_length=10, choices=Status.choices, default=Status.PENDING
    )
    trainee_signed_at = models.DateTimeField("signé par le stagiaire le", null=True, blank=True)
    trainer_signed_at = models.DateTimeField("contresigné le", null=True, blank=True)
    trainer_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="contresigné par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="countersigned_attendances",
    )

    class Meta:
        verbose_name = "émargement"
        verbose_name_plural = "émargements"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "slot"], name="unique_attendance")
        ]

    def __str__(self):
        return f"{self.enrolment} · {self.slot}"


class AttendanceCorrection(models.Model):
    """A change to a signature or a status after the fact: never silent, always who and why."""

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="corrections")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    field = models.CharField("champ", max_length=40)
    old_value = models.CharField("ancienne valeur", max_length=100, blank=True)
    new_value = models.CharField("nouvelle valeur", max_length=100, blank=True)
    reason = models.TextField("motif")

    class Meta:
        verbose_name = "correction d'émargement"
        verbose_name_plural = "corrections d'émargement"
        ordering = ["changed_at"]

    def __str__(self):
        return f"{self.field} : {self.old_value} → {self.new_value}"


class DeferredSignature(models.Model):
    """A signature queued on the trainee's device (offline) and sent later, with the decision.

    Every deferred signature is recorded, accepted or not: the device's time of the tap and of
    the sending, the server's time of receipt, the time retained (the tap on the server's
    clock) and why it was refused (issue 11, kind 6).
    """

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="deferred_signatures"
    )
    slot = models.ForeignKey(
        SessionSlot, on_delete=models.CASCADE, related_name="deferred_signatures"
    )
    claimed_at = models.DateTimeField("signée le (horloge de l'appareil)")
    device_sent_at = models.DateTimeField(
        "envoyée le (horloge de l'appareil)", null=True, blank=True
    )
    received_at = models.DateTimeField("reçue par le serveur le")
    signed_at = models.DateTimeField("heure retenue (horloge du serveur)", null=True, blank=True)
    accepted = models.BooleanField("acceptée")
    reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "signature différée"
        verbose_name_plural = "signatures différées"
        ordering = ["received_at"]

    def __str__(self):
        return f"{self.enrolment} · {self.slot} · {'acceptée' if self.accepted else 'refusée'}"
