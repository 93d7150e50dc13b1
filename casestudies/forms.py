"""The milestone forms of a dossier, declared in code, and the trainer's review form.

Answers are stored as typed (strings, or lists of strings for checkboxes), so a form is always
rebuilt from the stored raw values; validation happens on each autosave (one field alone) and
on submission (the whole milestone).
"""

from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.datastructures import MultiValueDict

from lms import formrender
from lms.formfields import FrenchIntegerField
from lms.numbers import parse_number

from .milestones import Milestone
from .simulator.situation import MAX_AMOUNT as MAX_SIMULATOR_AMOUNT

INCOME_CATEGORIES = [
    ("tres_modeste", "Très modeste"),
    ("modeste", "Modeste"),
    ("intermediaire", "Intermédiaire"),
    ("superieur", "Supérieur"),
]
INCOME_SCALES = [("hors_idf", "Hors Île-de-France"), ("idf", "Île-de-France")]
DPE_CLASSES = [(letter, letter) for letter in "ABCDEFG"]

# Renée's required documents and the usual pieces of a household file (training.md §3.1).
DOCUMENTS_TO_GATHER = [
    ("avis_imposition", "Avis d'imposition (revenu fiscal de référence)"),
    ("titre_propriete", "Titre de propriété ou taxe foncière"),
    ("contrat_accompagnement", "Contrat d'accompagnement signé par le ménage"),
    ("audit_energetique", "Audit énergétique / DPE"),
    ("factures_energie", "Factures d'énergie des 12 derniers mois"),
    ("devis", "Devis des entreprises (RGE)"),
    ("jugement_protection", "Jugement de la mesure de protection (curatelle, tutelle)"),
    ("justificatif_autonomie", "Justificatif de perte d'autonomie (GIR, taux d'incapacité)"),
    ("rapport_insalubrite", "Rapport de visite ou grille d'insalubrité"),
    ("rib", "Relevé d'identité bancaire"),
]

FOLLOWUP_CHECKLIST = [
    ("reunion_lancement", "Réunion de lancement avec le ménage et les entreprises"),
    ("planning", "Planning du chantier partagé avec le ménage"),
    ("visites", "Visites de chantier régulières avec compte rendu"),
    ("etancheite", "Test d'étanchéité à l'air intermédiaire"),
    ("coordination", "Coordination des corps d'état (isolation, menuiseries, ventilation)"),
    ("factures", "Suivi des factures et des acomptes"),
    ("relogement", "Relogement temporaire organisé si nécessaire"),
    ("point_menage", "Point régulier avec le ménage et son tiers de confiance"),
]

RECEPTION_CHOICES = [
    ("sans_reserves", "Réception sans réserves"),
    ("avec_reserves", "Réception avec réserves"),
]


# The largest amount a dossier field accepts: the simulator's own bound on every amount.
MAX_AMOUNT = MAX_SIMULATOR_AMOUNT


class FrenchDecimalField(forms.CharField):
    """A number typed the French way ("12 475,50 €", "26,28 %"), read by the platform's one
    parser (`lms.numbers.parse_number`): bounded by `min_value` / `max_value` (inclusive), two
    decimal places at most, every refusal in French ("15.475" is ambiguous, "1e5" has an
    exponent, 10^26 is too large). Cleans to a Decimal rounded to the cent, or None when blank."""

    def __init__(self, *, min_value=Decimal(0), max_value=MAX_AMOUNT, **kwargs):
        self.min_value = min_value
        self.max_value = max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        parsed = parse_number(text, minimum=self.min_value, maximum=self.max_value, places=2)
        if parsed.error:
            raise forms.ValidationError(parsed.error, code=parsed.problem)
        if parsed.value is None:
            return None
        return parsed.value.quantize(Decimal("0.01"))


# A bound on every text, checked by the server only (no HTML maxlength that would cut a paste):
# a longer text is kept as a draft with Django's French message, never silently shortened.
MAX_TEXT = 10_000


def _text(label, *, required=True, rows=4, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[MaxLengthValidator(MAX_TEXT)],
    )


