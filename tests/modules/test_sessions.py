"""Sessions in the Wagtail admin: trainers only see and edit their own; slots and enrolments."""

import datetime

import pytest

from modules.models import Enrolment, TrainingSession
from tests.factories import (
    EnrolmentFactory,
    TerritoryFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db
MON = datetime.date(2026, 3, 2)


@pytest.fixture
def sessions(trainer):
    mine = TrainingSessionFactory(name="Ma session", trainers=[trainer], week1_start=MON)
    theirs = TrainingSessionFactory(name="Session d'une collègue", trainers=[TrainerFactory()])
    return mine, theirs


def test_trainer_lists_only_their_sessions(client_as, trainer, sessions):
    html = client_as(trainer).get("/admin/sessions/").content.decode()
    assert "Ma session" in html
    assert "Session d&#x27;une collègue" not in html


def test_coordinator_lists_every_session(client_as, coordinator, sessions):
    html = client_as(coordinator).get("/admin/sessions/").content.decode()
    assert "Ma session" in html and "Session d&#x27;une collègue" in html


@pytest.mark.parametrize("action", ["edit", "delete", "inspect"])
def test_trainer_cannot_open_another_trainers_session_by_url(client_as, trainer, sessions, action):
    _, theirs = sessions
    response = client_as(trainer).get(f"/admin/sessions/{action}/{theirs.pk}/")
    assert response.status_code in (403, 404)


def test_trainer_cannot_see_other_sessions_slots_or_enrolments(client_as, trainer, sessions):
    mine, theirs = sessions
    stranger = EnrolmentFactory(session=theirs, trainee=TraineeFactory(last_name="Inconnue"))
    client = client_as(trainer)
    assert "Inconnue" not in client.get("/admin/inscriptions/").content.decode()
    assert client.get(f"/admin/inscriptions/edit/{stranger.pk}/").status_code == 404
    slot = theirs.slots.first()
    assert client.get(f"/admin/demi-journees/edit/{slot.pk}/").status_code == 404
    own_slot = mine.slots.first()
    assert client.get(f"/admin/demi-journees/edit/{own_slot.pk}/").status_code == 200


def session_form(territory, trainer, **dates):
    data = {
        "name": "Session de Laval",
        "slug": "laval-2026",
        "territory": territory.pk,
        "status": "open",
        "venue": "Laval",
        "week1_start": "2026-03-02",
        "week2_start": "2026-03-16",
        "week3_start": "2026-04-13",
        "capacity": 30,
        "trainers": [trainer.pk],
    }
    data.update(dates)
    return data


def test_trainer_creates_a_session_and_its_slots_are_generated(client_as, trainer):
    territory = TerritoryFactory()
    response = client_as(trainer).post("/admin/sessions/new/", session_form(territory, trainer))
    assert response.status_code == 302
    session = TrainingSession.objects.get(slug="laval-2026")
    assert session.slots.count() == 30
    assert session.slots.order_by("-date").first().date == datetime.date(2026, 4, 17)
    assert trainer in session.trainers.all()


def test_a_weekend_week_start_is_refused_in_french_in_the_admin(client_as, trainer):
    territory = TerritoryFactory()
    data = session_form(territory, trainer, week2_start="2026-03-14")
    response = client_as(trainer).post("/admin/sessions/new/", data)
    assert response.status_code == 200
    assert "La semaine 2 commence un samedi" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_changing_week_dates_moves_the_slots_but_not_the_moved_ones(client_as, trainer, sessions):
    mine, _ = sessions
    client = client_as(trainer)
    slot = mine.slots.get(day_number=15, half="pm")
    response = client.post(
        f"/admin/demi-journees/edit/{slot.pk}/",
        {"date": "2026-03-27", "start_time": "14:00", "end_time": "17:30", "room": "Salle B"},
    )
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.moved and slot.room == "Salle B"
    data = session_form(mine.territory, trainer, slug=mine.slug, week3_start="2026-04-13")
    assert client.post(f"/admin/sessions/edit/{mine.pk}/", data).status_code == 302
    assert mine.slots.get(day_number=15, half="am").date == datetime.date(2026, 4, 17)
    slot.refresh_from_db()
    assert slot.date == datetime.date(2026, 3, 27)


def test_admin_enrolment_enforces_capacity_in_french(client_as, coordinator):
    session = TrainingSessionFactory(capacity=1, generate_slots=False)
    EnrolmentFactory(session=session)
    newcomer = TraineeFactory()
    response = client_as(coordinator).post(
        "/admin/inscriptions/new/",
        {"session": session.pk, "trainee_email": newcomer.email, "status": "pre_registered"},
    )
    assert response.status_code == 200
    assert "est complète" in response.content.decode()
    assert not Enrolment.objects.filter(trainee=newcomer).exists()


def test_admin_enrolment_refuses_skipping_a_status(client_as, coordinator):
    enrolment = EnrolmentFactory(status="pre_registered")
    response = client_as(coordinator).post(
        f"/admin/inscriptions/edit/{enrolment.pk}/",
        {
            "session": enrolment.session.pk,
            "trainee": enrolment.trainee.pk,
            "status": "completed",
        },
    )
    assert response.status_code == 200
    assert "Passage impossible" in response.content.decode()


def test_session_listing_query_count_is_constant(client_as, coordinator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as(coordinator)
    for _ in range(3):
        EnrolmentFactory.create_batch(2, session=TrainingSessionFactory(generate_slots=False))
    client.get("/admin/sessions/")
    with CaptureQueriesContext(connection) as small:
        client.get("/admin/sessions/")
    for _ in range(6):
        EnrolmentFactory.create_batch(2, session=TrainingSessionFactory(generate_slots=False))
    with django_assert_num_queries(len(small)):
        client.get("/admin/sessions/")


@pytest.mark.parametrize("action", ["history", "usage", "copy"])
def test_trainer_cannot_reach_another_trainers_session_through_any_admin_view(
    client_as, trainer, sessions, action
):
    mine, theirs = sessions
    client = client_as(trainer)
    assert client.get(f"/admin/sessions/{action}/{theirs.pk}/").status_code == 404
    assert client.get(f"/admin/sessions/{action}/{mine.pk}/").status_code == 200


@pytest.mark.parametrize("action", ["history", "usage"])
def test_trainer_cannot_reach_other_enrolments_or_slots_through_history_or_usage(
    client_as, trainer, sessions, action
):
    _, theirs = sessions
    stranger = EnrolmentFactory(session=theirs)
    slot = theirs.slots.first()
    client = client_as(trainer)
    assert client.get(f"/admin/inscriptions/{action}/{stranger.pk}/").status_code == 404
    assert client.get(f"/admin/demi-journees/{action}/{slot.pk}/").status_code == 404


def test_moving_an_enrolment_into_a_full_session_is_refused(client_as, coordinator):
    full = TrainingSessionFactory(capacity=1, week1_start=MON)
    EnrolmentFactory(session=full)
    other = EnrolmentFactory(session=TrainingSessionFactory(week1_start=MON))
    data = {
        "session": full.pk,
        "trainee": other.trainee.pk,
        "status": other.status,
        "funder": "",
        "structure": "",
    }
    response = client_as(coordinator).post(f"/admin/inscriptions/edit/{other.pk}/", data)
    assert response.status_code == 200
    assert "est complète" in response.content.decode()
    other.refresh_from_db()
    assert other.session != full


def test_a_dropped_trainee_is_re_enrolled_by_returning_to_pre_registered(client_as, coordinator):
    session = TrainingSessionFactory(week1_start=MON)
    dropped = EnrolmentFactory(session=session, status=Enrolment.Status.DROPPED)
    data = {
        "session": session.pk,
        "trainee": dropped.trainee.pk,
        "status": Enrolment.Status.PRE_REGISTERED,
        "funder": "",
        "structure": "",
    }
    response = client_as(coordinator).post(f"/admin/inscriptions/edit/{dropped.pk}/", data)
    assert response.status_code == 302
    dropped.refresh_from_db()
    assert dropped.status == Enrolment.Status.PRE_REGISTERED
