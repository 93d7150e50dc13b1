"""Background tasks of certification (django-tasks): the trainee told of decisions about them."""

from django.urls import reverse

from django_tasks import task

from lms.notifications import kinds
from lms.notifications.services import notify

from ..models import CompetencyDecision
from .models import Certification


@task()
def notify_competency_decided(decision_id: int) -> bool:
    """Tell the trainee that a trainer validated (or did not validate) one of their
    competencies, with the comment."""
    decision = (
        CompetencyDecision.objects.select_related(
            "result__trainee", "result__competency", "decided_by"
        )
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        return False
    competency = decision.result.competency
    verdict = (
        "validée" if decision.decision == CompetencyDecision.Decision.VALIDATED else "non validée"
    )
    lines = [f"Compétence {competency.code} : {competency.title}."]
    if decision.comment:
        author = decision.decided_by.get_full_name() if decision.decided_by else ""
        lines.append(
            f"Commentaire de {author} : {decision.comment}"
            if author
            else f"Commentaire : {decision.comment}"
        )
    notify(
        decision.result.trainee,
        kinds.COMPETENCY_DECIDED,
        title=f"Compétence {competency.code} {verdict}",
        url=reverse("assessments:parcours"),
        body="\n".join(lines),
    )
    return True


@task()
def notify_certificate_issued(certification_id: int) -> bool:
    """Tell the holder that their certificate is issued (or reissued under their new name)."""
    certification = (
        Certification.objects.select_related("trainee").filter(pk=certification_id).first()
    )
    if certification is None or not certification.is_valid:
        return False
    if certification.reissued_by_id:
        title = f"Votre certificat est réémis sous le numéro {certification.number}"
    else:
        title = f"Vous êtes certifié·e ensemblier solidaire : certificat n° {certification.number}"
    notify(
        certification.trainee,
        kinds.CERTIFICATE_ISSUED,
        title=title,
        url=reverse("assessments:parcours"),
        body="Votre certificat est à télécharger (PDF) depuis la page Mon parcours.",
    )
    return True
