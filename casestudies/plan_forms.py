"""The financing plan's form: household, home, project, gestures and the user's own funding,
turned into the simulator's situation (and back, to prefill the form from a share link).

The form checks types and bounds in French; every rule on the values themselves (departments,
DPE order, coverage dates…) is the simulator's, whose SituationError is put back on the field
it names.
"""

import datetime
from decimal import Decimal

from django import forms

from lms.formfields import FrenchIntegerField
from lms.numbers import MAX_DECIMAL_PLACES, MAX_INTEGER_DIGITS

from .forms import FrenchDecimalField
from .plan import FUNDER_LABELS, GESTURE_LABELS, KIND_LABELS
from .simulator import SituationError, parse_situation

# Beyond this many digits before or after the point a number is shown as written (with its
# exponent, which the form refuses in French): "1e999999999" in a share link must not be
# expanded into a billion digits.
_MAX_SHOWN_DIGITS = MAX_INTEGER_DIGITS + MAX_DECIMAL_PLACES

YES_NO = [("oui", "Oui"), ("non", "Non")]
YES_NO_UNKNOWN = [("", "Je ne sais pas")] + YES_NO
DPE = [("", "Non connue")] + [(letter, letter) for letter in "ABCDEFG"]
ROUTES = [
    ("ampleur", "Rénovation d'ampleur (parcours accompagné)"),
    ("par_geste", "Travaux par geste"),
]
HOME_TYPES = [("maison", "Maison"), ("appartement", "Appartement")]
MAX_GESTURES = 20
MAX_FUNDING = 20
BLANK_ROWS = 2
MAX_LABEL = 100


def _int(label, minimum, maximum, *, required=False, help_text=""):
    return FrenchIntegerField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Saisissez un nombre entier.",
            "min_value": f"Au moins {minimum}.",
            "max_value": f"Au plus {maximum}.",
            "required": "Ce champ est obligatoire.",
        },
    )


class PlanForm(forms.Form):
    error_css_class = "field-error"

    # Ménage
    household_size = _int("Nombre de personnes du ménage", 1, 30, required=True)
    reference_tax_income = FrenchDecimalField(
        label="Revenu fiscal de référence (€)",
        help_text="Sur le dernier avis d'imposition, pour tout le ménage.",
    )
    oldest_person_age = _int("Âge de la personne la plus âgée", 0, 130)
    owner_occupant = forms.ChoiceField(
        label="Le ménage est propriétaire occupant",
        choices=YES_NO,
        initial="oui",
        widget=forms.RadioSelect,
    )
    energy_precarity = forms.BooleanField(
        label="Situation de précarité énergétique repérée", required=False
    )
    # Logement
    department = forms.CharField(
        label="Département (numéro)", max_length=3, help_text="Par exemple 11, 2A ou 974."
    )
    home_type = forms.ChoiceField(
        label="Type de logement", choices=HOME_TYPES, initial="maison", widget=forms.RadioSelect
    )
    surface_m2 = FrenchDecimalField(label="Surface habitable (m²)", required=False)
    age_years = _int("Âge du logement (années)", 0, 1000)
    dpe_before = forms.ChoiceField(label="Étiquette DPE actuelle", choices=DPE, required=False)
    dpe_after = forms.ChoiceField(
        label="Étiquette DPE visée après travaux", choices=DPE, required=False
    )
    # Projet
    route = forms.ChoiceField(
        label="Parcours", choices=ROUTES, initial="ampleur", widget=forms.RadioSelect
    )
    works_cost_ht = FrenchDecimalField(label="Coût de tous les travaux (€ HT)")
    insulation_gestures = _int(
        "Nombre de gestes d'isolation",
        0,
        20,
        help_text="Rénovation d'ampleur : murs, combles, planchers, fenêtres…",
    )
    keeps_fossil_heating = forms.ChoiceField(
        label="Un chauffage au fioul ou au gaz est conservé",
        choices=YES_NO_UNKNOWN,
        required=False,
    )
    mar_cost_ttc = FrenchDecimalField(
        label="Coût de l'accompagnement Mon Accompagnateur Rénov' (€ TTC)",
        required=False,
        help_text="Laissez vide pour le prix de référence.",
    )
    as_of = forms.DateField(
        label="Date des règles appliquées",
        required=False,
        help_text="Laissez vide pour aujourd'hui.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez une date (jj/mm/aaaa)."},
    )

    SECTIONS = {
        "Le ménage": [
            "household_size",
            "reference_tax_income",
            "oldest_person_age",
            "owner_occupant",
            "energy_precarity",
        ],
        "Le logement": [
            "department",
            "home_type",
            "surface_m2",
            "age_years",
            "dpe_before",
            "dpe_after",
        ],
        "Le projet": [
            "route",
            "works_cost_ht",
            "insulation_gestures",
            "keeps_fossil_heating",
            "mar_cost_ttc",
            "as_of",
        ],
    }

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS.items()]


