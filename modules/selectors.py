"""Reads of the programme part: who may read what, the timetable, sessions and their slots.

Every function returns what a page needs in a fixed number of queries, whatever the number of
sessions, slots or trainees.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from lms import shared
from lms.models import Territory
from lms.prepared import Prepared
from lms.roles import is_coordinator, is_trainer

from . import access
from .calendar import (
    DAYS_PER_WEEK,
    WEEKS,
    Timing,
    holiday_clashes,
    holiday_warning,
    last_training_day,
    session_timing,
    training_days,
    years_spanned,
)
from .models import (
    Enrolment,
    ModulePage,
    ProgrammePage,
    SessionSlot,
    TimetableSlot,
    TrainingSession,
)
from .models.programme import HalfDay

MODULE_LINK_FIELDS = ("id", "title", "number", "url_path", "slug", "live", "depth", "path")


# --- Access rules ------------------------------------------------------------------------------


def can_read_full_module(user) -> bool:
    """A module's full content: trainers, coordinators, administrators and trainees with an
    active (not dropped) enrolment in any session. Everybody else reads the public summary."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or is_trainer(user) or is_coordinator(user):
        return True
    return access.has_active_enrolment(user)


def can_read_trainer_notes(user) -> bool:
    """Trainer notes: trainers and coordinators (and administrators), never trainees."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_trainer(user) or is_coordinator(user)


def today() -> datetime.date:
    return timezone.localdate()


# --- Programme ---------------------------------------------------------------------------------


def programme_modules(programme: ProgrammePage) -> QuerySet[ModulePage]:
    return (
        ModulePage.objects.live()
        .child_of(programme)
        .select_related("competency")
        .order_by("number")
    )


@dataclass
class TimetableDay:
    number: int
    morning: list = field(default_factory=list)
    afternoon: list = field(default_factory=list)


@dataclass
class TimetableWeek:
    number: int
    days: list[TimetableDay]


def timetable_weeks(programme: ProgrammePage) -> list[TimetableWeek]:
    """The 15-day timetable as 3 weeks × 5 days × (morning, afternoon) lists of live modules."""
    rows = TimetableSlot.objects.filter(programme=programme).prefetch_related(
        Prefetch(
            "modules",
            queryset=ModulePage.objects.live().only(*MODULE_LINK_FIELDS).order_by("number"),
        )
    )
    days = {n: TimetableDay(n) for n in range(1, WEEKS * DAYS_PER_WEEK + 1)}
    for row in rows:
        day = days.get(row.day)
        if day is None:
            continue
        target = day.morning if row.half == HalfDay.MORNING else day.afternoon
        target.extend(row.modules.all())
    return [
        TimetableWeek(
            number=week,
            days=[days[(week - 1) * DAYS_PER_WEEK + i] for i in range(1, DAYS_PER_WEEK + 1)],
        )
        for week in range(1, WEEKS + 1)
    ]


def module_neighbours(module: ModulePage) -> tuple[ModulePage | None, ModulePage | None]:
    """The live modules just before and after `module` by number (one query)."""
    around = list(
        ModulePage.objects.live()
        .filter(number__in=[module.number - 1, module.number + 1])
        .only(*MODULE_LINK_FIELDS)
    )
    by_number = {page.number: page for page in around}
    return by_number.get(module.number - 1), by_number.get(module.number + 1)


def module_activities(module: ModulePage) -> tuple[list, list]:
    """The live case studies and assessments that declare they serve `module` (their "modules"
    field, chosen in the admin), in the page tree's order: two queries."""
    case_studies = list(module.case_studies.live().order_by("path"))
    assessments = list(module.assessments.live().order_by("path"))
    return case_studies, assessments


@dataclass(frozen=True)
class PageLink:
    """A page as a module page links to it (read only, shared by every reader)."""

    title: str
    url: str
    number: int | None = None  # a module's
    summary: str = ""  # a case study's
    kind_label: str = ""  # an assessment's


@dataclass(frozen=True)
class CompetencyLabel:
    """A module's competency as its page names it (read only, shared by every reader)."""

    code: str
    title: str


@dataclass(frozen=True)
class ModuleLinks:
    previous_module: PageLink | None
    next_module: PageLink | None
    case_studies: tuple[PageLink, ...]
    assessments: tuple[PageLink, ...]
    programme: PageLink | None = None  # the module's parent page, its breadcrumb
    competency: CompetencyLabel | None = None


