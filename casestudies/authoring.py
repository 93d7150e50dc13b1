"""The household's situation authored as a form in the Wagtail admin (no JSON to write).

A trainer fills the household, the home, the project, its gestures and the other funding with
French labels, units and help texts; `CaseStudyPageForm` turns them into the simulator's input
JSON (the contract in docs/simulator.md) and stores it in `CaseStudyPage.situation`. Every
problem is shown at once next to its field: the form's own fields first (French numbers, bounds,
choices), then the simulator's validation (`situations.situation_problems`), whose JSON paths
map back to the fields.

Conditional fields use Wagtail's own `w-rules` controller (no project JavaScript): a field shown
only for one route, or only when a section is switched on, is declared in `CONDITIONS`; what a
hidden field holds is not stored, so nothing hidden can be wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms.formsets import formset_factory
from django.utils.functional import cached_property

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel

from lms.formats import format_number
from lms.formfields import FrenchDecimalNumberField, FrenchIntegerField

from .simulator.schemas import DPE_CLASSES
from .simulator.situation import MAX_AMOUNT, MAX_LIST
from .situations import situation_problems

# Labels of the simulator's codes (a test checks that every code has one).
GESTURE_LABELS = {
    "pac_air_eau": "Pompe à chaleur air/eau (y compris hybride)",
    "pac_geothermique": "Pompe à chaleur géothermique",
    "pac_solarothermique": "Pompe à chaleur solarothermique",
    "pac_air_air": "Pompe à chaleur air/air",
    "chauffe_eau_thermodynamique": "Chauffe-eau thermodynamique",
    "chauffe_eau_solaire": "Chauffe-eau solaire individuel (métropole)",
    "systeme_solaire_combine": "Système solaire combiné",
    "poele_granules": "Poêle à granulés",
    "poele_buches": "Poêle à bûches",
    "foyer_ferme_insert": "Foyer fermé ou insert",
    "chaudiere_bois_manuelle": "Chaudière bois à alimentation manuelle",
    "chaudiere_bois_automatique": "Chaudière bois à alimentation automatique",
    "raccordement_reseau_chaleur": "Raccordement à un réseau de chaleur ou de froid",
    "depose_cuve_fioul": "Dépose d'une cuve à fioul",
    "isolation_murs_exterieur": "Isolation des murs par l'extérieur",
    "isolation_murs_interieur": "Isolation des murs par l'intérieur",
    "isolation_rampants_combles": "Isolation des rampants de toiture ou plafonds de combles",
    "isolation_toiture_terrasse": "Isolation d'une toiture-terrasse",
    "isolation_plancher_bas": "Isolation d'un plancher bas",
    "fenetres": "Remplacement de fenêtres à simple vitrage",
    "vmc_double_flux": "Ventilation mécanique contrôlée double flux",
    "audit_energetique": "Audit énergétique (hors parcours accompagné)",
}
FUNDER_LABELS = {
    "caisse_retraite": "Caisse de retraite",
    "ccas": "CCAS",
    "fondation": "Fondation",
    "sacicap": "SACICAP (Missions sociales)",
    "microcredit": "Microcrédit personnel",
    "aide_locale": "Aide locale (commune, département, région)",
    "autre": "Autre financeur",
}
KIND_LABELS = {"subvention": "Subvention", "pret": "Prêt"}
ROUTE_LABELS = {
    "ampleur": "Rénovation d'ampleur (MaPrimeRénov' Parcours accompagné)",
    "par_geste": "Travaux par geste (MaPrimeRénov' par geste)",
}
HOME_TYPE_LABELS = {"maison": "Maison", "appartement": "Appartement"}

# The rows offered for new gestures and funders beyond those already entered (no JavaScript:
# more rows appear after saving).
EXTRA_GESTURE_ROWS = 3
EXTRA_FUNDING_ROWS = 2


def _yes_no(label: str, unset: str, help_text: str = "") -> forms.ChoiceField:
    """A yes / no question that may stay unanswered (the simulator's default then applies)."""
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", unset), ("true", "Oui"), ("false", "Non")],
        help_text=help_text,
    )


