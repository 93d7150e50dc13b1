"""Background tasks of assessments (django-tasks): the trainee told of a graded attempt."""

from django.urls import reverse

from django_tasks import task

from lms.notifications import kinds
from lms.notifications.services import notify

from .models import Attempt


@task()
def notify_attempt_graded(attempt_id: int, regraded: bool) -> bool:
    """Tell the trainee that the open answers of their attempt are graded (once the last one
    is), or that a grade of an already graded attempt was corrected."""
    attempt = (
        Attempt.objects.select_related("trainee", "assessment")
        .filter(pk=attempt_id, status=Attempt.Status.GRADED)
        .first()
    )
    if attempt is None:
        return False
    name = attempt.assessment.title
    title = (
        f"La correction de votre évaluation « {name} » a été modifiée"
        if regraded
        else f"Votre évaluation « {name} » est corrigée"
    )
    notify(
        attempt.trainee,
        kinds.ANSWER_GRADED,
        title=title,
        url=reverse("assessments:attempt_result", args=[attempt.pk]),
        body="Vos réponses rédigées ont été corrigées par un formateur ou une formatrice.",
    )
    return True
