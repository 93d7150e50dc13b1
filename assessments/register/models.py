"""A person's consent to appear in the public register of certified ensembliers.

`RegisterConsent` is the current state (one row per person, read by the API in the same query
as the certificates); `RegisterConsentEvent` is the dated history, never changed nor deleted
while the account exists: each time consent is given or withdrawn, who did it, when, and the
exact wording the person agreed to (the proof asked by the GDPR, art. 7(1)).
"""

from django.conf import settings
from django.db import models


class RegisterConsent(models.Model):
    """Whether the person is listed in the public register now."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="register_consent",
    )
    listed = models.BooleanField("accepte d'être dans le registre public", default=False)
    changed_at = models.DateTimeField("modifié le")

    class Meta:
        verbose_name = "accord pour le registre public"
        verbose_name_plural = "accords pour le registre public"
        indexes = [models.Index(fields=["listed"], name="register_consent_listed")]

    def __str__(self):
        return f"{self.person} : {'oui' if self.listed else 'non'}"


class RegisterConsentEvent(models.Model):
    """One change of consent: given or withdrawn, by whom, when, on which wording."""

    class Action(models.TextChoices):
        GIVEN = "given", "Accord donné"
        WITHDRAWN = "withdrawn", "Accord retiré"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="register_consent_events",
    )
    action = models.CharField("action", max_length=10, choices=Action.choices)
    at = models.DateTimeField("le")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    wording = models.TextField("texte présenté")

    class Meta:
        verbose_name = "changement d'accord pour le registre public"
        verbose_name_plural = "historique des accords pour le registre public"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"], name="register_event_person_at")]

    def __str__(self):
        return f"{self.person} · {self.get_action_display()} · {self.at:%d/%m/%Y %H:%M}"
