"""What the trainee's "Aujourd'hui" page lists as due from their dossiers."""

from lms.formats import format_date

from .milestones import MILESTONE_ORDER
from .models import MilestoneStatus
from .selectors import case_study_deadlines, milestones_in_order, pending_dossier_items


def dossier_due_items(user, enrolment, today) -> list[dict]:
    """A milestone sent back comes first; otherwise the next milestone still to submit. A
    dossier is due on the last day its case study's modules are taught in the session (the
    modules the case study declares it serves). Four queries, whatever the number of dossiers."""
    dossiers = pending_dossier_items(user)
    deadlines = (
        case_study_deadlines({d.case_study_id for d in dossiers}, enrolment.session_id)
        if dossiers and enrolment is not None
        else {}
    )
    items = []
    for dossier in dossiers:
        milestones = milestones_in_order(dossier)
        sent_back = [m for m in milestones if m.status == MilestoneStatus.SENT_BACK]
        in_progress = [m for m in milestones if m.status == MilestoneStatus.IN_PROGRESS]
        target = (sent_back or in_progress or [None])[0]
        if target is None:
            continue
        status_label = "à corriger" if target.status == MilestoneStatus.SENT_BACK else "à soumettre"
        deadline = deadlines.get(dossier.case_study_id)
        items.append(
            {
                "label": f"Dossier « {dossier.case_study.title} » : "
                f"jalon {target.get_milestone_display()} ({status_label})",
                "url": f"{dossier.get_absolute_url()}?jalon={target.milestone}",
                "due_label": format_date(deadline, year=False) if deadline else status_label,
                "due_date": deadline,
                "order": (0 if sent_back else 1, MILESTONE_ORDER.index(target.milestone)),
            }
        )
    items.sort(key=lambda item: item.pop("order"))
    return items
