"""The programme: competencies, the 12 modules, the 15-day timetable."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from lms import pagecache
from lms.markdown import render_markdown

from ..blocks import MODULE_BODY_BLOCKS

TRAINING_DAYS = 15
DAYS_PER_WEEK = 5


class HalfDay(models.TextChoices):
    MORNING = "am", "Matin"
    AFTERNOON = "pm", "Après-midi"


class Competency(models.Model):
    """One of the five competency objectives (C1–C5), each covering a range of modules."""

    code = models.CharField("code", max_length=4, unique=True)
    title = models.CharField("intitulé", max_length=200)
    description = models.TextField("description", blank=True, help_text="Markdown.")
    first_module = models.PositiveSmallIntegerField("premier module")
    last_module = models.PositiveSmallIntegerField("dernier module")

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.title}"

    def clean(self):
        from django.core.exceptions import ValidationError

        first, last = self.first_module, self.last_module
        if first is None or last is None:
            return
        if not 1 <= first <= 12:
            raise ValidationError({"first_module": "Choisissez un module entre 1 et 12."})
        if not 1 <= last <= 12:
            raise ValidationError({"last_module": "Choisissez un module entre 1 et 12."})
        if first > last:
            raise ValidationError(
                {"last_module": "Le dernier module doit venir après le premier (ou être le même)."}
            )

    @property
    def modules_label(self) -> str:
        if self.first_module == self.last_module:
            return f"module {self.first_module}"
        return f"modules {self.first_module} à {self.last_module}"

    @property
    def description_html(self):
        return render_markdown(self.description)


class ProgrammePage(Page):
    """The training's public description (what a training body must publish) and timetable."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")
    objectives = models.TextField("objectifs", blank=True, help_text="Markdown.")
    audience = models.TextField("public visé", blank=True, help_text="Markdown.")
    prerequisites = models.TextField("prérequis", blank=True, help_text="Markdown.")
    duration_days = models.PositiveSmallIntegerField("durée (jours)", default=TRAINING_DAYS)
    duration_hours = models.DecimalField(
        "durée (heures)", max_digits=5, decimal_places=1, default=Decimal("105")
    )
    teaching_methods = models.TextField("méthodes pédagogiques", blank=True, help_text="Markdown.")
    evaluation_methods = models.TextField(
        "modalités d'évaluation", blank=True, help_text="Markdown."
    )
    accessibility = models.TextField("accessibilité", blank=True, help_text="Markdown.")
    disability_contact = models.CharField("référent handicap", max_length=255, blank=True)
    funding = models.TextField("financement et tarifs", blank=True, help_text="Markdown.")
    contacts = models.TextField("contacts", blank=True, help_text="Markdown.")
    morning_start = models.TimeField("début du matin", default=datetime.time(9, 0))
    morning_end = models.TimeField("fin du matin", default=datetime.time(12, 30))
    afternoon_start = models.TimeField("début de l'après-midi", default=datetime.time(13, 30))
    afternoon_end = models.TimeField("fin de l'après-midi", default=datetime.time(17, 0))
    attendance_threshold_percent = models.PositiveSmallIntegerField(
        "assiduité minimale pour la certification (%)",
        default=80,
        validators=[MaxValueValidator(100)],
    )
    competency_pass_percent = models.PositiveSmallIntegerField(
        "seuil de validation d'une compétence (%)",
        default=70,
        validators=[MaxValueValidator(100)],
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("objectives"),
                FieldPanel("audience"),
                FieldPanel("prerequisites"),
                FieldPanel("duration_days"),
                FieldPanel("duration_hours"),
                FieldPanel("teaching_methods"),
                FieldPanel("evaluation_methods"),
                FieldPanel("accessibility"),
                FieldPanel("disability_contact"),
                FieldPanel("funding"),
                FieldPanel("contacts"),
            ],
            heading="Informations publiques (Qualiopi, indicateur 1)",
        ),
        MultiFieldPanel(
            [
                FieldPanel("morning_start"),
                FieldPanel("morning_end"),
                FieldPanel("afternoon_start"),
                FieldPanel("afternoon_end"),
            ],
            heading="Horaires des demi-journées",
        ),
        MultiFieldPanel(
            [FieldPanel("attendance_threshold_percent"), FieldPanel("competency_pass_percent")],
            heading="Règles de certification",
        ),
        InlinePanel("timetable", heading="Emploi du temps (15 jours × 2 demi-journées)"),
    ]

    # One programme: the training is a single national course.
    max_count = 1
    # The same for every visitor: stored whole for them (lms.pagecache).
    cached_for_visitors = True
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["modules.ModulePage", "modules.SessionCalendarPage"]

    class Meta:
        verbose_name = "programme"

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = list(selectors.programme_modules(self))
        context["competencies"] = list(Competency.objects.all())
        context["weeks"] = selectors.timetable_weeks(self)
        context["calendar_page"] = (
            SessionCalendarPage.objects.live().child_of(self).only("id", "url_path").first()
        )
        return context

    def clean(self):
        """Each half-day ends after it starts; the afternoon starts after the morning ends."""
        from django.core.exceptions import ValidationError

        from ..calendar import check_time_range

        super().clean()
        errors = {}
        for start_field, end_field in (
            ("morning_start", "morning_end"),
            ("afternoon_start", "afternoon_end"),
        ):
            found = check_time_range(None, getattr(self, start_field), getattr(self, end_field))
            if "end_time" in found:
                errors[end_field] = found["end_time"]
        if (
            not errors
            and self.morning_end
            and self.afternoon_start
            and self.afternoon_start < self.morning_end
        ):
            errors["afternoon_start"] = "L'après-midi doit commencer après la fin du matin."
        if errors:
            raise ValidationError(errors)

    def half_day_times(self, half: str) -> tuple[datetime.time, datetime.time]:
        if half == HalfDay.MORNING:
            return self.morning_start, self.morning_end
        return self.afternoon_start, self.afternoon_end


