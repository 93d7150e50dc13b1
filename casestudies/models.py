"""Case studies (simulated households) and the trainee's dossier on each of them.

A `CaseStudyPage` is authored in the Wagtail admin: the household's story and facts, and its
structured `situation` for the simulator (validated against the simulator's contract). A
`Dossier` is one trainee's working file on one case study; it follows the three milestones of
the real case-tracking workflow (Renée): Identifier → Organiser et financer → Réaliser et suivre.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from lms.blocks import CalloutBlock, MarkdownBlock
from lms.markdown import render_markdown

from .authoring import RULES_CONTROLLER, CaseStudyPageForm, situation_panels
from .milestones import Milestone
from .situation_compare import SituationTab
from .situations import golden_case_exists, situation_errors

NARRATIVE_BLOCKS = [("markdown", MarkdownBlock()), ("callout", CalloutBlock())]


class CaseStudyIndexPage(Page):
    """The list of case studies (/cas-pratiques/)."""

    intro = models.TextField("introduction", blank=True, help_text="Markdown.")

    content_panels = Page.content_panels + [FieldPanel("intro")]

    # One section holds every case study, so that trainees find them in one place.
    max_count = 1
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["casestudies.CaseStudyPage"]

    class Meta:
        verbose_name = "liste des cas pratiques"

    @property
    def intro_html(self):
        return render_markdown(self.intro)

    def serve(self, request, *args, **kwargs):
        from .views.pages import serve_case_study_index

        return serve_case_study_index(self, request)


class LegalProtection(models.TextChoices):
    NONE = "", "Aucune"
    HABILITATION = "habilitation_familiale", "Habilitation familiale"
    CURATELLE = "curatelle", "Curatelle simple"
    CURATELLE_RENFORCEE = "curatelle_renforcee", "Curatelle renforcée"
    TUTELLE = "tutelle", "Tutelle"


class CaseStudyPage(Page):
    """A simulated household that trainees work as a dossier."""

    summary = models.CharField(
        "résumé", max_length=300, help_text="Une phrase, montrée dans la liste des cas."
    )
    location = models.CharField(
        "lieu", max_length=200, blank=True, help_text="Commune et contexte (rural, bourg, ville)."
    )
    narrative = StreamField(NARRATIVE_BLOCKS, verbose_name="récit", blank=True)
    resources = models.TextField(
        "ressources et charges", blank=True, help_text="Revenus, charges, aides perçues. Markdown."
    )
    # The home: type, surface, age and DPE come from the structured situation (one source of
    # truth); the state of the home is described here.
    state_insalubrity = models.TextField("insalubrité, dégradation", blank=True)
    state_dampness = models.TextField("humidité, moisissures", blank=True)
    state_heating = models.TextField("chauffage, eau chaude, ventilation", blank=True)
    state_electrics = models.TextField("électricité", blank=True)
    # Social situation.
    isolation = models.TextField("isolement", blank=True)
    health = models.TextField("santé", blank=True)
    loss_of_autonomy = models.TextField("perte d'autonomie, handicap", blank=True)
    legal_protection = models.CharField(
        "mesure de protection",
        max_length=24,
        choices=LegalProtection.choices,
        blank=True,
        default=LegalProtection.NONE,
    )
    legal_protection_notes = models.TextField("précisions sur la mesure", blank=True)
    debts = models.TextField("dettes", blank=True)
    unpaid_energy_bills = models.BooleanField(
        "factures d'énergie impayées depuis 6 mois ou plus", default=False
    )
    social_worker = models.BooleanField("suivi par un·e travailleur·se social·e", default=False)
    constraints = models.TextField("contraintes", blank=True, help_text="Markdown.")
    modules = ParentalManyToManyField(
        "modules.ModulePage", verbose_name="modules servis", blank=True, related_name="case_studies"
    )
    situation = models.JSONField(
        "situation pour le simulateur",
        default=dict,
        help_text="Le JSON d'entrée du simulateur (contrat du simulateur).",
    )
    filed_on = models.DateField(
        "date de dépôt du dossier",
        help_text="Le simulateur applique les barèmes en vigueur à cette date.",
    )
    golden_case = models.CharField(
        "cas de référence",
        max_length=100,
        blank=True,
        help_text="Nom du fichier du cas de référence du simulateur (sans .yaml), s'il y en a un.",
    )
    simulator_check_limit = models.PositiveSmallIntegerField(
        "vérifications avec le simulateur avant soumission",
        null=True,
        blank=True,
        help_text=(
            "Nombre de fois qu'un·e stagiaire peut vérifier un jalon avec le simulateur avant de "
            "le soumettre. Vide : illimité."
        ),
    )
    trainer_notes = models.TextField(
        "notes pour les formateurs",
        blank=True,
        help_text="Pistes de correction, points de la grille. Jamais montrées aux stagiaires.",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("location"),
        FieldPanel("narrative"),
        InlinePanel("people", heading="Personnes du ménage", label="personne"),
        FieldPanel("resources"),
        MultiFieldPanel(
            [
                FieldPanel("state_insalubrity"),
                FieldPanel("state_dampness"),
                FieldPanel("state_heating"),
                FieldPanel("state_electrics"),
            ],
            heading="État du logement",
        ),
        MultiFieldPanel(
            [
                FieldPanel("isolation"),
                FieldPanel("health"),
                FieldPanel("loss_of_autonomy"),
                FieldRowPanel([FieldPanel("legal_protection"), FieldPanel("social_worker")]),
                FieldPanel("legal_protection_notes"),
                FieldPanel("debts"),
                FieldPanel("unpaid_energy_bills"),
            ],
            heading="Situation sociale",
        ),
        FieldPanel("constraints"),
        InlinePanel("documents", heading="Documents du ménage", label="document"),
        FieldPanel("modules"),
        FieldPanel("trainer_notes"),
    ]
    situation_panels = situation_panels()
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=gettext_lazy("Content")),
            SituationTab(situation_panels, heading="Situation du ménage", attrs=RULES_CONTROLLER),
            ObjectList(Page.promote_panels, heading=gettext_lazy("Promote")),
            ObjectList(Page.settings_panels, heading=gettext_lazy("Settings")),
        ],
        base_form_class=CaseStudyPageForm,
    )
    # The admin's preview shows the simulator's result for the situation being typed.
    preview_modes = [("simulateur", "Résultat du simulateur"), ("", "Page du cas")]
    default_preview_mode = "simulateur"

    parent_page_types = ["casestudies.CaseStudyIndexPage"]
    # A case study is a leaf: the trainees' dossiers are not pages.
    subpage_types = []

    class Meta:
        verbose_name = "cas pratique"
        verbose_name_plural = "cas pratiques"

    def clean(self):
        super().clean()
        errors = {}
        if not isinstance(self.situation, dict) or not self.situation:
            errors["situation"] = "Saisissez la situation du ménage (un objet JSON)."
        else:
            problem = situation_errors(self.situation, filed_on=self.filed_on)
            if problem:
                errors["situation"] = problem
        if self.golden_case and not golden_case_exists(self.golden_case):
            errors["golden_case"] = (
                f"Aucun cas de référence « {self.golden_case} » dans le simulateur."
            )
        if errors:
            raise ValidationError(errors)

    # --- facts derived from the structured situation -------------------------------------
    @cached_property
    def household_facts(self) -> dict:
        return self.situation.get("household", {}) if isinstance(self.situation, dict) else {}

    @cached_property
    def home_facts(self) -> dict:
        return self.situation.get("home", {}) if isinstance(self.situation, dict) else {}

    @cached_property
    def project_facts(self) -> dict:
        return self.situation.get("project", {}) if isinstance(self.situation, dict) else {}

    @property
    def home_type_label(self) -> str:
        return {"maison": "Maison", "appartement": "Appartement"}.get(
            self.home_facts.get("type", "maison"), ""
        )

    def serve(self, request, *args, **kwargs):
        from .views.pages import serve_case_study

        return serve_case_study(self, request)

    def serve_preview(self, request, mode_name):
        if mode_name == "simulateur":
            from .views.pages import serve_simulation_preview

            return serve_simulation_preview(self, request)
        return super().serve_preview(request, mode_name)


class CaseStudyPerson(Orderable):
    case_study = ParentalKey(CaseStudyPage, related_name="people", on_delete=models.CASCADE)
    name = models.CharField("prénom et nom", max_length=120)
    age = models.PositiveSmallIntegerField("âge", null=True, blank=True)
    relationship = models.CharField("place dans le ménage", max_length=120, blank=True)
    occupation = models.CharField("activité, situation", max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("age")]),
        FieldRowPanel([FieldPanel("relationship"), FieldPanel("occupation")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "personne"
        verbose_name_plural = "personnes"

    def __str__(self):
        return self.name


class CaseStudyDocument(Orderable):
    """A document of the household's file: simulated tax notice, DPE, quotes…"""

    case_study = ParentalKey(CaseStudyPage, related_name="documents", on_delete=models.CASCADE)
    title = models.CharField("titre", max_length=200)
    description = models.TextField("description", blank=True, help_text="Markdown.")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="fichier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = "document du ménage"
        verbose_name_plural = "documents du ménage"

    def __str__(self):
        return self.title


