"""Typed result of a simulation and its JSON form (the contract's output)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from json.encoder import py_encode_basestring
from typing import Any

from .ops import TraceStep

try:
    from json.encoder import c_encode_basestring as _c_encode
except ImportError:  # pragma: no cover - pure-Python json build
    _c_encode = None
_encode_str = _c_encode or py_encode_basestring


def _num(value: Decimal) -> float:
    """JSON number with at most two decimals (values are already rounded to the cent)."""
    return float(value)


def _trace(steps: tuple[TraceStep, ...]) -> list[dict[str, str]]:
    return [{"rule": s.rule, "value": s.value, "source": s.source} for s in steps]


@dataclass(frozen=True, slots=True)
class MprAccompagnee:
    eligible: bool
    reasons: tuple[str, ...]
    class_gain: int | None
    rate: Decimal
    ceiling_ht: Decimal
    amount_before_ecretement: Decimal
    amount: Decimal
    advance: Decimal
    passoire_bonus: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "class_gain": self.class_gain,
            "rate": float(self.rate),
            "ceiling_ht": int(self.ceiling_ht),
            "amount_before_ecretement": _num(self.amount_before_ecretement),
            "amount": _num(self.amount),
            "advance": _num(self.advance),
            "passoire_bonus": float(self.passoire_bonus),
        }


@dataclass(frozen=True, slots=True)
class GestureResult:
    code: str
    eligible: bool
    amount: Decimal
    reasons: tuple[str, ...]
    quantity: Decimal
    amount_before_ecretement: Decimal
    cee_amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "eligible": self.eligible,
            "amount": _num(self.amount),
            "reasons": list(self.reasons),
            "quantity": float(self.quantity),
            "amount_before_ecretement": _num(self.amount_before_ecretement),
            "cee_amount": _num(self.cee_amount),
        }


@dataclass(frozen=True, slots=True)
class Aid:
    code: str
    label: str
    amount: Decimal
    trace: tuple[TraceStep, ...]
    applies_to: str = "travaux"  # "travaux" (in total_subsidies) or "accompagnement" (MAR)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "amount": _num(self.amount),
            "applies_to": self.applies_to,
            "trace": _trace(self.trace),
        }


@dataclass(frozen=True, slots=True)
class OtherAid:
    """MaPrimeAdapt' or Ma Prime Logement Décent: eligibility and amount."""

    eligible: bool
    reasons: tuple[str, ...]
    rate: Decimal
    ceiling_ht: Decimal
    amount: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "reasons": list(self.reasons),
            "rate": float(self.rate),
            "ceiling_ht": int(self.ceiling_ht),
            "amount": _num(self.amount),
        }


@dataclass(frozen=True, slots=True)
class Ecretement:
    rate: Decimal
    ceiling: Decimal
    applied: bool
    basis: str  # "ttc" (parcours accompagné) or "ht" (par geste)
    reduction: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "rate": float(self.rate),
            "ceiling": _num(self.ceiling),
            "applied": self.applied,
            "basis": self.basis,
            "reduction": _num(self.reduction),
        }


@dataclass(frozen=True, slots=True)
class Loan:
    code: str
    label: str
    eligible: bool
    max_amount: Decimal
    reasons: tuple[str, ...]
    trace: tuple[TraceStep, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "eligible": self.eligible,
            "max_amount": _num(self.max_amount),
            "reasons": list(self.reasons),
            "trace": _trace(self.trace),
        }


@dataclass(frozen=True, slots=True)
class FundingLine:
    funder: str
    kind: str
    label: str
    amount_requested: Decimal
    amount: Decimal
    in_ecretement: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "funder": self.funder,
            "kind": self.kind,
            "label": self.label,
            "amount_requested": _num(self.amount_requested),
            "amount": _num(self.amount),
            "in_ecretement": self.in_ecretement,
        }


@dataclass(frozen=True, slots=True)
class Mar:
    cost_ttc: Decimal
    rate: Decimal
    ceiling_ttc: Decimal
    amount: Decimal
    reste_a_charge: Decimal

    def to_dict(self) -> dict[str, Any]:
        return {
            "cost_ttc": _num(self.cost_ttc),
            "rate": float(self.rate),
            "ceiling_ttc": _num(self.ceiling_ttc),
            "amount": _num(self.amount),
            "reste_a_charge": _num(self.reste_a_charge),
        }


