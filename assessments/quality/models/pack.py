"""The evidence pack of a session for the Qualiopi audit: a ZIP built in the background, kept in
the database (private: downloaded through a permission-checked view only)."""

from django.conf import settings
from django.db import models


class EvidencePack(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "En préparation"
        READY = "ready", "Prêt"
        FAILED = "failed", "Échec"

    session = models.ForeignKey(
        "modules.TrainingSession", on_delete=models.PROTECT, related_name="evidence_packs"
    )
    as_of = models.DateField("données arrêtées au")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("demandé le", auto_now_add=True)
    status = models.CharField(
        "statut", max_length=8, choices=Status.choices, default=Status.PENDING
    )
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    content = models.BinaryField("archive", null=True, editable=False)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    error = models.TextField("erreur", blank=True)

    class Meta:
        verbose_name = "dossier de preuves"
        verbose_name_plural = "dossiers de preuves"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Dossier de preuves · {self.session} · {self.as_of:%d/%m/%Y}"

    @property
    def filename(self) -> str:
        return f"preuves-qualiopi-{self.session.slug}-{self.as_of:%Y%m%d}.zip"
