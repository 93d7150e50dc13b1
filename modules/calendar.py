"""The session calendar as pure functions: week start dates → 15 days → 30 half-day slots.

No ORM here: the service in `services.py` turns the planned slots into `SessionSlot` rows.

Times are local to Europe/Paris. A half-day's instants are aware datetimes, and durations are
differences of instants (computed in UTC), never of wall-clock times: on the last Sunday of
March 02:00–02:59 does not exist, on the last Sunday of October 02:00–02:59 happens twice
(`check_time_range` refuses both), and a range across a change lasts one hour less or more
than its wall-clock difference.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import holidays

from lms.formats import format_date, format_time

PARIS = ZoneInfo("Europe/Paris")

DAYS_PER_WEEK = 5
WEEKS = 3
HALVES = ("am", "pm")
WEEKDAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


@dataclass(frozen=True)
class CalendarError(Exception):
    message: str
    field: str | None = None

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class PlannedSlot:
    day_number: int  # 1..15
    half: str  # "am" | "pm"
    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    module_numbers: tuple[int, ...]

    @property
    def week_number(self) -> int:
        return (self.day_number - 1) // DAYS_PER_WEEK + 1


def week_days(start: datetime.date) -> list[datetime.date]:
    """The five consecutive working days (Monday–Friday) from `start`, skipping the weekend."""
    days = []
    current = start
    while len(days) < DAYS_PER_WEEK:
        if current.weekday() < 5:
            days.append(current)
        current += datetime.timedelta(days=1)
    return days


def training_days(week_starts: Sequence[datetime.date]) -> list[datetime.date]:
    """The 15 training dates of a session, validating its three week start dates."""
    if len(week_starts) != WEEKS:
        raise CalendarError("Une session compte exactement trois semaines.")
    days: list[datetime.date] = []
    for index, start in enumerate(week_starts, start=1):
        field = f"week{index}_start"
        if start.weekday() >= 5:
            raise CalendarError(
                f"La semaine {index} commence un {WEEKDAY_NAMES[start.weekday()]} : "
                "choisissez un jour ouvré (du lundi au vendredi).",
                field,
            )
        if days and start <= days[-1]:
            raise CalendarError(
                f"La semaine {index} doit commencer après la fin de la semaine {index - 1} "
                f"({days[-1]:%d/%m/%Y}).",
                field,
            )
        days.extend(week_days(start))
    return days


def generate_slots(
    week_starts: Sequence[datetime.date],
    timetable: Iterable[tuple[int, str, Iterable[int]]],
    times: Mapping[str, tuple[datetime.time, datetime.time]],
) -> list[PlannedSlot]:
    """The 30 half-day slots of a session from its week dates and the programme's timetable.

    `timetable` gives (day 1..15, half "am"/"pm", module numbers); a half-day missing from it is
    still planned, with no module. `times` gives each half's start and end time.
    """
    dates = training_days(week_starts)
    modules_by_slot: dict[tuple[int, str], tuple[int, ...]] = {}
    for day, half, numbers in timetable:
        if not 1 <= day <= len(dates) or half not in HALVES:
            raise CalendarError(
                f"Demi-journée inconnue dans l'emploi du temps : jour {day}, {half}."
            )
        modules_by_slot[(day, half)] = tuple(sorted(set(numbers)))
    slots = []
    for day_number, date in enumerate(dates, start=1):
        for half in HALVES:
            start_time, end_time = times[half]
            slots.append(
                PlannedSlot(
                    day_number=day_number,
                    half=half,
                    date=date,
                    start_time=start_time,
                    end_time=end_time,
                    module_numbers=modules_by_slot.get((day_number, half), ()),
                )
            )
    return slots


NONEXISTENT = "nonexistent"
AMBIGUOUS = "ambiguous"


def local_time_problem(
    day: datetime.date, time: datetime.time, zone: ZoneInfo = PARIS
) -> str | None:
    """Whether a wall-clock time exists once on `day` in `zone`.

    Returns None when it does, `NONEXISTENT` when the clocks skip it (spring forward) and
    `AMBIGUOUS` when it happens twice (fall back). Detection follows PEP 495: a time in a
    gap does not survive a round trip through UTC; a time in a fold has two UTC offsets.
    """
    wall = datetime.datetime.combine(day, time.replace(tzinfo=None, fold=0))
    local = wall.replace(tzinfo=zone)
    if local.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None) != wall:
        return NONEXISTENT
    if local.utcoffset() != local.replace(fold=1).utcoffset():
        return AMBIGUOUS
    return None


def check_time_range(
    day: datetime.date | None,
    start: datetime.time | None,
    end: datetime.time | None,
    zone: ZoneInfo = PARIS,
) -> dict[str, str]:
    """French errors for a half-day's times, by field ("start_time", "end_time"); {} when valid.

    Rules (issue 11, kind 3): the end comes after the start on the same day (a half-day never
    crosses midnight), and both are local times that exist once on that day in Europe/Paris.
    Missing values are left to the fields' own "required" errors.
    """
    errors: dict[str, str] = {}
    if start is None or end is None:
        return errors
    if end <= start:
        errors["end_time"] = (
            f"La fin ({format_time(end)}) doit venir après le début ({format_time(start)}), "
            "le même jour."
        )
    if day is None:
        return errors
    for field, time in (("start_time", start), ("end_time", end)):
        problem = local_time_problem(day, time, zone)
        if problem == NONEXISTENT:
            errors.setdefault(
                field,
                f"{format_time(time)} n'existe pas le {format_date(day)} : les horloges passent "
                "à l'heure d'été (de 2 h à 3 h). Choisissez une autre heure.",
            )
        elif problem == AMBIGUOUS:
            errors.setdefault(
                field,
                f"{format_time(time)} existe deux fois le {format_date(day)} : les horloges "
                "reviennent à l'heure d'hiver (de 3 h à 2 h). Choisissez une autre heure.",
            )
    return errors


def aware_range(
    day: datetime.date, start: datetime.time, end: datetime.time, zone: ZoneInfo = PARIS
) -> tuple[datetime.datetime, datetime.datetime]:
    """A half-day's start and end as aware datetimes in `zone` (first occurrence in a fold)."""
    return (
        datetime.datetime.combine(day, start.replace(tzinfo=None), tzinfo=zone),
        datetime.datetime.combine(day, end.replace(tzinfo=None), tzinfo=zone),
    )


