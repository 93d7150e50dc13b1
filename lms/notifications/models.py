from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """Something that happened for one person: listed in the app, and e-mailed per their
    preferences (at once, in the daily digest, or not at all)."""

    class Email(models.TextChoices):
        PENDING = "pending", "à envoyer"
        DIGEST = "digest", "dans le résumé quotidien"
        SENT = "sent", "envoyé"
        NONE = "none", "pas d'e-mail"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinataire",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # A code of lms.notifications.kinds.KINDS (no choices: a new kind needs no migration).
    kind = models.CharField("type", max_length=40)
    title = models.CharField("titre", max_length=255)
    body = models.TextField("détail", blank=True)
    # A path on this site ("/revue-dossiers/12/"); e-mails make it absolute.
    url = models.CharField("lien", max_length=500, blank=True)
    created_at = models.DateTimeField("créée le", default=timezone.now)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    email = models.CharField("e-mail", max_length=10, choices=Email.choices, default=Email.NONE)
    emailed_at = models.DateTimeField("envoyée par e-mail le", null=True, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent"),
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["email", "created_at"], name="notif_email_state"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreferences(models.Model):
    """One person's choices; a person without a row has the defaults (every e-mail, at once)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    # Kind codes for which this person wants no e-mail (the notification is still listed).
    email_off = models.JSONField("sans e-mail", default=list, blank=True)
    daily_digest = models.BooleanField(
        "résumé quotidien",
        default=False,
        help_text="Un seul e-mail par jour qui regroupe les notifications non lues.",
    )

    class Meta:
        verbose_name = "préférences de notification"
        verbose_name_plural = "préférences de notification"

    def __str__(self):
        return f"Préférences de {self.user}"

    def wants_email(self, kind: str) -> bool:
        return kind not in (self.email_off or [])


class AccountInvitation(models.Model):
    """The welcome e-mail of an account created for someone (CSV import, users admin): when it
    was last sent, how many times, by whom. The account is activated once its owner has chosen
    a password (`has_usable_password`); this row only says what was sent."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="invitation",
    )
    sent_at = models.DateTimeField("dernier envoi")
    sent_count = models.PositiveSmallIntegerField("envois", default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"

    def __str__(self):
        return f"Invitation de {self.user}"