def _choice(label: str, labels: dict[str, str], unset: str | None, help_text: str = ""):
    choices = ([("", unset)] if unset is not None else []) + list(labels.items())
    return forms.ChoiceField(
        label=label, required=unset is None, choices=choices, help_text=help_text
    )


def _amount(label: str, *, required: bool = False, help_text: str = "", **bounds):
    return FrenchDecimalNumberField(
        label=label,
        required=required,
        min_value=bounds.get("min_value", 0),
        max_value=bounds.get("max_value", MAX_AMOUNT),
        decimal_places=2,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _decimal(label: str, *, places: int, help_text: str = "", **bounds):
    return FrenchDecimalNumberField(
        label=label,
        required=False,
        decimal_places=places,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        **bounds,
    )


def _integer(label: str, *, required: bool = False, help_text: str = "", **bounds):
    return FrenchIntegerField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        **bounds,
    )


@dataclass(frozen=True)
class Field:
    """One form field of the situation: its JSON path and how its value is written there."""

    name: str
    path: str  # "household.size"; "" for a switch that is not stored
    kind: str  # "int", "decimal", "percent", "choice", "yes_no", "text", "switch"
    build: Any  # () -> forms.Field


DPE_CHOICES = {letter: letter for letter in DPE_CLASSES}

FIELDS: tuple[Field, ...] = (
    # Household
    Field(
        "household_size",
        "household.size",
        "int",
        lambda: _integer(
            "Nombre de personnes du ménage",
            required=True,
            min_value=1,
            max_value=30,
            help_text="Toutes les personnes qui vivent dans le logement (avis d'imposition).",
        ),
    ),
    Field(
        "household_reference_tax_income",
        "household.reference_tax_income",
        "decimal",
        lambda: _amount(
            "Revenu fiscal de référence (€)",
            required=True,
            help_text="Somme des revenus fiscaux de référence des avis d'imposition du ménage.",
        ),
    ),
    Field(
        "household_owner_occupant",
        "household.owner_occupant",
        "yes_no",
        lambda: _yes_no(
            "Propriétaire occupant",
            "Non précisé (oui par défaut)",
        ),
    ),
    Field(
        "household_main_residence",
        "household.main_residence",
        "yes_no",
        lambda: _yes_no(
            "Résidence principale",
            "Non précisée (oui par défaut)",
        ),
    ),
    Field(
        "household_energy_precarity",
        "household.energy_precarity",
        "yes_no",
        lambda: _yes_no(
            "Précarité énergétique",
            "Non précisée",
            help_text="Impayés d'énergie, aide du FSL… Majore le plafond de la prise en charge "
            "de Mon Accompagnateur Rénov' des ménages très modestes.",
        ),
    ),
    Field(
        "household_autonomy",
        "",
        "switch",
        lambda: forms.BooleanField(
            label="Perte d'autonomie ou handicap (MaPrimeAdapt')",
            required=False,
            help_text="Cochez pour saisir l'âge, le GIR, le taux d'incapacité et les travaux "
            "d'adaptation. Décoché, ces champs ne sont pas enregistrés.",
        ),
    ),
    Field(
        "household_oldest_person_age",
        "household.oldest_person_age",
        "int",
        lambda: _integer(
            "Âge de la personne la plus âgée (ans)",
            min_value=0,
            max_value=130,
        ),
    ),
    Field(
        "household_gir",
        "household.gir",
        "int",
        lambda: forms.TypedChoiceField(
            label="GIR de la personne en perte d'autonomie",
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "Non évalué")] + [(n, f"GIR {n}") for n in range(1, 7)],
            help_text="Groupe iso-ressources de la grille AGGIR (1 : le plus dépendant).",
        ),
    ),
    Field(
        "household_disability_rate",
        "household.disability_rate",
        "percent",
        lambda: _decimal(
            "Taux d'incapacité (%)",
            places=4,
            min_value=0,
            max_value=100,
            help_text="Taux reconnu par la MDPH, par exemple 80.",
        ),
    ),
    Field(
        "household_pch",
        "household.pch",
        "yes_no",
        lambda: _yes_no(
            "Prestation de compensation du handicap (PCH)",
            "Non précisé",
        ),
    ),
    Field(
        "project_adaptation_cost_ht",
        "project.adaptation_cost_ht",
        "decimal",
        lambda: _amount(
            "Part des travaux consacrée à l'adaptation (€ HT)",
            help_text="Comprise dans le montant des travaux du projet.",
        ),
    ),
    # Home
    Field(
        "home_department",
        "home.department",
        "text",
        lambda: forms.CharField(
            label="Département",
            max_length=3,
            help_text="Numéro du département : « 01 »… « 95 », « 2A », « 2B », « 971 »… "
            "(Île-de-France : 75, 77, 78, 91 à 95).",
            widget=forms.TextInput(attrs={"size": 4, "autocomplete": "off"}),
        ),
    ),
    Field(
        "home_type",
        "home.type",
        "choice",
        lambda: _choice(
            "Type de logement",
            HOME_TYPE_LABELS,
            "Non précisé (maison par défaut)",
        ),
    ),
    Field(
        "home_surface_m2",
        "home.surface_m2",
        "decimal",
        lambda: _decimal(
            "Surface habitable (m²)",
            places=2,
            min_value=Decimal("0.01"),
            max_value=100_000,
        ),
    ),
    Field(
        "home_age_years",
        "home.age_years",
        "int",
        lambda: _integer(
            "Âge du logement (ans)",
            min_value=0,
            max_value=1000,
            help_text="Ancienneté à la date de dépôt du dossier (les aides demandent un logement "
            "de plus de 15 ans, ou de 2 ans selon l'aide).",
        ),
    ),
    Field(
        "home_dpe_before",
        "home.dpe_before",
        "choice",
        lambda: _choice(
            "Étiquette DPE avant travaux",
            DPE_CHOICES,
            "Non connue",
        ),
    ),
    Field(
        "home_dpe_after",
        "home.dpe_after",
        "choice",
        lambda: _choice(
            "Étiquette DPE visée après travaux",
            DPE_CHOICES,
            "Non connue",
            help_text="Celle de l'audit énergétique ; au moins aussi bonne que l'étiquette avant "
            "travaux.",
        ),
    ),
    Field(
        "home_indignity",
        "",
        "switch",
        lambda: forms.BooleanField(
            label="Habitat indigne ou très dégradé (MaPrimeLogementDécent)",
            required=False,
            help_text="Cochez pour saisir les cotations de la grille d'insalubrité et la "
            "procédure. Décoché, ces champs ne sont pas enregistrés.",
        ),
    ),
    Field(
        "home_insalubrity_score",
        "home.insalubrity_score",
        "decimal",
        lambda: _decimal(
            "Cotation d'insalubrité (de 0 à 1)",
            places=4,
            min_value=0,
            max_value=1,
            help_text="Coefficient de la grille d'évaluation de l'insalubrité, par exemple 0,45.",
        ),
    ),
    Field(
        "home_degradation_score",
        "home.degradation_score",
        "decimal",
        lambda: _decimal(
            "Cotation de dégradation (de 0 à 1)",
            places=4,
            min_value=0,
            max_value=1,
            help_text="Coefficient de la grille de dégradation de l'Anah, par exemple 0,55.",
        ),
    ),
    Field(
        "home_police_procedure",
        "home.police_procedure",
        "yes_no",
        lambda: _yes_no(
            "Arrêté ou procédure de police en cours",
            "Non précisé",
        ),
    ),
    Field(
        "home_habitat_indigne",
        "home.habitat_indigne",
        "yes_no",
        lambda: _yes_no(
            "Habitat indigne reconnu",
            "Non précisé (déduit des cotations et de la procédure)",
        ),
    ),
    # Project
    Field(
        "project_route",
        "project.route",
        "choice",
        lambda: forms.ChoiceField(
            label="Parcours",
            choices=list(ROUTE_LABELS.items()),
            widget=forms.RadioSelect,
        ),
    ),
    Field(
        "project_works_cost_ht",
        "project.works_cost_ht",
        "decimal",
        lambda: _amount(
            "Montant des travaux (€ HT)",
            required=True,
            min_value=Decimal("0.01"),
            help_text="Total des devis retenus, hors taxes.",
        ),
    ),
    Field(
        "project_vat_rate",
        "project.vat_rate",
        "percent",
        lambda: _decimal(
            "Taux de TVA (%)",
            places=4,
            min_value=0,
            max_value=20,
            help_text="5,5 pour la rénovation énergétique, 10 pour l'amélioration, 20 sinon. "
            "Vide : 5,5 %.",
        ),
    ),
    Field(
        "project_insulation_gestures",
        "project.insulation_gestures",
        "int",
        lambda: _integer(
            "Nombre de gestes d'isolation",
            min_value=0,
            max_value=20,
            help_text="Toiture, fenêtres, sols, murs : le parcours accompagné en demande au moins "
            "deux.",
        ),
    ),
    Field(
        "project_keeps_fossil_heating",
        "project.keeps_fossil_heating",
        "yes_no",
        lambda: _yes_no(
            "Le ménage garde un chauffage au fioul ou au gaz",
            "Non précisé",
        ),
    ),
    Field(
        "project_mar_cost_ttc",
        "project.mar_cost_ttc",
        "decimal",
        lambda: _amount(
            "Coût de Mon Accompagnateur Rénov' (€ TTC)",
            max_value=100_000,
            help_text="Vide : le prix de référence du barème.",
        ),
    ),
    Field(
        "project_replaces_fossil_boiler",
        "project.replaces_fossil_boiler",
        "yes_no",
        lambda: _yes_no(
            "Remplace une chaudière au fioul, au gaz ou au charbon",
            "Non précisé (non par défaut)",
            help_text="Ouvre le Coup de pouce Chauffage des CEE.",
        ),
    ),
)
FIELD_BY_NAME = {field.name: field for field in FIELDS}
FIELD_BY_PATH = {field.path: field for field in FIELDS if field.path}

