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


def test_private_feed_stops_when_the_account_is_deactivated(client, session, trainee):
    enrolment = EnrolmentFactory(session=session, trainee=trainee)
    url = f"/calendrier/{enrolment.ical_token}.ics"
    assert client.get(url).status_code == 200
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_private_feed_is_a_404_for_an_unknown_token(client, session):
    EnrolmentFactory(session=session)
    assert client.get("/calendrier/pas-un-jeton.ics").status_code == 404


# --- Read by an independent parser (vobject), across two years and both clock changes ----------

UTC = datetime.UTC


@pytest.fixture
def two_year_enrolment(home_page, trainee):
    """A trainee in a 2026 session across the March clock change and a 2027 session across the
    October one: summer and winter half-days in both years."""
    build_programme(home_page)
    spring_2026 = TrainingSessionFactory(
        week1_start=datetime.date(2026, 3, 16),
        week2_start=datetime.date(2026, 3, 23),
        week3_start=datetime.date(2026, 3, 30),
    )
    autumn_2027 = TrainingSessionFactory(
        week1_start=datetime.date(2027, 10, 18),
        week2_start=datetime.date(2027, 10, 25),
        week3_start=datetime.date(2027, 11, 1),
    )
    first = EnrolmentFactory(session=spring_2026, trainee=trainee)
    EnrolmentFactory(session=autumn_2027, trainee=trainee)
    return first, spring_2026, autumn_2027


def vobject_feed(content: bytes):
    import vobject

    return vobject.readOne(content.decode())


def test_every_feed_has_one_complete_paris_vtimezone_without_comment(client, two_year_enrolment):
    enrolment, spring, autumn = two_year_enrolment
    calendar_url = SessionCalendarPage.objects.get().url
    feeds = [
        client.get(f"/calendrier/{enrolment.ical_token}.ics").content,
        client.get(f"{calendar_url}{spring.slug}/ical/").content,
        client.get(f"{calendar_url}{autumn.slug}/ical/").content,
    ]
    for content in feeds:
        text = content.decode()
        assert text.count("BEGIN:VTIMEZONE") == 1
        block = text.split("BEGIN:VTIMEZONE")[1].split("END:VTIMEZONE")[0]
        assert "COMMENT" not in block
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in block
        assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in block


def test_vobject_resolves_summer_and_winter_half_days_of_two_years_to_the_right_instants(
    client, two_year_enrolment
):
    enrolment, _spring, _autumn = two_year_enrolment
    feed = vobject_feed(client.get(f"/calendrier/{enrolment.ical_token}.ics").content)
    starts = {}
    for event in feed.vevent_list:
        start = event.dtstart.value
        assert start.tzinfo is not None
        assert event.dtend.value > start
        starts[start.date()] = starts.get(start.date()) or start.astimezone(UTC)
    # Winter (UTC+1) and summer (UTC+2) mornings at 9 h 00, in both years.
    assert starts[datetime.date(2026, 3, 27)] == datetime.datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert starts[datetime.date(2026, 3, 30)] == datetime.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    assert starts[datetime.date(2027, 10, 29)] == datetime.datetime(2027, 10, 29, 7, 0, tzinfo=UTC)
    assert starts[datetime.date(2027, 11, 1)] == datetime.datetime(2027, 11, 1, 8, 0, tzinfo=UTC)
    paris = ZoneInfo("Europe/Paris")
    for day, start in starts.items():
        assert start == datetime.datetime.combine(day, datetime.time(9), tzinfo=paris)


def test_a_client_keeping_the_first_feeds_timezone_places_the_second_years_events_right(
    client, two_year_enrolment
):
    """Clients keep the first VTIMEZONE they meet for a TZID: the 2026 feed's definition must
    place the 2027 feed's summer and winter events right."""
    _enrolment, spring, autumn = two_year_enrolment
    calendar_url = SessionCalendarPage.objects.get().url
    first = vobject_feed(client.get(f"{calendar_url}{spring.slug}/ical/").content)
    kept_tz = first.vtimezone.gettzinfo()
    second = vobject_feed(client.get(f"{calendar_url}{autumn.slug}/ical/").content)
    paris = ZoneInfo("Europe/Paris")
    for event in second.vevent_list:
        wall = event.dtstart.value.replace(tzinfo=None)
        expected = wall.replace(tzinfo=paris).astimezone(UTC)
        assert wall.replace(tzinfo=kept_tz).astimezone(UTC) == expected
