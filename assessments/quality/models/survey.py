"""Satisfaction surveys (Qualiopi indicators 30 and 11): pages authored in Wagtail with their
questions, sent to each trainee at the end of each week and of the session (à chaud) and some
months later (à froid), answered once, anonymously where the trainee chooses and the question
allows it.

- `SurveyPage`: when it is sent (`moment`), the à froid delay, its questions (inline).
- `SurveyInvitation`: one trainee (enrolment) asked one survey, for one week; open from a day to a
  day, reminded until answered or closed. It says *that* the person answered, not *what*.
- `SurveyResponse` and `SurveyAnswer`: what was answered, for a session and a week; a response
  given anonymously has no respondent and no link to the invitation.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from lms.markdown import render_markdown

from ..rules import Measure, Moment, QuestionKind


class SurveyIndexPage(Page):
    """The surveys of the training (/questionnaires/)."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")
    content_panels = Page.content_panels + [FieldPanel("intro")]

    # One list of surveys for the training, at a stable URL.
    max_count = 1
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["quality.SurveyPage"]

    class Meta:
        verbose_name = "liste des questionnaires"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["surveys"] = SurveyPage.objects.child_of(self).live().specific().order_by("path")
        return context


class SurveyPage(Page):
    moment = models.CharField("envoyé", max_length=12, choices=Moment.choices, default=Moment.WEEK)
    follow_up_delay_days = models.PositiveSmallIntegerField(
        "délai à froid (jours après le dernier jour)",
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text="Questionnaires à froid seulement : combien de jours après la fin de la session.",
    )
    open_days = models.PositiveSmallIntegerField(
        "ouvert pendant (jours)",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text="Les relances s'arrêtent à la fermeture.",
    )
    intro = models.TextField("introduction", blank=True, help_text="Markdown.")

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("moment"),
                FieldRowPanel([FieldPanel("follow_up_delay_days"), FieldPanel("open_days")]),
            ],
            heading="Envoi",
        ),
        InlinePanel("questions", heading="Questions", label="question", min_num=1),
    ]

    parent_page_types = ["quality.SurveyIndexPage"]
    # Questions are inline objects, not pages.
    subpage_types = []

    class Meta:
        verbose_name = "questionnaire de satisfaction"
        verbose_name_plural = "questionnaires de satisfaction"

    @property
    def intro_html(self):
        return render_markdown(self.intro)

    @property
    def is_follow_up(self) -> bool:
        return self.moment == Moment.FOLLOW_UP


class SurveyQuestion(Orderable):
    page = ParentalKey(SurveyPage, related_name="questions", on_delete=models.CASCADE)
    kind = models.CharField(
        "type", max_length=8, choices=QuestionKind.choices, default=QuestionKind.SCALE
    )
    measure = models.CharField(
        "mesure", max_length=14, choices=Measure.choices, default=Measure.CONTENT
    )
    text = models.CharField("question", max_length=300)
    choices = models.TextField(
        "propositions", blank=True, help_text="Questions à choix : une proposition par ligne."
    )
    required = models.BooleanField("réponse obligatoire", default=False)
    anonymous_allowed = models.BooleanField(
        "réponse anonyme possible",
        default=True,
        help_text="Décocher quand la réponse n'a de sens que nominative (un suivi individuel).",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("measure")]),
        FieldPanel("text"),
        FieldPanel("choices"),
        FieldRowPanel([FieldPanel("required"), FieldPanel("anonymous_allowed")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "question"
        verbose_name_plural = "questions"

    def __str__(self):
        return self.text

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class SurveyInvitation(models.Model):
    survey = models.ForeignKey(SurveyPage, on_delete=models.PROTECT, related_name="invitations")
    enrolment = models.ForeignKey(
        "modules.Enrolment", on_delete=models.PROTECT, related_name="survey_invitations"
    )
    week = models.PositiveSmallIntegerField("semaine", null=True, blank=True)
    opens_on = models.DateField("ouvert le")
    closes_on = models.DateField("fermé le")
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField("relances envoyées", default=0)
    last_reminded_on = models.DateField("dernière relance le", null=True, blank=True)

    class Meta:
        verbose_name = "invitation à un questionnaire"
        verbose_name_plural = "invitations à un questionnaire"
        constraints = [
            # One invitation per survey, enrolment and week (partial indexes: NULL weeks, the
            # whole-session surveys, would otherwise never conflict).
            models.UniqueConstraint(
                fields=["survey", "enrolment", "week"],
                condition=models.Q(week__isnull=False),
                name="quality_one_invitation_per_survey_week",
            ),
            models.UniqueConstraint(
                fields=["survey", "enrolment"],
                condition=models.Q(week__isnull=True),
                name="quality_one_invitation_per_survey_session",
            ),
        ]
        indexes = [models.Index(fields=["answered_at", "closes_on"])]

    def __str__(self):
        return f"{self.survey} · {self.enrolment}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(SurveyPage, on_delete=models.PROTECT, related_name="responses")
    session = models.ForeignKey(
        "modules.TrainingSession", on_delete=models.PROTECT, related_name="survey_responses"
    )
    week = models.PositiveSmallIntegerField("semaine", null=True, blank=True)
    moment = models.CharField("envoyé", max_length=12, choices=Moment.choices)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="répondant·e",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    submitted_on = models.DateField("envoyé le")

    class Meta:
        verbose_name = "réponse à un questionnaire"
        verbose_name_plural = "réponses à un questionnaire"
        indexes = [models.Index(fields=["moment", "submitted_on"])]

    def __str__(self):
        return f"{self.survey} · {self.submitted_on:%d/%m/%Y}"

    @property
    def is_anonymous(self) -> bool:
        return self.respondent_id is None


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.SET_NULL, null=True, related_name="answers"
    )
    question_text = models.CharField("question", max_length=300)
    kind = models.CharField("type", max_length=8, choices=QuestionKind.choices)
    measure = models.CharField("mesure", max_length=14, choices=Measure.choices)
    score = models.PositiveSmallIntegerField(
        "note", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    value = models.TextField("réponse", blank=True)

    class Meta:
        verbose_name = "réponse à une question"
        verbose_name_plural = "réponses à une question"

    def __str__(self):
        return self.question_text