# Which fields show only for some values of another (a switch shows on "on").
CONDITIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    **dict.fromkeys(
        (
            "household_oldest_person_age",
            "household_gir",
            "household_disability_rate",
            "household_pch",
            "project_adaptation_cost_ht",
        ),
        ("household_autonomy", ("on",)),
    ),
    **dict.fromkeys(
        (
            "home_insalubrity_score",
            "home_degradation_score",
            "home_police_procedure",
            "home_habitat_indigne",
        ),
        ("home_indignity", ("on",)),
    ),
    "project_keeps_fossil_heating": ("project_route", ("ampleur",)),
    "project_mar_cost_ttc": ("project_route", ("ampleur",)),
    "project_replaces_fossil_boiler": ("project_route", ("par_geste",)),
}
SWITCHED = {
    switch: [name for name, (by, _) in CONDITIONS.items() if by == switch]
    for switch in ("household_autonomy", "home_indignity")
}

RULES_CONTROLLER = {"data-controller": "w-rules", "data-action": "change->w-rules#resolve"}


def shown_when(name: str) -> dict[str, str]:
    """The `attrs` of the panel of a conditional field (Wagtail's w-rules "show" target)."""
    by, values = CONDITIONS[name]
    return {"data-w-rules-target": "show", "data-w-rules": json.dumps({by: list(values)})}


