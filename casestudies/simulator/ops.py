"""The closed set of operations every aid is written with.

Each operation returns its value and the trace step that explains it (rule, barème value used
and its source, in French). Conditions are three-valued: True, False, or None (unknown, because
an input is missing), like publicodes' missing variables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

from .money import ZERO, fmt_eur, fmt_rate, money


class TraceStep(NamedTuple):
    rule: str
    value: str
    source: str


_new_tuple = tuple.__new__


def step(rule: str, value: str, source: str) -> TraceStep:
    """``TraceStep(rule, value, source)``, built without the named tuple's Python-level
    ``__new__`` (a simulation builds a dozen steps: the class call cost twice this)."""
    return _new_tuple(TraceStep, (rule, value, source))


class Cond(NamedTuple):
    ok: bool | None  # None: unknown (an input is missing)
    reason: str | Callable[[], str]  # French sentence (or a function making it) shown on failure
    missing: str = ""  # JSON path of the missing input when ok is None


def _text(reason: str | Callable[[], str]) -> str:
    return reason if isinstance(reason, str) else reason()


class Verdict(NamedTuple):
    ok: bool | None
    reasons: tuple[str, ...]
    missing: tuple[str, ...]


HOLDS = Verdict(True, (), ())  # every condition holds (built once: the common verdict)
_TRUE = Cond(True, "")


def all_of(conds: Iterable[Cond]) -> Verdict:
    """True when every condition holds; False (with every failed reason) when one fails;
    None when none fails but some are unknown."""
    reasons: list[str] = []
    missing: list[str] = []
    for c in conds:
        if c.ok is False:
            reasons.append(_text(c.reason))
        elif c.ok is None:
            missing.append(c.missing)
    if reasons:
        return Verdict(False, tuple(reasons), tuple(missing))
    if missing:
        return Verdict(None, (), tuple(missing))
    return HOLDS


def any_of(conds: Sequence[Cond], reason: str) -> Cond:
    """True when one condition holds; None when none holds but one is unknown; else False."""
    missing = ""
    for c in conds:
        if c.ok:
            return _TRUE
        if c.ok is None and not missing:
            missing = c.missing
    if missing:
        return Cond(None, reason, missing)
    return Cond(False, reason)


def bracket(value: int | Decimal, bounds: Sequence, labels: Sequence[str]) -> str:
    """Label of the first bracket whose upper bound (inclusive) is >= value; the last label
    (one more than the bounds) takes everything above."""
    for bound, label in zip(bounds, labels, strict=False):
        if value <= bound:
            return label
    return labels[len(bounds)]


def rate(base: Decimal, r: Decimal, rule: str, source: str) -> tuple[Decimal, TraceStep]:
    amount = money(base * r)
    return amount, step(rule, f"{fmt_rate(r)} × {fmt_eur(base)} = {fmt_eur(amount)}", source)


def ceiling(amount: Decimal, cap: Decimal, rule: str, source: str) -> tuple[Decimal, TraceStep]:
    if amount > cap:
        return cap, step(rule, f"{fmt_eur(amount)} plafonné à {fmt_eur(cap)}", source)
    return amount, step(rule, f"{fmt_eur(amount)} (plafond {fmt_eur(cap)} non atteint)", source)


def floor(amount: Decimal, minimum: Decimal = ZERO) -> Decimal:
    return amount if amount > minimum else minimum


def ecretement(amounts: Sequence[Decimal], cap: Decimal) -> tuple[list[Decimal], Decimal]:
    """Reduce the amounts, first one first, until their sum is at most ``cap``.
    Returns the reduced amounts and the total reduction."""
    excess = sum(amounts, ZERO) - cap
    result = list(amounts)
    if excess <= 0:
        return result, ZERO
    total = excess
    for i, amount in enumerate(result):
        cut = amount if amount < excess else excess
        result[i] = amount - cut
        excess -= cut
        if excess <= 0:
            break
    return result, total