def module_links(module: ModulePage, request=None) -> ModuleLinks:
    """The module's programme (its parent), neighbours, case studies and assessments as links,
    and its competency: the same for every reader, built once per process and state of the site
    (lms.shared, keyed by the module and the request's site, whose `{% pageurl %}` addresses
    they hold; a competency edited moves the generation too); five queries when built."""
    from wagtail.models import Site

    def link(page, **extra) -> PageLink:
        return PageLink(title=page.title, url=page.get_url(request=request) or "", **extra)

    def build() -> ModuleLinks:
        previous_module, next_module = module_neighbours(module)
        case_studies, assessments = module_activities(module)
        parent = module.get_parent()
        competency = module.competency
        return ModuleLinks(
            previous_module=link(previous_module, number=previous_module.number)
            if previous_module
            else None,
            next_module=link(next_module, number=next_module.number) if next_module else None,
            case_studies=tuple(link(case, summary=case.summary or "") for case in case_studies),
            assessments=tuple(
                link(assessment, kind_label=assessment.get_kind_display())
                for assessment in assessments
            ),
            programme=link(parent) if parent is not None else None,
            competency=CompetencyLabel(code=competency.code, title=competency.title)
            if competency is not None
            else None,
        )

    if getattr(request, "is_preview", False):
        return build()  # a draft may have another number: never shared
    site = Site.find_for_request(request) if request is not None else None
    return shared.shared(
        "module-links",
        (module.pk, site.pk if site is not None else None),
        build,
        generation=shared.generation(request),
    )


# --- Sessions ----------------------------------------------------------------------------------


def session_days(session: TrainingSession) -> list[datetime.date]:
    return training_days(session.week_starts)


def timing_of(session: TrainingSession, on: datetime.date | None = None) -> str:
    return session_timing(session_days(session), on or today())


def with_enrolled_count(queryset: QuerySet[TrainingSession]) -> QuerySet[TrainingSession]:
    return queryset.annotate(
        enrolled_count=Count(
            "enrolments", filter=Q(enrolments__status__in=Enrolment.Status.ACTIVE), distinct=True
        )
    )


def public_sessions() -> QuerySet[TrainingSession]:
    """Sessions shown to the public: every session but drafts."""
    return with_enrolled_count(
        TrainingSession.objects.exclude(status=TrainingSession.Status.DRAFT)
        .select_related("territory")
        .prefetch_related("trainers")
    )


def filter_choices() -> tuple[list[Territory], list[int]]:
    """Territories and years that have public sessions (for the calendar's filter form)."""
    public = TrainingSession.objects.exclude(status=TrainingSession.Status.DRAFT)
    territories = list(Territory.objects.filter(sessions__in=public).distinct().order_by("name"))
    years: set[int] = set()
    for week1_start, week3_start in public.values_list("week1_start", "week3_start").distinct():
        years.update(years_spanned(week1_start, last_training_day(week3_start)))
    return territories, sorted(years)


@dataclass
class SessionGroups:
    in_progress: list[TrainingSession]
    upcoming: list[TrainingSession]
    past: list[TrainingSession]

    @property
    def total(self) -> int:
        return len(self.in_progress) + len(self.upcoming) + len(self.past)


def listed_public_sessions(
    queryset: QuerySet[TrainingSession] | None = None,
    *,
    year: int | None = None,
    on: datetime.date | None = None,
) -> list[TrainingSession]:
    """Public sessions (of `queryset`, default `public_sessions()`) in date order, each with its
    timing on `on`, last training day and seats left; with `year`, those with a training day in
    that year. The calendar page and the register API (assessments.register) read this list."""
    on = on or today()
    queryset = public_sessions() if queryset is None else queryset
    if year is not None:
        # Every session with a training day in the year: one that starts in December and ends
        # in January is listed under both years. Week 3's last day is at most 6 days after it
        # starts; the exact check is on the computed days below.
        queryset = queryset.filter(
            week1_start__lte=datetime.date(year, 12, 31),
            week3_start__gte=datetime.date(year, 1, 1) - datetime.timedelta(days=6),
        )
    sessions = []
    for session in queryset.order_by("week1_start", "name"):
        session.timing = timing_of(session, on)
        session.last_day = session_days(session)[-1]
        if year is not None and year not in years_spanned(session.week1_start, session.last_day):
            continue
        session.seats_left = max(session.capacity - session.enrolled_count, 0)
        sessions.append(session)
    return sessions