class TimetableSlot(Orderable, ClusterableModel):
    """A half-day of the programme's 15 days and the module(s) taught in it.

    Clusterable so that its `modules` (a ParentalManyToManyField) are saved with the slot, also
    when the slot is saved as a child of the programme page (InlinePanel, revisions).
    """

    programme = ParentalKey(ProgrammePage, related_name="timetable", on_delete=models.CASCADE)
    day = models.PositiveSmallIntegerField(
        "jour", validators=[MinValueValidator(1), MaxValueValidator(TRAINING_DAYS)]
    )
    half = models.CharField("demi-journée", max_length=2, choices=HalfDay.choices)
    modules = ParentalManyToManyField("modules.ModulePage", verbose_name="modules", blank=True)

    panels = [FieldPanel("day"), FieldPanel("half"), FieldPanel("modules")]

    class Meta(Orderable.Meta):
        verbose_name = "demi-journée"
        verbose_name_plural = "emploi du temps"
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "day", "half"], name="unique_timetable_half_day"
            )
        ]

    def __str__(self):
        return f"Jour {self.day} · {self.get_half_display()}"


class ModulePage(Page):
    """One of the 12 modules: public summary, full content for enrolled trainees and trainers."""

    number = models.PositiveSmallIntegerField(
        "numéro", unique=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    working_title = models.BooleanField(
        "titre de travail",
        default=False,
        help_text="Les intitulés officiels des 12 modules ne sont pas publics : "
        "cochez tant que le titre est un titre de travail.",
    )
    duration_hours = models.DecimalField("durée (heures)", max_digits=4, decimal_places=1)
    competency = models.ForeignKey(
        Competency,
        verbose_name="compétence",
        on_delete=models.PROTECT,
        related_name="modules",
    )
    summary = models.TextField("résumé public", help_text="Visible de tous. Markdown.")
    learning_outcomes = models.TextField(
        "objectifs pédagogiques", help_text="Un objectif par ligne, commençant par un verbe."
    )
    body = StreamField(MODULE_BODY_BLOCKS, verbose_name="contenu", blank=True)
    trainer_notes = models.TextField(
        "notes pour les formateurs", blank=True, help_text="Jamais montrées aux stagiaires."
    )
    sources = models.TextField("sources", blank=True, help_text="Markdown.")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("working_title"),
                FieldPanel("duration_hours"),
                FieldPanel("competency"),
            ],
            heading="Identification",
        ),
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        FieldPanel("body"),
        FieldPanel("trainer_notes"),
        FieldPanel("sources"),
    ]

    parent_page_types = ["modules.ProgrammePage"]
    # Visitors all see the public summary: stored whole for them (lms.pagecache). Logged-in
    # people are never served from that cache.
    cached_for_visitors = True
    # A module is a leaf: case studies and assessments live in their own sections.
    subpage_types = []

    class Meta:
        verbose_name = "module"
        ordering = ["number"]

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["full_access"] = selectors.can_read_full_module(user)
        context["show_trainer_notes"] = selectors.can_read_trainer_notes(user)
        if context["full_access"] and not getattr(request, "is_preview", False):
            # The full content is the same for every reader: rendered once per published
            # state of the site (lms.pagecache generation), then read from the page cache.
            context["content_generation"] = pagecache.generation(pagecache.SITE)
        links = selectors.module_links(self, request)
        context["previous_module"], context["next_module"] = (
            links.previous_module,
            links.next_module,
        )
        # The breadcrumb and the competency badge, shared like the links (two queries fewer).
        context["programme_url"] = links.programme.url if links.programme else ""
        context["competency"] = links.competency
        context["case_studies"], context["module_assessments"] = (
            (links.case_studies, links.assessments) if context["full_access"] else ((), ())
        )
        return context

    @property
    def outcomes(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.learning_outcomes.splitlines() if line.strip()]


