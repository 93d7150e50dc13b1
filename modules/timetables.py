"""A session's half-days as every one of its trainees sees them, shared (issue 12).

"Aujourd'hui" and "Mon émargement" show the session's 30 half-days with the modules each one
teaches: the same for every trainee of the session. Loading them (two queries, 30 slots and the
module pages behind them, each module's URL) was about a third of the page's time; it is now
built once per process and per state of the site (`lms.shared`, keyed by the session and the
site, moved on by any change to sessions, half-days, their modules or a module page) and kept
as frozen values. What is personal — signatures, statuses, whether the half-day is open for
this person — stays computed per request from the trainee's own rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from wagtail.models import Site

from lms import shared

from . import attendance as rules
from .selectors_attendance import session_slots


@dataclass(frozen=True)
class ModuleLink:
    """A module as a half-day lists it: its number, title and address."""

    pk: int
    number: int
    title: str
    url: str


@dataclass(frozen=True)
class SlotInfo:
    """One half-day of a session, read only (the attributes the pages read of a SessionSlot)."""

    pk: int
    session_id: int
    date: datetime.date
    day_number: int
    half: str
    half_label: str
    start_time: datetime.time
    end_time: datetime.time
    room: str
    hours: Decimal
    modules: tuple[ModuleLink, ...]

    @property
    def id(self) -> int:
        return self.pk

    def get_half_display(self) -> str:
        return self.half_label


def _module_url(module, request) -> str:
    return module.get_url(request=request) or ""


def slot_info(slot, request=None) -> SlotInfo:
    """A SessionSlot (with its modules prefetched) as a SlotInfo."""
    return SlotInfo(
        pk=slot.pk,
        session_id=slot.session_id,
        date=slot.date,
        day_number=slot.day_number,
        half=slot.half,
        half_label=slot.get_half_display(),
        start_time=slot.start_time,
        end_time=slot.end_time,
        room=slot.room,
        hours=rules.slot_duration_hours(slot.date, slot.start_time, slot.end_time),
        modules=tuple(
            ModuleLink(
                pk=module.pk,
                number=module.number,
                title=module.title,
                url=_module_url(module, request),
            )
            for module in slot.modules.all()
        ),
    )


def session_timetable(session, request=None) -> tuple[SlotInfo, ...]:
    """The session's half-days in order (date, start, day, half), shared by its trainees.

    Two queries the first time in a process for the current state of the site, none after.
    Module addresses are those `{% pageurl %}` gives on the request's site, so the value is
    kept per site."""
    site = Site.find_for_request(request) if request is not None else None
    return shared.shared(
        "session-timetable",
        (session.pk, site.pk if site is not None else None),
        lambda: tuple(slot_info(slot, request) for slot in session_slots(session)),
        generation=shared.generation(request),
    )
