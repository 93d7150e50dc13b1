"""Background tasks of case studies (django-tasks): notifications of dossier milestones."""

from django.urls import reverse

from django_tasks import task

from lms.notifications import kinds
from lms.notifications.services import notify
from modules.access import reviewers_of_work

from .milestones import milestone_label
from .models import Submission


def _submission(submission_id: int) -> Submission | None:
    return (
        Submission.objects.select_related(
            "dossier_milestone__dossier__trainee",
            "dossier_milestone__dossier__case_study",
            "dossier_milestone__dossier__enrolment__session",
            "decided_by",
        )
        .filter(pk=submission_id)
        .first()
    )


@task()
def notify_milestone_submitted(submission_id: int) -> int:
    """Tell the trainers of the dossier's session that a milestone waits for their review.
    Returns the number of people notified."""
    submission = _submission(submission_id)
    if submission is None:
        return 0
    state = submission.dossier_milestone
    dossier = state.dossier
    trainee = dossier.trainee
    label = milestone_label(state.milestone)
    url = reverse("casestudies:review_detail", args=[dossier.pk, state.milestone])
    session = dossier.enrolment.session if dossier.enrolment else None
    body = f"Cas pratique : {dossier.case_study.title}."
    if session is not None:
        body += f"\nSession : {session.name}."
    reviewers = reviewers_of_work(trainee_id=trainee.pk, enrolment_id=dossier.enrolment_id)
    count = 0
    for reviewer in reviewers:
        notify(
            reviewer,
            kinds.MILESTONE_SUBMITTED,
            title=f"{trainee.get_full_name()} a soumis le jalon « {label} » à votre revue",
            url=url,
            body=body,
        )
        count += 1
    return count


@task()
def notify_milestone_decided(submission_id: int) -> bool:
    """Tell the trainee that their milestone is accepted or sent back, with the comment."""
    submission = _submission(submission_id)
    if submission is None or not submission.is_decided:
        return False
    state = submission.dossier_milestone
    dossier = state.dossier
    label = milestone_label(state.milestone)
    if submission.decision == Submission.Decision.ACCEPTED:
        title = f"Votre jalon « {label} » est accepté"
    else:
        title = f"Votre jalon « {label} » vous est renvoyé pour être complété"
    lines = [f"Cas pratique : {dossier.case_study.title}."]
    if submission.comment:
        reviewer = submission.decided_by.get_full_name() if submission.decided_by else ""
        lines.append(
            f"Commentaire de {reviewer} : {submission.comment}"
            if reviewer
            else f"Commentaire : {submission.comment}"
        )
    url = reverse("casestudies:dossier", args=[dossier.pk]) + f"?jalon={state.milestone}"
    notify(dossier.trainee, kinds.MILESTONE_REVIEWED, title=title, url=url, body="\n".join(lines))
    return True