def grouped_sessions(
    *, territory: Territory | None = None, year: int | None = None, on: datetime.date | None = None
) -> SessionGroups:
    """Public sessions by timing (in progress, upcoming, past — the latter newest first)."""
    queryset = public_sessions()
    if territory is not None:
        queryset = queryset.filter(territory=territory)
    groups = SessionGroups([], [], [])
    for session in listed_public_sessions(queryset, year=year, on=on):
        {
            Timing.IN_PROGRESS: groups.in_progress,
            Timing.UPCOMING: groups.upcoming,
            Timing.PAST: groups.past,
        }[session.timing].append(session)
    groups.past.reverse()
    return groups


def session_holiday_warning(session: TrainingSession) -> str:
    """The French warning listing the session's half-days on public holidays, each date with a
    proposed working day ("" when none). One query."""
    halves: dict[datetime.date, list[str]] = {}
    for day_number, half, date in session.slots.order_by("day_number", "half").values_list(
        "day_number", "half", "date"
    ):
        halves.setdefault(date, []).append(f"jour {day_number} {HalfDay(half).label.lower()}")
    return holiday_warning(holiday_clashes(halves), halves)


def session_by_slug(slug: str, *, include_drafts: bool = False) -> TrainingSession | None:
    queryset = (
        public_sessions()
        if not include_drafts
        else with_enrolled_count(
            TrainingSession.objects.select_related("territory").prefetch_related("trainers")
        )
    )
    return queryset.filter(slug=slug).first()


def session_slots(session_or_sessions) -> QuerySet[SessionSlot]:
    """Slots of one session (or a queryset of sessions) with their modules, in order."""
    if isinstance(session_or_sessions, TrainingSession):
        queryset = SessionSlot.objects.filter(session=session_or_sessions)
    else:
        queryset = SessionSlot.objects.filter(session__in=session_or_sessions)
    return (
        queryset.select_related("session", "session__territory")
        .prefetch_related(
            Prefetch(
                "modules",
                queryset=ModulePage.objects.only(*MODULE_LINK_FIELDS).order_by("number"),
            )
        )
        .order_by("date", "start_time", "session_id", "day_number")
    )


@dataclass
class SessionWeek:
    number: int
    start: datetime.date
    end: datetime.date
    slots: list[SessionSlot]


def session_weeks(session: TrainingSession, slots: list[SessionSlot]) -> list[SessionWeek]:
    """The session's three weeks with their dates and their slots (in day/half order)."""
    days = session_days(session)
    weeks = []
    for number in range(1, WEEKS + 1):
        week_days = days[(number - 1) * DAYS_PER_WEEK : number * DAYS_PER_WEEK]
        week_slots = sorted(
            (slot for slot in slots if slot.week_number == number),
            key=lambda slot: (slot.day_number, slot.half),
        )
        weeks.append(SessionWeek(number, week_days[0], week_days[-1], week_slots))
    return weeks


# --- Enrolments and private feeds --------------------------------------------------------------


def enrolment_for_ical_token(token: str) -> Enrolment | None:
    if not token:
        return None
    # A deactivated account's feed stops at once, like its login (the URL is a bearer secret).
    return (
        Enrolment.objects.select_related("trainee")
        .filter(ical_token=token, trainee__is_active=True)
        .first()
    )


def _ical_token_query(trainee_id):
    return (
        access.active_enrolments_of(trainee_id)
        .order_by("session__week1_start", "pk")
        .values_list("ical_token")[:1]
    )


# The agenda box of the trainee's pages asks on each visit: compiled once (lms.prepared).
_ICAL_TOKEN = Prepared(_ical_token_query)


def trainee_ical_token(trainee) -> str | None:
    """The token of the trainee's private feed: the one of their active enrolment in the
    earliest session (any of their tokens gives the same feed); None without an active one."""
    rows = _ICAL_TOKEN.rows(trainee.pk)
    return rows[0][0] if rows else None


def trainee_feed_slots(trainee) -> QuerySet[SessionSlot]:
    """Every slot of the sessions in which `trainee` has an active enrolment."""
    active = access.active_enrolments_of(trainee)
    return session_slots(TrainingSession.objects.filter(enrolments__in=active))