# --------------------------------------------------------------------------- values


def _json_number(value: Decimal) -> int | float:
    value = value.normalize() if value == value.to_integral_value() else value
    return int(value) if value == value.to_integral_value() else float(value)


def _shown_number(value: Any, *, percent: bool = False) -> str:
    """A number of the situation as the form shows it (French, "24 000", "5,5")."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return format_number(number * 100 if percent else number)


def to_initial(situation: dict) -> dict[str, Any]:
    """The form's initial values from a stored situation (what it lacks stays blank)."""
    initial: dict[str, Any] = {}
    situation = situation if isinstance(situation, dict) else {}
    for field in FIELDS:
        if not field.path:
            continue
        section, key = field.path.split(".")
        block = situation.get(section)
        value = block.get(key) if isinstance(block, dict) else None
        if value is None:
            continue
        if field.kind == "yes_no":
            initial[field.name] = {True: "true", False: "false"}.get(value, "")
        elif field.kind in ("decimal", "percent") and not isinstance(value, bool | str):
            initial[field.name] = _shown_number(value, percent=field.kind == "percent")
        elif field.kind == "int" and field.name != "household_gir" and not isinstance(value, bool):
            initial[field.name] = _shown_number(value)
        else:
            initial[field.name] = value
    for switch, names in SWITCHED.items():
        initial[switch] = any(name in initial for name in names)
    return initial


