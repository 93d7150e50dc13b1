"""Typed result of a simulation and its one serialiser (the contract's JSON output).

``result_to_json`` is the only writer of a result: every dataclass is written field by field, in
declaration order, by a plan compiled once per class (``json`` field metadata: ``"int"`` writes
an integer, ``"inline"`` writes a dict's items in the enclosing object, ``False`` skips the
field; ``key`` renames it). ``result_to_dict`` is its text read back, so the command line, the
batch mode, the dossier pages and any caller of the public API get the same content.

The aid-specific parts of a result (``mpr_accompagnee``, ``par_geste``, ``mar``, ``mpa``…) are
the sections the aid modules declare (``AidSpec.sections``): they are stored by key in
``Result.head`` / ``Result.tail``, written where the contract puts them, and read as attributes
(``result.mpa``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from collections.abc import Callable
from dataclasses import field
from decimal import Decimal
from json.encoder import py_encode_basestring
from typing import Any

from .money import ZERO
from .ops import TraceStep
from .records import record

try:
    from json.encoder import c_encode_basestring as _c_encode
except ImportError:  # pragma: no cover - pure-Python json build
    _c_encode = None
_encode_str = _c_encode or py_encode_basestring

AS_INT = {"json": "int"}  # field metadata: written as a JSON integer


@record
class Aid:
    """One line of ``aids``: an aid granted on the works, the MAR service, or a user's
    subsidy."""

    code: str
    label: str
    amount: Decimal
    trace: tuple[TraceStep, ...]
    applies_to: str = "travaux"  # "travaux" (in total_subsidies) or "accompagnement" (MAR)


@record
class OtherAid:
    """An aid with a rate and a works ceiling (MaPrimeAdapt', Ma Prime Logement Décent)."""

    eligible: bool
    reasons: tuple[str, ...]
    rate: Decimal
    ceiling_ht: Decimal = field(metadata=AS_INT)
    amount: Decimal = Decimal(0)


@record
class Ecretement:
    rate: Decimal
    ceiling: Decimal
    applied: bool
    basis: str  # "ttc" (parcours accompagné) or "ht" (par geste)
    reduction: Decimal


@record
class Loan:
    code: str
    label: str
    eligible: bool
    max_amount: Decimal
    reasons: tuple[str, ...]
    trace: tuple[TraceStep, ...]


@record
class FundingLine:
    funder: str
    kind: str
    label: str
    amount_requested: Decimal
    amount: Decimal
    in_ecretement: bool


@record
class Result:
    as_of: dt.date
    income_scale: str
    income_category: str
    works_cost_ttc: Decimal
    head: dict[str, Any] = field(metadata={"json": "inline"})  # aid sections (contract order)
    aids: tuple[Aid, ...] = ()
    ecretement: Ecretement | None = None
    total_subsidies: Decimal = Decimal(0)
    loans: tuple[Loan, ...] = ()
    reste_a_charge: Decimal = Decimal(0)
    reste_a_charge_pct: Decimal = Decimal(0)
    warnings: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    defaults_used: tuple[str, ...] = ()
    category_trace: tuple[TraceStep, ...] = field(
        default=(), metadata={"key": "income_category_trace"}
    )
    tail: dict[str, Any] = field(default_factory=dict, metadata={"json": "inline"})
    other_funding: tuple[FundingLine, ...] = ()
    total_user_loans: Decimal = Decimal(0)
    # why each aid evaluated but not granted is refused, by aid code (not in the JSON: the
    # sections say it in the contract's shape)
    reasons: dict[str, tuple[str, ...]] = field(default_factory=dict, metadata={"json": False})

    def __getattr__(self, name: str) -> Any:
        """An aid's section by its result key (``result.mpr_accompagnee``, ``result.mpa``)."""
        if name in ("head", "tail"):  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        for sections in (self.head, self.tail):
            if name in sections:
                return sections[name]
        raise AttributeError(name)

    def aid_amount(self, *codes: str) -> Decimal:
        """Total granted on the works and the MAR by the aids with these codes (0 if none)."""
        return sum((a.amount for a in self.aids if a.code in codes), Decimal(0))

    def aid_trace(self, *codes: str) -> tuple[TraceStep, ...]:
        """Trace steps of the aids with these codes, in result order."""
        return tuple(step for a in self.aids if a.code in codes for step in a.trace)

    def to_dict(self) -> dict[str, Any]:
        return result_to_dict(self)


# --------------------------------------------------------------------------- the serialiser
# ``--batch`` writes hundreds of thousands of results: the writer produces JSON text directly
# (building dicts then encoding them cost more than the simulation itself), memoising the
# encoded form of strings, numbers and traces (rule texts, sources and barème values repeat
# from one result to the next).

_STR_MEMO: dict[str, str] = {}
_NUM_MEMO: dict[str, str] = {}
# Small memos: a big table is slower to read than the text is to write (its lines fall out of
# the processor's caches), and most entries past the first few thousand are amounts seen once.
_MEMO_MAX = 4096


def _s(text: str) -> str:
    encoded = _STR_MEMO.get(text)
    if encoded is None:
        if len(_STR_MEMO) > _MEMO_MAX:
            _STR_MEMO.clear()
        encoded = _STR_MEMO[text] = _encode_str(text)
    return encoded


def number_text(value: Decimal | int, text: str | None = None) -> str:
    """``repr(float(value))`` (the contract writes every amount as a JSON float), read off the
    Decimal's own digits (``text``: ``str(value)``) when it has at most 14 significant digits
    between 1e-4 and 1e16: a decimal of up to 15 digits survives the round trip through a
    double, so the shortest repr of that double has exactly its digits (``float()`` and
    ``repr()`` cost five times more)."""
    if text is None:
        text = str(value)
    if (
        len(text) > 15
        or "E" in text
        or not text[-1].isdigit()  # NaN, Infinity
        or text.startswith(("0.0000", "-0.0000"))  # below 1e-4 repr switches to 1e-05
    ):
        return repr(float(value))
    if "." not in text:
        return text + ".0"
    text = text.rstrip("0")
    return text + "0" if text[-1] == "." else text


def _n(value: Decimal) -> str:
    """JSON number of an amount or a rate, memoised by its decimal text (hashing a Decimal
    costs four times more than writing it as text; ``str`` of a Decimal is exact)."""
    if value is ZERO:  # the engine's zero (most amounts of aids not granted)
        return "0.0"
    text = str(value)
    encoded = _NUM_MEMO.get(text)
    if encoded is None:
        if len(_NUM_MEMO) > _MEMO_MAX:
            _NUM_MEMO.clear()
        encoded = _NUM_MEMO[text] = number_text(value, text)
    return encoded


def _step(step: TraceStep) -> str:
    rule, value, source = step
    return (
        f'{{"rule": {_STR_MEMO.get(rule) or _s(rule)}, "value": {_encode_str(value)}, '
        f'"source": {_STR_MEMO.get(source) or _s(source)}}}'
    )


def _trace(items: tuple[TraceStep, ...]) -> str:
    """A trace, written step by step: rules and sources through the string memo, the value
    (an amount, a computation, mostly new) as is. Whole traces and steps are not memoised: with
    the amounts in them, six in seven were new (hashing them cost more than writing them)."""
    if not items:
        return "[]"
    memo, encode_new, encode_str = _STR_MEMO.get, _s, _encode_str
    return (
        "["
        + ", ".join(
            [
                f'{{"rule": {memo(rule) or encode_new(rule)}, "value": {encode_str(value)}, '
                f'"source": {memo(source) or encode_new(source)}}}'
                for rule, value, source in items
            ]
        )
        + "]"
    )


def _sequence(items: tuple | list) -> str:
    if not items:
        return "[]"
    first = type(items[0])
    if first is str:
        return "[" + ", ".join([_s(x) for x in items]) + "]"
    if first is TraceStep:
        return _trace(tuple(items))
    writer = _WRITERS.get(first)
    if writer is None:
        return "[" + ", ".join([encode(x) for x in items]) + "]"
    return "[" + ", ".join([writer(x) if type(x) is first else encode(x) for x in items]) + "]"


def _mapping(items: dict) -> str:
    return "{" + ", ".join([f"{_s(str(k))}: {encode(v)}" for k, v in items.items()]) + "}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _strs(items: tuple[str, ...]) -> str:
    if not items:
        return "[]"
    memo = _STR_MEMO.get
    return "[" + ", ".join([memo(x) or _s(x) for x in items]) + "]"


def _date(value: dt.date) -> str:
    return f'"{value.isoformat()}"'


def _items_of(item: type) -> Callable[[Any], str]:
    writer = _dataclass_writer(item)

    def write(items: tuple) -> str:
        if not items:
            return "[]"
        return "[" + ", ".join([writer(x) if type(x) is item else encode(x) for x in items]) + "]"

    return write


def _optional(writer: Callable[[Any], str]) -> Callable[[Any], str]:
    def write(value: Any) -> str:
        return "null" if value is None else writer(value)

    return write


def _field_writer(hint: Any) -> Callable[[Any], str]:
    """The writer of a field, chosen once from its type (``encode`` when it may hold several
    types or the type is not known)."""
    simple = {str: _s, Decimal: _n, bool: _bool, int: str, dt.date: _date}
    if hint in simple:
        return simple[hint]
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if item is str:
            return _strs
        if item is TraceStep:
            return _trace
        if dataclasses.is_dataclass(item):
            return _items_of(item)
    if origin in (types.UnionType, typing.Union) and len(args) == 2 and type(None) in args:
        other = args[0] if args[1] is type(None) else args[1]
        if other in simple or dataclasses.is_dataclass(other):
            return _optional(
                _dataclass_writer(other) if dataclasses.is_dataclass(other) else simple[other]
            )
    return encode


def _field_expr(hint: Any, attr: str, env: dict[str, Any], name: str) -> str:
    """The expression writing ``attr`` (``o.amount``) in a class's generated writer: booleans,
    integers and ``None`` inline, anything else through its writer (bound as ``name``)."""
    if hint is bool:
        return f'"true" if {attr} else "false"'
    if hint is int:
        return attr  # an f-string writes an int as str() does
    if hint is str:  # the memo read inline (labels, codes and reasons repeat)
        env["_S"], env["_s"] = _STR_MEMO.get, _s
        return f"_S({attr}) or _s({attr})"
    if hint is Decimal:  # the engine's zero (about half the amounts) written without a call
        env["_ZERO"], env["_n"] = ZERO, _n
        return f'"0.0" if {attr} is _ZERO else _n({attr})'
    args = typing.get_args(hint)
    if (
        typing.get_origin(hint) in (types.UnionType, typing.Union)
        and len(args) == 2
        and type(None) in args
    ):
        other = args[0] if args[1] is type(None) else args[1]
        return f'"null" if {attr} is None else {_field_expr(other, attr, env, name)}'
    env[name] = _dataclass_writer(hint) if dataclasses.is_dataclass(hint) else _field_writer(hint)
    return f"{name}({attr})"


def _inline(items: dict[str, Any]) -> str:
    """A dict's items written into the enclosing object (each with its leading comma)."""
    memo = _STR_MEMO.get
    return "".join([f", {memo(k) or _s(k)}: {encode(v)}" for k, v in items.items()])


def _plan(cls: type) -> Callable[[Any], str]:
    """A writer for the dataclass ``cls``: its fields in order, as its metadata says.

    The writer is one generated f-string per class (a loop over the fields cost as much as the
    rest of the writing); each field's writer is chosen once from its annotation."""
    env: dict[str, Any] = {"_inline": _inline}
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):  # a type only known to type checkers: written by ``encode``
        hints = {}
    parts: list[str] = []
    for i, f in enumerate(dataclasses.fields(cls)):
        how = f.metadata.get("json", "")
        if how is False:
            continue
        if how == "inline":
            if not parts:
                raise TypeError(f"{cls.__name__}.{f.name}: an inline field cannot come first")
            parts[-1] += f"{{_inline(o.{f.name})}}"
            continue
        key = _s(f.metadata.get("key", f.name)).replace("{", "{{").replace("}", "}}")
        if how == "int":
            parts.append(f"{key}: {{int(o.{f.name})}}")
        else:
            expr = _field_expr(hints.get(f.name), f"o.{f.name}", env, f"w{i}")
            parts.append(f"{key}: {{{expr}}}")
    body = ", ".join(parts).replace("'", "\\'")
    source = f"def write(o):\n    return f'{{{{{body}}}}}'\n"
    exec(source, env)  # noqa: S102 - code built here from the dataclass's own field names
    return env["write"]