@dataclass(frozen=True, slots=True)
class Result:
    as_of: dt.date
    income_scale: str
    income_category: str
    works_cost_ttc: Decimal
    mpr_accompagnee: MprAccompagnee
    mar_prise_en_charge: Decimal
    par_geste: tuple[GestureResult, ...]
    aids: tuple[Aid, ...]
    ecretement: Ecretement
    total_subsidies: Decimal
    loans: tuple[Loan, ...]
    reste_a_charge: Decimal
    reste_a_charge_pct: Decimal
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    defaults_used: tuple[str, ...]
    mar: Mar
    mpa: OtherAid | None
    mpld: OtherAid | None
    other_funding: tuple[FundingLine, ...]
    total_user_loans: Decimal
    category_trace: tuple[TraceStep, ...]

    def aid_amount(self, *codes: str) -> Decimal:
        """Total granted on the works and the MAR by the aids with these codes (0 if none)."""
        return sum((a.amount for a in self.aids if a.code in codes), Decimal(0))

    def aid_trace(self, *codes: str) -> tuple[TraceStep, ...]:
        """Trace steps of the aids with these codes, in result order."""
        return tuple(step for a in self.aids if a.code in codes for step in a.trace)

    def to_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "income_scale": self.income_scale,
            "income_category": self.income_category,
            "works_cost_ttc": _num(self.works_cost_ttc),
            "mpr_accompagnee": self.mpr_accompagnee.to_dict(),
            "mar_prise_en_charge": _num(self.mar_prise_en_charge),
            "par_geste": [g.to_dict() for g in self.par_geste],
            "aids": [a.to_dict() for a in self.aids],
            "ecretement": self.ecretement.to_dict(),
            "total_subsidies": _num(self.total_subsidies),
            "loans": [loan.to_dict() for loan in self.loans],
            "reste_a_charge": _num(self.reste_a_charge),
            "reste_a_charge_pct": _num(self.reste_a_charge_pct),
            "warnings": list(self.warnings),
            "missing": list(self.missing),
            "defaults_used": list(self.defaults_used),
            # additions to the contract (never renamed keys):
            "income_category_trace": _trace(self.category_trace),
            "mar": self.mar.to_dict(),
            "mpa": None if self.mpa is None else self.mpa.to_dict(),
            "mpld": None if self.mpld is None else self.mpld.to_dict(),
            "other_funding": [f.to_dict() for f in self.other_funding],
            "total_user_loans": _num(self.total_user_loans),
        }


def result_to_dict(result: Result) -> dict[str, Any]:
    return result.to_dict()


# --------------------------------------------------------------------------- fast JSON writer
# ``--batch`` writes hundreds of thousands of results; building dicts then encoding them costs
# more than the simulation itself. This writer produces the same JSON text as
# ``json.dumps(result.to_dict(), ensure_ascii=False)`` directly, memoising the encoded form of
# strings and numbers (rule texts, sources and barème values repeat from one result to the next).

_STR_MEMO: dict[str, str] = {}
_NUM_MEMO: dict[Any, str] = {}


def _s(text: str) -> str:
    encoded = _STR_MEMO.get(text)
    if encoded is None:
        if len(_STR_MEMO) > 200_000:
            _STR_MEMO.clear()
        encoded = _STR_MEMO[text] = _encode_str(text)
    return encoded


