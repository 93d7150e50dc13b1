"""The session calendar: pure week/slot functions (no database) and slot regeneration."""

import datetime

import pytest

from modules.calendar import (
    CalendarError,
    Timing,
    demo_week_starts,
    generate_slots,
    nth_monday,
    session_timing,
    spaced_week_starts,
    training_days,
)
from modules.models import TrainingSession

D = datetime.date
TIMES = {
    "am": (datetime.time(9), datetime.time(12, 30)),
    "pm": (datetime.time(13, 30), datetime.time(17)),
}
TIMETABLE = [(day, half, [min(12, day)]) for day in range(1, 16) for half in ("am", "pm")]
MON = D(2026, 3, 2)


def test_a_week_starting_on_a_weekend_is_refused_in_french():
    with pytest.raises(CalendarError) as error:
        training_days([D(2026, 3, 7), D(2026, 3, 16), D(2026, 3, 23)])
    assert error.value.field == "week1_start"
    assert "commence un samedi" in error.value.message
    assert "jour ouvré" in error.value.message


def test_overlapping_weeks_are_refused():
    with pytest.raises(CalendarError) as error:
        training_days([MON, D(2026, 3, 5), D(2026, 3, 23)])
    assert error.value.field == "week2_start"
    assert "après la fin de la semaine 1" in error.value.message


def test_weeks_out_of_order_are_refused():
    with pytest.raises(CalendarError) as error:
        training_days([D(2026, 3, 16), D(2026, 3, 23), D(2026, 3, 9)])
    assert error.value.field == "week3_start"


def test_non_consecutive_weeks_are_accepted():
    days = training_days([MON, D(2026, 3, 23), D(2026, 4, 20)])
    assert len(days) == 15
    assert days[5] == D(2026, 3, 23) and days[10] == D(2026, 4, 20)
    assert all(day.weekday() < 5 for day in days)


def test_a_week_starting_midweek_skips_the_weekend():
    days = training_days([D(2026, 3, 4), D(2026, 3, 16), D(2026, 3, 23)])
    assert days[:5] == [D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 9), D(2026, 3, 10)]


def test_thirty_slots_with_dates_halves_times_and_modules():
    slots = generate_slots(spaced_week_starts(MON, (0, 1)), TIMETABLE, TIMES)
    assert len(slots) == 30
    assert [(s.day_number, s.half) for s in slots[:3]] == [(1, "am"), (1, "pm"), (2, "am")]
    assert slots[0].date == MON and slots[0].start_time == datetime.time(9)
    assert slots[1].end_time == datetime.time(17)
    assert slots[-1].date == D(2026, 3, 27) and slots[-1].week_number == 3
    assert slots[-1].module_numbers == (12,)
    assert slots[19].week_number == 2 and slots[19].date == D(2026, 3, 13)


def test_a_half_day_missing_from_the_timetable_is_planned_without_module():
    slots = generate_slots(spaced_week_starts(MON), [(1, "am", [1])], TIMES)
    assert slots[0].module_numbers == (1,) and slots[1].module_numbers == ()


def test_an_unknown_timetable_half_day_is_an_error():
    with pytest.raises(CalendarError):
        generate_slots(spaced_week_starts(MON), [(16, "am", [1])], TIMES)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 3, 1), Timing.UPCOMING),
        (MON, Timing.IN_PROGRESS),
        (D(2026, 3, 14), Timing.IN_PROGRESS),  # a Saturday between weeks
        (D(2026, 3, 20), Timing.IN_PROGRESS),
        (D(2026, 3, 21), Timing.PAST),
    ],
)
def test_session_timing_from_its_days_and_today(today, expected):
    assert session_timing(training_days(spaced_week_starts(MON)), today) == expected


def test_demo_weeks_put_a_weekday_inside_week_two():
    wednesday = D(2026, 11, 25)
    starts = demo_week_starts(wednesday)
    days = training_days(starts)
    assert days.index(wednesday) == 7  # day 8, in week 2
    assert nth_monday(2026, 6, 1) == D(2026, 6, 1) and nth_monday(2026, 3, 2) == D(2026, 3, 9)


# --- With the database: the model's validation and the stored slots --------------------------


@pytest.mark.django_db
def test_session_clean_reports_the_week_field_in_french():
    from django.core.exceptions import ValidationError

    session = TrainingSession(week1_start=D(2026, 3, 8), week2_start=MON, week3_start=MON)
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "dimanche" in error.value.message_dict["week1_start"][0]


@pytest.mark.django_db
def test_regenerating_keeps_moved_slots_and_follows_new_dates(home_page):
    from modules.services.sessions import session_generate_slots
    from tests.factories import TrainingSessionFactory
    from tests.factories.modules import build_programme

    build_programme(home_page)
    session = TrainingSessionFactory(
        week1_start=MON, week2_start=D(2026, 3, 9), week3_start=D(2026, 3, 16)
    )
    assert session.slots.count() == 30
    moved = session.slots.get(day_number=3, half="pm")
    moved.date, moved.room, moved.moved = D(2026, 3, 6), "Salle B", True
    moved.save()
    moved.modules.set([])
    session.week2_start, session.week3_start = D(2026, 3, 23), D(2026, 4, 13)
    session.save()
    session_generate_slots(session=session)
    assert session.slots.count() == 30
    moved.refresh_from_db()
    assert (moved.date, moved.room) == (D(2026, 3, 6), "Salle B")
    assert list(moved.modules.all()) == []
    day6 = session.slots.get(day_number=6, half="am")
    assert day6.date == D(2026, 3, 23)
    assert [m.number for m in day6.modules.all()] == [5]  # the timetable's day 6
    assert session.slots.get(day_number=15, half="pm").date == D(2026, 4, 17)