def _by_identity(writer: Callable[[Any], str]) -> Callable[[Any], str]:
    """``writer`` memoised by object, for records the engine reuses from one result to the
    next (the loans of a period): no hashing, the object is known again by its address."""
    memo: dict[int, tuple[Any, str]] = {}

    def write(value: Any) -> str:
        entry = memo.get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        if len(memo) > _MEMO_MAX:
            memo.clear()
        text = writer(value)
        memo[id(value)] = (value, text)  # the object is kept: its address is not reused
        return text

    return write


def _dataclass_writer(cls: type) -> Callable[[Any], str]:
    writer = _WRITERS.get(cls)
    if writer is None:
        writer = _plan(cls)
        if cls is Loan:
            writer = _by_identity(writer)
        _WRITERS[cls] = writer
    return writer


def _unknown(value: Any) -> str:
    kind = type(value)
    if dataclasses.is_dataclass(kind):
        return _dataclass_writer(kind)(value)
    if isinstance(value, tuple) and hasattr(kind, "_fields"):  # a NamedTuple: an object
        return _mapping(value._asdict())
    raise TypeError(f"cannot write {kind.__name__} in a simulation result")


_WRITERS: dict[type, Callable[[Any], str]] = {
    str: _s,
    Decimal: _n,
    bool: _bool,
    int: str,
    float: repr,
    type(None): lambda _v: "null",
    dt.date: _date,
    tuple: _sequence,
    list: _sequence,
    dict: _mapping,
    TraceStep: _step,
}


def encode(value: Any) -> str:
    """JSON text of any value a result holds."""
    writer = _WRITERS.get(type(value))
    if writer is None:
        return _unknown(value)
    return writer(value)


def result_to_json(result: Result) -> str:
    """The result as one line of JSON text (the contract's output)."""
    return encode(result)


def result_to_dict(result: Result) -> dict[str, Any]:
    """The result as the contract's JSON, decoded (numbers are int or float)."""
    return json.loads(result_to_json(result))
