"""A signed half-day keeps its date and times: signatures are never moved to another day.

Found by QA (issue 9, records that cannot vanish; issue 10, signatures moved): a trainer could
edit a half-day, or the session's week dates, after the group had signed; the attendance sheet
then said they were present on a day they never attended, with no correction record.
"""

import datetime

from django.utils import timezone

import pytest

from modules.models import Attendance
from tests.factories import EnrolmentFactory, TrainingSessionFactory

from .test_sessions import session_form

pytestmark = pytest.mark.django_db
MON = datetime.date(2026, 3, 2)


@pytest.fixture
def signed(trainer):
    session = TrainingSessionFactory(name="Ma session", trainers=[trainer], week1_start=MON)
    slot = session.slots.get(day_number=1, half="am")
    Attendance.objects.create(
        enrolment=EnrolmentFactory(session=session),
        slot=slot,
        status=Attendance.Status.PRESENT,
        trainee_signed_at=timezone.now(),
    )
    return session, slot


def test_a_signed_half_day_cannot_be_moved_to_another_date(client_as, trainer, signed):
    _, slot = signed
    response = client_as(trainer).post(
        f"/admin/demi-journees/edit/{slot.pk}/",
        {"date": "2026-03-20", "start_time": "09:00", "end_time": "12:30", "room": "Salle B"},
    )
    assert response.status_code == 200
    assert "déjà émargée" in response.content.decode()
    slot.refresh_from_db()
    assert slot.date == MON


def test_a_signed_half_day_keeps_its_times_but_its_room_may_change(client_as, trainer, signed):
    _, slot = signed
    start, end = slot.start_time.strftime("%H:%M"), slot.end_time.strftime("%H:%M")
    client = client_as(trainer)
    later = {"date": MON.isoformat(), "start_time": "10:00", "end_time": end, "room": "B"}
    assert client.post(f"/admin/demi-journees/edit/{slot.pk}/", later).status_code == 200
    same = {"date": MON.isoformat(), "start_time": start, "end_time": end, "room": "Salle B"}
    assert client.post(f"/admin/demi-journees/edit/{slot.pk}/", same).status_code == 302
    slot.refresh_from_db()
    assert (slot.room, slot.start_time.strftime("%H:%M")) == ("Salle B", start)


def test_week_dates_of_a_signed_week_cannot_change(client_as, trainer, signed):
    session, slot = signed
    data = session_form(session.territory, trainer, slug=session.slug, week1_start="2026-03-09")
    data.update(week2_start=session.week2_start.isoformat(), week3_start="2026-04-13")
    response = client_as(trainer).post(f"/admin/sessions/edit/{session.pk}/", data)
    assert response.status_code == 200
    assert "déjà émargées" in response.content.decode()
    slot.refresh_from_db()
    assert slot.date == MON


def test_an_unsigned_week_still_moves_with_its_dates(client_as, trainer, signed):
    session, slot = signed
    data = session_form(
        session.territory,
        trainer,
        slug=session.slug,
        week1_start=MON.isoformat(),
        week2_start=session.week2_start.isoformat(),
        week3_start="2026-04-20",
    )
    assert client_as(trainer).post(f"/admin/sessions/edit/{session.pk}/", data).status_code == 302
    assert session.slots.get(day_number=15, half="am").date == datetime.date(2026, 4, 24)
    slot.refresh_from_db()
    assert slot.date == MON
