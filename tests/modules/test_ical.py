"""Public per-session and private per-trainee iCal feeds."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from modules.models import SessionCalendarPage
from tests.factories import EnrolmentFactory, TrainingSessionFactory
from tests.factories.modules import build_programme

pytestmark = pytest.mark.django_db
MON = datetime.date(2026, 3, 2)


@pytest.fixture
def session(home_page):
    build_programme(home_page)
    session = TrainingSessionFactory(
        name="Session de Laval",
        week1_start=MON,
        week2_start=datetime.date(2026, 3, 16),
        week3_start=datetime.date(2026, 3, 30),
    )
    slot = session.slots.get(day_number=1, half="am")
    slot.room = "Salle A"
    slot.save()
    return session


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT")), calendar


def test_public_feed_has_thirty_events_in_paris_time(client, session):
    url = SessionCalendarPage.objects.get().url + f"{session.slug}/ical/"
    found, calendar = events(client.get(url))
    assert len(found) == 30
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    first = min(found, key=lambda e: e.decoded("dtstart"))
    start = first.decoded("dtstart")
    assert start == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert first["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(first["SUMMARY"]) == "Ensemblier · Jour 1 · Module 1 — Titre du module 1"
    assert str(first["LOCATION"]).startswith("Salle A, ")
    assert len({str(e["UID"]) for e in found}) == 30


def test_public_feed_uids_stay_the_same_when_dates_change(client, session):
    from modules.services.sessions import session_generate_slots

    url = SessionCalendarPage.objects.get().url + f"{session.slug}/ical/"
    before = {str(e["UID"]) for e in events(client.get(url))[0]}
    session.week3_start = datetime.date(2026, 4, 13)
    session.save()
    session_generate_slots(session=session)
    after = {str(e["UID"]) for e in events(client.get(url))[0]}
    assert before == after


def test_private_feed_has_the_trainees_active_sessions_only(client, session, trainee):
    other_session = TrainingSessionFactory(
        week1_start=datetime.date(2026, 9, 7),
        week2_start=datetime.date(2026, 9, 14),
        week3_start=datetime.date(2026, 9, 21),
    )
    mine = EnrolmentFactory(session=session, trainee=trainee)
    EnrolmentFactory(session=other_session, trainee=trainee, status="dropped")
    EnrolmentFactory(session=other_session)  # someone else's
    found, _ = events(client.get(f"/calendrier/{mine.ical_token}.ics"))
    assert len(found) == 30
    assert {e.decoded("dtstart").date().year for e in found} == {2026}
    assert all(e.decoded("dtstart").month in (3, 4) for e in found)


def test_private_feed_is_a_404_for_an_unknown_token(client, session):
    EnrolmentFactory(session=session)
    assert client.get("/calendrier/pas-un-jeton.ics").status_code == 404