class GestureForm(forms.Form):
    error_css_class = "field-error"

    code = forms.ChoiceField(
        label="Geste",
        choices=[("", "—")] + list(GESTURE_LABELS.items()),
        required=False,
    )
    quantity = FrenchDecimalField(
        label="Quantité", required=False, help_text="Unités, m² ou fenêtres."
    )
    cost_ht = FrenchDecimalField(label="Coût (€ HT)", required=False)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("code") and (
            cleaned.get("quantity") is not None or cleaned.get("cost_ht") is not None
        ):
            self.add_error("code", "Choisissez le geste de cette ligne.")
        return cleaned


class FundingForm(forms.Form):
    error_css_class = "field-error"

    funder = forms.ChoiceField(
        label="Financeur", choices=[("", "—")] + list(FUNDER_LABELS.items()), required=False
    )
    kind = forms.ChoiceField(
        label="Nature", choices=list(KIND_LABELS.items()), initial="subvention"
    )
    amount = FrenchDecimalField(label="Montant (€)", required=False)
    label = forms.CharField(label="Précision (facultatif)", required=False, max_length=MAX_LABEL)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funder") and cleaned.get("amount") is None:
            self.add_error("amount", "Indiquez le montant de ce financement.")
        if not cleaned.get("funder") and cleaned.get("amount") is not None:
            self.add_error("funder", "Choisissez le financeur de ce montant.")
        return cleaned


GestureFormSet = forms.formset_factory(
    GestureForm, extra=0, max_num=MAX_GESTURES, absolute_max=MAX_GESTURES + BLANK_ROWS
)
FundingFormSet = forms.formset_factory(
    FundingForm, extra=0, max_num=MAX_FUNDING, absolute_max=MAX_FUNDING + BLANK_ROWS
)
GESTURE_PREFIX = "geste"
FUNDING_PREFIX = "financement"

# SituationError paths → the form field that shows the message.
FIELD_OF_PATH = {
    "as_of": "as_of",
    "household.size": "household_size",
    "household.reference_tax_income": "reference_tax_income",
    "household.oldest_person_age": "oldest_person_age",
    "home.department": "department",
    "home.surface_m2": "surface_m2",
    "home.age_years": "age_years",
    "home.dpe_before": "dpe_before",
    "home.dpe_after": "dpe_after",
    "project.works_cost_ht": "works_cost_ht",
    "project.insulation_gestures": "insulation_gestures",
    "project.mar_cost_ttc": "mar_cost_ttc",
}


class PlanInput:
    """The three bound forms of one submission, and the situation they give when valid."""

    def __init__(self, data=None):
        self.form = PlanForm(data)
        self.gestures = GestureFormSet(data, prefix=GESTURE_PREFIX)
        self.funding = FundingFormSet(data, prefix=FUNDING_PREFIX)
        self.situation: dict | None = None
        self.parsed = None
        self.error = ""

    @classmethod
    def blank(cls):
        plan_input = cls()
        plan_input.gestures = GestureFormSet(prefix=GESTURE_PREFIX, initial=[{}] * BLANK_ROWS)
        plan_input.funding = FundingFormSet(
            prefix=FUNDING_PREFIX, initial=[{"kind": "subvention"}] * BLANK_ROWS
        )
        return plan_input

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def is_valid(self, *, today: datetime.date) -> bool:
        """Check the forms, then the situation with the simulator; on success `situation` (the
        JSON of the contract) and `parsed` are set."""
        valid = all([self.form.is_valid(), self.gestures.is_valid(), self.funding.is_valid()])
        if not valid:
            if self.gestures.non_form_errors() or self.funding.non_form_errors():
                self.error = "Le formulaire a été modifié : rechargez la page et recommencez."
            return False
        situation = situation_from_forms(
            self.form.cleaned_data,
            [f.cleaned_data for f in self.gestures.forms],
            [f.cleaned_data for f in self.funding.forms],
        )
        try:
            self.parsed = parse_situation(situation, today=today)
        except SituationError as error:
            field = FIELD_OF_PATH.get(error.path)
            if field:
                self.form.add_error(field, error.message)
            else:
                self.error = f"Situation incomplète ou incohérente ({error.path}) : {error.message}"
            return False
        self.situation = situation
        return True

    def with_blank_rows(self):
        """Unbound-looking copies with the typed rows plus blank ones, for the next round."""
        if not self.situation:
            return self
        return PlanInput(form_data_from_situation(self.situation))