def _n(value: Decimal | int | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    encoded = _NUM_MEMO.get(value)
    if encoded is None:
        if len(_NUM_MEMO) > 200_000:
            _NUM_MEMO.clear()
        encoded = _NUM_MEMO[value] = repr(float(value))
    return encoded


def _b(value: bool) -> str:
    return "true" if value else "false"


def _strs(items: tuple[str, ...]) -> str:
    return "[" + ", ".join([_s(x) for x in items]) + "]"


_TRACE_MEMO: dict[tuple[TraceStep, ...], str] = {}


def _trace_json(steps: tuple[TraceStep, ...]) -> str:
    encoded = _TRACE_MEMO.get(steps)
    if encoded is None:
        if len(_TRACE_MEMO) > 100_000:
            _TRACE_MEMO.clear()
        encoded = _TRACE_MEMO[steps] = _trace_json_uncached(steps)
    return encoded


def _trace_json_uncached(steps: tuple[TraceStep, ...]) -> str:
    return (
        "["
        + ", ".join(
            [
                f'{{"rule": {_s(s.rule)}, "value": {_s(s.value)}, "source": {_s(s.source)}}}'
                for s in steps
            ]
        )
        + "]"
    )


def _other_json(aid: OtherAid | None) -> str:
    if aid is None:
        return "null"
    return (
        f'{{"eligible": {_b(aid.eligible)}, "reasons": {_strs(aid.reasons)}, '
        f'"rate": {_n(aid.rate)}, "ceiling_ht": {int(aid.ceiling_ht)}, '
        f'"amount": {_n(aid.amount)}}}'
    )


def result_to_json(r: Result) -> str:
    """The result as one line of JSON text (same content as ``to_dict``)."""
    m = r.mpr_accompagnee
    e = r.ecretement
    mar = r.mar
    gestures = ", ".join(
        [
            f'{{"code": {_s(g.code)}, "eligible": {_b(g.eligible)}, "amount": {_n(g.amount)}, '
            f'"reasons": {_strs(g.reasons)}, "quantity": {_n(g.quantity)}, '
            f'"amount_before_ecretement": {_n(g.amount_before_ecretement)}, '
            f'"cee_amount": {_n(g.cee_amount)}}}'
            for g in r.par_geste
        ]
    )
    aids = ", ".join(
        [
            f'{{"code": {_s(a.code)}, "label": {_s(a.label)}, "amount": {_n(a.amount)}, '
            f'"applies_to": {_s(a.applies_to)}, "trace": {_trace_json(a.trace)}}}'
            for a in r.aids
        ]
    )
    loans = ", ".join(
        [
            f'{{"code": {_s(x.code)}, "label": {_s(x.label)}, "eligible": {_b(x.eligible)}, '
            f'"max_amount": {_n(x.max_amount)}, "reasons": {_strs(x.reasons)}, '
            f'"trace": {_trace_json(x.trace)}}}'
            for x in r.loans
        ]
    )
    funding = ", ".join(
        [
            f'{{"funder": {_s(f.funder)}, "kind": {_s(f.kind)}, "label": {_s(f.label)}, '
            f'"amount_requested": {_n(f.amount_requested)}, "amount": {_n(f.amount)}, '
            f'"in_ecretement": {_b(f.in_ecretement)}}}'
            for f in r.other_funding
        ]
    )
    return (
        f'{{"as_of": "{r.as_of.isoformat()}", "income_scale": {_s(r.income_scale)}, '
        f'"income_category": {_s(r.income_category)}, "works_cost_ttc": {_n(r.works_cost_ttc)}, '
        f'"mpr_accompagnee": {{"eligible": {_b(m.eligible)}, "reasons": {_strs(m.reasons)}, '
        f'"class_gain": {_n(m.class_gain)}, "rate": {_n(m.rate)}, '
        f'"ceiling_ht": {int(m.ceiling_ht)}, '
        f'"amount_before_ecretement": {_n(m.amount_before_ecretement)}, '
        f'"amount": {_n(m.amount)}, "advance": {_n(m.advance)}, '
        f'"passoire_bonus": {_n(m.passoire_bonus)}}}, '
        f'"mar_prise_en_charge": {_n(r.mar_prise_en_charge)}, "par_geste": [{gestures}], '
        f'"aids": [{aids}], '
        f'"ecretement": {{"rate": {_n(e.rate)}, "ceiling": {_n(e.ceiling)}, '
        f'"applied": {_b(e.applied)}, "basis": {_s(e.basis)}, "reduction": {_n(e.reduction)}}}, '
        f'"total_subsidies": {_n(r.total_subsidies)}, "loans": [{loans}], '
        f'"reste_a_charge": {_n(r.reste_a_charge)}, '
        f'"reste_a_charge_pct": {_n(r.reste_a_charge_pct)}, '
        f'"warnings": {_strs(r.warnings)}, "missing": {_strs(r.missing)}, '
        f'"defaults_used": {_strs(r.defaults_used)}, '
        f'"income_category_trace": {_trace_json(r.category_trace)}, '
        f'"mar": {{"cost_ttc": {_n(mar.cost_ttc)}, "rate": {_n(mar.rate)}, '
        f'"ceiling_ttc": {_n(mar.ceiling_ttc)}, "amount": {_n(mar.amount)}, '
        f'"reste_a_charge": {_n(mar.reste_a_charge)}}}, '
        f'"mpa": {_other_json(r.mpa)}, "mpld": {_other_json(r.mpld)}, '
        f'"other_funding": [{funding}], "total_user_loans": {_n(r.total_user_loans)}}}'
    )
