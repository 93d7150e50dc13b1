"""Who is told about a dossier milestone: its session's trainers on submission, the trainee on
the decision; by e-mail after the commit, in French, with absolute links."""

from django.core import mail
from django.urls import reverse

import pytest

from casestudies.services import milestone_submit, submission_decide
from lms.notifications import kinds
from lms.notifications.models import Notification
from tests.factories import EnrolmentFactory, TrainerFactory, TrainingSessionFactory

from .conftest import IDENTIFIER_OK

pytestmark = pytest.mark.django_db

RUBRIC = {"rubric_qualification": 3, "rubric_besoins": 3, "rubric_pieces": 2}


def _fill(dossier, values):
    from casestudies.services import dossier_field_save

    for name, value in values.items():
        dossier_field_save(
            dossier=dossier,
            milestone="identifier",
            name=name,
            values=value if isinstance(value, list) else [value],
        )


def _submit(dossier, capture):
    _fill(dossier, IDENTIFIER_OK)
    with capture(execute=True):
        outcome = milestone_submit(dossier=dossier, milestone="identifier")
    assert outcome.submission is not None
    return outcome.submission


def test_submission_notifies_the_sessions_trainers_only(
    dossier, trainer, django_capture_on_commit_callbacks
):
    co_trainer = TrainerFactory(first_name="Awa", last_name="Diallo")
    session = dossier.enrolment.session
    session.trainers.add(co_trainer)
    TrainingSessionFactory(trainers=[TrainerFactory(first_name="Autre")], generate_slots=False)
    submission = _submit(dossier, django_capture_on_commit_callbacks)

    notified = Notification.objects.filter(kind=kinds.MILESTONE_SUBMITTED)
    assert {n.recipient for n in notified} == {trainer, co_trainer}
    notification = notified.get(recipient=trainer)
    assert notification.title == ("Camille Martin a soumis le jalon « Identifier » à votre revue")
    assert notification.url == reverse("casestudies:review_detail", args=[dossier.pk, "identifier"])
    assert f"Session : {session.name}." in notification.body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([trainer.email, co_trainer.email])
    message = next(m for m in mail.outbox if m.to == [trainer.email])
    assert message.body.startswith("Bonjour Karim,")
    assert f"http://testserver/revue-dossiers/{dossier.pk}/identifier/" in message.body
    assert not Notification.objects.filter(recipient=dossier.trainee).exists()
    assert submission.pk


def test_trainers_of_the_trainees_other_session_are_not_told(
    dossier, trainee, django_capture_on_commit_callbacks
):
    other_trainer = TrainerFactory()
    EnrolmentFactory(
        trainee=trainee,
        session=TrainingSessionFactory(trainers=[other_trainer], generate_slots=False),
    )
    _submit(dossier, django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(recipient=other_trainer).exists()


def test_nobody_is_told_inside_the_request_nor_on_a_failed_submission(
    dossier, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = milestone_submit(dossier=dossier, milestone="identifier")  # empty: invalid
    assert outcome.submission is None
    assert callbacks == []
    _fill(dossier, IDENTIFIER_OK)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        milestone_submit(dossier=dossier, milestone="identifier")
    assert len(callbacks) == 1  # queued for after the commit, not run
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("decision", "title"),
    [
        ("accepted", "Votre jalon « Identifier » est accepté"),
        ("sent_back", "Votre jalon « Identifier » vous est renvoyé pour être complété"),
    ],
)
def test_the_decision_notifies_the_trainee_with_the_comment(
    dossier, trainer, decision, title, django_capture_on_commit_callbacks
):
    submission = _submit(dossier, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        submission_decide(
            submission=submission,
            trainer=trainer,
            decision=decision,
            comment="Pensez au tiers de confiance.",
            rubric_points={},
        )
    notification = Notification.objects.get(kind=kinds.MILESTONE_REVIEWED)
    assert notification.recipient == dossier.trainee
    assert notification.title == title
    assert "Commentaire de Karim Benali : Pensez au tiers de confiance." in notification.body
    (message,) = mail.outbox
    assert message.to == [dossier.trainee.email]
    assert message.subject == f"Ensemblier : {title}"
    assert f"http://testserver/dossiers/{dossier.pk}/?jalon=identifier" in message.body