def rows_initial(situation: dict) -> tuple[list[dict], list[dict]]:
    """Initial rows of the gestures and other-funding tables."""
    situation = situation if isinstance(situation, dict) else {}
    project = situation.get("project") if isinstance(situation.get("project"), dict) else {}
    gestures = [
        {
            "code": g.get("code", ""),
            **{
                key: _shown_number(g[key])
                for key in ("quantity", "cost_ht")
                if g.get(key) is not None and not isinstance(g[key], bool | str)
            },
        }
        for g in project.get("gestures") or []
        if isinstance(g, dict)
    ]
    funding = [
        {
            "funder": f.get("funder", ""),
            "kind": f.get("kind", ""),
            "label": f.get("label", ""),
            **(
                {"amount": _shown_number(f["amount"])}
                if f.get("amount") is not None and not isinstance(f["amount"], bool | str)
                else {}
            ),
        }
        for f in situation.get("other_funding") or []
        if isinstance(f, dict)
    ]
    return gestures, funding


def active_fields(data: dict[str, Any]) -> set[str]:
    """The fields stored for these values (`data`: raw strings or cleaned values)."""
    active = set()
    for field in FIELDS:
        if field.kind == "switch":
            continue
        condition = CONDITIONS.get(field.name)
        if condition is not None:
            by, values = condition
            current = data.get(by)
            if isinstance(current, bool):
                current = "on" if current else ""
            if current not in values:
                continue
        active.add(field.name)
    return active


def to_situation(
    cleaned: dict[str, Any], gestures: list[dict], funding: list[dict], filed_on
) -> dict:
    """The simulator's input JSON from the form's cleaned values (blank values are left out)."""
    situation: dict[str, Any] = {"household": {}, "home": {}, "project": {}}
    if filed_on:
        situation = {"as_of": filed_on.isoformat(), **situation}
    for name in sorted(active_fields(cleaned), key=list(FIELD_BY_NAME).index):
        field = FIELD_BY_NAME[name]
        value = cleaned.get(name)
        if value is None or value == "":
            continue
        if field.kind == "yes_no":
            value = value == "true"
        elif field.kind == "decimal":
            value = _json_number(value)
        elif field.kind == "percent":
            value = _json_number(value / 100)
        elif field.kind == "text":
            value = value.strip().upper()
        section, key = field.path.split(".")
        situation[section][key] = value
    if gestures:
        situation["project"]["gestures"] = [
            {"code": row["code"], **{
                key: _json_number(row[key]) for key in ("quantity", "cost_ht")
                if row.get(key) is not None
            }}
            for row in gestures
        ]  # fmt: skip
    if funding:
        situation["other_funding"] = [
            {
                "funder": row["funder"],
                "kind": row["kind"],
                "amount": _json_number(row["amount"]),
                **({"label": row["label"].strip()} if row.get("label", "").strip() else {}),
            }
            for row in funding
        ]
    return situation


# --------------------------------------------------------------------------- rows


class _RowForm(forms.Form):
    """A row of a table: a blank row is ignored; a started one needs its required cells."""

    needed: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        names = [name for name in self.fields if name != "DELETE"]
        raw = [self.data.get(self.add_prefix(name), "") for name in names]
        return not any(str(value).strip() for value in raw) and not any(
            data.get(name) not in (None, "") for name in names
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_blank() and not cleaned.get("DELETE"):
            for name in self.needed:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, "Ce champ est obligatoire pour cette ligne.")
        return cleaned


