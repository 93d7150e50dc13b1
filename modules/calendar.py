"""The session calendar as pure functions: week start dates → 15 days → 30 half-day slots.

No ORM here: the service in `services.py` turns the planned slots into `SessionSlot` rows.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

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


def slot_hours(start: datetime.time, end: datetime.time) -> float:
    """Duration of a half-day in hours."""
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return max(minutes, 0) / 60


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
