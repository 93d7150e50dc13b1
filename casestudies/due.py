"""What the trainee's "Aujourd'hui" page lists as due from their dossiers."""

from django.urls import reverse

from lms.formats import format_date

from .milestones import MILESTONE_ORDER, Milestone
from .models import MilestoneStatus
from .selectors import pending_milestones, session_case_study_deadlines


def dossier_due_items(user, enrolment, today) -> list[dict]:
    """A milestone sent back comes first; otherwise the next milestone still to submit. A
    dossier is due on the last day its case study's modules are taught in the session (the
    modules the case study declares it serves). One query (the trainee's milestones), whatever
    the number of dossiers; the session's deadlines are shared by its trainees."""
    dossiers = pending_milestones(user)
    deadlines = (
        session_case_study_deadlines(enrolment.session_id)
        if dossiers and enrolment is not None
        else {}
    )
    labels = dict(Milestone.choices)
    items = []
    for dossier_id, case_study_id, title, milestones in dossiers:
        status_of = dict(milestones)  # the last row of a milestone wins, as before
        ordered = [(name, status_of[name]) for name in MILESTONE_ORDER if name in status_of]
        sent_back = [name for name, status in ordered if status == MilestoneStatus.SENT_BACK]
        in_progress = [name for name, status in ordered if status == MilestoneStatus.IN_PROGRESS]
        target = (sent_back or in_progress or [None])[0]
        if target is None:
            continue
        status_label = "à corriger" if sent_back else "à soumettre"
        deadline = deadlines.get(case_study_id)
        url = reverse("casestudies:dossier", args=[dossier_id])
        items.append(
            {
                "label": f"Dossier « {title} » : jalon {labels[target]} ({status_label})",
                "url": f"{url}?jalon={target}",
                "due_label": format_date(deadline, year=False) if deadline else status_label,
                "due_date": deadline,
                "order": (0 if sent_back else 1, MILESTONE_ORDER.index(target)),
            }
        )
    items.sort(key=lambda item: item.pop("order"))
    return items
