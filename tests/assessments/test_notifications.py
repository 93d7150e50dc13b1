"""Who is told about assessments: the trainee, when their open answers are graded, when a
competency is decided and when their certificate is issued; after the commit, by e-mail."""

from decimal import Decimal

from django.core import mail

import pytest

from assessments.certification.services import (
    certification_create,
    certification_reissue,
    competency_validate,
)
from assessments.services import (
    answer_grade,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
)
from lms.notifications import kinds
from lms.notifications.models import Notification
from tests.factories import (
    AssessmentPageFactory,
    CompetencyResultFactory,
    EnrolmentFactory,
    eligible_enrolment,
    make_question,
)

pytestmark = pytest.mark.django_db


def test_the_trainee_is_told_when_the_last_open_answer_is_graded(
    trainee, trainer, django_capture_on_commit_callbacks
):
    assessment = AssessmentPageFactory(
        title="Quiz semaine 1",
        questions=[
            make_question("long_text", "C3", 3, rubric=[("Calcul", 2), ("Ordre", 1)]),
            make_question("long_text", "C2", 2, rubric=[("Clarté", 2)]),
        ],
    )
    enrolment = EnrolmentFactory(trainee=trainee)
    enrolment.session.trainers.add(trainer)
    attempt = attempt_start(trainee=trainee, assessment=assessment)
    attempt_save_answers(
        attempt=attempt,
        values=dict.fromkeys(assessment.questions.all(), "Une réponse rédigée."),
    )
    attempt_submit(attempt=attempt)
    first, second = attempt.answers.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        answer_grade(answer=first, grader=trainer, rubric_scores=["2", "1"])
    assert not Notification.objects.exists()  # one answer still waits
    with django_capture_on_commit_callbacks(execute=True):
        answer_grade(answer=second, grader=trainer, rubric_scores=["1"])
    notification = Notification.objects.get()
    assert notification.recipient == trainee
    assert notification.kind == kinds.ANSWER_GRADED
    assert notification.title == "Votre évaluation « Quiz semaine 1 » est corrigée"
    (message,) = mail.outbox
    assert f"http://testserver/tentatives/{attempt.pk}/resultat/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        answer_grade(answer=second, grader=trainer, rubric_scores=["2"])
    assert Notification.objects.latest("pk").title == (
        "La correction de votre évaluation « Quiz semaine 1 » a été modifiée"
    )


def test_competency_decisions_tell_the_trainee_with_the_comment(
    trainee, trainer, django_capture_on_commit_callbacks
):
    EnrolmentFactory(trainee=trainee).session.trainers.add(trainer)
    result = CompetencyResultFactory(trainee=trainee, computed_level=Decimal("75.0"))
    code = result.competency.code
    with django_capture_on_commit_callbacks(execute=True):
        competency_validate(result=result, user=trainer, decision="validated")
        competency_validate(
            result=result, user=trainer, decision="invalidated", comment="Dossier à reprendre."
        )
    validated, invalidated = Notification.objects.order_by("pk")
    assert validated.recipient == invalidated.recipient == trainee
    assert validated.title == f"Compétence {code} validée"
    assert invalidated.title == f"Compétence {code} non validée"
    assert "Commentaire de Karim Benali : Dossier à reprendre." in invalidated.body
    assert validated.url == invalidated.url == "/mon-parcours/"
    assert [m.to for m in mail.outbox] == [[trainee.email], [trainee.email]]
    assert "http://testserver/mon-parcours/" in mail.outbox[1].body


def test_a_refused_decision_tells_nobody(trainee, trainer, django_capture_on_commit_callbacks):
    EnrolmentFactory(trainee=trainee).session.trainers.add(trainer)
    result = CompetencyResultFactory(trainee=trainee, computed_level=Decimal("75.0"))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception):  # noqa: B017
        competency_validate(result=result, user=trainer, decision="invalidated")  # no comment
    assert not Notification.objects.exists()


def test_certification_and_reissue_tell_the_holder(trainer, django_capture_on_commit_callbacks):
    enrolment = eligible_enrolment(trainer=trainer)
    holder = enrolment.trainee
    with django_capture_on_commit_callbacks(execute=True):
        certification = certification_create(enrolment=enrolment, user=trainer)
    notification = Notification.objects.get(recipient=holder)
    assert notification.kind == kinds.CERTIFICATE_ISSUED
    assert certification.number in notification.title
    assert notification.title.startswith("Vous êtes certifié·e ensemblier solidaire")
    assert mail.outbox[-1].to == [holder.email]
    holder.last_name = "Nouveau-Nom"
    holder.save()
    with django_capture_on_commit_callbacks(execute=True):
        new = certification_reissue(certification=certification, user=trainer)
    assert Notification.objects.filter(recipient=holder).latest("pk").title == (
        f"Votre certificat est réémis sous le numéro {new.number}"
    )
    assert not Notification.objects.exclude(recipient=holder).exists()
