"""Expected shape of every barème value, checked on the YAML nodes (so errors carry a line).

The schema of a file lists every parameter the engine reads: a value of the wrong shape, an
unknown parameter or a missing one is an error at load time, never at simulation time.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import Decimal
from typing import Any

import yaml

CATEGORIES = ("tres_modeste", "modeste", "intermediaire", "superieur")
DPE_CLASSES = ("A", "B", "C", "D", "E", "F", "G")
FUNDERS = ("caisse_retraite", "ccas", "fondation", "sacicap", "microcredit", "aide_locale", "autre")
GAIN_BRACKETS = ("gain_2", "gain_3", "gain_4_plus")


def _err(node: yaml.Node, file: str, path: str, message: str):
    from .loader import BaremeError  # local import: loader imports this module

    return BaremeError(file, node.start_mark.line + 1, path, message)


class Schema(ABC):
    """Checks one YAML node and returns its value, or raises BaremeError (file, line, key)."""

    @abstractmethod
    def check(self, node: yaml.Node, file: str, path: str) -> Any: ...


class Number(Schema):
    """A number (int or decimal) in [minimum, maximum], returned as Decimal."""

    def __init__(
        self,
        minimum: Decimal | int = 0,
        maximum: Decimal | int | None = None,
        integer: bool = False,
        label: str = "nombre",
    ) -> None:
        self.minimum = Decimal(minimum)
        self.maximum = None if maximum is None else Decimal(maximum)
        self.integer = integer
        self.label = label

    def check(self, node, file, path):
        from .loader import _scalar

        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            shown = node.value if isinstance(node, yaml.ScalarNode) else "structure"
            raise _err(node, file, path, f"{self.label} attendu, reçu « {shown} »")
        if self.integer and not isinstance(value, int):
            raise _err(node, file, path, f"nombre entier attendu, reçu « {node.value} »")
        value = Decimal(value)
        if value < self.minimum or (self.maximum is not None and value > self.maximum):
            bounds = (
                f"au moins {self.minimum}"
                if self.maximum is None
                else f"entre {self.minimum} et {self.maximum}"
            )
            raise _err(node, file, path, f"{self.label} {bounds} attendu, reçu {node.value}")
        return int(value) if self.integer else value


MONEY = Number(label="montant en euros")
RATE = Number(0, 1, label="taux")
INT = Number(integer=True, label="nombre entier")


class Text(Schema):
    def __init__(self, allow_empty: bool = False) -> None:
        self.allow_empty = allow_empty

    def check(self, node, file, path):
        if not isinstance(node, yaml.ScalarNode) or node.tag.rsplit(":", 1)[-1] != "str":
            raise _err(node, file, path, "texte attendu")
        if not self.allow_empty and not node.value.strip():
            raise _err(node, file, path, "texte vide")
        return " ".join(node.value.split())


class Bool(Schema):
    def check(self, node, file, path):
        from .loader import _scalar

        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            raise _err(node, file, path, "booléen attendu (true ou false)")
        return value


class OneOf(Schema):
    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def check(self, node, file, path):
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in self.choices:
            raise _err(
                node,
                file,
                path,
                f"valeur parmi {', '.join(self.choices)} attendue, reçu « {value} »",
            )
        return value


class ListOf(Schema):
    def __init__(self, item: Schema, min_length: int = 1) -> None:
        self.item = item
        self.min_length = min_length

    def check(self, node, file, path):
        if not isinstance(node, yaml.SequenceNode):
            raise _err(node, file, path, "liste attendue")
        if len(node.value) < self.min_length:
            raise _err(node, file, path, f"au moins {self.min_length} élément(s) attendu(s)")
        return tuple(self.item.check(n, file, f"{path}.{i}") for i, n in enumerate(node.value))


class Map(Schema):
    """A mapping with exactly these keys (keys prefixed with '?' are optional)."""

    def __init__(self, fields: dict[str, Schema]) -> None:
        self.required = {k: v for k, v in fields.items() if not k.startswith("?")}
        self.optional = {k[1:]: v for k, v in fields.items() if k.startswith("?")}

    def check(self, node, file, path):
        from .loader import _mapping

        result = {}
        for key, child, line in _mapping(node, file, path):
            schema = self.required.get(key) or self.optional.get(key)
            if schema is None:
                from .loader import BaremeError

                expected = ", ".join([*self.required, *self.optional])
                raise BaremeError(
                    file, line, f"{path}.{key}", f"clé inconnue (attendu : {expected})"
                )
            result[key] = schema.check(child, file, f"{path}.{key}")
        for key in self.required:
            if key not in result:
                raise _err(node, file, f"{path}.{key}", "clé obligatoire manquante")
        return result


def by_category(item: Schema, categories=CATEGORIES) -> Map:
    return Map(dict.fromkeys(categories, item))


BY_GAIN = Map(dict.fromkeys(GAIN_BRACKETS, MONEY))
RATE_BY_GAIN = Map(dict.fromkeys(GAIN_BRACKETS, RATE))
CATEGORY_LIST = ListOf(OneOf(CATEGORIES))
CLASS_LIST = ListOf(OneOf(DPE_CLASSES))
DEPT_LIST = ListOf(Text())
SCALE = Map(
    {
        "1": MONEY,
        "2": MONEY,
        "3": MONEY,
        "4": MONEY,
        "5": MONEY,
        "par_personne_supplementaire": MONEY,
    }
)
PASSOIRE_BONUS = Map(
    {"points": RATE, "dpe_avant": CLASS_LIST, "dpe_apres_au_moins": OneOf(DPE_CLASSES)}
)
GUICHET = Map({"ouvert": Bool(), "message": Text(allow_empty=True)})
GESTURE = Map(
    {
        "tres_modeste": MONEY,
        "modeste": MONEY,
        "intermediaire": MONEY,
        "plafond_depense": MONEY,
        "par": OneOf(("forfait", "m2", "equipement")),
        "?quantite_max": Number(1, label="quantité maximale"),
        "?requiert": OneOf(("isolation", "travaux")),
    }
)
CEE_CDP = Map({"precaires": MONEY, "autres": MONEY})

GESTURE_CODES = (
    "pac_air_eau",
    "pac_geothermique",
    "pac_solarothermique",
    "pac_air_air",
    "chauffe_eau_thermodynamique",
    "chauffe_eau_solaire",
    "systeme_solaire_combine",
    "poele_granules",
    "poele_buches",
    "foyer_ferme_insert",
    "chaudiere_bois_manuelle",
    "chaudiere_bois_automatique",
    "raccordement_reseau_chaleur",
    "depose_cuve_fioul",
    "isolation_murs_exterieur",
    "isolation_murs_interieur",
    "isolation_rampants_combles",
    "isolation_toiture_terrasse",
    "isolation_plancher_bas",
    "fenetres",
    "vmc_double_flux",
    "audit_energetique",
)
ECO_PTZ_ACTIONS = (
    "toiture",
    "murs",
    "parois_vitrees",
    "planchers_bas",
    "chauffage_ecs",
    "chauffage_renouvelable",
    "ecs_renouvelable",
)
CEE_CDP_CODES = (
    "pac_air_eau",
    "pac_geothermique",
    "pac_solarothermique",
    "systeme_solaire_combine",
    "chaudiere_bois_manuelle",
    "chaudiere_bois_automatique",
    "raccordement_reseau_chaleur",
)

SCHEMAS: dict[str, dict[str, Schema]] = {
    "revenus.yaml": {
        "departements_idf": DEPT_LIST,
        "plafonds": Map(
            {
                "idf": Map(dict.fromkeys(CATEGORIES[:3], SCALE)),
                "hors_idf": Map(dict.fromkeys(CATEGORIES[:3], SCALE)),
            }
        ),
    },
    "dpe.yaml": {
        "seuils": Map({c: Map({"energie_max": MONEY, "ges_max": MONEY}) for c in DPE_CLASSES[:6]}),
        "passoires": CLASS_LIST,
        "coefficient_electricite": Number(1, 5),
    },
    "tva.yaml": {
        "taux": Map({"reduit_energie": RATE, "intermediaire": RATE, "normal": RATE}),
        "taux_par_defaut": RATE,
    },
    "mpr_accompagnee.yaml": {
        "conditions": Map(
            {"age_logement_min_ans": INT, "gain_classes_min": INT, "gestes_isolation_min": INT}
        ),
        "departements_exclus": DEPT_LIST,
        "dpe_avant_eligibles": CLASS_LIST,
        "plafonds_travaux_ht": BY_GAIN,
        "taux": by_category(RATE_BY_GAIN),
        "bonus_sortie_passoire": PASSOIRE_BONUS,
        "ecretement_ttc": by_category(RATE),
        "financeurs_ecretement": ListOf(OneOf(FUNDERS), min_length=0),
        "avance": Map({"taux": RATE, "beneficiaires": CATEGORY_LIST}),
        "guichet": GUICHET,
    },
    "mar.yaml": {
        "taux": by_category(RATE),
        "plafond_assiette_ttc": Map({"standard": MONEY, "majore": MONEY}),
        "categories_plafond_majore": CATEGORY_LIST,
        "prix_reference_ttc": MONEY,
    },
    "par_geste.yaml": {
        "conditions": Map(
            {
                "age_logement_min_ans": INT,
                "?age_logement_min_ans_outre_mer": INT,
                "?departements_outre_mer": DEPT_LIST,
                "beneficiaires": CATEGORY_LIST,
            }
        ),
        "ecretement_ht": by_category(RATE),
        "avance": Map({"taux": RATE, "beneficiaires": CATEGORY_LIST}),
        "plafond_prime_logement": MONEY,
        "gestes_isolation": ListOf(OneOf(GESTURE_CODES)),
        "guichet": GUICHET,
        **{f"gestes.{code}": GESTURE for code in GESTURE_CODES},
    },
    "cee.yaml": {
        "categories_precaires": CATEGORY_LIST,
        **{f"coup_de_pouce_chauffage.{code}": CEE_CDP for code in CEE_CDP_CODES},
        "coup_de_pouce_ampleur": Map(
            {
                "montant_base": BY_GAIN,
                "coefficients_surface": ListOf(
                    Map({"surface_max_m2": MONEY, "coefficient": Number(0, 5)})
                ),
            }
        ),
    },
    "prets.yaml": {
        "eco_ptz": Map(
            {
                "parois_vitrees_seules": MONEY,
                "une_action": MONEY,
                "deux_actions": MONEY,
                "trois_actions_ou_plus": MONEY,
                "performance_globale": MONEY,
                "couple_maprimerenov": MONEY,
                "age_logement_min_ans": INT,
            }
        ),
        "eco_ptz_actions": Map(
            dict.fromkeys(ECO_PTZ_ACTIONS, ListOf(OneOf(GESTURE_CODES), min_length=0))
        ),
        "eco_ptz_couple_par_geste": MONEY,
        "par_plus": Map(
            {"montant_max": MONEY, "beneficiaires": CATEGORY_LIST, "age_logement_min_ans": INT}
        ),
    },
    "mpa.yaml": {
        "conditions": Map(
            {
                "beneficiaires": CATEGORY_LIST,
                "age_min": INT,
                "age_min_avec_gir": INT,
                "gir_max": INT,
                "taux_incapacite_min": RATE,
            }
        ),
        "taux": by_category(RATE, CATEGORIES[:2]),
        "plafond_travaux_ht": MONEY,
        "avance": RATE,
    },
    "mpld.yaml": {
        "conditions": Map(
            {
                "beneficiaires": CATEGORY_LIST,
                "age_logement_min_ans": INT,
                "seuil_insalubrite": RATE,
                "seuil_degradation": RATE,
            }
        ),
        "taux": by_category(RATE, CATEGORIES[:2]),
        "plafond_travaux_ht": MONEY,
        "bonus_sortie_passoire": PASSOIRE_BONUS,
        "sans_classe_e": Map(
            {"taux": RATE, "plafond_travaux_ht": MONEY, "classe_min": OneOf(DPE_CLASSES)}
        ),
    },
}