class SessionCalendarPage(RoutablePageMixin, Page):
    """The public list of training sessions, with a page and an iCal feed per session."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    # One calendar lists every session.
    max_count = 1
    # The list, each session's page and iCal feed, the same for every visitor (lms.pagecache).
    cached_for_visitors = True
    parent_page_types = ["modules.ProgrammePage"]
    subpage_types = []

    class Meta:
        verbose_name = "calendrier des sessions"

    @path("")
    def index(self, request):
        from .. import selectors
        from ..forms import SessionFilterForm

        territories, years = selectors.filter_choices()
        form = SessionFilterForm(request.GET or None, territories=territories, years=years)
        groups = selectors.grouped_sessions(**form.filters())
        for session in groups.in_progress + groups.upcoming + groups.past:
            session.detail_url = self.session_url(session, request)
        return self.render(request, context_overrides={"filter_form": form, "groups": groups})

    def session_url(self, session, request=None) -> str:
        return self.get_url(request) + self.reverse_subpage("session", args=[session.slug])

    def _session_or_404(self, request, slug):
        from django.http import Http404

        from lms.roles import is_staff_role

        from .. import selectors

        session = selectors.session_by_slug(slug, include_drafts=is_staff_role(request.user))
        if session is None:
            raise Http404("Session introuvable.")
        return session

    @path("<slug:slug>/", name="session")
    def session(self, request, slug):
        from .. import selectors

        session = self._session_or_404(request, slug)
        slots = list(selectors.session_slots(session))
        session.seats_left = max(session.capacity - session.enrolled_count, 0)
        return self.render(
            request,
            template="modules/session_detail.html",
            context_overrides={
                "session": session,
                "timing": selectors.timing_of(session),
                "weeks": selectors.session_weeks(session, slots),
                "ical_url": self.get_url(request)
                + self.reverse_subpage("session_ical", args=[slug]),
            },
        )

    @path("<slug:slug>/ical/", name="session_ical")
    def session_ical(self, request, slug):
        from django.http import HttpResponse

        from .. import selectors
        from ..ical import ICAL_CONTENT_TYPE, session_calendar

        session = self._session_or_404(request, slug)
        url = request.build_absolute_uri(self.session_url(session, request))
        body = session_calendar(session, selectors.session_slots(session), url=url)
        response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
        response["Content-Disposition"] = f'inline; filename="{session.slug}.ics"'
        return response
