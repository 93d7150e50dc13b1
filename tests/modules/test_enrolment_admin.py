"""Enrolment rules in the services, from the admin too (issue 10, findings 1 and 2)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from modules.models import Attendance, Enrolment
from modules.services.enrolment import enrolment_move, enrolment_set_status
from tests.factories import (
    EnrolmentFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db

MON = datetime.date(2026, 3, 2)
ADD, EDIT = "/admin/inscriptions/new/", "/admin/inscriptions/edit/{}/"


@pytest.fixture
def two_sessions(trainer):
    mine = TrainingSessionFactory(name="Ma session", trainers=[trainer], week1_start=MON)
    theirs = TrainingSessionFactory(
        name="Leur session", trainers=[TrainerFactory()], week1_start=MON
    )
    return mine, theirs


def edit_data(enrolment, **overrides):
    data = {
        "session": enrolment.session_id,
        "status": enrolment.status,
        "funder": enrolment.funder,
        "structure": enrolment.structure_id or "",
    }
    data.update(overrides)
    return data


def test_the_trainee_of_an_enrolment_never_changes_from_the_admin(client_as, coordinator):
    """Finding 2: a posted trainee is ignored, the signatures stay with their person."""
    enrolment = EnrolmentFactory(session=TrainingSessionFactory(week1_start=MON))
    Attendance.objects.create(
        enrolment=enrolment,
        slot=enrolment.session.slots.first(),
        status="present",
        trainee_signed_at=timezone.now(),
    )
    original, someone_else = enrolment.trainee, TraineeFactory()
    client_as(coordinator).post(
        EDIT.format(enrolment.pk),
        edit_data(enrolment, trainee=someone_else.pk, trainee_email=someone_else.email),
    )
    enrolment.refresh_from_db()
    assert enrolment.trainee == original
    assert Attendance.objects.get().enrolment.trainee == original


def test_the_model_refuses_to_change_an_enrolments_trainee(trainee, other_trainee):
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.trainee = other_trainee
    with pytest.raises(ValidationError):
        enrolment.save()
    assert Enrolment.objects.get(pk=enrolment.pk).trainee == trainee


def test_the_edit_form_shows_the_trainee_read_only(client_as, coordinator):
    enrolment = EnrolmentFactory()
    body = client_as(coordinator).get(EDIT.format(enrolment.pk)).content.decode()
    assert enrolment.trainee.email in body
    assert "disabled" in body.split('name="trainee_email"')[1].split(">")[0]


def test_the_add_form_never_lists_the_trainees(client_as, trainer, two_sessions):
    """Finding 1: no list of every trainee of every session, by name."""
    _, theirs = two_sessions
    stranger = EnrolmentFactory(session=theirs).trainee
    body = client_as(trainer).get(ADD).content.decode()
    assert stranger.last_name not in body and stranger.email not in body


def test_a_trainee_is_enrolled_by_their_email_whatever_its_case(client_as, trainer, two_sessions):
    mine, _ = two_sessions
    newcomer = TraineeFactory(email="bruno.casse@exemple.fr")
    response = client_as(trainer).post(
        ADD,
        {"session": mine.pk, "trainee_email": " Bruno.Casse@exemple.fr ", "status": "confirmed"},
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(session=mine).trainee == newcomer


@pytest.mark.parametrize("email", ["inconnu@exemple.fr", "formateur"])
def test_an_unknown_or_staff_email_is_refused_in_french(client_as, trainer, two_sessions, email):
    mine, _ = two_sessions
    if email == "formateur":
        email = TrainerFactory().email
    response = client_as(trainer).post(
        ADD, {"session": mine.pk, "trainee_email": email, "status": "confirmed"}
    )
    assert response.status_code == 200
    assert "Aucun compte de stagiaire avec cette adresse" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_trainer_enrols_only_into_their_own_sessions(client_as, trainer, two_sessions):
    _, theirs = two_sessions
    newcomer = TraineeFactory()
    response = client_as(trainer).post(
        ADD, {"session": theirs.pk, "trainee_email": newcomer.email, "status": "confirmed"}
    )
    assert response.status_code == 200
    assert not Enrolment.objects.filter(trainee=newcomer).exists()


def test_a_trainer_cannot_move_an_enrolment_into_another_trainers_session(
    client_as, trainer, two_sessions
):
    mine, theirs = two_sessions
    enrolment = EnrolmentFactory(session=mine)
    response = client_as(trainer).post(
        EDIT.format(enrolment.pk), edit_data(enrolment, session=theirs.pk)
    )
    assert response.status_code == 200
    assert not Enrolment.objects.filter(session=theirs).exists()


def test_a_move_keeps_the_signatures_with_the_person_in_the_session_left(coordinator, trainee):
    source = TrainingSessionFactory(week1_start=MON)
    target = TrainingSessionFactory(week1_start=MON + datetime.timedelta(weeks=6))
    enrolment = EnrolmentFactory(session=source, trainee=trainee, funder="OPCO")
    Attendance.objects.create(
        enrolment=enrolment, slot=source.slots.first(), trainee_signed_at=timezone.now()
    )
    moved = enrolment_move(enrolment=enrolment, session=target, by=coordinator)
    enrolment.refresh_from_db()
    assert (moved.session, moved.trainee, moved.status, moved.funder) == (
        target,
        trainee,
        Enrolment.Status.IN_TRAINING,
        "OPCO",
    )
    assert enrolment.status == Enrolment.Status.DROPPED
    assert Attendance.objects.get().enrolment == enrolment


def test_moving_from_the_admin_goes_through_the_service(client_as, coordinator):
    source = TrainingSessionFactory(week1_start=MON)
    target = TrainingSessionFactory(week1_start=MON + datetime.timedelta(weeks=6))
    enrolment = EnrolmentFactory(session=source)
    response = client_as(coordinator).post(
        EDIT.format(enrolment.pk), edit_data(enrolment, session=target.pk)
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(session=target).trainee == enrolment.trainee
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.DROPPED


def test_coming_back_from_dropped_into_a_full_session_is_refused():
    session = TrainingSessionFactory(capacity=1, generate_slots=False)
    dropped = EnrolmentFactory(session=session, status=Enrolment.Status.DROPPED)
    EnrolmentFactory(session=session)
    with pytest.raises(ValidationError, match="complète"):
        enrolment_set_status(enrolment=dropped, status=Enrolment.Status.PRE_REGISTERED)


def test_coming_back_from_dropped_into_a_full_session_is_refused_in_the_admin(
    client_as, coordinator
):
    session = TrainingSessionFactory(capacity=1, generate_slots=False)
    dropped = EnrolmentFactory(session=session, status=Enrolment.Status.DROPPED)
    EnrolmentFactory(session=session)
    response = client_as(coordinator).post(
        EDIT.format(dropped.pk), edit_data(dropped, status=Enrolment.Status.PRE_REGISTERED)
    )
    assert response.status_code == 200
    assert "est complète" in response.content.decode()
    dropped.refresh_from_db()
    assert dropped.status == Enrolment.Status.DROPPED


@pytest.mark.parametrize("listing", ["/admin/inscriptions/", "/admin/demi-journees/"])
def test_the_session_filter_of_admin_listings_offers_own_sessions_only(
    client_as, trainer, two_sessions, listing
):
    body = client_as(trainer).get(listing).content.decode()
    assert "Ma session" in body
    assert "Leur session" not in body
