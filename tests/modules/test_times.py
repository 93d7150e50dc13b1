"""Times (issue 11, kind 3): validated half-day ranges in Europe/Paris, durations from aware
datetimes across the clock changes, French public holidays, the calendar's year filter."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules import attendance as rules
from modules import calendar
from modules.models import SessionCalendarPage
from modules.selectors import filter_choices, grouped_sessions, session_holiday_warning
from tests.factories import TrainingSessionFactory
from tests.factories.modules import build_programme

SPRING_CHANGE = datetime.date(2026, 3, 29)  # last Sunday of March: 02:00 → 03:00
AUTUMN_CHANGE = datetime.date(2026, 10, 25)  # last Sunday of October: 03:00 → 02:00
ORDINARY = datetime.date(2026, 3, 11)


def t(hour, minute=0):
    return datetime.time(hour, minute)


# --- Pure rules ----------------------------------------------------------------------------------


def test_the_spring_gap_does_not_exist_and_the_autumn_fold_is_ambiguous():
    assert calendar.local_time_problem(SPRING_CHANGE, t(2, 30)) == calendar.NONEXISTENT
    assert calendar.local_time_problem(SPRING_CHANGE, t(2, 0)) == calendar.NONEXISTENT
    assert calendar.local_time_problem(SPRING_CHANGE, t(3, 0)) is None
    assert calendar.local_time_problem(AUTUMN_CHANGE, t(2, 30)) == calendar.AMBIGUOUS
    assert calendar.local_time_problem(AUTUMN_CHANGE, t(3, 0)) is None
    assert calendar.local_time_problem(ORDINARY, t(2, 30)) is None


def test_a_range_ending_before_it_starts_is_refused_in_french():
    errors = calendar.check_time_range(ORDINARY, t(13, 30), t(9))
    assert errors == {
        "end_time": "La fin (9 h 00) doit venir après le début (13 h 30), le même jour."
    }
    assert "end_time" in calendar.check_time_range(ORDINARY, t(9), t(9))


def test_times_that_do_not_exist_or_happen_twice_are_refused_per_field():
    spring = calendar.check_time_range(SPRING_CHANGE, t(2, 15), t(5))
    assert set(spring) == {"start_time"}
    assert "n'existe pas le dimanche 29 mars 2026" in spring["start_time"]
    autumn = calendar.check_time_range(AUTUMN_CHANGE, t(1), t(2, 45))
    assert set(autumn) == {"end_time"}
    assert "existe deux fois le dimanche 25 octobre 2026" in autumn["end_time"]
    assert calendar.check_time_range(AUTUMN_CHANGE, t(9), t(12, 30)) == {}


def test_durations_across_the_clock_changes_count_the_time_that_elapsed():
    assert calendar.duration(SPRING_CHANGE, t(1, 30), t(3, 30)) == datetime.timedelta(hours=1)
    assert calendar.duration(AUTUMN_CHANGE, t(1, 30), t(3, 30)) == datetime.timedelta(hours=3)
    assert rules.slot_duration_hours(SPRING_CHANGE, t(0), t(4)) == Decimal("3.00")
    assert rules.slot_duration_hours(AUTUMN_CHANGE, t(0), t(4)) == Decimal("5.00")
    assert rules.slot_duration_hours(ORDINARY, t(9), t(12, 30)) == Decimal("3.50")


def test_hours_attended_on_the_days_of_the_clock_changes():
    rows = [
        ("present", SPRING_CHANGE, t(1), t(4)),  # 2 h elapsed, 3 h on the wall
        ("present", AUTUMN_CHANGE, t(1), t(4)),  # 4 h elapsed
        ("absent", AUTUMN_CHANGE, t(9), t(12)),
    ]
    assert rules.hours_attended(rows) == Decimal("6.00")


@given(
    day=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2060, 12, 31)),
    start=st.times(),
    end=st.times(),
)
def test_duration_is_the_difference_of_instants_and_never_negative(day, start, end):
    start, end = start.replace(microsecond=0), end.replace(microsecond=0)
    elapsed = calendar.duration(day, start, end)
    assert elapsed >= datetime.timedelta(0)
    if not calendar.check_time_range(day, start, end):
        begins, ends = calendar.aware_range(day, start, end)
        assert elapsed == ends.astimezone(datetime.UTC) - begins.astimezone(datetime.UTC)
        wall = datetime.datetime.combine(day, end) - datetime.datetime.combine(day, start)
        assert abs(elapsed - wall) <= datetime.timedelta(hours=1)


def test_easter_monday_is_flagged_with_the_next_free_working_day():
    days = calendar.training_days(
        [datetime.date(2026, 4, 6), datetime.date(2026, 4, 13), datetime.date(2026, 4, 20)]
    )
    clashes = calendar.holiday_clashes(days)
    assert [(c.date, c.name, c.proposed) for c in clashes] == [
        (datetime.date(2026, 4, 6), "Lundi de Pâques", datetime.date(2026, 4, 27))
    ]


def test_each_holiday_gets_its_own_proposed_day():
    monday, tuesday = datetime.date(2026, 6, 1), datetime.date(2026, 6, 2)
    clashes = calendar.holiday_clashes(
        [monday, tuesday], public_holidays={monday: "Férié A", tuesday: "Férié B"}
    )
    assert [c.proposed for c in clashes] == [datetime.date(2026, 6, 3), datetime.date(2026, 6, 4)]


def test_may_2026_holidays_propose_the_next_monday():
    # Fridays 1 May (Fête du Travail) and 8 May (Victoire 1945).
    clashes = calendar.holiday_clashes([datetime.date(2026, 5, 1), datetime.date(2026, 5, 8)])
    assert [c.name for c in clashes] == ["Fête du Travail", "Fête de la Victoire"]
    assert [c.proposed for c in clashes] == [datetime.date(2026, 5, 4), datetime.date(2026, 5, 11)]


def test_years_spanned_by_a_session_across_new_year():
    assert list(calendar.years_spanned(datetime.date(2026, 12, 14), datetime.date(2027, 1, 8))) == [
        2026,
        2027,
    ]


# --- Admin and calendar views -----------------------------------------------------------------


@pytest.fixture
def session(db, trainer):
    return TrainingSessionFactory(trainers=[trainer], week1_start=datetime.date(2026, 3, 16))


def slot_form(**values):
    data = {"date": "2026-03-20", "start_time": "09:00", "end_time": "12:30", "room": ""}
    data.update(values)
    return data


def test_admin_refuses_a_half_day_moved_to_end_before_it_starts(client_as, trainer, session):
    slot = session.slots.get(day_number=5, half="am")
    response = client_as(trainer).post(
        f"/admin/demi-journees/edit/{slot.pk}/", slot_form(start_time="14:00", end_time="10:00")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "doit venir après le début (14 h 00)" in html
    assert 'value="14:00"' in html  # what was typed is kept
    slot.refresh_from_db()
    assert not slot.moved and slot.start_time == t(9)


def test_admin_refuses_a_half_day_moved_into_the_spring_gap(client_as, trainer, session):
    slot = session.slots.get(day_number=5, half="am")
    response = client_as(trainer).post(
        f"/admin/demi-journees/edit/{slot.pk}/",
        slot_form(date="2026-03-29", start_time="02:30", end_time="06:00"),
    )
    assert response.status_code == 200
    assert "n&#x27;existe pas le dimanche 29 mars 2026" in response.content.decode()
    slot.refresh_from_db()
    assert slot.date == datetime.date(2026, 3, 20)


def test_admin_refuses_an_ambiguous_autumn_time(client_as, trainer, session):
    slot = session.slots.get(day_number=5, half="am")
    response = client_as(trainer).post(
        f"/admin/demi-journees/edit/{slot.pk}/",
        slot_form(date="2026-10-25", start_time="00:30", end_time="02:30"),
    )
    assert response.status_code == 200
    assert "existe deux fois le dimanche 25 octobre 2026" in response.content.decode()


def test_admin_session_on_easter_monday_warns_with_the_proposed_day(client_as, trainer, db):
    from tests.factories import TerritoryFactory

    data = {
        "name": "Session d'avril",
        "slug": "avril-2026",
        "territory": TerritoryFactory().pk,
        "status": "open",
        "venue": "Laval",
        "week1_start": "2026-04-06",
        "week2_start": "2026-04-13",
        "week3_start": "2026-04-20",
        "capacity": 30,
        "trainers": [trainer.pk],
    }
    response = client_as(trainer).post("/admin/sessions/new/", data, follow=True)
    html = response.content.decode()
    assert "Demi-journées un jour férié" in html
    assert "jour 1 matin, jour 1 après-midi le lundi 6 avril 2026 (Lundi de Pâques)" in html
    assert "jour ouvré proposé le lundi 27 avril 2026" in html


def test_session_without_holiday_has_no_warning(db):
    session = TrainingSessionFactory(week1_start=datetime.date(2026, 3, 2))
    assert session_holiday_warning(session) == ""


def test_calendar_year_filter_lists_a_session_in_every_year_it_spans(home_page):
    build_programme(home_page)
    across = TrainingSessionFactory(
        name="Session d'hiver",
        week1_start=datetime.date(2026, 12, 14),
        week2_start=datetime.date(2026, 12, 21),
        week3_start=datetime.date(2027, 1, 4),
    )
    TrainingSessionFactory(name="Session de juin", week1_start=datetime.date(2027, 6, 7))
    _territories, years = filter_choices()
    assert years == [2026, 2027]
    on = datetime.date(2026, 1, 1)
    for year in (2026, 2027):
        listed = grouped_sessions(year=year, on=on).upcoming
        assert across in listed
    assert [s.name for s in grouped_sessions(year=2026, on=on).upcoming] == ["Session d'hiver"]
    url = SessionCalendarPage.objects.get().url
    from django.test import Client

    html = Client().get(url, {"annee": "2027"}).content.decode()
    assert "Session d&#x27;hiver" in html and "Session de juin" in html


def test_programme_half_day_times_must_follow_each_other(db):
    from django.core.exceptions import ValidationError

    from modules.models import ProgrammePage

    programme = ProgrammePage(
        title="Programme",
        slug="programme",
        morning_start=t(9),
        morning_end=t(8),
        afternoon_start=t(13, 30),
        afternoon_end=t(17),
    )
    with pytest.raises(ValidationError) as error:
        programme.clean()
    assert "morning_end" in error.value.message_dict
    programme.morning_end = t(14)
    with pytest.raises(ValidationError) as error:
        programme.clean()
    assert error.value.message_dict["afternoon_start"] == [
        "L'après-midi doit commencer après la fin du matin."
    ]
