"""Barèmes compiled for one period (a span of dates with no change in any value).

Files are loaded once per process; each period is compiled once (values in force, source and
warning texts prepared) and cached, so a simulation never touches YAML.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .loader import BAREMES_DIR, Bareme, effective_dates, load_all


@dataclass(frozen=True, slots=True)
class P:
    """One barème value in force: what it is, since when, from where, and how sure."""

    key: str  # "mpr_accompagnee.taux"
    description: str
    unit: str
    value: Any  # None when the measure does not exist at that date
    since: dt.date
    source: str  # "title — url (en vigueur depuis le …)"
    uncertain: bool
    note: str
    warning: str  # French warning text when uncertain, else ""


class Period:
    """Every parameter in force during one period, keyed ``<file stem>.<path>``."""

    def __init__(self, start: dt.date, params: dict[str, P]) -> None:
        self.start = start
        self.params = params
        self.cache: dict[str, Any] = {}  # lookup tables precomputed by the aid modules

    def __getitem__(self, key: str) -> P:
        return self.params[key]


def _compile(baremes: dict[str, Bareme], as_of: dt.date) -> Period:
    params: dict[str, P] = {}
    for file, bareme in baremes.items():
        stem = file.removesuffix(".yaml")
        for path, parameter in bareme.parameters.items():
            entry = parameter.at(as_of)
            if entry is None:  # the loader guarantees coverage from 2024-01-01
                continue
            since = entry.date.isoformat()
            ref = entry.reference
            source = f"{ref.title} — {ref.url} (valeur en vigueur depuis le {since})"
            warning = ""
            if entry.uncertain:
                warning = f"Valeur incertaine : {parameter.description} (depuis le {since})"
                warning += (
                    f". {entry.note}" if entry.note else " : à confirmer sur une source officielle."
                )
            key = f"{stem}.{path}"
            params[key] = P(
                key=key,
                description=parameter.description,
                unit=parameter.unit,
                value=entry.value,
                since=entry.date,
                source=source,
                uncertain=entry.uncertain,
                note=entry.note,
                warning=warning,
            )
    return Period(start=as_of, params=params)


class Baremes:
    """Loaded barème files and their compiled periods."""

    def __init__(self, directory: Path = BAREMES_DIR) -> None:
        self.files = load_all(directory)
        self.dates = effective_dates(self.files)
        self._periods: dict[int, Period] = {}
        self._by_date: dict[dt.date, Period] = {}  # each date seen, to its period
        self._lock = threading.Lock()

    def period(self, as_of: dt.date) -> Period:
        period = self._by_date.get(as_of)
        if period is None:
            period = self._by_date[as_of] = self._period(as_of)
        return period

    def _period(self, as_of: dt.date) -> Period:
        index = bisect.bisect_right(self.dates, as_of) - 1
        period = self._periods.get(index)
        if period is None:
            with self._lock:
                period = self._periods.get(index)
                if period is None:
                    start = self.dates[max(index, 0)]
                    period = _compile(self.files, max(as_of, start) if index < 0 else start)
                    self._periods[index] = period
        return period


@lru_cache(maxsize=1)
def default_baremes() -> Baremes:
    return Baremes()