def _euros(label, *, required=False, help_text=""):
    return FrenchDecimalField(label=label, required=required, help_text=help_text)


class MilestoneForm(forms.Form):
    """A milestone's fields; the names of compared fields match casestudies.compare."""

    milestone: Milestone
    error_css_class = "field-error"
    # The widgets written by Python rather than by the template engine: the same HTML, a
    # quarter of the dossier page's CPU time less (lms.formrender).
    default_renderer = formrender.renderer

    @classmethod
    def from_values(cls, values: dict, **kwargs):
        """A bound form built from stored raw values ({name: str | list[str]})."""
        data = MultiValueDict()
        for name, value in values.items():
            data.setlist(name, list(value) if isinstance(value, list) else [value])
        return cls(data=data, **kwargs)

    @classmethod
    def is_multi(cls, name: str) -> bool:
        return isinstance(cls.base_fields[name], forms.MultipleChoiceField)

    @classmethod
    def validate_one(cls, name: str, value) -> list[str]:
        """The French errors of one field validated alone (autosave): read from posted data as
        the form would read it, without building the whole form (a copy of every field)."""
        field = cls.base_fields[name]
        data = MultiValueDict()
        data.setlist(name, list(value) if isinstance(value, list) else [value])
        try:
            raw = field.widget.value_from_datadict(data, MultiValueDict(), name)
            field.clean(raw)
        except forms.ValidationError as error:
            return list(error.messages)
        return []


class IdentifierForm(MilestoneForm):
    milestone = Milestone.IDENTIFIER

    income_category = forms.ChoiceField(
        label="Catégorie de revenus Anah",
        choices=INCOME_CATEGORIES,
        widget=forms.RadioSelect,
        help_text="Selon le revenu fiscal de référence et le nombre de personnes.",
    )
    income_scale = forms.ChoiceField(
        label="Barème de revenus applicable", choices=INCOME_SCALES, widget=forms.RadioSelect
    )
    social_situation = _text(
        "Situation sociale du ménage",
        help_text="Isolement, santé, autonomie, mesure de protection, dettes, impayés.",
    )
    needs = _text("Besoins du ménage", help_text="Ce que le ménage demande, ce que vous observez.")
    trusted_third_party = forms.CharField(
        label="Tiers de confiance",
        max_length=300,
        help_text="Qui accompagne le ménage au quotidien (proche, bénévole, curateur…).",
    )
    documents_to_gather = forms.MultipleChoiceField(
        label="Documents à réunir",
        choices=DOCUMENTS_TO_GATHER,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un document à réunir."},
    )
    support_contract_signed = forms.BooleanField(
        label="Le contrat d'accompagnement est signé par le ménage",
        error_messages={"required": "Le jalon Identifier exige le contrat d'accompagnement signé."},
    )


class OrganiserForm(MilestoneForm):
    milestone = Milestone.ORGANISER

    diagnosis = _text(
        "Diagnostic socio-technique",
        rows=6,
        help_text="État du logement, pathologies, priorités (urgence, énergie, santé).",
    )
    dpe_before = forms.ChoiceField(
        label="Étiquette DPE avant travaux", choices=[("", "—")] + DPE_CLASSES
    )
    dpe_after = forms.ChoiceField(
        label="Étiquette DPE visée après travaux", choices=[("", "—")] + DPE_CLASSES
    )
    works_cost_ht = _euros("Coût des travaux (€ HT)", required=True)
    gestures = _text(
        "Scénario de travaux : gestes et coûts",
        help_text="Un geste par ligne, avec son coût (ex. « Isolation des combles : 6 000 € »).",
    )
    aid_mpr_accompagnee = _euros("MaPrimeRénov' Parcours accompagné (€)")
    aid_mpr_par_geste = _euros("MaPrimeRénov' par geste (€)")
    aid_mar = _euros("Prise en charge de Mon Accompagnateur Rénov' (€)")
    aid_mpa = _euros("MaPrimeAdapt' (€)")
    aid_mpld = _euros("Ma Prime Logement Décent (€)")
    aid_cee = _euros("Certificats d'économies d'énergie, CEE (€)")
    other_funders = _text(
        "Autres financeurs",
        required=False,
        rows=3,
        help_text="Un par ligne : caisse de retraite, collectivité, fondation… et le montant.",
    )
    loans = _text(
        "Prêts",
        required=False,
        rows=3,
        help_text="Éco-PTZ, prêt avance rénovation, micro-crédit, SACICAP…",
    )
    reste_a_charge = _euros("Reste à charge du ménage (€)", required=True)
    reste_a_charge_pct = FrenchDecimalField(
        label="Reste à charge (% du coût TTC)", max_value=Decimal(100)
    )

    def clean(self):
        cleaned = super().clean()
        before, after = cleaned.get("dpe_before"), cleaned.get("dpe_after")
        if before and after and after > before:
            self.add_error("dpe_after", "L'étiquette après travaux ne peut pas être moins bonne.")
        return cleaned


