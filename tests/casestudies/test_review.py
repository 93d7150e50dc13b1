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
    # The agreement part stays the first submission's; the resubmission improved the rubric.
    expected = (Decimal("0.4") * first.automatic_score + 60).quantize(Decimal("0.01"))
    assert state.automatic_score == first.automatic_score
    assert state.score == second.score == expected < 100
    evidence = competency_evidence([trainee.pk])
    assert evidence[trainee.pk] == {"C2": [expected], "C3": [expected]}


# Every compared field of Organiser et financer differs from the simulator's value.
ORGANISER_ALL_WRONG = {
    "dpe_before": "A",
    "dpe_after": "A",
    "works_cost_ht": "1 000",
    "aid_mpr_accompagnee": "1",
    "aid_mar": "1",
    "reste_a_charge": "999",
    "reste_a_charge_pct": "99,9",
}


def test_copying_the_verdict_after_a_send_back_does_not_raise_the_agreement_part(
    client_as, dossier, trainer
):
    trainee = dossier.trainee
    submit_organiser(client_as(trainee), dossier, **ORGANISER_ALL_WRONG)
    first = Submission.objects.get()
    assert first.automatic_score == 0
    client_as(trainer).post(
        review_url(dossier), dict(RUBRIC_FULL, decision="sent_back", comment="Tout est à revoir.")
    )
    page = client_as(trainee).get(dossier.get_absolute_url() + "?jalon=organiser")
    verdict = page.content.decode().split('id="verdict-titre"')[1]
    assert "Reste à charge" in verdict and "simulateur" in verdict  # expected values shown...
    submit_organiser(client_as(trainee), dossier)  # ...which the trainee copies
    second = Submission.objects.latest("submitted_at")
    assert second.automatic_score == 100

    review = client_as(trainer).get(review_url(dossier)).content.decode()
    scored, current = (
        review.split('class="agreement-scored"')[1],
        review.split('class="agreement-current"')[1],
    )
    assert "compte dans la note" in scored.split("</p>")[0]
    assert "<strong>0" in scored.split("</p>")[0]
    assert "pour information" in current.split("</p>")[0]
    assert "<strong>100" in current.split("</p>")[0]

    client_as(trainer).post(review_url(dossier), dict(RUBRIC_FULL, decision="accepted"))
    state = dossier.milestones.get(milestone="organiser")
    assert state.status == MilestoneStatus.VALIDATED
    assert state.automatic_score == 0  # the milestone's agreement score: 0 %, not 100 %
    assert state.score == Decimal("60.00")  # 40 % x 0 + 60 % x a full rubric
    trainee_page = client_as(trainee).get(dossier.get_absolute_url() + "?jalon=organiser")
    assert "retient l'accord de la première soumission" in trainee_page.content.decode()


def test_sending_back_needs_a_comment(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    response = client_as(trainer).post(review_url(dossier), dict(RUBRIC_FULL, decision="sent_back"))
    assert response.status_code == 200
    assert "Expliquez" in response.content.decode()
    assert dossier.milestones.get(milestone="organiser").status == MilestoneStatus.SUBMITTED


def test_a_milestone_is_sent_back_with_a_comment_and_no_rubric(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    response = client_as(trainer).post(
        review_url(dossier), {"decision": "sent_back", "comment": "Le plan de financement manque."}
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.decision == "sent_back"
    assert submission.rubric_points == {} and submission.rubric_score is None
    assert submission.score is None
    state = dossier.milestones.get(milestone="organiser")
    assert state.status == MilestoneStatus.SENT_BACK and state.score is None


def test_accepting_needs_every_rubric_criterion(client_as, dossier, trainer):
    submit_organiser(client_as(dossier.trainee), dossier)
    points = dict(RUBRIC_FULL)
    del points["rubric_scenario"]
    response = client_as(trainer).post(review_url(dossier), dict(points, decision="accepted"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Donnez les points de ce critère." in body
    assert 'value="4"' in body  # what was typed is kept
    assert not Submission.objects.exclude(decision="").exists()


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


def test_an_unknown_decision_is_refused_in_french_by_the_service(client_as, dossier, trainer):
    from django.core.exceptions import ValidationError

    from casestudies.services import submission_decide

    submit_organiser(client_as(dossier.trainee), dossier)
    with pytest.raises(ValidationError) as error:
        submission_decide(
            submission=Submission.objects.get(), trainer=trainer, decision="peut-être",
            comment="", rubric_points={},
        )  # fmt: skip
    assert "« peut-être » n'est pas une décision connue" in str(error.value)
    assert not Submission.objects.get().is_decided