class GestureRowForm(_RowForm):
    needed = ("code",)

    code = _choice("Geste", GESTURE_LABELS, "—")
    quantity = _decimal(
        "Quantité (m² ou équipements)",
        places=2,
        min_value=Decimal("0.01"),
        max_value=100_000,
        help_text="Vide : 1.",
    )
    cost_ht = _amount("Coût du geste (€ HT)", help_text="Vide : le plafond de dépense du barème.")


class FundingRowForm(_RowForm):
    needed = ("funder", "kind", "amount")

    funder = _choice("Financeur", FUNDER_LABELS, "—")
    kind = _choice("Nature", KIND_LABELS, "—")
    amount = _amount("Montant (€)")
    label = forms.CharField(label="Précision", max_length=200, required=False)


def _formset(form, extra: int):
    return formset_factory(
        form, extra=extra, max_num=MAX_LIST, absolute_max=MAX_LIST, can_delete=True
    )


ROWS_MESSAGE = "Corrigez les lignes signalées des gestes ou des financements."
ROWS = {
    "gestures": (GestureRowForm, EXTRA_GESTURE_ROWS, "project.gestures"),
    "other_funding": (FundingRowForm, EXTRA_FUNDING_ROWS, "other_funding"),
}


# --------------------------------------------------------------------------- the page form


