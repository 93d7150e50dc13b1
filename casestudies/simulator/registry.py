"""The aid registry: the one list of the aids the simulator computes, keyed by aid code.

Each module of ``casestudies/simulator/aids/`` declares its aid(s) in one place: a module-level
``SPEC`` (or ``SPECS`` for a module with several codes), an :class:`AidSpec` that says

- what the aid is (``code``, ``label``, ``kind``: a subsidy on the works, the MAR service or a
  loan) and where it is shown (``order``) and computed (``rank``);
- its inputs: the situation fields it owns (``inputs``, validated by the situation parser);
- its barème: the parameters it reads and their schemas (``bareme``, file name → parameters);
- its conditions and amount: ``evaluate(ctx, done)`` returns an :class:`Outcome`;
- how it takes part in the combination steps (``ecretement_rank``, ``cap_rank``,
  ``not_cumulative_with``) and what it adds to the result (``report``, ``sections``);
- the financing-plan field it is compared with (``answer``).

The modules are found by listing the ``aids`` package: adding an aid is adding one module there
and one barème file (``tests/simulator/test_registry.py`` proves it with a plug-in aid).
``plugged(module)`` registers a module from elsewhere for the time of a ``with`` block.
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from .money import ZERO as _ZERO
from .result import Aid

if TYPE_CHECKING:  # pragma: no cover
    from .context import Ctx
    from .ops import TraceStep
    from .result import Ecretement
    from .schemas import Schema
    from .situation import Field

WORKS = "travaux"  # a subsidy on the works: in total_subsidies, the global cap, the reste à charge
SERVICE = "accompagnement"  # pays for the MAR service, reported apart
LOAN = "pret"  # a regulated loan, listed in ``loans``, evaluated after the combination steps
KINDS = (WORKS, SERVICE, LOAN)
HEAD, TAIL = "head", "tail"  # where a result section goes (after works_cost_ttc / at the end)


class Outcome(NamedTuple):
    """One aid evaluated on its own, before the combination steps (a tuple: built for every
    aid of every simulation)."""

    code: str
    eligible: bool
    amount: Decimal  # before combination (0 when not eligible); a loan: its maximum amount
    trace: tuple[TraceStep, ...] = ()
    reasons: tuple[str, ...] = ()  # why it is not granted (French), when not eligible
    detail: Any = None  # what the aid module needs later (its report, other aids, sections)
    ecretement: Ecretement | None = None  # an écrêtement the aid applied itself (par geste)


class Section(NamedTuple):
    """A key the aid adds to the result (its value comes from the aid's ``report``)."""

    key: str
    place: str  # HEAD (after works_cost_ttc) or TAIL (after income_category_trace)


class Answer(NamedTuple):
    """The financing-plan field an aid is compared with (several aids may share one)."""

    field: str  # "aid_mpa"
    label: str  # "MaPrimeAdapt'"
    hint: str  # what to re-read, in plain French, with no number
    keys: tuple[str, ...] = ()  # barème parameters "<file stem>.<path>" shown on a gap


class Done(NamedTuple):
    """What an aid may read of the aids evaluated before it (and, for loans, the amounts after
    the combination steps)."""

    outcomes: Mapping[str, Outcome]
    amounts: Mapping[str, Decimal]

    def eligible(self, code: str) -> bool:
        outcome = self.outcomes.get(code)
        return outcome is not None and outcome.eligible

    def amount(self, code: str) -> Decimal:
        """Final amount (loans stage) or amount before combination (aids stage)."""
        value = self.amounts.get(code)
        if value is not None:
            return value
        outcome = self.outcomes.get(code)
        return outcome.amount if outcome is not None else Decimal(0)


_NOT_APPLICABLE: dict[str, Outcome] = {}  # by aid code: the same for every file


def loan_outcome(ctx: Ctx, code: str, loan: Any) -> Outcome:
    """The outcome of a loan (a ``result.Loan``, built once per period and reasons or amount
    by the loan's module), built once per loan too."""
    table = ctx.memo("loan_outcomes")
    outcome = table.get(id(loan))
    if outcome is None or outcome.detail is not loan:  # an address is reused once freed
        outcome = table[id(loan)] = Outcome(
            code, loan.eligible, loan.max_amount, loan.trace, loan.reasons, loan
        )
    return outcome


def optional_outcome(code: str, detail: Any, trace: tuple[TraceStep, ...]) -> Outcome:
    """The outcome of an aid evaluated only when its inputs are given (MaPrimeAdapt', Ma Prime
    Logement Décent): ``detail`` is None when the aid does not apply, else its section
    (``eligible``, ``reasons``, ``amount``)."""
    if detail is None:
        outcome = _NOT_APPLICABLE.get(code)
        if outcome is None:
            outcome = _NOT_APPLICABLE[code] = Outcome(code, False, _ZERO)
        return outcome
    amount = detail.amount if detail.eligible else _ZERO
    return Outcome(code, detail.eligible, amount, trace, detail.reasons, detail)


Report = tuple[Aid | None, dict[str, Any]]  # an aid's line (or None) and its sections' values


def default_report(
    ctx: Ctx, spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...]
) -> Report:
    """After the combination steps: the aid's line in ``aids`` (when it is granted a positive
    amount) and the values of its result sections (none). ``amount`` is its final amount,
    ``extra`` the trace of the combination steps that concern it (écrêtement)."""
    return line(spec, outcome, amount, extra), {}


def line(
    spec: AidSpec, outcome: Outcome, amount: Decimal, extra: tuple[TraceStep, ...] = ()
) -> Aid | None:
    if not outcome.eligible or amount <= 0:
        return None
    return Aid(spec.code, spec.label, amount, outcome.trace + extra, spec.kind)


