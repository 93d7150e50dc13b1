"""Strict parsing of a situation (the contract's input JSON) into frozen dataclasses.

Every error names the JSON path of the offending field and says, in French, what is expected.
Unknown keys are rejected. Optional keys take documented defaults (see docs/simulator.md),
and every default used is recorded in ``Situation.defaults_used``.

The fields are declared, not hand-read: the core fields of the household, the home and the
project are listed here (``CORE_FIELDS``); the fields only one aid reads are declared by that
aid's module (``AidSpec.inputs``), with their readers. The parser is compiled once from both.
A field an aid declares that the typed sections below do not have lands in ``Situation.extra``
(JSON path → value), so a new aid needs no edit here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from collections.abc import Callable
from dataclasses import field
from decimal import ROUND_FLOOR, Decimal
from typing import Any, NamedTuple

from .records import record
from .schemas import DPE_CLASSES, FUNDERS

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


@record
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


@record
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


@record
class Gesture:
    code: str
    quantity: Decimal = Decimal(1)
    cost_ht: Decimal | None = None


@record
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


@record
class OtherFunding:
    funder: str
    kind: str
    amount: Decimal
    label: str = ""


@record
class Situation:
    as_of: dt.date
    household: Household
    home: Home
    project: Project
    other_funding: tuple[OtherFunding, ...] = ()
    defaults_used: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)  # aid inputs without a typed attribute

    def get(self, path: str, default: Any = None) -> Any:
        """An input by JSON path ("household.gir"), typed attribute or ``extra``."""
        if path in self.extra:
            return self.extra[path]
        section, _, key = path.partition(".")
        value = getattr(getattr(self, section), key, None)
        return default if value is None else value


class Field(NamedTuple):
    """One input field: ``read(value, json_path, section, defaults)`` checks a present, non-null
    value (``section`` holds the fields of the same object read before it) and returns the
    parsed value, or raises :class:`SituationError`. ``reported(section)`` says whether its
    absence is recorded in ``defaults_used``."""

    path: str  # "household.gir"
    read: Callable[[Any, str, dict[str, Any], list[str]], Any]
    required: bool = False
    reported: Callable[[dict[str, Any]], bool] | None = None

    @property
    def section(self) -> str:
        return self.path.partition(".")[0]

    @property
    def key(self) -> str:
        return self.path.partition(".")[2]


def always(_section: dict[str, Any]) -> bool:
    return True


# --------------------------------------------------------------------------- value readers
# Each returns a reader ``(value, where, section, defaults) -> parsed`` built once. A reader may
# carry ``inline``: (condition on ``v``, the value it returns then, names the two use), the
# common case written into the generated section reader, which calls the reader otherwise
# (a call per field cost as much as the checks).

Reader = Callable[[Any, str, dict[str, Any], list[str]], Any]


class Inline(NamedTuple):
    condition: str  # a Python expression over ``v``: the value is accepted as is
    value: str  # what the reader returns for such a ``v``
    names: dict[str, Any]  # the names both use


def _inline(read: Reader, condition: str, value: str, **names: Any) -> Reader:
    read.inline = Inline(condition, value, names)  # type: ignore[attr-defined]
    return read


def number(
    minimum: Decimal | int = 0, maximum: Decimal | int = MAX_AMOUNT, *, strict_min: bool = False
) -> Reader:
    """A number in [minimum, maximum] (]minimum, maximum] with ``strict_min``), as Decimal with
    at most ``MAX_PLACES`` decimal places."""
    lo, hi = Decimal(minimum), Decimal(maximum)
    op = "supérieur à" if strict_min else "au moins"
    # The same bounds for an integer, compared as integers (most amounts are whole euros).
    lo_int = int(lo.to_integral_value(ROUND_FLOOR)) + 1 if strict_min else math.ceil(lo)
    hi_int = math.floor(hi)

    def read(value: Any, where: str, _section: dict, _defaults: list) -> Decimal:
        kind = type(value)
        if kind is int:
            if lo_int <= value <= hi_int:
                return Decimal(value)
            value = Decimal(value)
            exact = True
        elif kind is Decimal:
            if not value.is_finite():
                raise SituationError(where, "nombre fini attendu")
            exact = False
        elif kind is float:
            if not math.isfinite(value):
                raise SituationError(where, "nombre fini attendu")
            value = Decimal(repr(value))
            exact = False
        else:
            raise SituationError(where, f"nombre attendu, reçu {show(value)}")
        # Range first (comparisons are cheap whatever the magnitude), then precision.
        if value < lo or (strict_min and value == lo) or value > hi:
            raise SituationError(
                where, f"nombre {op} {minimum} et au plus {maximum} attendu, reçu {show(value)}"
            )
        if (
            not exact
            and value.as_tuple().exponent < -MAX_PLACES
            and value != value.quantize(_PLACES)
        ):
            raise SituationError(
                where, f"nombre avec au plus {MAX_PLACES} décimales attendu, reçu {show(value)}"
            )
        return value

    return _inline(read, "type(v) is int and LO <= v <= HI", "Decimal(v)", LO=lo_int, HI=hi_int)


def integer(minimum: int, maximum: int) -> Reader:
    def read(value: Any, where: str, _section: dict, _defaults: list) -> int:
        if type(value) is int and minimum <= value <= maximum:
            return value  # the common case
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise SituationError(where, f"nombre entier attendu, reçu {show(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise SituationError(where, "nombre fini attendu")
        if isinstance(value, Decimal) and not value.is_finite():
            raise SituationError(where, "nombre fini attendu")
        # The range is checked before any conversion to int: int(Decimal("1e999999999")) would
        # build a billion-digit integer (the CLI hung on such input).
        if not minimum <= value <= maximum:
            raise SituationError(
                where, f"nombre entier entre {minimum} et {maximum} attendu, reçu {show(value)}"
            )
        if value != int(value):
            raise SituationError(where, f"nombre entier attendu, reçu {show(value)}")
        return int(value)

    return _inline(read, "type(v) is int and LO <= v <= HI", "v", LO=minimum, HI=maximum)


def _boolean(value: Any, where: str, _section: dict, _defaults: list) -> bool:
    if value is True or value is False:
        return value
    raise SituationError(where, f"booléen attendu (true ou false), reçu {show(value)}")


_inline(_boolean, "v is True or v is False", "v")


def boolean() -> Reader:
    return _boolean


def choice(choices: tuple[str, ...]) -> Reader:
    allowed = frozenset(choices)
    expected = ", ".join(choices)

    def read(value: Any, where: str, _section: dict, _defaults: list) -> str:
        if type(value) is str and value in allowed:
            return value
        raise SituationError(where, f"une valeur parmi {expected} attendue, reçu {show(value)}")

    return _inline(read, "type(v) is str and v in ALLOWED", "v", ALLOWED=allowed)


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


_PLACES = Decimal(1).scaleb(-MAX_PLACES)


def show(value: Any) -> str:
    """A received value quoted back in a French message (bounded length)."""
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


def obj(data: Any, path: str, allowed: frozenset[str]) -> dict:
    """``data`` as a JSON object with keys among ``allowed``."""
    if type(data) is not dict:
        raise SituationError(path or "(racine)", "objet JSON attendu")
    if not allowed.issuperset(data):
        key = next(k for k in data if k not in allowed)
        key = key if len(key) <= MAX_SHOWN else key[:MAX_SHOWN] + "…"
        where = f"{path}.{key}" if path else str(key)
        raise SituationError(where, f"clé inconnue (clés admises : {', '.join(sorted(allowed))})")
    return data


def check_list(value: Any, path: str) -> list:
    if type(value) is not list:
        raise SituationError(path, f"liste attendue, reçu {show(value)}")
    if len(value) > MAX_LIST:
        raise SituationError(
            path, f"liste d'au plus {MAX_LIST} éléments attendue, reçu {len(value)}"
        )
    return value


def _require(data: dict, key: str, path: str) -> None:
    if data.get(key) is None:
        raise SituationError(f"{path}.{key}" if path else key, "champ obligatoire manquant")


# --------------------------------------------------------------------------- the core fields


def _department(value: Any, where: str, _section: dict, _defaults: list) -> str:
    if type(value) is not str or not DEPARTMENT_RE.match(value):
        raise SituationError(
            where,
            "numéro de département attendu (« 01 »… « 95 », « 2A », « 2B », « 971 »…), "
            f"reçu {show(value)}",
        )
    return value


_dpe = choice(DPE_CLASSES)


def _dpe_after(value: Any, where: str, section: dict, defaults: list) -> str:
    after = _dpe(value, where, section, defaults)
    before = section.get("dpe_before")
    if before and after > before:  # "A" < "G": a later letter is a worse class
        raise SituationError(
            where,
            f"classe au moins aussi bonne que dpe_before (« {before} ») attendue, reçu « {after} »",
        )
    return after


CORE_FIELDS: tuple[Field, ...] = (
    Field("household.size", integer(1, 30), required=True),
    Field("household.reference_tax_income", number(), required=True),
    Field("household.owner_occupant", boolean(), reported=always),
    Field("household.main_residence", boolean(), reported=always),
    Field("home.department", _department, required=True),
    Field("home.type", choice(HOME_TYPES), reported=always),
    Field("home.surface_m2", number(maximum=100_000, strict_min=True)),
    Field("home.age_years", integer(0, 1000)),
    Field("home.dpe_before", _dpe),
    Field("home.dpe_after", _dpe_after),
    Field("project.route", choice(ROUTES), required=True),
    Field("project.works_cost_ht", number(strict_min=True), required=True),
    Field("project.vat_rate", number(maximum=Decimal("0.2")), reported=always),
    Field("project.insulation_gestures", integer(0, 20)),
    Field("project.keeps_fossil_heating", boolean()),
)
_FUNDING = frozenset({"funder", "kind", "amount", "label"})
_funder, _kind, _amount = choice(FUNDERS), choice(KINDS), number()


def _funding(data: Any, path: str) -> OtherFunding:
    d = obj(data, path, _FUNDING)
    for key in ("funder", "kind", "amount"):
        _require(d, key, path)
    label = d.get("label") or ""
    if not isinstance(label, str):
        raise SituationError(f"{path}.label", f"texte attendu, reçu {show(label)}")
    return OtherFunding(
        funder=_funder(d["funder"], f"{path}.funder", d, []),
        kind=_kind(d["kind"], f"{path}.kind", d, []),
        amount=_amount(d["amount"], f"{path}.amount", d, []),
        label=label[:200],
    )


_FUNDERS, _KINDS = frozenset(FUNDERS), frozenset(KINDS)
_AMOUNT_LO, _AMOUNT_HI = _amount.inline.names["LO"], _amount.inline.names["HI"]  # type: ignore[attr-defined]


def _fundings(raw: Any) -> tuple[OtherFunding, ...]:
    """``other_funding``: each line read at once when it is plain (known funder and kind, an
    integer amount in range, a text label or none), else by :func:`_funding`, which says what
    is wrong (the paths of the messages are only written then)."""
    check_list(raw, "other_funding")
    lines = []
    for i, f in enumerate(raw):
        if type(f) is dict and _FUNDING.issuperset(f):
            funder, kind, amount = f.get("funder"), f.get("kind"), f.get("amount")
            label = f.get("label") or ""
            if (
                type(funder) is str
                and funder in _FUNDERS
                and type(kind) is str
                and kind in _KINDS
                and type(amount) is int
                and _AMOUNT_LO <= amount <= _AMOUNT_HI
                and type(label) is str
            ):
                lines.append(OtherFunding(funder, kind, Decimal(amount), label[:200]))
                continue
        lines.append(_funding(f, f"other_funding[{i}]"))
    return tuple(lines)


# --------------------------------------------------------------------------- the parser

SECTIONS = ("household", "home", "project")
_CLASSES = {"household": Household, "home": Home, "project": Project}
_TOP = frozenset({"as_of", *SECTIONS, "other_funding"})


def _section_lines(index: int, name: str, fields: list[Field], env: dict[str, Any]) -> list[str]:
    """The code reading one section (from ``data``, into ``values``, then the record
    ``section{index}``): the object and its keys checked, then its required fields, then each
    declared field in order, present or reported when absent (a loop over the fields cost as
    much as reading them). A field may check itself against the ones before it (``values``);
    fields without a typed attribute go to ``extra`` and not to the section's dataclass. Names
    bound in ``env`` carry the section's ``index``."""
    attributes = {f.name for f in dataclasses.fields(_CLASSES[name])}
    env[f"cls{index}"] = _CLASSES[name]
    env[f"allowed{index}"] = frozenset(f.key for f in fields)
    lines = [f"    d = obj(data, {name!r}, allowed{index})"]
    for f in fields:
        if f.required:
            lines += [
                f"    if d.get({f.key!r}) is None:",
                f"        raise SituationError({f.path!r}, 'champ obligatoire manquant')",
            ]
    lines.append("    values = {}")
    untyped = []
    for i, f in enumerate(fields):
        tag = f"{index}_{i}"
        env[f"r{tag}"] = f.read
        call = f"r{tag}(v, {f.path!r}, values, defaults)"
        lines += [f"    v = d.get({f.key!r})", "    if v is not None:"]
        inline = getattr(f.read, "inline", None)
        if inline is None:
            lines.append(f"        values[{f.key!r}] = {call}")
        else:
            condition, value = inline.condition, inline.value
            for bound_name, bound in inline.names.items():  # each field's own names
                env[f"{bound_name}{tag}"] = bound
                condition = re.sub(rf"\b{bound_name}\b", f"{bound_name}{tag}", condition)
                value = re.sub(rf"\b{bound_name}\b", f"{bound_name}{tag}", value)
            lines.append(f"        values[{f.key!r}] = {value} if {condition} else {call}")
        if f.reported is always:
            lines += ["    else:", f"        defaults.append({f.path!r})"]
        elif f.reported is not None:
            env[f"p{tag}"] = f.reported
            lines += [f"    elif p{tag}(values):", f"        defaults.append({f.path!r})"]
        if f.key not in attributes:
            untyped.append(f)
    for f in untyped:
        lines += [
            f"    if {f.key!r} in values:",
            f"        extra[{f.path!r}] = values.pop({f.key!r})",
        ]
    lines.append(f"    section{index} = cls{index}(**values)")
    return lines