class RealiserForm(MilestoneForm):
    milestone = Milestone.REALISER

    followup_checklist = forms.MultipleChoiceField(
        label="Suivi de chantier",
        choices=FOLLOWUP_CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez les étapes du suivi de chantier prévues."},
    )
    reception = forms.ChoiceField(
        label="Réception des travaux", choices=RECEPTION_CHOICES, widget=forms.RadioSelect
    )
    reserves = _text(
        "Réserves et levée des réserves", required=False, rows=3, help_text="Si réserves."
    )
    handover_notes = _text(
        "Remise du logement au ménage",
        help_text="Prise en main des équipements, carnet d'entretien, contacts.",
    )
    eco_gestures = _text(
        "Écogestes expliqués au ménage", help_text="Chauffage, ventilation, eau chaude…"
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reception") == "avec_reserves" and not cleaned.get("reserves"):
            self.add_error("reserves", "Décrivez les réserves et comment elles seront levées.")
        return cleaned


MILESTONE_FORMS: dict[str, type[MilestoneForm]] = {
    Milestone.IDENTIFIER: IdentifierForm,
    Milestone.ORGANISER: OrganiserForm,
    Milestone.REALISER: RealiserForm,
}


def form_class_for(milestone: str) -> type[MilestoneForm]:
    return MILESTONE_FORMS[Milestone(milestone)]


class ReviewForm(forms.Form):
    """The trainer's decision: rubric points, a comment, accept or send back."""

    DECISIONS = [("accepted", "Accepter le jalon"), ("sent_back", "Renvoyer pour correction")]

    decision = forms.ChoiceField(label="Décision", choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="Commentaire pour le·la stagiaire",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(MAX_TEXT)],
    )

    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            # Required to accept; a milestone sent back needs only the comment (clean()).
            self.fields[f"rubric_{criterion['key']}"] = FrenchIntegerField(
                label=f"{criterion['label']} (sur {criterion['points']})",
                required=False,
                min_value=0,
                max_value=criterion["points"],
                help_text=criterion.get("hint", ""),
                error_messages={
                    "required": "Donnez les points de ce critère.",
                    "max_value": f"Au plus {criterion['points']} points.",
                    "min_value": "Au moins 0 point.",
                    "invalid": "Saisissez un nombre entier de points.",
                },
            )

    def rubric_fields(self):
        return [self[f"rubric_{criterion['key']}"] for criterion in self.criteria]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "sent_back" and not cleaned.get("comment", "").strip():
            self.add_error("comment", "Expliquez au·à la stagiaire ce qu'il faut corriger.")
        if cleaned.get("decision") == "accepted":
            for criterion in self.criteria:
                name = f"rubric_{criterion['key']}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, "Donnez les points de ce critère.")
        return cleaned

    def rubric_points(self) -> dict[str, int]:
        """The points given; empty when a milestone is sent back with an empty grid."""
        return {
            c["key"]: self.cleaned_data[f"rubric_{c['key']}"]
            for c in self.criteria
            if self.cleaned_data.get(f"rubric_{c['key']}") is not None
        }
