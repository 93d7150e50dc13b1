"""Expected shape of every barème value, checked on the YAML nodes (so errors carry a line).

The schema of a file lists every parameter the simulator reads: a value of the wrong shape, an
unknown parameter or a missing one is an error at load time, never at simulation time. This
module holds the building blocks and the core files' schemas (income scales, DPE, VAT); each aid
module declares its own file's (``AidSpec.bareme``), and ``all_schemas`` gathers them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import yaml

CATEGORIES = ("tres_modeste", "modeste", "intermediaire", "superieur")
DPE_CLASSES = ("A", "B", "C", "D", "E", "F", "G")
FUNDERS = ("caisse_retraite", "ccas", "fondation", "sacicap", "microcredit", "aide_locale", "autre")
GAIN_BRACKETS = ("gain_2", "gain_3", "gain_4_plus")


def yaml_module() -> ModuleType:
    """PyYAML, imported when a barème file is read and checked: a run that finds the checked
    barèmes in their cache never needs it (its import was a tenth of the start-up)."""
    import yaml

    return yaml


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
        yaml = yaml_module()
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
        yaml = yaml_module()
        if not isinstance(node, yaml.ScalarNode) or node.tag.rsplit(":", 1)[-1] != "str":
            raise _err(node, file, path, "texte attendu")
        if not self.allow_empty and not node.value.strip():
            raise _err(node, file, path, "texte vide")
        return " ".join(node.value.split())


class Bool(Schema):
    def check(self, node, file, path):
        yaml = yaml_module()
        from .loader import _scalar

        value = _scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            raise _err(node, file, path, "booléen attendu (true ou false)")
        return value


class OneOf(Schema):
    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = choices

    def check(self, node, file, path):
        yaml = yaml_module()
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
        yaml = yaml_module()
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

# The files no aid owns: income scales, DPE classes, VAT. Each aid module declares the parameters
# of its own barème file (``AidSpec.bareme``); ``all_schemas`` puts them together.
CORE_SCHEMAS: dict[str, dict[str, Schema]] = {
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
}


def all_schemas() -> dict[str, dict[str, Schema]]:
    """Parameters of every barème file: the core files and each registered aid's file."""
    from .registry import registry  # the aid modules import this module

    files = {name: dict(params) for name, params in CORE_SCHEMAS.items()}
    for name, params in registry().bareme_schemas().items():
        if name in files:
            raise ValueError(f"{name}: a core barème file cannot belong to an aid")
        files[name] = params
    return files


def __getattr__(name: str):
    # Gesture codes belong to the par geste aid; kept reachable here for existing callers.
    if name == "GESTURE_CODES":
        from .aids.par_geste import GESTURE_CODES

        return GESTURE_CODES
    raise AttributeError(name)
