"""The trainee's "Aujourd'hui" space as a view-model, and its extension points.

Apps to the right of `modules` (casestudies, assessments) cannot be imported here; they add
what is due and competency progress by registering providers from their `AppConfig.ready()`:

    from modules.today import register_due_provider, register_competency_progress_provider

    register_due_provider(lambda user, enrolment, today: [
        {"label": "Dossier : jalon Identifier", "url": "/dossiers/12/", "due_label": "vendredi"},
    ])
    register_competency_progress_provider(lambda user, enrolment: {"C1": 40, "C2": 10})

A provider receives the trainee, their current `Enrolment` and today's date; it must keep its
own query count constant. A provider that fails is skipped (logged), never breaking the page.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from lms import shared

from . import attendance as rules
from . import clock
from .models import Competency, Enrolment
from .selectors_attendance import (
    attendances_for,
    current_enrolment,
    current_enrolments,
    enrolment_attendances,
    is_in_progress,
)
from .timetables import SlotInfo, session_timetable

logger = logging.getLogger(__name__)

DueProvider = Callable[[object, Enrolment, datetime.date], list[dict]]
CompetencyProvider = Callable[[object, Enrolment], dict[str, int]]

_due_providers: list[DueProvider] = []
_competency_providers: list[CompetencyProvider] = []

TOTAL_DAYS = 15


def register_due_provider(provider: DueProvider) -> None:
    """Add a source of "à faire" items.

    `provider(user, enrolment, today)` returns a list of {label, url, due_label} and, when the
    item has a deadline, `due_date` (a date): "Aujourd'hui" then flags it when overdue and
    orders the list by deadline.
    """
    if provider not in _due_providers:
        _due_providers.append(provider)


def register_competency_progress_provider(provider: CompetencyProvider) -> None:
    """Add a source of competency progress: callable(user, enrolment) → {code: percent}."""
    if provider not in _competency_providers:
        _competency_providers.append(provider)


def unregister_providers(*providers) -> None:
    """Remove providers (for tests)."""
    for provider in providers:
        if provider in _due_providers:
            _due_providers.remove(provider)
        if provider in _competency_providers:
            _competency_providers.remove(provider)


@dataclass
class HalfDayView:
    slot: SlotInfo
    modules: list
    is_open: bool
    is_current: bool
    signed_at: datetime.datetime | None
    status: str
    countersigned: bool
    opens_label: str
    enrolment_can_sign: bool = True

    @property
    def half_label(self) -> str:
        return self.slot.get_half_display()

    @property
    def times_label(self) -> str:
        return f"{rules.time_label(self.slot.start_time)} – {rules.time_label(self.slot.end_time)}"

    @property
    def signed_label(self) -> str:
        return rules.time_label(self.signed_at) if self.signed_at else ""

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS.get(self.status, self.status)

    @property
    def can_sign(self) -> bool:
        return self.is_open and self.signed_at is None and not self.countersigned


@dataclass
class DayView:
    date: datetime.date
    day_number: int
    halves: list[HalfDayView] = field(default_factory=list)

    @property
    def week_number(self) -> int:
        return rules.week_and_day(self.day_number)[0]

    @property
    def date_label(self) -> str:
        return rules.date_label(self.date)


@dataclass
class SessionToday:
    """Today's half-days in one of the trainee's sessions (a trainee may follow a main session
    and a catch-up session: "Aujourd'hui" shows every one, named)."""

    enrolment: Enrolment
    day: DayView

    @property
    def session(self):
        return self.enrolment.session


@dataclass
class TodayView:
    state: str  # "in_progress", "upcoming", "none"
    enrolment: Enrolment | None = None
    today: datetime.date | None = None
    day: DayView | None = None
    current: HalfDayView | None = None
    days: list[DayView] = field(default_factory=list)
    upcoming_days: list[DayView] = field(default_factory=list)
    days_done: int = 0
    total_days: int = TOTAL_DAYS
    first_day: datetime.date | None = None
    hours_attended: Decimal = Decimal(0)
    hours_planned: Decimal = Decimal(0)
    due: list[dict] = field(default_factory=list)
    competencies: list[dict] = field(default_factory=list)
    can_sign_enrolment: bool = False
    today_sessions: list[SessionToday] = field(default_factory=list)

    @property
    def several_sessions_today(self) -> bool:
        return len(self.today_sessions) > 1

    @property
    def progress_percent(self) -> int:
        return rules.progress_percent(self.days_done, self.total_days)

    @property
    def hours_attended_label(self) -> str:
        return rules.hours_label(self.hours_attended)

    @property
    def hours_planned_label(self) -> str:
        return rules.hours_label(self.hours_planned)

    @property
    def first_day_label(self) -> str:
        return rules.date_label(self.first_day) if self.first_day else ""


def _call_due_providers(user, enrolment, today) -> list[dict]:
    items: list[dict] = []
    for provider in list(_due_providers):
        try:
            items.extend(provider(user, enrolment, today) or [])
        except Exception:  # A broken add-on must not take the trainee's landing page down.
            logger.exception("Due provider %r failed", provider)
    return order_due(items, today)


def order_due(items: list[dict], today: datetime.date) -> list[dict]:
    """Overdue items first (the oldest first), then what is due next by date, then items
    without a date, in the providers' order. An item may carry a `due_date`; this adds
    `overdue` (its date is past) and `next` (the first item still on time)."""
    dated = sorted(
        (item for item in items if item.get("due_date")), key=lambda item: item["due_date"]
    )
    undated = [item for item in items if not item.get("due_date")]
    for item in items:
        item["overdue"] = bool(item.get("due_date")) and item["due_date"] < today
        item["next"] = False
    on_time = [item for item in dated if not item["overdue"]]
    if on_time:
        on_time[0]["next"] = True
    return [item for item in dated if item["overdue"]] + on_time + undated


def _competency_progress(user, enrolment, request=None) -> list[dict]:
    percents: dict[str, int] = {}
    for provider in list(_competency_providers):
        try:
            for code, value in (provider(user, enrolment) or {}).items():
                percents[code] = max(percents.get(code, 0), int(value))
        except Exception:
            logger.exception("Competency progress provider %r failed", provider)
    return [
        {"code": code, "title": title, "percent": max(0, min(100, percents.get(code, 0)))}
        for code, title in shared.shared(
            "competencies", None, _competency_rows, generation=shared.generation(request)
        )
    ]


def _competency_rows() -> tuple:
    """Every competency, by code (shared: the same list for everybody)."""
    return tuple(Competency.objects.order_by("code").values_list("code", "title"))


def build_today(user, now: datetime.datetime | None = None, request=None) -> TodayView:
    """Everything "Aujourd'hui" shows, in a fixed number of queries. The session's half-days and
    what else every trainee of a session shares come from `lms.shared` (no query once built);
    `request` gives the site the module addresses are written for."""
    now = now or clock.now()
    today = rules.to_paris(now).date()
    enrolments = current_enrolments(user)
    enrolment, state = current_enrolment(user, today, enrolments)
    if enrolment is None:
        return TodayView(state="none", today=today)
    slots = session_timetable(enrolment.session, request)
    attendances = enrolment_attendances(enrolment)
    view = TodayView(
        state=state,
        enrolment=enrolment,
        today=today,
        first_day=enrolment.first_day,
        can_sign_enrolment=enrolment.status in Enrolment.Status.SIGNING,
    )
    days: dict[int, DayView] = {}
    attended = Decimal(0)
    for slot in slots:
        attendance = attendances.get(slot.pk)
        if attendance is not None and attendance.status == rules.PRESENT:
            attended += slot.hours  # rules.hours_attended, with the durations already known
        view.hours_planned += slot.hours
        day = days.setdefault(slot.day_number, DayView(date=slot.date, day_number=slot.day_number))
        day.halves.append(_half_view(slot, attendance, now, can_sign=view.can_sign_enrolment))
    view.hours_attended = rules.round_hours(attended)
    ordered = sorted(days.values(), key=lambda item: (item.date, item.day_number))
    view.days = ordered
    view.total_days = len(ordered) or TOTAL_DAYS
    view.days_done = sum(1 for item in ordered if item.date < today)
    view.upcoming_days = [item for item in ordered if item.date > today]
    todays = [item for item in ordered if item.date == today]
    if todays:
        view.day = todays[0]
        view.current = _current_half(view.day.halves, now)
        if view.current is not None:
            view.current.is_current = True
    others = [item for item in enrolments if item != enrolment and is_in_progress(item, today)]
    view.today_sessions = _today_sessions(view, others, now, request)
    if state == "in_progress":
        view.due = _call_due_providers(user, enrolment, today)
    view.competencies = _competency_progress(user, enrolment, request)
    return view


def _half_view(
    slot: SlotInfo, attendance, now: datetime.datetime, *, can_sign: bool
) -> HalfDayView:
    opens, _closes = rules.signing_window(slot.date, slot.start_time)
    return HalfDayView(
        slot=slot,
        modules=list(slot.modules),
        is_open=can_sign and rules.is_signing_open(slot.date, slot.start_time, now),
        is_current=False,
        signed_at=attendance.trainee_signed_at if attendance else None,
        status=attendance.status if attendance else rules.PENDING,
        countersigned=bool(attendance and attendance.trainer_signed_at),
        opens_label=rules.time_label(opens),
        enrolment_can_sign=can_sign,
    )


def _today_sessions(
    view: TodayView, others: list[Enrolment], now: datetime.datetime, request=None
) -> list[SessionToday]:
    """Today's half-days of every current enrolment: the main session's day first, then those
    of the other sessions in progress (e.g. a catch-up session), each named. No query when the
    trainee follows one session; one more otherwise (their attendance rows), whatever their
    number: the other sessions' half-days are shared timetables too."""
    sessions: list[SessionToday] = []
    if view.day is not None:
        sessions.append(SessionToday(view.enrolment, view.day))
    if not others:
        return sessions
    by_session = {enrolment.session_id: enrolment for enrolment in others}
    slots = sorted(
        (
            slot
            for enrolment in others
            for slot in session_timetable(enrolment.session, request)
            if slot.date == view.today
        ),
        key=lambda slot: (slot.start_time, slot.session_id, slot.half),
    )
    attendances = attendances_for(others, slots)
    days: dict[int, SessionToday] = {}
    for slot in slots:
        enrolment = by_session[slot.session_id]
        item = days.get(slot.session_id)
        if item is None:
            item = days[slot.session_id] = SessionToday(
                enrolment, DayView(date=slot.date, day_number=slot.day_number)
            )
        can_sign = enrolment.status in Enrolment.Status.SIGNING
        item.day.halves.append(_half_view(slot, attendances.get(slot.pk), now, can_sign=can_sign))
    for item in days.values():
        current = _current_half(item.day.halves, now)
        if current is not None:
            current.is_current = True
    return sessions + list(days.values())


def _current_half(halves: list[HalfDayView], now: datetime.datetime) -> HalfDayView | None:
    """The half-day in progress: the last one whose signing window has opened, else the first."""
    if not halves:
        return None
    current = halves[0]
    for half in halves:
        opens, _closes = rules.signing_window(half.slot.date, half.slot.start_time)
        if rules.to_paris(now) >= opens:
            current = half
    return current