def duration(
    day: datetime.date, start: datetime.time, end: datetime.time, zone: ZoneInfo = PARIS
) -> datetime.timedelta:
    """Elapsed time between a half-day's start and end, from instants (UTC), never negative.

    Across the spring change 01:30 → 03:30 lasts one hour; across the autumn one, three.
    """
    begins, ends = aware_range(day, start, end, zone)
    elapsed = ends.astimezone(datetime.UTC) - begins.astimezone(datetime.UTC)
    return max(elapsed, datetime.timedelta(0))


# --- French public holidays --------------------------------------------------------------------


@dataclass(frozen=True)
class HolidayClash:
    """A training date that falls on a public holiday, and the working day proposed instead."""

    date: datetime.date
    name: str
    proposed: datetime.date


def french_holidays(years: Iterable[int]) -> Mapping[datetime.date, str]:
    """Public holidays of metropolitan France (library `holidays`, French names)."""
    return holidays.country_holidays("FR", years=sorted(set(years)), language="fr")


def next_working_day(
    after: datetime.date,
    *,
    public_holidays: Mapping[datetime.date, str],
    taken: Iterable[datetime.date] = (),
) -> datetime.date:
    """The first day after `after` that is a weekday, not a public holiday and not in `taken`."""
    taken = set(taken)
    candidate = after + datetime.timedelta(days=1)
    while candidate.weekday() >= 5 or candidate in public_holidays or candidate in taken:
        candidate += datetime.timedelta(days=1)
    return candidate


