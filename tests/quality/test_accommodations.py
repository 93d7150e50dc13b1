"""Accommodations: the rule, the time granted on the server, who records and who reads them."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

import pytest

from assessments.quality import rules
from assessments.quality.models import Accommodation
from assessments.quality.selectors import time_factor_for
from assessments.services import AttemptError, attempt_save_answers, attempt_start, late_grace
from lms.roles import Role, is_disability_referent
from modules import access
from tests.factories import (
    AccommodationFactory,
    AssessmentPageFactory,
    DisabilityReferentFactory,
    EnrolmentFactory,
    TraineeFactory,
    TrainingSessionFactory,
)

NOW = timezone.make_aware(datetime.datetime(2026, 4, 14, 10, 0))
TODAY = datetime.date(2026, 4, 14)


# --- Pure rules ----------------------------------------------------------------------------------


def test_time_allowed_multiplies_and_rounds_up_to_the_second():
    assert rules.time_allowed(20, Decimal("1.5")) == datetime.timedelta(minutes=30)
    assert rules.time_allowed(7, Decimal("1.33")) == datetime.timedelta(seconds=559)  # 558.6
    assert rules.time_allowed(20, Decimal("1")) == datetime.timedelta(minutes=20)


def test_a_factor_below_one_never_shortens_the_time():
    assert rules.time_allowed(20, Decimal("0.5")) == datetime.timedelta(minutes=20)


def test_the_most_generous_factor_applies_and_none_means_one():
    assert rules.combined_factor([]) == 1
    assert rules.combined_factor([Decimal("1.33"), Decimal("1.5")]) == Decimal("1.5")


def test_in_force_from_its_first_day_until_the_day_before_its_end():
    start, end = datetime.date(2026, 4, 1), datetime.date(2026, 4, 14)
    assert not rules.is_in_force(start, end, datetime.date(2026, 3, 31))
    assert rules.is_in_force(start, end, start)
    assert rules.is_in_force(start, end, datetime.date(2026, 4, 13))
    assert not rules.is_in_force(start, end, end)
    assert rules.is_in_force(start, None, datetime.date(2030, 1, 1))


# --- Honoured on the server ----------------------------------------------------------------------


@pytest.fixture
def quiz(db):
    return AssessmentPageFactory(time_limit_minutes=20, attempts_allowed=2)


@pytest.fixture
def enrolled(trainee):
    EnrolmentFactory(trainee=trainee)
    return trainee


def _true_false(assessment):
    return assessment.questions.get(kind="true_false")


@pytest.mark.django_db
def test_extra_time_lengthens_the_deadline_of_a_timed_attempt(enrolled, quiz):
    AccommodationFactory(trainee=enrolled, time_factor=Decimal("1.5"))
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    assert attempt.deadline == NOW + datetime.timedelta(minutes=30)


@pytest.mark.django_db
def test_an_answer_within_the_extended_time_is_accepted_after_it_is_refused(enrolled, quiz):
    AccommodationFactory(trainee=enrolled, time_factor=Decimal("1.5"))
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    question = _true_false(quiz)
    # 28 minutes in: past the 20 minutes of everybody else (and their grace), within 30.
    attempt_save_answers(
        attempt=attempt, values={question: "true"}, now=NOW + datetime.timedelta(minutes=28)
    )
    assert attempt.answers.get(question=question).value is True
    too_late = NOW + datetime.timedelta(minutes=30) + late_grace() + datetime.timedelta(seconds=1)
    with pytest.raises(AttemptError, match="temps est écoulé"):
        attempt_save_answers(attempt=attempt, values={question: "false"}, now=too_late)
    attempt.refresh_from_db()
    assert attempt.timed_out
    assert attempt.answers.get(question=question).value is True


@pytest.mark.django_db
def test_without_accommodation_the_same_answer_is_refused(enrolled, quiz):
    attempt = attempt_start(trainee=enrolled, assessment=quiz, now=NOW)
    with pytest.raises(AttemptError, match="temps est écoulé"):
        attempt_save_answers(
            attempt=attempt,
            values={_true_false(quiz): "true"},
            now=NOW + datetime.timedelta(minutes=28),
        )


@pytest.mark.django_db
def test_an_ended_or_future_accommodation_does_not_apply(trainee):
    AccommodationFactory(
        trainee=trainee, starts_on=datetime.date(2026, 1, 1), ended_on=datetime.date(2026, 4, 1)
    )
    AccommodationFactory(trainee=trainee, starts_on=datetime.date(2026, 5, 1))
    assert time_factor_for(trainee, TODAY) == 1
    assert time_factor_for(trainee, datetime.date(2026, 3, 1)) == Decimal("1.5")


@pytest.mark.django_db
def test_an_untimed_assessment_stays_untimed(enrolled):
    AccommodationFactory(trainee=enrolled)
    untimed = AssessmentPageFactory(time_limit_minutes=None)
    assert attempt_start(trainee=enrolled, assessment=untimed, now=NOW).deadline is None


@pytest.mark.django_db
def test_the_assessment_page_tells_the_trainee_their_time(client_as, enrolled, quiz):
    AccommodationFactory(trainee=enrolled, time_factor=Decimal("1.5"))
    response = client_as(enrolled).get(quiz.url)
    assert "Durée : 30 minutes pour vous" in response.content.decode()


# --- Role and access -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_referent_role_is_a_group_created_by_migration():
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=Role.DISABILITY_REFERENT.value)
    assert group.permissions.filter(codename="add_accommodation").exists()
    referent = DisabilityReferentFactory()
    assert is_disability_referent(referent) and access.records_accommodations(referent)


@pytest.mark.django_db
def test_coordinators_and_trainers_do_not_record(coordinator, trainer, trainee):
    for user in (coordinator, trainer, trainee):
        assert not access.records_accommodations(user)


@pytest.mark.django_db
def test_trainers_read_the_accommodations_of_the_trainees_they_follow_only(trainer):
    followed, other = TraineeFactory(), TraineeFactory()
    session = TrainingSessionFactory()
    session.trainers.add(trainer)
    EnrolmentFactory(trainee=followed, session=session)
    EnrolmentFactory(trainee=other)
    mine = AccommodationFactory(trainee=followed)
    AccommodationFactory(trainee=other)
    visible = access.visible_accommodations(trainer, Accommodation.objects.all())
    assert list(visible) == [mine]


@pytest.mark.django_db
def test_a_trainee_reads_their_own_only(trainee, other_trainee):
    own = AccommodationFactory(trainee=trainee)
    AccommodationFactory(trainee=other_trainee)
    assert list(access.visible_accommodations(trainee, Accommodation.objects.all())) == [own]


# --- Views ---------------------------------------------------------------------------------------


def _form(trainee, **overrides):
    data = {
        "trainee": trainee.pk,
        "time_factor": "1,33",
        "alternative_format": "Sujets en police 18",
        "room_note": "Accès fauteuil",
        "confidential_note": "Détail de santé",
        "consent_on": "2026-04-10",
        "starts_on": "2026-04-10",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_referent_records_an_accommodation_with_consent(client_as, trainee):
    referent = DisabilityReferentFactory()
    response = client_as(referent).post(reverse("quality:accommodation_create"), _form(trainee))
    assert response.status_code == 302
    accommodation = Accommodation.objects.get(trainee=trainee)
    assert accommodation.time_factor == Decimal("1.33")
    assert accommodation.recorded_by == referent


@pytest.mark.django_db
def test_without_consent_or_with_a_bad_factor_nothing_is_recorded_and_the_form_says_why(
    client_as, trainee
):
    client = client_as(DisabilityReferentFactory())
    url = reverse("quality:accommodation_create")
    response = client.post(url, _form(trainee, consent=""))
    assert "accord de la personne est nécessaire." in response.content.decode()
    assert "Sujets en police 18" in response.content.decode()  # what was typed is kept
    response = client.post(url, _form(trainee, time_factor="1e2"))
    assert response.status_code == 200
    response = client.post(url, _form(trainee, time_factor="4"))
    assert "inférieure ou égale à 3" in response.content.decode()
    assert not Accommodation.objects.exists()


@pytest.mark.django_db
def test_a_referent_who_is_also_a_trainee_cannot_grant_themselves_extra_time(client_as, trainee):
    referent = DisabilityReferentFactory()
    referent.groups.add(*trainee.groups.all())  # also a trainee
    client = client_as(referent)
    response = client.post(reverse("quality:accommodation_create"), _form(referent))
    assert response.status_code == 200
    assert "par un·e autre référent·e" in response.content.decode()
    assert not Accommodation.objects.filter(trainee=referent).exists()
    # One recorded by another referent cannot be changed by the person it is for.
    granted = Accommodation.objects.create(
        trainee=referent,
        recorded_by=DisabilityReferentFactory(),
        time_factor=Decimal("1.25"),
        consent_on=datetime.date(2026, 4, 10),
        starts_on=datetime.date(2026, 4, 10),
    )
    url = reverse("quality:accommodation_edit", args=[granted.pk])
    response = client.post(url, _form(referent, time_factor="3"))
    assert response.status_code == 200
    granted.refresh_from_db()
    assert granted.time_factor == Decimal("1.25")


@pytest.mark.django_db
def test_only_the_referent_opens_the_form(client_as, coordinator, trainer, trainee):
    for user in (coordinator, trainer, trainee):
        assert client_as(user).get(reverse("quality:accommodation_create")).status_code == 403


@pytest.mark.django_db
def test_the_confidential_note_is_shown_to_nobody_but_the_referent(client_as, coordinator, trainee):
    accommodation = AccommodationFactory(trainee=trainee, confidential_note="Épilepsie")
    page = client_as(coordinator).get(reverse("quality:accommodations")).content.decode()
    assert "Sujets en gros caractères" in page and "Épilepsie" not in page
    own = client_as(trainee).get(reverse("quality:mine")).content.decode()
    assert "Temps majoré" in own and "Épilepsie" not in own
    referent = client_as(DisabilityReferentFactory())
    edit = referent.get(reverse("quality:accommodation_edit", args=[accommodation.pk]))
    assert "Épilepsie" in edit.content.decode()


@pytest.mark.django_db
def test_a_trainee_cannot_open_the_register(client_as, trainee):
    assert client_as(trainee).get(reverse("quality:accommodations")).status_code == 403


@pytest.mark.django_db
def test_ending_keeps_the_row_and_stops_the_extra_time(client_as, trainee):
    accommodation = AccommodationFactory(trainee=trainee)
    client = client_as(DisabilityReferentFactory())
    url = reverse("quality:accommodation_end", args=[accommodation.pk])
    assert client.post(url, {"ended_on": "", "reason": ""}).status_code == 400
    response = client.post(url, {"ended_on": "2026-04-14", "reason": "Fin de la formation"})
    assert response.status_code == 302
    accommodation.refresh_from_db()
    assert accommodation.ended_on == TODAY
    assert time_factor_for(trainee, TODAY) == 1


@pytest.mark.django_db
def test_the_register_takes_constant_queries(client_as, coordinator):
    client = client_as(coordinator)
    AccommodationFactory()
    client.get(reverse("quality:accommodations"))
    # Same number of queries for 1 and 4 rows.
    first = _count(client)
    AccommodationFactory.create_batch(3)
    assert _count(client) == first


def _count(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(reverse("quality:accommodations"))
    return len(context.captured_queries)
