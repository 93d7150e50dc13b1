"""Training sessions (cohorts), their 30 half-day slots and the trainees enrolled."""

import secrets
from enum import nonmember

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lms.models import Structure, Territory

from ..attendance import SIGNING_ENROLMENT_STATUSES
from .programme import HalfDay


def new_token() -> str:
    return secrets.token_urlsafe(24)


class TrainingSession(models.Model):
    """One cohort of about 40 trainees over three weeks of five days."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        OPEN = "open", "Inscriptions ouvertes"
        CLOSED = "closed", "Inscriptions closes"
        CANCELLED = "cancelled", "Annulée"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant", max_length=100, unique=True)
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", on_delete=models.PROTECT, related_name="sessions"
    )
    venue = models.CharField("lieu", max_length=255)
    week1_start = models.DateField("début de la semaine 1")
    week2_start = models.DateField("début de la semaine 2")
    week3_start = models.DateField("début de la semaine 3")
    capacity = models.PositiveSmallIntegerField("capacité", default=40)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="formateurs",
        related_name="sessions_as_trainer",
        blank=True,
    )
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.OPEN)
    public_ical_token = models.CharField(max_length=64, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "session de formation"
        verbose_name_plural = "sessions de formation"
        ordering = ["week1_start", "name"]
        indexes = [models.Index(fields=["week1_start"]), models.Index(fields=["week3_start"])]

    def __str__(self):
        return self.name

    @property
    def week_starts(self):
        return [self.week1_start, self.week2_start, self.week3_start]

    @property
    def dates_label(self) -> str:
        """ "16/11 · 23/11 · 30/11/2026": the three week starts, for listings."""
        if not all(self.week_starts):
            return ""
        return f"{self.week1_start:%d/%m} · {self.week2_start:%d/%m} · {self.week3_start:%d/%m/%Y}"

    def clean(self):
        from ..calendar import CalendarError, training_days

        starts = self.week_starts
        if not all(starts):
            return
        try:
            training_days(starts)
        except CalendarError as error:
            raise ValidationError({error.field or "week1_start": error.message}) from error


class SessionSlot(models.Model):
    """A half-day of a session: generated from the timetable, then movable by a trainer."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="slots")
    day_number = models.PositiveSmallIntegerField("jour")
    half = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    date = models.DateField("date")
    start_time = models.TimeField("début")
    end_time = models.TimeField("fin")
    modules = models.ManyToManyField(
        "modules.ModulePage",
        verbose_name="modules",
        related_name="session_slots",
        blank=True,
        through="modules.SessionSlotModule",
    )
    room = models.CharField("salle", max_length=120, blank=True)
    moved = models.BooleanField("déplacée", default=False)

    class Meta:
        verbose_name = "demi-journée de session"
        verbose_name_plural = "demi-journées de session"
        ordering = ["session", "day_number", "half"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "day_number", "half"], name="unique_session_half_day"
            )
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self):
        return f"{self.session} · jour {self.day_number} · {self.get_half_display()}"

    @property
    def week_number(self) -> int:
        return (self.day_number - 1) // 5 + 1

    def clean(self):
        """End after start, within the day, at local times that exist once in Europe/Paris."""
        from ..calendar import check_time_range

        errors = check_time_range(self.date, self.start_time, self.end_time)
        if errors:
            raise ValidationError(errors)


class SessionSlotModule(models.Model):
    """A module taught in a half-day (the through table of `SessionSlot.modules`).

    PROTECT on the module: a module page that half-days name cannot be deleted, so past
    half-days never lose what was taught in them (issue 9, records that cannot vanish).
    Registered with Wagtail's reference index, so the module's usage counts these rows.
    """

    sessionslot = models.ForeignKey(SessionSlot, on_delete=models.CASCADE, related_name="+")
    modulepage = models.ForeignKey(
        "modules.ModulePage",
        verbose_name="module",
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        db_table = "modules_sessionslot_modules"
        verbose_name = "module d'une demi-journée"
        verbose_name_plural = "modules des demi-journées"
        unique_together = [("sessionslot", "modulepage")]

    def __str__(self):
        return str(self.sessionslot)


class Enrolment(models.Model):
    """A trainee in a session."""

    class Status(models.TextChoices):
        """Statuses of an enrolment, and the named groups every rule reads (never a local list).

        - ACTIVE: the trainee holds a seat and reads the full programme (every status but
          "dropped"); their trainers follow their work.
        - SIGNING: the trainee signs their half-days (confirmed or in training; the rule lives
          with the other attendance rules, `modules.attendance`).
        - ATTENDING: the trainee is on the attendance sheet and "Aujourd'hui" shows the session
          (confirmed, in training, completed).
        - CERTIFIABLE: a certification may be decided for this enrolment (same as ATTENDING).
        """

        PRE_REGISTERED = "pre_registered", "Pré-inscrit·e"
        CONFIRMED = "confirmed", "Confirmé·e"
        IN_TRAINING = "in_training", "En formation"
        COMPLETED = "completed", "Formation terminée"
        DROPPED = "dropped", "Abandon"

        ACTIVE = nonmember(("pre_registered", "confirmed", "in_training", "completed"))
        SIGNING = nonmember(tuple(sorted(SIGNING_ENROLMENT_STATUSES)))
        ATTENDING = nonmember(("confirmed", "in_training", "completed"))
        CERTIFIABLE = nonmember(("confirmed", "in_training", "completed"))

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="enrolments"
    )
    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        "statut", max_length=16, choices=Status.choices, default=Status.PRE_REGISTERED
    )
    funder = models.CharField("financeur", max_length=200, blank=True)
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    ical_token = models.CharField(max_length=64, default=new_token, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["session", "trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="unique_enrolment")
        ]

    def __str__(self):
        return f"{self.trainee} · {self.session}"

    def save(self, *args, **kwargs):
        """An enrolment's trainee never changes: their signatures, attempts and dossiers would
        pass to someone else (issue 10, finding 2). Move a trainee with `enrolment_move`."""
        loaded = getattr(self, "_loaded_trainee_id", None)
        if self.pk is not None and loaded is not None and self.trainee_id != loaded:
            raise ValidationError(
                {"trainee": "Le stagiaire d'une inscription ne change jamais : créez-en une autre."}
            )
        super().save(*args, **kwargs)
        self._loaded_trainee_id = self.trainee_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_trainee_id = instance.__dict__.get("trainee_id")
        return instance

    @property
    def is_active(self) -> bool:
        return self.status in self.Status.ACTIVE