def holiday_clashes(
    dates: Iterable[datetime.date], public_holidays: Mapping[datetime.date, str] | None = None
) -> list[HolidayClash]:
    """The training dates on French public holidays, in order, each with a proposed day: the
    next working day that is neither a holiday nor already a training date (nor proposed for
    an earlier clash)."""
    days = sorted(set(dates))
    if not days:
        return []
    if public_holidays is None:
        public_holidays = french_holidays(range(days[0].year, days[-1].year + 2))
    taken = set(days)
    clashes = []
    for day in days:
        if day in public_holidays:
            proposed = next_working_day(day, public_holidays=public_holidays, taken=taken)
            taken.add(proposed)
            clashes.append(HolidayClash(day, public_holidays[day], proposed))
    return clashes


def holiday_warning(
    clashes: Sequence[HolidayClash], halves_by_date: Mapping[datetime.date, Sequence[str]]
) -> str:
    """The French warning shown after saving a session whose half-days fall on holidays.

    `halves_by_date` names the half-days on each date ("jour 6 matin"). "" when no clash.
    """
    if not clashes:
        return ""
    parts = [
        f"{', '.join(halves_by_date.get(clash.date, ())) or 'une journée'} le "
        f"{format_date(clash.date)} ({clash.name}) : jour ouvré proposé le "
        f"{format_date(clash.proposed)}"
        for clash in clashes
    ]
    return (
        "Demi-journées un jour férié — "
        + " ; ".join(parts)
        + ". Déplacez-les dans Formation › Demi-journées si la session ne se tient pas ce jour-là."
    )


def years_spanned(first: datetime.date, last: datetime.date) -> range:
    """Every calendar year a session touches, from its first to its last training day."""
    return range(first.year, last.year + 1)


class Timing:
    """Where a session stands relative to a given day."""

    UPCOMING = "upcoming"
    IN_PROGRESS = "in_progress"
    PAST = "past"

    LABELS = {UPCOMING: "À venir", IN_PROGRESS: "En cours", PAST: "Passée"}


def session_timing(days: Sequence[datetime.date], today: datetime.date) -> str:
    """Upcoming before its first training day, past after its last, in progress in between.

    A session is "in progress" on the days between its weeks too (its trainees are still
    in training even when the weeks are not consecutive).
    """
    if not days:
        raise CalendarError("Une session sans jour de formation n'a pas de calendrier.")
    if today < days[0]:
        return Timing.UPCOMING
    if today > days[-1]:
        return Timing.PAST
    return Timing.IN_PROGRESS


def last_training_day(week3_start: datetime.date) -> datetime.date:
    """The fifth working day of the third week."""
    return week_days(week3_start)[-1]


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def nth_monday(year: int, month: int, n: int) -> datetime.date:
    """The n-th Monday (1-based) of a month."""
    first = datetime.date(year, month, 1)
    first_monday = first + datetime.timedelta(days=(7 - first.weekday()) % 7)
    return first_monday + datetime.timedelta(weeks=n - 1)


def spaced_week_starts(
    week1_start: datetime.date, gaps: Sequence[int] = (0, 0)
) -> list[datetime.date]:
    """Three week starts, with `gaps[i]` free weeks between week i+1 and week i+2."""
    week2 = week1_start + datetime.timedelta(weeks=1 + gaps[0])
    week3 = week2 + datetime.timedelta(weeks=1 + gaps[1])
    return [week1_start, week2, week3]


def demo_week_starts(today: datetime.date) -> list[datetime.date]:
    """Week starts of a demo session in its second week today: week 2 is today's week.

    On a weekday, today is then a training day (day 6 to 10).
    """
    return spaced_week_starts(monday_of(today) - datetime.timedelta(weeks=1))
