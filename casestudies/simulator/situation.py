"""Strict parsing of a situation (the contract's input JSON) into frozen dataclasses.

Every error names the JSON path of the offending field and says, in French, what is expected.
Unknown keys are rejected. Optional keys take documented defaults (see docs/simulator.md),
and every default used is recorded in ``Situation.defaults_used``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .schemas import DPE_CLASSES, FUNDERS, GESTURE_CODES

COVERAGE_START = dt.date(2024, 1, 1)
ROUTES = ("ampleur", "par_geste")
HOME_TYPES = ("maison", "appartement")
KINDS = ("subvention", "pret")
DEPARTMENT_RE = re.compile(r"^(0[1-9]|1[0-9]|2[1-9]|2A|2B|[3-8][0-9]|9[0-5]|97[1-8])$")
DEFAULT_VAT_RATE = Decimal("0.055")
MAX_AMOUNT = Decimal(100_000_000)
MAX_PLACES = 6  # decimal places accepted in any number (bounded arithmetic downstream)
MAX_LIST = 50  # items in gestures and other_funding
MAX_SHOWN = 40  # characters of a received value or key quoted back in a message


class SituationError(ValueError):
    """Bad input: ``path`` is the JSON path (``home.dpe_after``), ``message`` says what is
    expected."""

    def __init__(self, path: str, message: str) -> None:
        # Lone surrogates ("\ud800" in the JSON) cannot be printed or encoded: escape them.
        self.path = _printable(path)
        self.message = _printable(message)
        super().__init__(f"{path} : {message}" if path else message)

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass(frozen=True, slots=True)
class Household:
    size: int
    reference_tax_income: Decimal
    owner_occupant: bool = True
    main_residence: bool = True
    oldest_person_age: int | None = None
    gir: int | None = None
    disability_rate: Decimal | None = None
    pch: bool | None = None
    energy_precarity: bool = False


@dataclass(frozen=True, slots=True)
class Home:
    department: str
    type: str = "maison"
    surface_m2: Decimal | None = None
    age_years: int | None = None
    dpe_before: str | None = None
    dpe_after: str | None = None
    insalubrity_score: Decimal | None = None
    degradation_score: Decimal | None = None
    police_procedure: bool | None = None
    habitat_indigne: bool | None = None


@dataclass(frozen=True, slots=True)
class Gesture:
    code: str
    quantity: Decimal = Decimal(1)
    cost_ht: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Project:
    route: str
    works_cost_ht: Decimal
    vat_rate: Decimal | None = None  # None: the barème default (recorded in defaults_used)
    insulation_gestures: int | None = None
    keeps_fossil_heating: bool | None = None
    replaces_fossil_boiler: bool = False
    mar_cost_ttc: Decimal | None = None  # None: the barème reference price
    adaptation_cost_ht: Decimal = Decimal(0)
    gestures: tuple[Gesture, ...] = ()


@dataclass(frozen=True, slots=True)
class OtherFunding:
    funder: str
    kind: str
    amount: Decimal
    label: str = ""


@dataclass(frozen=True, slots=True)
class Situation:
    as_of: dt.date
    household: Household
    home: Home
    project: Project
    other_funding: tuple[OtherFunding, ...] = ()
    defaults_used: tuple[str, ...] = ()


# --------------------------------------------------------------------------- field readers


def _obj(data: Any, path: str, allowed: frozenset[str]) -> dict:
    if not isinstance(data, dict):
        raise SituationError(path or "(racine)", "objet JSON attendu")
    if not allowed.issuperset(data):
        key = next(k for k in data if k not in allowed)
        key = key if len(key) <= MAX_SHOWN else key[:MAX_SHOWN] + "…"
        where = f"{path}.{key}" if path else str(key)
        raise SituationError(where, f"clé inconnue (clés admises : {', '.join(sorted(allowed))})")
    return data


def _number(
    data: dict,
    key: str,
    path: str,
    *,
    minimum: Decimal | int = 0,
    maximum: Decimal | int = MAX_AMOUNT,
    strict_min: bool = False,
) -> Decimal:
    value = data[key]
    kind = type(value)
    if kind is int:
        value = Decimal(value)
    elif kind is Decimal:
        if not value.is_finite():
            raise SituationError(f"{path}.{key}", "nombre fini attendu")
    elif kind is float:
        if not math.isfinite(value):
            raise SituationError(f"{path}.{key}", "nombre fini attendu")
        value = Decimal(repr(value))
    else:
        raise SituationError(f"{path}.{key}", f"nombre attendu, reçu {_show(value)}")
    # Range first (comparisons are cheap whatever the magnitude), then precision.
    if value < minimum or (strict_min and value == minimum) or value > maximum:
        op = "supérieur à" if strict_min else "au moins"
        raise SituationError(
            f"{path}.{key}",
            f"nombre {op} {minimum} et au plus {maximum} attendu, reçu {_show(value)}",
        )
    if value.as_tuple().exponent < -MAX_PLACES and value != value.quantize(_PLACES):
        raise SituationError(
            f"{path}.{key}",
            f"nombre avec au plus {MAX_PLACES} décimales attendu, reçu {_show(value)}",
        )
    return value


def _int(data: dict, key: str, path: str, minimum: int, maximum: int) -> int:
    value = data[key]
    where = f"{path}.{key}"
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
        raise SituationError(where, f"nombre entier attendu, reçu {_show(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise SituationError(where, "nombre fini attendu")
    if isinstance(value, Decimal) and not value.is_finite():
        raise SituationError(where, "nombre fini attendu")
    # The range is checked before any conversion to int: int(Decimal("1e999999999")) would
    # build a billion-digit integer (the CLI hung on such input).
    if not minimum <= value <= maximum:
        raise SituationError(
            where, f"nombre entier entre {minimum} et {maximum} attendu, reçu {_show(value)}"
        )
    if value != int(value):
        raise SituationError(where, f"nombre entier attendu, reçu {_show(value)}")
    return int(value)


def _bool(data: dict, key: str, path: str) -> bool:
    value = data[key]
    if not isinstance(value, bool):
        raise SituationError(
            f"{path}.{key}", f"booléen attendu (true ou false), reçu {_show(value)}"
        )
    return value


def _choice(data: dict, key: str, path: str, choices: tuple[str, ...]) -> str:
    value = data[key]
    if not isinstance(value, str) or value not in choices:
        raise SituationError(
            f"{path}.{key}", f"une valeur parmi {', '.join(choices)} attendue, reçu {_show(value)}"
        )
    return value


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_PLACES = Decimal(1).scaleb(-MAX_PLACES)


def _show(value: Any) -> str:
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
        text = str(number) if abs(number.adjusted()) < MAX_SHOWN // 2 else f"{number:.3E}"
        return text if len(text) <= MAX_SHOWN else f"{number:.3E}"
    if isinstance(value, str):
        shown = value[:MAX_SHOWN] + ("…" if len(value) > MAX_SHOWN else "")
        return f"« {shown} »"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "un objet"
    if isinstance(value, list):
        return "une liste"
    return str(value)


# --------------------------------------------------------------------------- sections

_TOP = frozenset({"as_of", "household", "home", "project", "other_funding"})
_HOUSEHOLD = frozenset(
    {
        "size",
        "reference_tax_income",
        "owner_occupant",
        "main_residence",
        "oldest_person_age",
        "gir",
        "disability_rate",
        "pch",
        "energy_precarity",
    }
)
_HOME = frozenset(
    {
        "department",
        "type",
        "surface_m2",
        "age_years",
        "dpe_before",
        "dpe_after",
        "insalubrity_score",
        "degradation_score",
        "police_procedure",
        "habitat_indigne",
    }
)
_PROJECT = frozenset(
    {
        "route",
        "works_cost_ht",
        "vat_rate",
        "insulation_gestures",
        "keeps_fossil_heating",
        "replaces_fossil_boiler",
        "mar_cost_ttc",
        "adaptation_cost_ht",
        "gestures",
    }
)
_GESTURE = frozenset({"code", "quantity", "cost_ht"})
_FUNDING = frozenset({"funder", "kind", "amount", "label"})


def _require(data: dict, key: str, path: str) -> None:
    if key not in data or data[key] is None:
        raise SituationError(f"{path}.{key}" if path else key, "champ obligatoire manquant")


def _household(data: Any, defaults: list[str]) -> Household:
    p = "household"
    d = _obj(data, p, _HOUSEHOLD)
    _require(d, "size", p)
    _require(d, "reference_tax_income", p)
    kwargs: dict[str, Any] = {
        "size": _int(d, "size", p, 1, 30),
        "reference_tax_income": _number(d, "reference_tax_income", p),
    }
    for key in ("owner_occupant", "main_residence"):
        if d.get(key) is None:
            defaults.append(f"{p}.{key}")
        else:
            kwargs[key] = _bool(d, key, p)
    if d.get("oldest_person_age") is not None:
        kwargs["oldest_person_age"] = _int(d, "oldest_person_age", p, 0, 130)
    if d.get("gir") is not None:
        kwargs["gir"] = _int(d, "gir", p, 1, 6)
    if d.get("disability_rate") is not None:
        kwargs["disability_rate"] = _number(d, "disability_rate", p, maximum=1)
    if d.get("pch") is not None:
        kwargs["pch"] = _bool(d, "pch", p)
    if d.get("energy_precarity") is not None:
        kwargs["energy_precarity"] = _bool(d, "energy_precarity", p)
    return Household(**kwargs)


def _home(data: Any, defaults: list[str]) -> Home:
    p = "home"
    d = _obj(data, p, _HOME)
    _require(d, "department", p)
    dept = d["department"]
    if not isinstance(dept, str) or not DEPARTMENT_RE.match(dept):
        raise SituationError(
            f"{p}.department",
            "numéro de département attendu (« 01 »… « 95 », « 2A », « 2B », « 971 »…), "
            f"reçu {_show(dept)}",
        )
    kwargs: dict[str, Any] = {"department": dept}
    if d.get("type") is None:
        defaults.append(f"{p}.type")
    else:
        kwargs["type"] = _choice(d, "type", p, HOME_TYPES)
    if d.get("surface_m2") is not None:
        kwargs["surface_m2"] = _number(d, "surface_m2", p, maximum=100_000, strict_min=True)
    if d.get("age_years") is not None:
        kwargs["age_years"] = _int(d, "age_years", p, 0, 1000)
    for key in ("dpe_before", "dpe_after"):
        if d.get(key) is not None:
            kwargs[key] = _choice(d, key, p, DPE_CLASSES)
    before, after = kwargs.get("dpe_before"), kwargs.get("dpe_after")
    if before and after and after > before:  # "A" < "G": a later letter is a worse class
        raise SituationError(
            f"{p}.dpe_after",
            f"classe au moins aussi bonne que dpe_before (« {before} ») attendue, reçu « {after} »",
        )
    for key in ("insalubrity_score", "degradation_score"):
        if d.get(key) is not None:
            kwargs[key] = _number(d, key, p, maximum=1)
    for key in ("police_procedure", "habitat_indigne"):
        if d.get(key) is not None:
            kwargs[key] = _bool(d, key, p)
    return Home(**kwargs)


def _project(data: Any, defaults: list[str]) -> Project:
    p = "project"
    d = _obj(data, p, _PROJECT)
    _require(d, "route", p)
    _require(d, "works_cost_ht", p)
    kwargs: dict[str, Any] = {
        "route": _choice(d, "route", p, ROUTES),
        "works_cost_ht": _number(d, "works_cost_ht", p, strict_min=True),
    }
    if d.get("vat_rate") is None:
        defaults.append(f"{p}.vat_rate")
    else:
        kwargs["vat_rate"] = _number(d, "vat_rate", p, maximum=Decimal("0.2"))
    if d.get("insulation_gestures") is not None:
        kwargs["insulation_gestures"] = _int(d, "insulation_gestures", p, 0, 20)
    if d.get("keeps_fossil_heating") is not None:
        kwargs["keeps_fossil_heating"] = _bool(d, "keeps_fossil_heating", p)
    if d.get("replaces_fossil_boiler") is None:
        if kwargs["route"] == "par_geste":
            defaults.append(f"{p}.replaces_fossil_boiler")
    else:
        kwargs["replaces_fossil_boiler"] = _bool(d, "replaces_fossil_boiler", p)
    if d.get("mar_cost_ttc") is None:
        if kwargs["route"] == "ampleur":
            defaults.append(f"{p}.mar_cost_ttc")
    else:
        kwargs["mar_cost_ttc"] = _number(d, "mar_cost_ttc", p, maximum=100_000)
    if d.get("adaptation_cost_ht") is not None:
        value = _number(d, "adaptation_cost_ht", p)
        if value > kwargs["works_cost_ht"]:
            raise SituationError(
                f"{p}.adaptation_cost_ht",
                f"montant au plus égal à works_cost_ht attendu (part des travaux), reçu {value}",
            )
        kwargs["adaptation_cost_ht"] = value
    gestures = d.get("gestures")
    if gestures is not None:
        _check_list(gestures, f"{p}.gestures")
        kwargs["gestures"] = tuple(
            _gesture(g, f"{p}.gestures[{i}]", defaults) for i, g in enumerate(gestures)
        )
        codes = [g.code for g in kwargs["gestures"]]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                raise SituationError(
                    f"{p}.gestures[{i}].code",
                    f"geste « {code} » déjà saisi (un geste par ligne, avec sa quantité)",
                )
    return Project(**kwargs)


def _gesture(data: Any, path: str, defaults: list[str]) -> Gesture:
    d = _obj(data, path, _GESTURE)
    _require(d, "code", path)
    kwargs: dict[str, Any] = {"code": _choice(d, "code", path, GESTURE_CODES)}
    if d.get("quantity") is None:
        defaults.append(f"{path}.quantity")
    else:
        kwargs["quantity"] = _number(d, "quantity", path, maximum=100_000, strict_min=True)
    if d.get("cost_ht") is not None:
        kwargs["cost_ht"] = _number(d, "cost_ht", path)
    return Gesture(**kwargs)


def _funding(data: Any, path: str) -> OtherFunding:
    d = _obj(data, path, _FUNDING)
    for key in ("funder", "kind", "amount"):
        _require(d, key, path)
    label = d.get("label") or ""
    if not isinstance(label, str):
        raise SituationError(f"{path}.label", f"texte attendu, reçu {_show(label)}")
    return OtherFunding(
        funder=_choice(d, "funder", path, FUNDERS),
        kind=_choice(d, "kind", path, KINDS),
        amount=_number(d, "amount", path),
        label=label[:200],
    )


def _check_list(value: Any, path: str) -> None:
    if not isinstance(value, list):
        raise SituationError(path, f"liste attendue, reçu {_show(value)}")
    if len(value) > MAX_LIST:
        raise SituationError(
            path, f"liste d'au plus {MAX_LIST} éléments attendue, reçu {len(value)}"
        )


def parse_situation(data: Any, *, today: dt.date | None = None) -> Situation:
    """Validate a decoded JSON situation; raise :class:`SituationError` on the first problem."""
    d = _obj(data, "", _TOP)
    defaults: list[str] = []
    raw_date = d.get("as_of")
    if raw_date is None:
        as_of = today or dt.date.today()
        defaults.append("as_of")
    else:
        try:
            if not isinstance(raw_date, str) or len(raw_date) != 10:
                raise ValueError
            as_of = dt.date.fromisoformat(raw_date)
        except ValueError:
            raise SituationError(
                "as_of", f"date AAAA-MM-JJ attendue, reçu {_show(raw_date)}"
            ) from None
    if as_of < COVERAGE_START:
        raise SituationError(
            "as_of",
            f"date à partir du {COVERAGE_START.isoformat()} attendue "
            f"(barèmes couverts), reçu « {as_of.isoformat()} »",
        )
    _require(d, "household", "")
    household = _household(d["household"], defaults)
    _require(d, "home", "")
    home = _home(d["home"], defaults)
    _require(d, "project", "")
    project = _project(d["project"], defaults)
    funding_raw = d.get("other_funding")
    funding: tuple[OtherFunding, ...] = ()
    if funding_raw is not None:
        _check_list(funding_raw, "other_funding")
        funding = tuple(_funding(f, f"other_funding[{i}]") for i, f in enumerate(funding_raw))
    return Situation(
        as_of=as_of,
        household=household,
        home=home,
        project=project,
        other_funding=funding,
        defaults_used=tuple(defaults),
    )
