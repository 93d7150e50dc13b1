"""What an issued credential needs besides the certificate it states: its place in the status list
and the salt of the holder's hashed e-mail. Allocated once, at the first download, never changed:
the credential is rebuilt from the certificate and this row, identically, at every download."""

from django.db import models


class CredentialRecord(models.Model):
    status_index = models.PositiveIntegerField("position dans la liste de statuts", unique=True)
    salt = models.CharField("sel de l'identifiant", max_length=32)
    certification = models.OneToOneField(
        "assessments.Certification",
        verbose_name="certificat",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credential_record",
    )
    attestation = models.OneToOneField(
        "awareness.Attestation",
        verbose_name="attestation de sensibilisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credential_record",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "badge émis"
        verbose_name_plural = "badges émis"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(certification__isnull=False, attestation__isnull=True)
                    | models.Q(certification__isnull=True, attestation__isnull=False)
                ),
                name="credential_record_one_document",
            )
        ]

    def __str__(self):
        return f"Badge n° {self.status_index}"