def _number(value) -> int | float | None:
    """A cleaned Decimal as a JSON number (int when whole)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _yes_no(value: str) -> bool | None:
    return {"oui": True, "non": False}.get(value)


def situation_from_forms(data: dict, gestures: list[dict], funding: list[dict]) -> dict:
    """The simulator's situation (contract JSON) from cleaned form values; blank optional
    values are left out, so the simulator reports its defaults."""
    household = {
        "size": data["household_size"],
        "reference_tax_income": _number(data["reference_tax_income"]),
        "owner_occupant": _yes_no(data["owner_occupant"]),
        "oldest_person_age": data.get("oldest_person_age"),
        "energy_precarity": True if data.get("energy_precarity") else None,
    }
    home = {
        "department": data["department"].strip().upper(),
        "type": data["home_type"],
        "surface_m2": _number(data.get("surface_m2")),
        "age_years": data.get("age_years"),
        "dpe_before": data.get("dpe_before") or None,
        "dpe_after": data.get("dpe_after") or None,
    }
    project = {
        "route": data["route"],
        "works_cost_ht": _number(data["works_cost_ht"]),
        "insulation_gestures": data.get("insulation_gestures"),
        "keeps_fossil_heating": _yes_no(data.get("keeps_fossil_heating") or ""),
        "mar_cost_ttc": _number(data.get("mar_cost_ttc")),
        "gestures": [
            {
                key: value
                for key, value in {
                    "code": g["code"],
                    "quantity": _number(g.get("quantity")),
                    "cost_ht": _number(g.get("cost_ht")),
                }.items()
                if value is not None
            }
            for g in gestures
            if g.get("code")
        ],
    }
    other_funding = [
        {
            key: value
            for key, value in {
                "funder": f["funder"],
                "kind": f["kind"],
                "amount": _number(f["amount"]),
                "label": (f.get("label") or "").strip() or None,
            }.items()
            if value is not None
        }
        for f in funding
        if f.get("funder")
    ]
    situation = {
        "household": {k: v for k, v in household.items() if v is not None},
        "home": {k: v for k, v in home.items() if v is not None},
        "project": {k: v for k, v in project.items() if v not in (None, [])},
    }
    if data.get("as_of"):
        situation["as_of"] = data["as_of"].isoformat()
    if other_funding:
        situation["other_funding"] = other_funding
    return situation


def _text(value) -> str:
    """A JSON value as the form shows it: numbers the French way, without exponent (but a
    number no field accepts, infinite or with too many digits, as written, for the form to
    refuse: expanding it could take minutes and gigabytes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite() or abs(number.adjusted()) > _MAX_SHOWN_DIGITS:
            return str(number)
        return format(number, "f").replace(".", ",")
    return str(value)


def form_data_from_situation(situation: dict) -> dict[str, str]:
    """The raw form data (as posted) that gives `situation` back, with blank rows added to
    the gestures and the funding. Unknown shapes are passed on as text, for the form and the
    simulator to refuse in French."""

    def part(name) -> dict:
        value = situation.get(name)
        return value if isinstance(value, dict) else {}

    household, home, project = part("household"), part("home"), part("project")
    data = {
        "household_size": _text(household.get("size")),
        "reference_tax_income": _text(household.get("reference_tax_income")),
        "oldest_person_age": _text(household.get("oldest_person_age")),
        "owner_occupant": _text(household.get("owner_occupant", True)),
        "department": _text(home.get("department")),
        "home_type": _text(home.get("type", "maison")),
        "surface_m2": _text(home.get("surface_m2")),
        "age_years": _text(home.get("age_years")),
        "dpe_before": _text(home.get("dpe_before")),
        "dpe_after": _text(home.get("dpe_after")),
        "route": _text(project.get("route")),
        "works_cost_ht": _text(project.get("works_cost_ht")),
        "insulation_gestures": _text(project.get("insulation_gestures")),
        "keeps_fossil_heating": _text(project.get("keeps_fossil_heating")),
        "mar_cost_ttc": _text(project.get("mar_cost_ttc")),
        "as_of": _text(situation.get("as_of")),
    }
    if household.get("energy_precarity") is True:
        data["energy_precarity"] = "on"
    gestures = project.get("gestures")
    gestures = [g for g in gestures if isinstance(g, dict)] if isinstance(gestures, list) else []
    funding = situation.get("other_funding")
    funding = [f for f in funding if isinstance(f, dict)] if isinstance(funding, list) else []
    gestures, funding = gestures[:MAX_GESTURES], funding[:MAX_FUNDING]
    for prefix, rows, keys in (
        (GESTURE_PREFIX, gestures, ("code", "quantity", "cost_ht")),
        (FUNDING_PREFIX, funding, ("funder", "kind", "amount", "label")),
    ):
        blank = [{"kind": "subvention"} if prefix == FUNDING_PREFIX else {}] * BLANK_ROWS
        all_rows = rows + blank
        data[f"{prefix}-TOTAL_FORMS"] = str(len(all_rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(all_rows):
            for key in keys:
                data[f"{prefix}-{index}-{key}"] = _text(row.get(key))
    return data