# --------------------------------------------------------------------------- dossiers


class MilestoneStatus(models.TextChoices):
    """Statuses of a milestone, as in Renée."""

    IN_PROGRESS = "in_progress", "En cours"
    SUBMITTED = "submitted", "En attente de validation"
    SENT_BACK = "sent_back", "Renvoyé"
    VALIDATED = "validated", "Validé"


EDITABLE_STATUSES = (MilestoneStatus.IN_PROGRESS, MilestoneStatus.SENT_BACK)


class Dossier(models.Model):
    """A trainee's working file on one case study."""

    trainee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="stagiaire",
        on_delete=models.CASCADE,
        related_name="dossiers",
    )
    case_study = models.ForeignKey(
        CaseStudyPage,
        verbose_name="cas pratique",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # The session the work belongs to: its trainers follow it, other sessions' do not
    # (modules.access). Empty for the dossiers of staff trying a case study.
    enrolment = models.ForeignKey(
        "modules.Enrolment",
        verbose_name="inscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    last_activity_at = models.DateTimeField("dernière activité", auto_now_add=True)

    class Meta:
        verbose_name = "dossier"
        verbose_name_plural = "dossiers"
        ordering = ["-last_activity_at"]
        constraints = [
            models.UniqueConstraint(fields=["trainee", "case_study"], name="unique_dossier")
        ]

    def __str__(self):
        return f"{self.case_study.title} · {self.trainee}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("casestudies:dossier", args=[self.pk])


class DossierMilestone(models.Model):
    """The state of one milestone of a dossier; its score once validated."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="milestones")
    milestone = models.CharField("jalon", max_length=12, choices=Milestone.choices)
    status = models.CharField(
        "statut",
        max_length=12,
        choices=MilestoneStatus.choices,
        default=MilestoneStatus.IN_PROGRESS,
    )
    automatic_score = models.DecimalField(
        "score automatique (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    rubric_score = models.DecimalField(
        "grille du formateur (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        "score du jalon (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    checks_used = models.PositiveIntegerField(
        "vérifications avec le simulateur", default=0, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "jalon de dossier"
        verbose_name_plural = "jalons de dossier"
        ordering = ["dossier", "milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "milestone"], name="unique_dossier_milestone"
            )
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.dossier} · {self.get_milestone_display()}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class DossierField(models.Model):
    """One answer of a dossier, as typed (even when invalid): autosave upserts one row."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fields")
    milestone = models.CharField("jalon", max_length=12, choices=Milestone.choices)
    name = models.CharField("champ", max_length=60)
    value = models.JSONField("valeur saisie", default=str, blank=True)
    # Bumped at each change of `value`; a save that names an older version is a conflict
    # (two tabs editing the same field), never a silent overwrite.
    version = models.PositiveIntegerField("version", default=1, editable=False)
    updated_at = models.DateTimeField("enregistré le")

    class Meta:
        verbose_name = "réponse de dossier"
        verbose_name_plural = "réponses de dossier"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "milestone", "name"], name="unique_dossier_field"
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} · {self.milestone} · {self.name}"


class Submission(models.Model):
    """A milestone submitted for review, and the trainer's decision on it (history kept)."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", "Accepté"
        SENT_BACK = "sent_back", "Renvoyé pour correction"

    dossier_milestone = models.ForeignKey(
        DossierMilestone, on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_at = models.DateTimeField("soumis le")
    answers = models.JSONField("réponses soumises", default=dict)
    comparison = models.JSONField("vérification par le simulateur", default=list, blank=True)
    automatic_score = models.DecimalField(
        "score automatique (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    decision = models.CharField(
        "décision", max_length=12, choices=Decision.choices, blank=True, default=""
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_decisions",
    )
    decided_at = models.DateTimeField("décidé le", null=True, blank=True)
    comment = models.TextField("commentaire du formateur", blank=True)
    rubric_points = models.JSONField("points de la grille", default=dict, blank=True)
    rubric_score = models.DecimalField(
        "grille du formateur (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    score = models.DecimalField(
        "score du jalon (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "soumission de jalon"
        verbose_name_plural = "soumissions de jalon"
        ordering = ["dossier_milestone", "submitted_at"]

    def __str__(self):
        return f"{self.dossier_milestone} · {self.submitted_at:%d/%m/%Y %H:%M}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)