@dataclass(frozen=True, slots=True)
class AidSpec:
    code: str
    label: str
    evaluate: Callable[[Ctx, Done], Outcome]
    order: int  # position of its line in ``aids`` (or ``loans``)
    rank: int  # evaluation order (an aid may read the outcomes of aids of lower rank)
    kind: str = WORKS
    inputs: tuple[Field, ...] = ()
    bareme: Mapping[str, Mapping[str, Schema]] = field(default_factory=dict)
    ecretement_rank: int | None = None  # position in the TTC écrêtement (reduced first: 1)
    cap_rank: int = 0  # global cap: the highest rank is reduced first, after the user's aids
    not_cumulative_with: str | None = None  # the larger of the two is kept
    report: Callable[..., Report] = default_report
    sections: tuple[Section, ...] = ()
    answer: Answer | None = None


class Registry:
    """Aid specs by code, in evaluation order, with the lists the engine derives from them."""

    def __init__(self, specs: list[AidSpec]) -> None:
        by_code: dict[str, AidSpec] = {}
        for spec in specs:
            if spec.kind not in KINDS:
                raise ValueError(f"aid {spec.code}: unknown kind {spec.kind!r}")
            if spec.code in by_code:
                raise ValueError(f"aid code {spec.code!r} declared twice")
            by_code[spec.code] = spec
        self.by_code = by_code
        ordered = sorted(specs, key=lambda s: (s.rank, s.code))
        self.aids = tuple(s for s in ordered if s.kind != LOAN)  # evaluated before combination
        self.loans = tuple(sorted((s for s in specs if s.kind == LOAN), key=lambda s: s.order))
        self.works = tuple(
            s.code for s in sorted(specs, key=lambda s: s.cap_rank) if s.kind == WORKS
        )
        self.ecretement = tuple(
            s.code
            for s in sorted(
                (s for s in specs if s.ecretement_rank is not None),
                key=lambda s: s.ecretement_rank or 0,
            )
        )
        self.display = tuple(sorted((s for s in specs if s.kind != LOAN), key=lambda s: s.order))
        # what the engine's report step reads of each displayed aid, read once: (spec, whether
        # its report is the default one, whether it is in the TTC écrêtement, its sections as
        # (key, placed at the head))
        self.reports = tuple(
            (
                s,
                s.report is default_report,
                s.ecretement_rank is not None,
                tuple((sec.key, sec.place == HEAD) for sec in s.sections),
            )
            for s in self.display
        )
        self.pairs = tuple(
            (s.not_cumulative_with, s.code) for s in ordered if s.not_cumulative_with
        )
        sections = [(sec, s.code) for s in ordered for sec in s.sections]
        self.head = tuple(x for x in sections if x[0].place == HEAD)
        self.tail = tuple(x for x in sections if x[0].place == TAIL)

    def __getitem__(self, code: str) -> AidSpec:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[AidSpec]:
        return iter(sorted(self.by_code.values(), key=lambda s: (s.rank, s.code)))

    def codes(self) -> tuple[str, ...]:
        return tuple(s.code for s in self)

    def bareme_schemas(self) -> dict[str, dict[str, Schema]]:
        """Parameters of every aid's barème file (files shared by several aids are merged)."""
        files: dict[str, dict[str, Schema]] = {}
        for spec in self:
            for name, params in spec.bareme.items():
                target = files.setdefault(name, {})
                for key, schema in params.items():
                    if key in target and target[key] is not schema:
                        raise ValueError(f"{name}: parameter {key} declared by two aids")
                    target[key] = schema
        return files

    def inputs(self) -> tuple[tuple[str, Field], ...]:
        """(owning aid code, input field) of every aid."""
        return tuple((spec.code, f) for spec in self for f in spec.inputs)

    def answers(self) -> tuple[tuple[Answer, tuple[str, ...]], ...]:
        """Each financing-plan field with the codes of the aids compared with it, in display
        order."""
        fields: dict[Answer, list[str]] = {}
        for spec in self.display:
            if spec.answer is not None:
                fields.setdefault(spec.answer, []).append(spec.code)
        return tuple((answer, tuple(codes)) for answer, codes in fields.items())

    def sources(self) -> tuple[str, ...]:
        """Source files of the aid modules (the checked-barème cache depends on them)."""
        return tuple(sorted({s.evaluate.__code__.co_filename for s in self}))


def _specs_of(module: ModuleType) -> list[AidSpec]:
    specs = list(getattr(module, "SPECS", ()))
    if hasattr(module, "SPEC"):
        specs.append(module.SPEC)
    return specs


def discover() -> list[ModuleType]:
    """Every module of the ``aids`` package, imported."""
    from . import aids

    return [
        importlib.import_module(f"{aids.__name__}.{info.name}")
        for info in pkgutil.iter_modules(aids.__path__)
        if not info.name.startswith("_")
    ]


_lock = threading.Lock()
_plugged: list[ModuleType] = []
_current: Registry | None = None
_listeners: list[Callable[[], None]] = []


def registry() -> Registry:
    """The registry of the aids package's modules (and of any plugged module)."""
    global _current
    current = _current
    if current is None:
        with _lock:
            if _current is None:
                specs = [s for m in discover() + _plugged for s in _specs_of(m)]
                _current = Registry(specs)
            current = _current
    return current


def on_change(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever the set of aids changes (caches built from it are dropped)."""
    _listeners.append(listener)


def _reset() -> None:
    global _current
    with _lock:
        _current = None
    for listener in _listeners:
        listener()


@contextlib.contextmanager
def plugged(module: ModuleType) -> Iterator[Registry]:
    """Register the aid(s) of ``module`` (from outside the aids package) inside the block."""
    _plugged.append(module)
    _reset()
    try:
        yield registry()
    finally:
        _plugged.remove(module)
        _reset()
