"""The review workflow: submit, send back with a comment, fix, resubmit, accept; history kept."""

from decimal import Decimal

from django.urls import reverse

import pytest

from casestudies.models import MilestoneStatus, Submission
from casestudies.selectors import competency_evidence

from .conftest import ORGANISER_OK

pytestmark = pytest.mark.django_db

RUBRIC_FULL = {
    "rubric_diagnostic": 4,
    "rubric_scenario": 4,
    "rubric_financement": 4,
    "rubric_explication": 2,
}


def submit_organiser(client, dossier, **overrides):
    return client.post(
        reverse("casestudies:submit", args=[dossier.pk, "organiser"]),
        dict(ORGANISER_OK, action="submit", **overrides),
    )


def review_url(dossier, milestone="organiser"):
    return reverse("casestudies:review_detail", args=[dossier.pk, milestone])


def test_send_back_then_resubmit_then_accept_keeps_every_decision(client, client_as, dossier):
    trainee, trainer = dossier.trainee, dossier.trainee.enrolments.get().session.trainers.get()
    submit_organiser(client_as(trainee), dossier, reste_a_charge="12 000")
    state = dossier.milestones.get(milestone="organiser")
    assert state.status == MilestoneStatus.SUBMITTED

    client = client_as(trainer)
    page = client.get(review_url(dossier)).content.decode()
    assert "Le verdict du simulateur" in page and "Écart" in page
    response = client.post(
        review_url(dossier),
        dict(RUBRIC_FULL, rubric_financement=1, decision="sent_back", comment="Revoyez le RAC."),
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == MilestoneStatus.SENT_BACK

    client = client_as(trainee)
    page = client.get(dossier.get_absolute_url() + "?jalon=organiser").content.decode()
    assert "Revoyez le RAC." in page
    assert "Renvoyé" in page
    assert "disabled" not in page.split('id="form-jalon"')[1].split("</form>")[0]
    submit_organiser(client, dossier)

    client = client_as(trainer)
    client.post(review_url(dossier), dict(RUBRIC_FULL, decision="accepted", comment="Bien."))
    state.refresh_from_db()
    assert state.status == MilestoneStatus.VALIDATED
    first, second = Submission.objects.order_by("submitted_at")
    assert (first.decision, first.decided_by, first.comment) == (
        "sent_back",
        trainer,
        "Revoyez le RAC.",
    )
    assert first.automatic_score < 100
    assert (second.decision, second.decided_by) == ("accepted", trainer)
    assert second.automatic_score == 100 and second.rubric_score == 100
    assert state.score == 100
    evidence = competency_evidence([trainee.pk])
    assert evidence[trainee.pk] == {"C2": [Decimal("100.00")], "C3": [Decimal("100.00")]}


def test_sending_back_needs_a_comment(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    response = client_as(trainer).post(review_url(dossier), dict(RUBRIC_FULL, decision="sent_back"))
    assert response.status_code == 200
    assert "Expliquez" in response.content.decode()
    assert dossier.milestones.get(milestone="organiser").status == MilestoneStatus.SUBMITTED


def test_rubric_points_above_the_maximum_are_refused_in_french(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    response = client_as(trainer).post(
        review_url(dossier), dict(RUBRIC_FULL, rubric_scenario=9, decision="accepted")
    )
    assert "Au plus 4 points." in response.content.decode()
    assert not Submission.objects.exclude(decision="").exists()


def test_a_decision_cannot_be_taken_twice(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    client = client_as(trainer)
    client.post(review_url(dossier), dict(RUBRIC_FULL, decision="accepted"))
    response = client.post(
        review_url(dossier), dict(RUBRIC_FULL, decision="sent_back", comment="x")
    )
    assert response.status_code == 302
    assert Submission.objects.get().decision == "accepted"


def test_the_review_list_puts_dossiers_to_review_first(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    body = client_as(trainer).get(reverse("casestudies:review_list")).content.decode()
    assert dossier.trainee.get_full_name() in body
    assert "Revoir « Organiser et financer »" in body
    assert "auto 100" in body


def test_the_review_list_filters_by_session(client_as, dossier, trainer, session):
    client = client_as(trainer)
    body = client.get(reverse("casestudies:review_list") + f"?session={session.pk}")
    assert dossier.trainee.get_full_name() in body.content.decode()
    assert client.get(reverse("casestudies:review_list") + "?session=999999").status_code == 404


def test_a_validated_milestone_can_no_longer_be_edited(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    client_as(trainer).post(review_url(dossier), dict(RUBRIC_FULL, decision="accepted"))
    response = submit_organiser(client_as(dossier.trainee), dossier, diagnosis="changé")
    assert response.status_code == 409  # refused, and what was typed is shown to be copied
    assert "Vos saisies non enregistrées" in response.content.decode()
    assert Submission.objects.count() == 1
    assert Submission.objects.get().answers["diagnosis"] != "changé"


def test_the_review_screen_query_count_is_constant_in_the_history(client_as, dossier, trainer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(client, url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def round_trip(comment):
        submit_organiser(client_as(dossier.trainee), dossier)
        client_as(trainer).post(
            review_url(dossier), dict(RUBRIC_FULL, decision="sent_back", comment=comment)
        )

    round_trip("un")
    submit_organiser(client_as(dossier.trainee), dossier)
    small = count(client_as(trainer), review_url(dossier))
    client_as(trainer).post(
        review_url(dossier), dict(RUBRIC_FULL, decision="sent_back", comment="x")
    )
    for comment in ("deux", "trois"):
        round_trip(comment)
    submit_organiser(client_as(dossier.trainee), dossier)
    large = count(client_as(trainer), review_url(dossier))
    assert Submission.objects.count() == 5
    assert small == large
