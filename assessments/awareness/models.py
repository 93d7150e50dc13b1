"""Field actors, referrals, the awareness course's pages, progress and attestations.

What is stored about a household: nothing, unless a field actor sends a referral with the
household's recorded consent; a referral holds the minimum (how to reach the household, the
commune, a short note, the consent), is visible to its ensemblier and the coordination only
(`modules.access`) and is deleted after `AWARENESS_REFERRAL_RETENTION_DAYS`
(`manage.py purge_referrals`). Counts for the national tracker are kept apart
(`ReferralTally`), so purging a referral never changes them.
"""

from django.conf import settings
from django.db import models

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from lms.blocks import CalloutBlock, MarkdownBlock
from lms.models import Territory


class FieldRole(models.TextChoices):
    BENEVOLE = "benevole", "Bénévole"
    TRAVAILLEUR_SOCIAL = "travailleur_social", "Travailleur·se social·e"
    ARTISAN = "artisan", "Artisan·e"
    ELU = "elu", "Élu·e"
    AGENT = "agent", "Agent·e de collectivité"
    ENSEMBLIER = "ensemblier", "Ensemblier·e"
    AUTRE = "autre", "Autre"


class FieldProfile(models.Model):
    """The light profile of a field actor (role, territory) and, for a certified ensemblier,
    the consent to be listed in the repérage orientation of their territory."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_profile"
    )
    role = models.CharField("profil", max_length=24, choices=FieldRole.choices)
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, blank=True, on_delete=models.SET_NULL
    )
    listed = models.BooleanField(
        "accepte d'être proposé·e aux acteurs de terrain de son territoire", default=False
    )
    listed_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "profil d'acteur de terrain"
        verbose_name_plural = "profils d'acteurs de terrain"

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class SignupRequest(models.Model):
    """A light-account sign-up waiting for its address to be confirmed: the account is created
    only when the link e-mailed to that address is followed (`services.signup_confirm`), so
    that the sign-up page answers the same whether the address has an account or not. The
    password is kept hashed, as on an account. Deleted once used, or after
    `SIGNUP_LINK_HOURS`."""

    email = models.EmailField("adresse e-mail", max_length=254, db_index=True)
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("profil", max_length=24, choices=FieldRole.choices)
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, blank=True, on_delete=models.SET_NULL
    )
    password = models.CharField("mot de passe (haché)", max_length=128)
    next_url = models.CharField("page de retour", max_length=500, blank=True)
    created_at = models.DateTimeField("demandé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "demande de compte léger"
        verbose_name_plural = "demandes de compte léger"

    def __str__(self):
        return f"Demande de compte léger ({self.email})"


class Referral(models.Model):
    """A household passed on to one listed ensemblier, with its consent; the minimum."""

    ensemblier = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ensemblier",
        on_delete=models.CASCADE,
        related_name="awareness_referrals",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="awareness_referrals_sent",
    )
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, on_delete=models.SET_NULL
    )
    contact = models.CharField("comment joindre le ménage", max_length=200)
    commune = models.CharField("commune", max_length=120)
    note = models.TextField("message pour l'ensemblier", max_length=600, blank=True)
    consent_text = models.CharField("consentement recueilli", max_length=300)
    consent_at = models.DateTimeField("consentement recueilli le")
    created_at = models.DateTimeField(auto_now_add=True)
    purge_after = models.DateTimeField("à supprimer après le", db_index=True)

    class Meta:
        verbose_name = "orientation"
        verbose_name_plural = "orientations"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Orientation n° {self.pk}"


class ReferralTally(models.Model):
    """Referrals sent, per territory and year: the national count, which purging keeps."""

    territory = models.ForeignKey(Territory, null=True, on_delete=models.SET_NULL)
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["territory", "year"], name="awareness_tally_unique"),
        ]

    def __str__(self):
        return f"{self.territory or 'Hors territoire'} {self.year} : {self.count}"


# --- The course -----------------------------------------------------------------------------


class SelfCheckChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label="réponse")
    correct = blocks.BooleanBlock(label="bonne réponse", required=False)

    class Meta:
        icon = "tick"
        label = "Réponse proposée"


class SelfCheckBlock(blocks.StructBlock):
    """A self-check question, graded by the assessment engine (`assessments.grading`)."""

    question = blocks.CharBlock(label="question")
    multiple = blocks.BooleanBlock(
        label="plusieurs bonnes réponses possibles", required=False, default=False
    )
    choices = blocks.ListBlock(SelfCheckChoiceBlock(), label="réponses proposées", min_num=2)
    explanation = blocks.TextBlock(label="explication montrée après la réponse")

    class Meta:
        icon = "help"
        label = "Question d'auto-évaluation"
        template = "blocks/self_check_block.html"


LESSON_BODY_BLOCKS = [
    ("markdown", MarkdownBlock()),
    ("callout", CalloutBlock()),
]


class CourseIndexPage(Page):
    """The open course: public, self-paced, no account needed to read."""

    intro = models.TextField("introduction (Markdown)")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["awareness.LessonPage"]
    max_count = 1  # one awareness course; its completion gives the attestation
    cached_for_visitors = True  # the same list for every visitor (progress is for accounts)

    class Meta:
        verbose_name = "parcours de sensibilisation"

    def lessons(self):
        return LessonPage.objects.live().child_of(self).order_by("path")

    def serve(self, request, *args, **kwargs):
        from .views import serve_course

        return serve_course(self, request)


class LessonPage(Page):
    summary = models.CharField("résumé", max_length=300)
    minutes = models.PositiveSmallIntegerField("durée de lecture (minutes)", default=5)
    body = StreamField(LESSON_BODY_BLOCKS, verbose_name="contenu", blank=True)
    self_checks = StreamField(
        [("question", SelfCheckBlock())], verbose_name="auto-évaluation", blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("minutes"),
        FieldPanel("body"),
        FieldPanel("self_checks"),
    ]
    parent_page_types = ["awareness.CourseIndexPage"]
    subpage_types = []  # a lesson is a leaf

    class Meta:
        verbose_name = "leçon de sensibilisation"

    def serve(self, request, *args, **kwargs):
        from .views import serve_lesson

        return serve_lesson(self, request)


class LessonCompletion(models.Model):
    """A lesson whose self-checks a person answered right (any number of tries)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="awareness_completion_once"),
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson}"


class AttestationNumberCounter(models.Model):
    """The last attestation number of a year (same scheme as certificate numbers)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year} : {self.last_value}"


class Attestation(models.Model):
    """The attestation of a person who completed the course; role and territory as they were
    on that day (the national count reads them)."""

    number = models.CharField("numéro", max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="awareness_attestations",
    )
    holder_name = models.CharField("nom imprimé", max_length=300)
    role = models.CharField("profil", max_length=24, choices=FieldRole.choices)
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, blank=True, on_delete=models.SET_NULL
    )
    issued_on = models.DateField("délivrée le")
    course_title = models.CharField("parcours", max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "attestation de sensibilisation"
        verbose_name_plural = "attestations de sensibilisation"
        constraints = [
            models.UniqueConstraint(fields=["user"], name="awareness_one_attestation_per_user"),
        ]

    def __str__(self):
        return self.number