def _situation_reader(sections: list[tuple[str, list[Field]]]) -> Callable[..., Situation]:
    """The reader of a whole situation, ``read(data, today) -> Situation``, generated once: the
    same checks in the same order as reading each part on its own (the first problem found is
    the same), without a call per section."""
    env: dict[str, Any] = {
        "obj": obj,
        "Decimal": Decimal,
        "SituationError": SituationError,
        "Situation": Situation,
        "TOP": _TOP,
        "as_of_of": _as_of,
        "fundings": _fundings,
    }
    lines = [
        "def read(data, today):",
        "    top = obj(data, '', TOP)",
        "    defaults = []",
        "    as_of = as_of_of(top, defaults, today)",
        "    extra = {}",
    ]
    for index, (name, fields) in enumerate(sections):
        lines += [
            f"    data = top.get({name!r})",
            "    if data is None:",
            f"        raise SituationError({name!r}, 'champ obligatoire manquant')",
            *_section_lines(index, name, fields, env),
        ]
    parts = ", ".join(f"section{index}" for index in range(len(sections)))
    lines += [
        "    funding = top.get('other_funding')",
        "    funding = () if funding is None else fundings(funding)",
        f"    return Situation(as_of, {parts}, funding, tuple(defaults), extra)",
    ]
    exec("\n".join(lines), env)  # noqa: S102 - code built here from the declared fields
    return env["read"]


