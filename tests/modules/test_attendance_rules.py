"""The pure attendance rules: signing window in Europe/Paris, statuses, hours. No database."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules import attendance as rules

PARIS = ZoneInfo("Europe/Paris")
UTC = datetime.UTC
NINE = datetime.time(9, 0)
DAY = datetime.date(2026, 3, 11)


def at(day, hour, minute=0, tz=PARIS):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)


def can_sign(now, *, day=DAY, start=NINE, status="in_training", signed=None, countersigned=None):
    rules.check_trainee_can_sign(
        date=day,
        start_time=start,
        now=now,
        enrolment_status=status,
        trainee_signed_at=signed,
        trainer_signed_at=countersigned,
    )
    return True


def refusal(now, **kwargs) -> str:
    with pytest.raises(rules.AttendanceError) as caught:
        can_sign(now, **kwargs)
    return caught.value.message


def test_signing_opens_thirty_minutes_before_the_half_day_starts():
    assert refusal(at(DAY, 8, 29)) == "L'émargement de cette demi-journée ouvrira à 8 h 30."
    assert can_sign(at(DAY, 8, 30))


def test_signing_stays_open_until_the_end_of_the_slots_day_in_paris():
    assert can_sign(at(DAY, 17, 30))
    assert can_sign(at(DAY, 23, 59))
    assert "est clos" in refusal(at(DAY + datetime.timedelta(days=1), 0, 0))


def test_signing_the_day_before_is_refused_with_the_opening_date():
    message = refusal(at(DAY - datetime.timedelta(days=1), 10))
    expected = "L'émargement de cette demi-journée ouvrira le mercredi 11 mars 2026 à 8 h 30."
    assert message == expected


def test_signing_a_past_day_is_refused_in_french():
    message = refusal(at(DAY + datetime.timedelta(days=2), 10))
    assert message.startswith("L'émargement du mercredi 11 mars 2026 est clos")


def test_paris_midnight_closes_the_day_even_when_utc_is_still_on_it():
    # 00:30 in Paris on 12 March is 23:30 UTC on 11 March: the Paris date decides.
    now_utc = datetime.datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    assert "est clos" in refusal(now_utc)
    # 23:59 Paris on the 11th is 22:59 UTC on the 11th: still open.
    assert can_sign(datetime.datetime(2026, 3, 11, 22, 59, tzinfo=UTC))


def test_an_utc_instant_on_the_day_before_can_already_be_the_slots_day_in_paris():
    early = datetime.date(2026, 3, 12)
    # A half-day starting at 00:15 opens at midnight Paris = 23:00 UTC the day before.
    assert can_sign(
        datetime.datetime(2026, 3, 11, 23, 0, tzinfo=UTC), day=early, start=datetime.time(0, 15)
    )


@pytest.mark.parametrize(
    ("day", "opening_utc"),
    [
        (datetime.date(2026, 3, 27), datetime.time(7, 30)),  # Friday before DST: UTC+1
        (datetime.date(2026, 3, 30), datetime.time(6, 30)),  # Monday after DST: UTC+2
        (datetime.date(2026, 10, 26), datetime.time(7, 30)),  # back to UTC+1
    ],
)
def test_the_window_follows_daylight_saving_time(day, opening_utc):
    opens = datetime.datetime.combine(day, opening_utc, tzinfo=UTC)
    assert refusal(opens - datetime.timedelta(minutes=1), day=day)
    assert can_sign(opens, day=day)


def test_a_naive_datetime_is_a_programming_error():
    with pytest.raises(ValueError):
        can_sign(datetime.datetime(2026, 3, 11, 9, 0))


def test_a_trainee_signs_only_once():
    signed = at(DAY, 9, 4)
    assert refusal(at(DAY, 10), signed=signed) == (
        "Vous avez déjà signé cette demi-journée, à 9 h 04."
    )


def test_a_countersigned_half_day_can_no_longer_be_signed_by_the_trainee():
    assert "déjà contresignée" in refusal(at(DAY, 10), countersigned=at(DAY, 9, 50))


@pytest.mark.parametrize("status", ["pre_registered", "dropped", "completed", "unknown"])
def test_only_confirmed_or_in_training_enrolments_may_sign(status):
    assert "ne permet pas d'émarger" in refusal(at(DAY, 10), status=status)


@pytest.mark.parametrize("status", ["confirmed", "in_training"])
def test_confirmed_and_in_training_enrolments_may_sign(status):
    assert can_sign(at(DAY, 10), status=status)


@given(
    minutes=st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60),
    start_minutes=st.integers(min_value=7 * 60, max_value=16 * 60),
)
def test_signing_is_open_exactly_from_half_an_hour_before_start_to_paris_midnight(
    minutes, start_minutes
):
    start = datetime.time(start_minutes // 60, start_minutes % 60)
    now = at(DAY, 0) + datetime.timedelta(minutes=minutes)
    local = now.astimezone(PARIS)
    opens = datetime.datetime.combine(DAY, start, tzinfo=PARIS) - datetime.timedelta(minutes=30)
    expected = local.date() == DAY and local >= opens
    assert rules.is_signing_open(DAY, start, now) is expected


def test_hours_attended_sum_the_present_half_days_only():
    morning = (NINE, datetime.time(12, 30))
    afternoon = (datetime.time(13, 30), datetime.time(17, 0))
    rows = [
        ("present", DAY, *morning),
        ("present", DAY, *afternoon),
        ("absent", DAY, *morning),
        ("excused", DAY, *afternoon),
        ("pending", DAY, *morning),
        ("present", DAY, datetime.time(9, 0), datetime.time(11, 20)),
    ]
    total = rules.hours_attended(rows)
    assert total == Decimal("9.33")
    assert isinstance(total, Decimal)
    assert rules.hours_attended([]) == Decimal("0.00")


def test_hours_read_in_french():
    assert rules.hours_label(Decimal("7")) == "7 h"
    assert rules.hours_label(Decimal("3.5")) == "3 h 30"
    assert rules.hours_label(Decimal("9.33")) == "9 h 20"


def test_times_and_dates_read_in_french():
    assert rules.time_label(datetime.datetime(2026, 3, 11, 8, 4, tzinfo=UTC)) == "9 h 04"
    assert rules.date_label(datetime.date(2026, 5, 1)) == "vendredi 1er mai 2026"


def test_the_counter_sign_screen_proposes_present_for_signers_and_absent_otherwise():
    assert rules.default_trainer_status(trainee_signed=True) == "present"
    assert rules.default_trainer_status(trainee_signed=False) == "absent"
    assert rules.default_trainer_status(trainee_signed=True, current="excused") == "excused"


@pytest.mark.parametrize("status", ["present", "absent", "excused"])
def test_trainer_statuses_are_accepted(status):
    assert rules.check_trainer_status(status) == status


@pytest.mark.parametrize("status", ["pending", "", "PRESENT", "late"])
def test_other_statuses_are_refused_for_the_trainer(status):
    with pytest.raises(rules.AttendanceError):
        rules.check_trainer_status(status)


def test_a_correction_needs_a_reason_in_french():
    with pytest.raises(rules.AttendanceError) as caught:
        rules.check_correction(field="status", old_value="absent", new_value="excused", reason=" ")
    assert caught.value.message == "Indiquez le motif de la correction."
    assert caught.value.field == "reason"


def test_a_correction_must_change_something_and_touch_the_status_only():
    with pytest.raises(rules.AttendanceError):
        rules.check_correction(
            field="status", old_value="absent", new_value="absent", reason="Justificatif reçu"
        )
    with pytest.raises(rules.AttendanceError):
        rules.check_correction(
            field="trainee_signed_at", old_value="", new_value="x", reason="Justificatif reçu"
        )
    cleaned = rules.check_correction(
        field="status", old_value="absent", new_value="excused", reason="  Justificatif reçu "
    )
    assert cleaned == "Justificatif reçu"


def test_progress_percent_is_bounded():
    assert rules.progress_percent(6, 15) == 40
    assert rules.progress_percent(0, 0) == 0
    assert rules.progress_percent(20, 15) == 100


def test_trainer_may_counter_sign_from_the_signing_window_not_before():
    import datetime

    from modules import attendance as rules

    day = datetime.date(2026, 3, 10)
    start = datetime.time(9, 0)
    before = datetime.datetime(2026, 3, 10, 8, 29, tzinfo=rules.PARIS)
    after = datetime.datetime(2026, 3, 10, 8, 30, tzinfo=rules.PARIS)
    with pytest.raises(rules.AttendanceError, match="pas encore eu lieu"):
        rules.check_trainer_can_countersign(date=day, start_time=start, now=before)
    rules.check_trainer_can_countersign(date=day, start_time=start, now=after)
