"""Who may read, edit and review a dossier — direct URLs and the autosave endpoint (IDOR)."""

from django.urls import reverse

import pytest

from casestudies.models import DossierField, MilestoneStatus
from tests.factories import (
    DossierFactory,
    EnrolmentFactory,
    SubmissionFactory,
    TraineeFactory,
    TrainerFactory,
    TrainingSessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(dossier):
    state = dossier.milestones.get(milestone="identifier")
    state.status = MilestoneStatus.SUBMITTED
    state.save()
    SubmissionFactory(dossier_milestone=state)
    return dossier


def trainee_urls(dossier):
    return [
        ("get", dossier.get_absolute_url(), {}),
        ("post", reverse("casestudies:autosave", args=[dossier.pk]),
         {"_milestone": "identifier", "_field": "needs", "needs": "piraté"}),
        ("post", reverse("casestudies:check", args=[dossier.pk, "identifier"]), {}),
        ("post", reverse("casestudies:submit", args=[dossier.pk, "identifier"]),
         {"needs": "piraté", "action": "save"}),
    ]  # fmt: skip


def test_a_trainee_cannot_reach_another_trainees_dossier_by_any_url(
    client_as, dossier, other_enrolled_trainee
):
    client = client_as(other_enrolled_trainee)
    for method, url, data in trainee_urls(dossier):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
    assert not DossierField.objects.exists()


def test_a_trainer_can_read_but_never_edit_a_trainees_dossier(client_as, dossier, trainer):
    client = client_as(trainer)
    assert client.get(dossier.get_absolute_url()).status_code == 200
    for _method, url, data in trainee_urls(dossier)[1:]:
        if "verifier" in url:
            continue
        assert client.post(url, data).status_code == 404, url
    assert not DossierField.objects.exists()


def test_a_trainer_of_another_session_sees_nothing(client_as, submitted):
    stranger = TrainerFactory()
    TrainingSessionFactory(trainers=[stranger], generate_slots=False)
    client = client_as(stranger)
    assert client.get(submitted.get_absolute_url()).status_code == 404
    review = reverse("casestudies:review_detail", args=[submitted.pk, "identifier"])
    assert client.get(review).status_code == 404
    assert client.post(review, {"decision": "accepted"}).status_code == 404
    body = client.get(reverse("casestudies:review_list")).content.decode()
    assert submitted.trainee.get_full_name() not in body


def test_a_dropped_trainee_is_no_longer_visible_to_the_trainer(client_as, dossier, trainer):
    dossier.trainee.enrolments.update(status="dropped")
    assert client_as(trainer).get(dossier.get_absolute_url()).status_code == 404


def test_the_trainee_cannot_open_the_review_screen(client_as, submitted):
    url = reverse("casestudies:review_detail", args=[submitted.pk, "identifier"])
    assert client_as(submitted.trainee).get(url).status_code == 403
    assert client_as(submitted.trainee).get(reverse("casestudies:review_list")).status_code == 403


def test_a_coordinator_reads_every_dossier_but_cannot_review(client_as, submitted, coordinator):
    client = client_as(coordinator)
    assert client.get(submitted.get_absolute_url()).status_code == 200
    url = reverse("casestudies:review_detail", args=[submitted.pk, "identifier"])
    assert client.post(url, {"decision": "accepted"}).status_code == 403


def test_a_trainer_enrolled_as_trainee_cannot_review_their_own_dossier(client_as, case_study):
    person = TrainerFactory()
    session = TrainingSessionFactory(trainers=[person], generate_slots=False)
    EnrolmentFactory(trainee=person, session=session)
    dossier = DossierFactory(
        trainee=person, case_study=case_study, statuses={"identifier": "submitted"}
    )
    SubmissionFactory(dossier_milestone=dossier.milestones.get(milestone="identifier"))
    url = reverse("casestudies:review_detail", args=[dossier.pk, "identifier"])
    assert client_as(person).get(url).status_code == 404


def test_anonymous_users_are_sent_to_the_login_page(client, dossier):
    response = client.get(dossier.get_absolute_url())
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
    response = client.get(reverse("casestudies:review_list"))
    assert response.status_code == 302


def test_case_study_pages_need_login_and_an_enrolment(client, client_as, case_study):
    response = client.get(case_study.url)
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
    outsider = TraineeFactory()
    response = client_as(outsider).get(case_study.url)
    assert response.status_code == 403
    assert "réservés" in response.content.decode()


def test_an_enrolled_trainee_reads_the_case_but_not_the_trainer_notes(
    client_as, enrolled_trainee, case_study
):
    case_study.trainer_notes = "Piège : écrêtement"
    case_study.save_revision().publish()
    body = client_as(enrolled_trainee).get(case_study.url).content.decode()
    assert "Ouvrir mon dossier" in body
    assert "Piège" not in body


def test_a_trainer_reads_the_case_with_notes_and_the_simulator_result(
    client_as, trainer, case_study
):
    case_study.trainer_notes = "Piège : écrêtement"
    case_study.save_revision().publish()
    body = client_as(trainer).get(case_study.url).content.decode()
    assert "Piège" in body
    assert "Ce que donne le simulateur" in body
    assert "32\u202f000" in body


def test_a_coordinator_lists_every_dossier_without_review_buttons(
    client_as, submitted, coordinator
):
    body = client_as(coordinator).get(reverse("casestudies:review_list")).content.decode()
    assert submitted.trainee.get_full_name() in body
    assert "Revoir «" not in body
