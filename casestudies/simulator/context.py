"""Per-simulation working state shared by the aid modules."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal
from typing import Any

from .ops import Cond, Verdict, all_of
from .period import P, Period
from .situation import Situation

DPE_INDEX = {c: i for i, c in enumerate("ABCDEFG")}
MEMO_MAX = 4096  # entries of a per-period memo table (emptied when full: inputs vary widely)


class Ctx:
    __slots__ = (
        "s",
        "period",
        "category",
        "scale",
        "ttc",
        "base_ht",
        "warnings",
        "uncertain",
        "missing",
        "defaults",
        "class_gain",
    )

    def __init__(self, situation: Situation, period: Period) -> None:
        self.s = situation
        self.period = period
        self.category = ""
        self.scale = ""
        self.ttc = Decimal(0)
        self.base_ht = Decimal(0)  # energy works HT (works minus adaptation works)
        self.warnings: list[str] = []
        self.uncertain: dict[str, str] = {}
        self.missing: list[str] = []
        self.defaults: list[str] = list(situation.defaults_used)
        home = situation.home
        if home.dpe_before and home.dpe_after:
            self.class_gain: int | None = DPE_INDEX[home.dpe_before] - DPE_INDEX[home.dpe_after]
        else:
            self.class_gain = None

    def use(self, key: str) -> Any:
        """Value of a barème parameter; an uncertain value adds its warning to the result."""
        p: P = self.period.params[key]
        if p.uncertain:
            self.uncertain[key] = p.warning
        return p.value

    def p(self, key: str) -> P:
        p = self.period.params[key]
        if p.uncertain:
            self.uncertain[key] = p.warning
        return p

    def notice(self, key: str) -> None:
        """Show the message of a window (``guichet``) parameter, if it has one."""
        p = self.period.params[key]
        message = p.value["message"]
        if message:
            self.warnings.append(message + (" (information incertaine)" if p.uncertain else ""))

    def memo(self, name: str) -> dict[Hashable, Any]:
        """A table of values computed once per period (``name``: the aid's own), capped."""
        cache = self.period.cache
        table = cache.get(name)
        if table is None or len(table) > MEMO_MAX:
            table = cache[name] = {}
        return table

    def verdict(self, name: str, key: Hashable, conds: Callable[[], Iterable[Cond]]) -> Verdict:
        """``all_of(conds())``, computed once per period for each ``key``: ``key`` holds every
        value the conditions and their sentences read besides the period's barème (most files
        share a few verdicts; building the conditions and their sentences cost more)."""
        table = self.memo(name)
        verdict = table.get(key)
        if verdict is None:
            verdict = table[key] = all_of(conds())
        return verdict

    def refusal(self, verdict: Verdict) -> tuple[str, ...]:
        """Why an aid is refused on ``verdict`` (not True): its failed conditions, or else the
        inputs missing to conclude; those inputs are recorded in ``missing``."""
        for path in verdict.missing:
            self.need(path)
        return verdict.reasons or (
            "Informations manquantes pour conclure : " + ", ".join(verdict.missing) + ".",
        )

    def need(self, path: str) -> None:
        if path not in self.missing:
            self.missing.append(path)