class _CaseStudyPageForm(WagtailAdminPageForm):
    """The case study's admin form: the situation is typed in fields, stored as JSON."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        situation = self.instance.situation if self.instance else {}
        for name, value in to_initial(situation).items():
            if name in self.fields:
                self.initial.setdefault(name, value)
        gestures, funding = rows_initial(situation)
        data = self.data if self.is_bound else None
        self.situation_rows = {}
        for name, initial in (("gestures", gestures), ("other_funding", funding)):
            form_class, extra, _path = ROWS[name]
            self.situation_rows[name] = _formset(form_class, extra)(
                data, initial=initial, prefix=f"situation-{name}"
            )
        self.situation_problems = []

    def _live_rows(self, name: str) -> list[tuple[int, dict]]:
        return [
            (index, form.cleaned_data)
            for index, form in enumerate(self.situation_rows[name].forms)
            if form.is_valid() and not form.is_blank() and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        cleaned = super().clean()
        active = active_fields({by: self.data.get(by, "") for by, _ in CONDITIONS.values()})
        # What a hidden field holds is neither stored nor checked.
        for field in FIELDS:
            if field.kind != "switch" and field.name not in active:
                self.errors.pop(field.name, None)
                cleaned.pop(field.name, None)
        rows_valid = all(formset.is_valid() for formset in self.situation_rows.values())
        if not rows_valid:
            self.add_error(None, ROWS_MESSAGE)
        # The simulator checks what the fields could read, so that every problem shows at once;
        # a problem on a field that already has an error is not repeated.
        gestures = self._live_rows("gestures")
        funding = self._live_rows("other_funding")
        filed_on = cleaned.get("filed_on")
        situation = to_situation(
            cleaned, [r for _, r in gestures], [r for _, r in funding], filed_on
        )
        self.situation_problems = situation_problems(situation, filed_on=filed_on)
        for problem in self.situation_problems:
            self._show_problem(problem.path, problem.message, gestures, funding)
        if not self.situation_problems and not self.errors and rows_valid:
            self.instance.situation = situation
        return cleaned

    def _show_problem(self, path, message, gestures, funding):
        field = FIELD_BY_PATH.get(path)
        if field is not None and field.name in self.fields:
            if field.name not in self.errors:
                self.add_error(field.name, message)
            return
        if path == "as_of" and "filed_on" in self.fields:
            if "filed_on" not in self.errors:
                self.add_error("filed_on", message)
            return
        for name, rows in (("gestures", gestures), ("other_funding", funding)):
            prefix = ROWS[name][2]
            if path.startswith(prefix + "["):
                index_text, _, key = path[len(prefix) + 1 :].partition("]")
                try:
                    form_index = rows[int(index_text)][0]
                except (ValueError, IndexError):
                    break
                row_form = self.situation_rows[name].forms[form_index]
                key = key.lstrip(".")
                if key not in row_form.errors:
                    row_form.add_error(key if key in row_form.fields else None, message)
                if ROWS_MESSAGE not in self.non_field_errors():
                    self.add_error(None, ROWS_MESSAGE)
                return
        self.add_error(None, f"Situation : {path} : {message}")

    def _update_errors(self, errors):
        # The model's own check of the situation (CaseStudyPage.clean) has no field here: its
        # message is shown above the form unless the fields already say what is wrong.
        if hasattr(errors, "error_dict") and "situation" in errors.error_dict:
            messages = errors.error_dict.pop("situation")
            if not self.situation_problems and not self.errors:
                errors.error_dict.setdefault(forms.forms.NON_FIELD_ERRORS, []).extend(messages)
        super()._update_errors(errors)


# The situation's fields are declared on the class (Wagtail's FieldPanel finds them there).
CaseStudyPageForm = type(_CaseStudyPageForm)(
    "CaseStudyPageForm",
    (_CaseStudyPageForm,),
    {"__module__": __name__, **{field.name: field.build() for field in FIELDS}},
)


class SituationRowsPanel(Panel):
    """The table of gestures or of other funding, one row per line (Django formset)."""

    def __init__(self, rows: str, **kwargs):
        super().__init__(**kwargs)
        self.rows = rows

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "rows": self.rows}

    class BoundPanel(Panel.BoundPanel):
        template_name = "casestudies/admin/situation_rows_panel.html"

        @cached_property
        def formset(self):
            return self.form.situation_rows[self.panel.rows]

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["formset"] = self.formset
            return context


# --------------------------------------------------------------------------- panels

HOUSEHOLD_FIELDS = [f.name for f in FIELDS if f.name.startswith("household_")] + [
    "project_adaptation_cost_ht"
]
HOME_FIELDS = [f.name for f in FIELDS if f.name.startswith("home_")]
PROJECT_FIELDS = [
    f.name for f in FIELDS if f.name.startswith("project_") and f.name not in HOUSEHOLD_FIELDS
]


def _panel(name: str) -> FieldPanel:
    return FieldPanel(name, attrs=shown_when(name) if name in CONDITIONS else None)


def situation_panels() -> list[Panel]:
    """The "Situation du ménage" tab: the situation's fields, grouped as the simulator reads
    them, then the simulator's settings."""
    return [
        FieldPanel("filed_on"),
        MultiFieldPanel([_panel(n) for n in HOUSEHOLD_FIELDS], heading="Ménage"),
        MultiFieldPanel([_panel(n) for n in HOME_FIELDS], heading="Logement"),
        MultiFieldPanel([_panel(n) for n in PROJECT_FIELDS], heading="Projet de travaux"),
        SituationRowsPanel(
            "gestures",
            heading="Gestes de travaux",
            help_text="Un geste par ligne, avec sa quantité et son coût : ils servent aux aides "
            "par geste, aux CEE et à l'éco-prêt à taux zéro.",
        ),
        SituationRowsPanel(
            "other_funding",
            heading="Autres financements",
            help_text="Caisse de retraite, collectivités, prêts… ce qui s'ajoute aux aides "
            "nationales.",
        ),
        MultiFieldPanel(
            [FieldPanel("golden_case"), FieldPanel("simulator_check_limit")],
            heading="Réglages du simulateur",
        ),
    ]


def path_label(path: str) -> str:
    """The form's label of a situation's JSON path ("project.vat_rate" → "Taux de TVA (%)")."""
    if path == "as_of":
        return "Date de dépôt du dossier"
    field = FIELD_BY_PATH.get(path)
    if field is not None:
        return str(field.build().label)
    for name, (form_class, _extra, prefix) in ROWS.items():
        if path.startswith(prefix + "["):
            index, _, key = path[len(prefix) + 1 :].partition("]")
            row = "Geste" if name == "gestures" else "Financement"
            label = form_class.base_fields.get(key.lstrip("."))
            number = int(index) + 1 if index.isdigit() else index
            return f"{row} {number}" + (f", {label.label.lower()}" if label else "")
    return path
