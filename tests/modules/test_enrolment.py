"""The enrolment service: capacity, duplicates, status transitions."""

from django.core.exceptions import ValidationError

import pytest

from modules.models import Enrolment
from modules.services.enrolment import (
    enrolment_create,
    enrolment_set_status,
    transition_allowed,
)
from tests.factories import EnrolmentFactory, TraineeFactory, TrainingSessionFactory

S = Enrolment.Status


@pytest.mark.parametrize(
    ("old", "new", "allowed"),
    [
        (S.PRE_REGISTERED, S.CONFIRMED, True),
        (S.CONFIRMED, S.IN_TRAINING, True),
        (S.IN_TRAINING, S.COMPLETED, True),
        (S.PRE_REGISTERED, S.IN_TRAINING, False),
        (S.COMPLETED, S.IN_TRAINING, False),
        (S.CONFIRMED, S.DROPPED, True),
        (S.COMPLETED, S.DROPPED, True),
        (S.DROPPED, S.CONFIRMED, False),
        (S.DROPPED, S.PRE_REGISTERED, True),
        (S.CONFIRMED, S.CONFIRMED, True),
    ],
)
def test_status_transitions(old, new, allowed):
    assert transition_allowed(old, new) is allowed


@pytest.mark.django_db
def test_enrolment_is_refused_when_the_session_is_full():
    session = TrainingSessionFactory(capacity=2, generate_slots=False)
    EnrolmentFactory.create_batch(2, session=session)
    with pytest.raises(ValidationError, match="est complète"):
        enrolment_create(session=session, trainee=TraineeFactory())


@pytest.mark.django_db
def test_a_dropped_enrolment_frees_its_seat():
    session = TrainingSessionFactory(capacity=1, generate_slots=False)
    EnrolmentFactory(session=session, status=S.DROPPED)
    enrolment = enrolment_create(session=session, trainee=TraineeFactory(), funder="OPCO")
    assert enrolment.status == S.PRE_REGISTERED and enrolment.funder == "OPCO"


@pytest.mark.django_db
def test_a_trainee_cannot_be_enrolled_twice(trainee):
    session = TrainingSessionFactory(generate_slots=False)
    enrolment_create(session=session, trainee=trainee)
    with pytest.raises(ValidationError, match="déjà inscrit"):
        enrolment_create(session=session, trainee=trainee)


@pytest.mark.django_db
def test_status_change_follows_the_rule(trainee):
    enrolment = EnrolmentFactory(trainee=trainee, status=S.PRE_REGISTERED)
    with pytest.raises(ValidationError) as error:
        enrolment_set_status(enrolment=enrolment, status=S.COMPLETED)
    assert "Confirmé·e" in error.value.message_dict["status"][0]
    enrolment_set_status(enrolment=enrolment, status=S.CONFIRMED)
    enrolment.refresh_from_db()
    assert enrolment.status == S.CONFIRMED


@pytest.mark.django_db
def test_an_unknown_status_is_refused_in_french_and_nothing_is_stored():
    session = TrainingSessionFactory(generate_slots=False)
    with pytest.raises(ValidationError) as error:
        enrolment_create(session=session, trainee=TraineeFactory(), status="brouillon")
    assert "« brouillon » n'est pas un statut d'inscription connu" in str(error.value)
    assert not Enrolment.objects.exists()
    enrolment = EnrolmentFactory(session=session)
    with pytest.raises(ValidationError) as error:
        enrolment_set_status(enrolment=enrolment, status="fini")
    assert "status" in error.value.message_dict
    before = enrolment.status
    enrolment.refresh_from_db()
    assert enrolment.status == before