class _Compiled(NamedTuple):
    paths: tuple[str, ...]  # every input field, section by section
    read: Callable[[Any, dt.date | None], Situation]  # decoded JSON, today -> Situation


def _compile(fields: tuple[Field, ...]) -> _Compiled:
    parts = [(name, [f for f in fields if f.section == name]) for name in SECTIONS]
    paths = tuple(f.path for _name, mine in parts for f in mine)
    return _Compiled(paths, _situation_reader(parts))


@functools.lru_cache(maxsize=1)
def _parser() -> _Compiled:
    """The core fields, then each aid's own fields (registry order), compiled once."""
    from .registry import on_change, registry

    fields = CORE_FIELDS + tuple(f for _code, f in registry().inputs())
    seen: set[str] = set()
    for f in fields:
        if f.section not in _CLASSES or f.path in seen:
            raise ValueError(f"input field {f.path}: unknown section or declared twice")
        seen.add(f.path)
    if not _registered:
        _registered.append(True)
        on_change(_parser.cache_clear)
    return _compile(fields)


_registered: list[bool] = []


def input_fields() -> tuple[str, ...]:
    """JSON paths of every input field (core and aids)."""
    return _parser().paths


def _as_of(d: dict, defaults: list[str], today: dt.date | None) -> dt.date:
    raw_date = d.get("as_of")
    if raw_date is None:
        defaults.append("as_of")
        return today or dt.date.today()
    try:
        if not isinstance(raw_date, str) or len(raw_date) != 10:
            raise ValueError
        as_of = dt.date.fromisoformat(raw_date)
    except ValueError:
        raise SituationError("as_of", f"date AAAA-MM-JJ attendue, reçu {show(raw_date)}") from None
    if as_of < COVERAGE_START:
        raise SituationError(
            "as_of",
            f"date à partir du {COVERAGE_START.isoformat()} attendue "
            f"(barèmes couverts), reçu « {as_of.isoformat()} »",
        )
    return as_of


def parse_situation(data: Any, *, today: dt.date | None = None) -> Situation:
    """Validate a decoded JSON situation; raise :class:`SituationError` on the first problem."""
    return _parser().read(data, today)
