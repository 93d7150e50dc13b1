"""Access to the final evaluation: refused server-side under the attendance threshold or
without the positioning test, with the reason shown on the assessment page."""

import datetime

import pytest

from assessments.certification.gate import final_access_for
from assessments.models import AssessmentPage, Attempt
from assessments.services import AttemptError, attempt_start
from tests.factories import (
    AssessmentPageFactory,
    EnrolmentFactory,
    attend,
    final_assessment,
    make_question,
)
from tests.factories.modules import build_programme

pytestmark = pytest.mark.django_db

THREE_WEEKS_AGO = datetime.date.today() - datetime.timedelta(days=28)


def past_enrolment(trainee, present):
    enrolment = EnrolmentFactory(trainee=trainee, session__week1_start=THREE_WEEKS_AGO)
    attend(enrolment, present)
    return enrolment


def test_a_trainee_under_the_threshold_cannot_start_the_final(trainee):
    past_enrolment(trainee, 10)  # 10 of 30 half-days: 33,3 %
    final = final_assessment()
    with pytest.raises(AttemptError) as refused:
        attempt_start(trainee=trainee, assessment=final)
    assert "Assiduité à ce jour de 33,3 %" in refused.value.message
    assert "il manque 46,7 points" in refused.value.message
    assert not Attempt.objects.exists()


def test_a_trainee_at_the_threshold_starts_the_final(trainee):
    past_enrolment(trainee, 24)  # 80 %
    attempt = attempt_start(trainee=trainee, assessment=final_assessment())
    assert attempt.is_in_progress


def test_a_quiz_is_not_gated_by_attendance(trainee):
    past_enrolment(trainee, 0)
    quiz = AssessmentPageFactory()
    assert attempt_start(trainee=trainee, assessment=quiz).is_in_progress


def test_the_final_needs_the_positioning_test_when_one_is_published(trainee):
    past_enrolment(trainee, 30)
    positioning = AssessmentPageFactory(
        kind=AssessmentPage.Kind.POSITIONING,
        questions=[make_question("true_false", "C1", 1, answer_bool=True)],
    )
    final = final_assessment()
    with pytest.raises(AttemptError, match="test de positionnement"):
        attempt_start(trainee=trainee, assessment=final)
    done = attempt_start(trainee=trainee, assessment=positioning)
    Attempt.objects.filter(pk=done.pk).update(status=Attempt.Status.SUBMITTED)
    assert attempt_start(trainee=trainee, assessment=final).is_in_progress


def test_the_final_page_says_why_and_the_start_url_refuses(client_as, trainee):
    past_enrolment(trainee, 10)
    final = final_assessment()
    client = client_as(trainee)
    page = client.get(final.url).content.decode()
    assert "Assiduité à ce jour de 33,3 %, sous le seuil de 80 %" in page
    response = client.post(f"/tentatives/commencer/{final.pk}/", follow=True)
    assert "il manque 46,7 points" in response.content.decode()
    assert not Attempt.objects.exists()


def test_attendance_to_date_counts_only_the_half_days_held(trainee):
    enrolment = EnrolmentFactory(trainee=trainee, session__week1_start=THREE_WEEKS_AGO)
    attend(enrolment, 10)
    slots = list(enrolment.session.slots.order_by("date", "start_time"))
    after_ten = datetime.datetime.combine(
        slots[9].date, slots[9].end_time, tzinfo=datetime.UTC
    ) + datetime.timedelta(hours=3)
    access = final_access_for(trainee, after_ten)
    assert access.allowed and access.attendance_percent == 100


def test_the_threshold_stated_on_the_programme_page_is_the_one_enforced(client, trainee, home_page):
    programme = build_programme(home_page)
    programme.attendance_threshold_percent = 30
    programme.save()
    stated = client.get(programme.url).content.decode()
    assert "une présence d'au moins <strong>30 %</strong>" in stated.replace("&#x27;", "'")
    past_enrolment(trainee, 10)  # 33,3 %
    assert final_access_for(trainee).allowed
    programme.attendance_threshold_percent = 40
    programme.save()
    assert "sous le seuil de 40 %" in final_access_for(trainee).reasons[0]
